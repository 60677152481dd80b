import { BadRequestException, PayloadTooLargeException, UnsupportedMediaTypeException } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { EVIDENCE_KINDS, EvidenceKind } from '../../domain/case-file.types';
import { textProblem } from '../../../common/http/input-rules';
import { ID, TEXT } from '../request-rules';

/** `POST /api/v1/disputes/:id/evidence`: the one route that takes multipart/form-data (see json-only.ts). */
export const EVIDENCE_UPLOAD_ROUTE = /^\/api\/v1\/disputes\/[^/]+\/evidence$/;

/** One file per request, a few short fields. */
export const evidenceUploadLimits = (maxBytes: number) => ({ fileSize: maxBytes, files: 1, fields: 4, fieldSize: TEXT, parts: 6 });

/**
 * The file types accepted as evidence (receipts, contracts, chat and call records, photos, reports), with the
 * leading bytes a declared type must start with where the format has them: a file is what it says it is.
 */
export const EVIDENCE_TYPES: Record<string, readonly Buffer[] | null> = {
  'application/pdf': [Buffer.from('%PDF-')],
  'image/png': [Buffer.from([0x89, 0x50, 0x4e, 0x47])],
  'image/jpeg': [Buffer.from([0xff, 0xd8, 0xff])],
  'image/webp': [Buffer.from('RIFF')],
  'text/plain': null,
  'audio/mpeg': null,
  'audio/wav': [Buffer.from('RIFF')],
  'video/mp4': null,
};

export interface EvidenceUpload {
  kind: EvidenceKind;
  description?: string;
  fileName: string;
  contentType: string;
  content: Buffer;
}

/** Reads the multipart body: fields `kind`, `description?` and one `file`. Every problem is a 4xx naming the field. */
export async function readEvidenceUpload(request: FastifyRequest): Promise<EvidenceUpload> {
  if (!request.isMultipart())
    throw new UnsupportedMediaTypeException('send the evidence as multipart/form-data (fields kind, description?, file)');
  const fields: Record<string, string> = {};
  let file: { fileName: string; contentType: string; content: Buffer } | null = null;
  try {
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        if (part.fieldname !== 'file') throw bad('file', `the file goes in the field "file", not "${part.fieldname}"`);
        file = { fileName: part.filename, contentType: part.mimetype.split(';')[0].trim().toLowerCase(), content: await part.toBuffer() };
      } else if (typeof part.value === 'string') {
        fields[part.fieldname] = part.value;
      }
    }
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE') throw new PayloadTooLargeException(`file: the evidence file is larger than the limit`);
    if (code?.startsWith('FST_')) throw bad('file', (error as Error).message);
    throw error;
  }
  const unknown = Object.keys(fields).filter((f) => f !== 'kind' && f !== 'description');
  if (unknown.length) throw bad(unknown[0], `unknown field ${unknown[0]}: send kind, description and file`);
  const kind = fields.kind as EvidenceKind;
  if (!EVIDENCE_KINDS.includes(kind)) throw bad('kind', `kind must be one of ${EVIDENCE_KINDS.join(', ')}`);
  const description = fields.description;
  const descriptionProblem =
    description === undefined
      ? null
      : description.length > TEXT
        ? `must be at most ${TEXT} characters`
        : textProblem(description, { multiline: true });
  if (descriptionProblem) throw bad('description', `description ${descriptionProblem}`);
  if (!file) throw bad('file', 'file is missing');
  if (file.content.length === 0) throw bad('file', 'file is empty');
  const nameProblem = file.fileName.length > ID ? `must be at most ${ID} characters` : textProblem(file.fileName);
  if (!file.fileName || nameProblem) throw bad('file', `the file name ${nameProblem ?? 'is missing'}`);
  if (!(file.contentType in EVIDENCE_TYPES))
    throw new UnsupportedMediaTypeException({
      message: `file: ${file.contentType} is not accepted as evidence; accepted: ${Object.keys(EVIDENCE_TYPES).join(', ')}`,
      details: { field: 'file', accepted: Object.keys(EVIDENCE_TYPES) },
    });
  const magic = EVIDENCE_TYPES[file.contentType];
  if (magic && !magic.some((m) => file!.content.subarray(0, m.length).equals(m)))
    throw new UnsupportedMediaTypeException({ message: `file: the content is not ${file.contentType}`, details: { field: 'file' } });
  return { kind, ...(description !== undefined ? { description } : {}), ...file };
}

const bad = (field: string, message: string) => new BadRequestException({ message, details: [{ field, problems: [message] }] });
