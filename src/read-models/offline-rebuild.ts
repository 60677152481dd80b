import { EventStore } from '../shared/event-sourcing/event-store.port';
import { RebuildOptions, RebuildReport, rebuildIntoFreshStore } from '../read-side/engine/rebuild';
import { SlaPolicyRegistry } from '../sla/application/sla-policy.registry';
import { PROJECTIONS } from './registry';

/**
 * Every read model rebuilt from zero into a fresh embedded read store in `readDataDir` (benchmarks, offline
 * rebuilds), in one pass over the log; one report per projection (see `rebuildIntoFreshStore`).
 */
export function rebuildProjections(log: EventStore, readDataDir: string, options: RebuildOptions = {}): Promise<RebuildReport[]> {
  return rebuildIntoFreshStore(log, readDataDir, PROJECTIONS(new SlaPolicyRegistry(log)), options);
}
