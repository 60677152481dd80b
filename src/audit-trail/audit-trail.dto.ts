import { ApiProperty } from '@nestjs/swagger';

/** Shapes of the audit-trail fields and routes, for the OpenAPI document. */
const ISO = (example: string) => ({ type: String, format: 'date-time', example });

export class DamageDto {
  @ApiProperty({ enum: ['altered', 'broken-link', 'revision-gap', 'rewritten', 'truncated', 'stream-deleted', 'checkpoint'] })
  kind: string;
  @ApiProperty({ type: String, nullable: true }) streamId: string | null;
  @ApiProperty({ type: 'integer', nullable: true }) revision: number | null;
  @ApiProperty({ type: String, nullable: true }) eventId: string | null;
  @ApiProperty({ example: 'the hash of revision 3 does not match its content' }) detail: string;
}

export class CheckpointSummaryDto {
  @ApiProperty({ type: 'integer' }) sequence: number;
  @ApiProperty(ISO('2026-11-21T10:00:00.000Z')) createdAt: string;
  @ApiProperty({ type: 'integer' }) headPosition: number;
  @ApiProperty() merkleRoot: string;
  @ApiProperty({ example: '3f2a9c0d1e4b5a67' }) keyId: string;
  @ApiProperty() checkpointHash: string;
}

/** The `integrity` field a dispute read carries when its stream fails verification (absent otherwise). */
export class IntegrityWarningDto {
  @ApiProperty({ enum: ['failed'] }) status: string;
  @ApiProperty() message: string;
  @ApiProperty({ type: [DamageDto] }) damages: DamageDto[];
  @ApiProperty({ type: CheckpointSummaryDto, nullable: true }) checkpoint: CheckpointSummaryDto | null;
  @ApiProperty(ISO('2026-11-21T10:00:00.000Z')) checkedAt: string;
}

export class SignedCheckpointDto {
  @ApiProperty({ type: 'integer', enum: [1] }) version: number;
  @ApiProperty({ type: 'integer', description: '0, 1, 2, … with no gap' }) sequence: number;
  @ApiProperty(ISO('2026-11-21T10:00:00.000Z')) createdAt: string;
  @ApiProperty({ type: String, nullable: true }) prevCheckpointHash: string | null;
  @ApiProperty({ type: 'integer' }) headPosition: number;
  @ApiProperty({ type: 'integer' }) streams: number;
  @ApiProperty({ type: 'integer' }) events: number;
  @ApiProperty() merkleRoot: string;
  @ApiProperty() keyId: string;
  @ApiProperty({ description: 'SHA-256 (hex) over the canonical JSON of the body' }) checkpointHash: string;
  @ApiProperty({ description: 'Ed25519 over the canonical JSON of the body (base64)' }) signature: string;
  @ApiProperty({ description: 'SPKI PEM' }) publicKey: string;
}

export class CheckpointListDto {
  @ApiProperty({ type: [SignedCheckpointDto] }) items: SignedCheckpointDto[];
  @ApiProperty({ description: 'SPKI PEM' }) publicKey: string;
  @ApiProperty() keyId: string;
}

const OBJECT = { type: 'object', additionalProperties: true } as const;

/** GET /disputes/:id/export: check it offline with tools/verify-bundle.mjs. */
export class CaseBundleDto {
  @ApiProperty({ example: 'casetrail-case-bundle/1' }) format: string;
  @ApiProperty() streamId: string;
  @ApiProperty({ type: 'array', items: OBJECT, description: 'the stored events, hashes included' }) events: object[];
  @ApiProperty({ type: SignedCheckpointDto, nullable: true }) checkpoint: SignedCheckpointDto | null;
  @ApiProperty({ ...OBJECT, nullable: true, description: "the stream's head as the checkpoint committed to it" }) head: object | null;
  @ApiProperty({ type: 'array', items: OBJECT, description: 'Merkle inclusion proof' }) proof: object[];
}
