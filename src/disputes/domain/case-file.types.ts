import { Stage } from './dispute.types';

/** Vocabulary of the agent's case workspace (issue 15): customer contacts and evidence. */

export const CONTACT_CHANNELS = ['phone', 'email', 'chat', 'web', 'sms', 'in_person'] as const;
export type ContactChannel = (typeof CONTACT_CHANNELS)[number];

export const CONTACT_DIRECTIONS = ['in', 'out'] as const;
export type ContactDirection = (typeof CONTACT_DIRECTIONS)[number];

/** The evidence disputes turn on (seed 003): receipts, contracts, chat and call records, photos, appraisal reports. */
export const EVIDENCE_KINDS = [
  'proof_of_purchase',
  'contract',
  'chat_record',
  'call_record',
  'photo',
  'appraisal_report',
  'arbitration_agreement',
  'claim',
  'judgment',
  'other',
] as const;
export type EvidenceKind = (typeof EVIDENCE_KINDS)[number];

/** When an evidence requirement applies: always, when the customer asks for a refund, or when a defect is disputed. */
export const EVIDENCE_CONDITIONS = ['always', 'refund_requested', 'defect_disputed'] as const;
export type EvidenceCondition = (typeof EVIDENCE_CONDITIONS)[number];

/** One line of the per-stage evidence checklist: `kind` is due on reaching `stage`; `enforced` lines refuse the move. */
export interface EvidenceRequirement {
  stage: Stage;
  kind: EvidenceKind;
  when: EvidenceCondition;
  enforced: boolean;
}
