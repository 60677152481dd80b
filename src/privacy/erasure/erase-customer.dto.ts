import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';

export class EraseCustomerDto {
  @ApiProperty({ example: 'erasure request of 2026-11-30 (PIPL art. 47), ticket 4711', maxLength: 4000 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(4000)
  reason: string;
}

class RebuildFailureDto {
  @ApiProperty() name: string;
  @ApiProperty() error: string;
}

export class ErasureResultDto {
  @ApiProperty({ description: "The customer's pseudonym (the data keys' subject)", example: 'cus_abcdefghijklmnopqrst' })
  subject: string;
  @ApiProperty() erasedAt: string;
  @ApiProperty({ description: 'Data keys destroyed now (0: nothing was encrypted for this customer, or already erased)' })
  keysDestroyed: number;
  @ApiProperty({ description: 'Global position of the CustomerErased event' })
  position: number;
  @ApiProperty({ description: 'Remembered Idempotency-Key responses that named the customer, deleted' })
  responsesForgotten: number;
  @ApiProperty({ type: [String], description: 'Read models rebuilt without the personal data' })
  rebuilt: string[];
  @ApiProperty({ type: [RebuildFailureDto], description: 'Read models whose rebuild failed: rebuild them with the admin route' })
  failed: RebuildFailureDto[];
}
