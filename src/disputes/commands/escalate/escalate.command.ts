import { Command } from '../../domain/command';
import { Forum } from '../../domain/dispute.types';
import { EvidenceRequirement } from '../../domain/case-file.types';

export type EscalateDispute = Command<
  'EscalateDispute',
  {
    forum: Forum;
    institution: string;
    reason: string;
    /** Looked up (escalate.facts.ts): the evidence checklist in force; absent, no evidence is required. */
    evidencePolicy?: { version: number; requirements: EvidenceRequirement[] };
  }
>;

/** What the caller sends. */
export type EscalateDisputeRequest = Omit<EscalateDispute['data'], 'evidencePolicy'>;
