'use strict';
/**
 * The projection-rebuild benchmark's hook into the projection engine the lead is rewriting.
 *
 * It will call, from dist/read-models/offline-rebuild.js:
 *
 *   export function rebuildProjections(
 *     log: EventStore,                   // the log to read (here: SqliteEventStore on the scale run's events.db)
 *     readDataDir: string,               // an empty directory for a fresh embedded read store
 *     options?: { batchSize?: number },
 *   ): Promise<RebuildReport[]>;         // one per projection: { projection, events, position, seconds, eventsPerSecond }
 *
 * a thin wrapper (every registered projection, embedded read store) over the engine's per-projection
 * `rebuildProjection(db, log, projection, options)`, and time it from the call to the resolved promise:
 * events/s = events read from the log per projection / seconds, in the same process and run as the raw
 * scan of the same log. Until that export exists the section says "pending the projection engine".
 */
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const HOOK_MODULE = join(__dirname, '..', '..', 'dist', 'read-models', 'offline-rebuild.js');
const HOOK_SIGNATURE =
  'rebuildProjections(log: EventStore, readDataDir: string, options?: { batchSize?: number }): Promise<RebuildReport[]>  // exported from src/read-models/offline-rebuild.ts';

function loadRebuildHook() {
  if (!existsSync(HOOK_MODULE)) return null;
  const fn = require(HOOK_MODULE).rebuildProjections;
  return typeof fn === 'function' ? fn : null;
}

module.exports = { loadRebuildHook, HOOK_SIGNATURE, HOOK_MODULE };
