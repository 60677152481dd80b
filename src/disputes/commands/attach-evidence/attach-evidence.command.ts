import { Command } from '../../domain/command';
import { EvidenceKind } from '../../domain/case-file.types';

/**
 * A file attached to the case. The upload route stores the bytes in the blob store first (content addressed:
 * storing twice is harmless) and then sends this command with the content's SHA-256.
 */
export type AttachEvidence = Command<
  'AttachEvidence',
  {
    kind: EvidenceKind;
    fileName: string;
    contentType: string;
    size: number;
    sha256: string;
    description?: string;
    evidenceId?: string;
  }
>;

export type AttachEvidenceRequest = Omit<AttachEvidence['data'], 'evidenceId'>;
