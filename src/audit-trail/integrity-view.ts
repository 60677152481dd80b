import { StreamIntegrity } from './audit-trail.service';

/** On every dispute read: `verified` (the chain and the latest signed checkpoint agree) or `failed`. */
export const INTEGRITY_HEADER = 'X-Casetrail-Integrity';

/** The field a read carries when its stream fails verification. */
export function integrityWarning(i: StreamIntegrity) {
  return {
    status: 'failed' as const,
    message: 'this case failed tamper-evidence verification: what is shown may have been altered',
    damages: i.damages,
    checkpoint: i.checkpoint,
    checkedAt: i.checkedAt,
  };
}

/** API.md's `{ valid, events, firstInvalidRevision? }`, now against the latest signed checkpoint, with what is wrong and where. */
export function verifyResponse(chain: { valid: boolean; events: number; firstInvalidRevision?: number }, checked: StreamIntegrity) {
  const revisions = checked.damages.map((d) => d.revision).filter((r): r is number => r !== null);
  const firstInvalidRevision = revisions.length > 0 ? Math.min(...revisions) : chain.firstInvalidRevision;
  return {
    valid: chain.valid && checked.valid,
    events: chain.events,
    ...(firstInvalidRevision !== undefined && !(chain.valid && checked.valid) ? { firstInvalidRevision } : {}),
    damages: checked.damages,
    checkpoint: checked.checkpoint,
    coveredRevision: checked.coveredRevision,
    eventsAfterCheckpoint: checked.eventsAfterCheckpoint,
    checkedAt: checked.checkedAt,
  };
}
