import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { SafeLongText } from '../../../common/http/input-rules';
import { Channel, CHANNELS } from '../../domain/dispute.types';

export class SendApologyDto {
  @ApiProperty({ enum: CHANNELS, description: "the channel the apology went through (the customer's, normally)" })
  @IsIn(CHANNELS)
  channel: Channel;
  @ApiProperty({ description: 'the text the customer received (start from the draft: it names the cause)' })
  @SafeLongText(8000)
  text: string;
}
