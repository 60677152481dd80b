import { join } from 'node:path';
import { Kysely } from 'kysely';
import { EventStore } from '../shared/event-sourcing/event-store.port';
import { ProjectionCatalog } from '../read-side/engine/host';
import { ProjectionLock } from '../read-side/engine/lock';
import { Projection } from '../read-side/engine/projection';
import { ProjectionRunner } from '../read-side/engine/runner';
import { disputeStreamId, foldStored } from '../disputes/application/dispute-stream';
import { DisputeLoader, PENALTY_PROCESSOR, PenaltyProcessor } from '../sla/application/penalty-processor';
import { SlaPolicyRegistry } from '../sla/application/sla-policy.registry';
import { AuditProjection } from './audit/audit.projection';
import { DisputesProjection, PolicySource } from './disputes/disputes.projection';
import { PenaltiesProjection } from './penalties/penalties.projection';
import { SlaSupervisionProjection } from './sla-supervision/sla-supervision.projection';
import { DisputeSearchProjection } from './dispute-search/dispute-search.projection';

/** The penalty processor (`sla`) reads a breached dispute through the disputes context's own fold. */
const disputeLoader =
  (log: EventStore): DisputeLoader =>
  async (disputeId) =>
    foldStored(await log.readStream(disputeStreamId(disputeId)));

/** The rebuildable read models; `policies` lets the disputes model find every SLA policy version. */
export const PROJECTIONS = (policies?: PolicySource): Projection[] => [
  new DisputesProjection(policies),
  new AuditProjection(),
  new PenaltiesProjection(),
  new SlaSupervisionProjection(), // issue 14
  new DisputeSearchProjection(),
];

/**
 * Commands wait for the disputes model (cross-dispute rules), so it applies every batch at once; the others
 * are only read, and under load they gather events for up to this long per batch: fewer commits on the
 * shared read store, which shortens the disputes model's own waits.
 */
export const RELAXED_BATCH_INTERVAL_MS = 25;

/** The worker thread's entry, compiled beside this file (absent under ts-jest: the runners stay inline). */
export const PROJECTION_WORKER_SCRIPT = join(__dirname, 'projection-worker.main.js');

/**
 * What the engine runs: every read model, then the SLA penalty processor (a process reading the log from its
 * own checkpoint, never rebuilt). `policies` is the request thread's registry; a worker thread, which has no
 * dependency injection, makes its own over its own log.
 */
export function readModelCatalog(policies?: SlaPolicyRegistry): ProjectionCatalog {
  const rebuildable = PROJECTIONS().map((p) => p.name);
  return {
    names: [...rebuildable, PENALTY_PROCESSOR],
    rebuildable,
    workerScript: PROJECTION_WORKER_SCRIPT,
    runners(db: Kysely<any>, log: EventStore, lock: ProjectionLock): ProjectionRunner[] {
      const registry = policies ?? new SlaPolicyRegistry(log);
      const relaxed = (name: string) => (name === 'disputes' ? 0 : RELAXED_BATCH_INTERVAL_MS);
      return [
        ...PROJECTIONS(registry).map((p) => new ProjectionRunner(db, log, p, { lock, minBatchIntervalMs: relaxed(p.name) })),
        new ProjectionRunner(db, log, new PenaltyProcessor(log, registry, disputeLoader(log)), {
          lock,
          pollIntervalMs: 250,
          minBatchIntervalMs: RELAXED_BATCH_INTERVAL_MS,
        }),
      ];
    },
  };
}
