import { Transform } from 'class-transformer';
import { IsIn, IsInt, Max, Min } from 'class-validator';
import { ApiProperty } from '@nestjs/swagger';

/** `{ amount: <integer minor units>, currency: "CNY" }`; a bare integer is read as CNY minor units. */
export class MoneyDto {
  @ApiProperty({ type: 'integer', description: 'integer minor units (fen)', example: 19900, minimum: 0 })
  @IsInt()
  @Min(0)
  @Max(1_000_000_000_00)
  amount: number;

  @ApiProperty({ enum: ['CNY'], default: 'CNY' })
  @IsIn(['CNY'])
  currency = 'CNY' as const;
}

export const moneyTransform = () =>
  Transform(({ value }) => (typeof value === 'number' ? Object.assign(new MoneyDto(), { amount: value, currency: 'CNY' }) : value));
