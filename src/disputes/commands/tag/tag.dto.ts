import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsString, Matches } from 'class-validator';
import { MAX_TAGS, TAG_PATTERN } from './tag.decide';

export class TagDisputeDto {
  @ApiProperty({
    type: [String],
    minItems: 1,
    maxItems: MAX_TAGS,
    example: ['fragile', 'repeat-customer'],
    description: `tags to add (those the dispute has are left as they are); each lowercase letters, digits and hyphens, 1–40 characters; at most ${MAX_TAGS} on a dispute`,
    items: { type: 'string', pattern: TAG_PATTERN.source, minLength: 1, maxLength: 40 },
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_TAGS)
  @IsString({ each: true })
  @Matches(TAG_PATTERN, { each: true, message: 'each of tags must be lowercase letters, digits and hyphens, 1–40 characters' })
  tags: string[];
}
