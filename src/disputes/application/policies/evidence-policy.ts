import { Inject, Injectable } from '@nestjs/common';
import { EVENT_STORE, EventStore } from '../../../shared/event-sourcing/event-store.port';
import { PolicyStream } from '../../../shared/event-sourcing/policy-stream';
import { EvidenceRequirement } from '../../domain/case-file.types';

/** The per-stage evidence checklist, a versioned admin policy (issue 15). */
export interface EvidencePolicy {
  requirements: EvidenceRequirement[];
}

/**
 * Version 1, until an admin changes it: proof of purchase at filing for a refund; the arbitration agreement
 * before arbitration (enforced: escalating without it is refused); the claim and the judgment for litigation;
 * an appraisal report when a defect is disputed (from mediation on).
 */
export const DEFAULT_EVIDENCE_POLICY: EvidencePolicy = {
  requirements: [
    { stage: 'filed', kind: 'proof_of_purchase', when: 'refund_requested', enforced: false },
    { stage: 'mediation', kind: 'appraisal_report', when: 'defect_disputed', enforced: false },
    { stage: 'arbitration', kind: 'arbitration_agreement', when: 'always', enforced: true },
    { stage: 'litigation', kind: 'claim', when: 'always', enforced: false },
    { stage: 'litigation', kind: 'judgment', when: 'always', enforced: false },
  ],
};

export const EVIDENCE_POLICY_STREAM = 'evidence-policy';

@Injectable()
export class EvidencePolicyRegistry extends PolicyStream<EvidencePolicy> {
  constructor(@Inject(EVENT_STORE) store: EventStore) {
    super(store, EVIDENCE_POLICY_STREAM, 'EvidencePolicyChanged', DEFAULT_EVIDENCE_POLICY);
  }
}
