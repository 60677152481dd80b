import { ApiProperty } from '@nestjs/swagger';

export class ProjectionStatusDto {
  @ApiProperty({ example: 'disputes' }) name: string;
  @ApiProperty({ type: 'integer' }) position: number;
  @ApiProperty({ type: 'integer' }) headPosition: number;
  @ApiProperty({ type: 'integer' }) lagEvents: number;
  @ApiProperty({ description: 'age of the oldest event not yet applied, in seconds' }) lagSeconds: number;
  @ApiProperty({ type: 'integer', description: 'lagSeconds in milliseconds' }) lagMs: number;
  @ApiProperty() running: boolean;
  @ApiProperty() leader: boolean;
  @ApiProperty({ type: String, nullable: true }) error: string | null;
}

export class ProjectionStatusListDto {
  @ApiProperty({ type: [ProjectionStatusDto] }) projections: ProjectionStatusDto[];
}

export class RebuildReportDto {
  @ApiProperty({ example: 'disputes' }) projection: string;
  @ApiProperty({ type: 'integer' }) events: number;
  @ApiProperty({ type: 'integer' }) position: number;
  @ApiProperty() seconds: number;
  @ApiProperty() eventsPerSecond: number;
}
