import { AuditTrailService } from './audit-trail.service';
import { buildCaseBundle } from './case-bundle';

/** A checkpoint covering the stream's newest event is written first when the latest does not (once per change of the log). */
export async function exportBundle(audit: AuditTrailService, streamId: string, events: Parameters<typeof buildCaseBundle>[1]) {
  let covering = await audit.inclusion(streamId);
  const newest = events[events.length - 1];
  if (!covering || covering.head.revision < newest.revision) {
    await audit.checkpoint();
    await audit.refreshLedger();
    covering = await audit.inclusion(streamId);
  }
  return buildCaseBundle(streamId, events, covering);
}
