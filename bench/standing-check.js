'use strict';
/**
 * Review finding 3: the suspended-agent check run by every dispute command (StandingService.assertMayAct).
 * Before: read the agent's whole penalty stream and fold it on each command. After: the folded standing is
 * cached per agent and caught up with one read from the last revision seen (FoldedStreamCache).
 *
 * Both on the same SQLite event store (the embedded default, synchronous FULL as in production), for agent
 * streams of several lengths, in alternating rounds so the load of other processes on the shared cores falls
 * on both alike. Needs a build: `npm run build && node bench/standing-check.js [--seconds 1] [--rounds 5]`.
 */
const { mkdtempSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { load, fmtLoad, machine } = require('./lib/machine');

const dist = join(__dirname, '..', 'dist');
const { openSqliteEventStore } = require(join(dist, 'event-store/sqlite-event-store'));
const { StandingService } = require(join(dist, 'sla/application/standing.service'));
const { decidePenalty, evolvePenalties, initialPenaltyState, openSuspension, penaltyStreamId } = require(
  join(dist, 'sla/domain/penalties'),
);
const { DEFAULT_SLA_POLICY } = require(join(dist, 'sla/domain/sla-policy'));

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : Number(process.argv[i + 1]);
};
const SECONDS = arg('seconds', 1);
const ROUNDS = arg('rounds', 5);
const LENGTHS = [3, 30, 300];
const metadata = {
  actorId: 'system',
  actorRoles: ['system'],
  commandId: 'c',
  correlationId: 'c',
  causationId: null,
  policyVersion: null,
  schemaVersion: 1,
};
const calendar = DEFAULT_SLA_POLICY.businessCalendar;

/**
 * An agent stream of about `length` events: penalties a month apart (each month's ladder starts again, so the
 * agent is never suspended and every command passes the check), reversed now and then.
 */
async function seedAgent(log, agentId, length) {
  const streamId = penaltyStreamId('agent', agentId);
  let state = initialPenaltyState();
  let n = 0;
  for (let written = 0; written < length; n++) {
    const at = new Date(Date.UTC(2000, n, 3, 3)).toISOString();
    const events = decidePenalty(state, {
      subjectType: 'agent',
      subjectId: agentId,
      breachId: `b-${n}`,
      disputeId: `d-${n}`,
      channel: 'chat',
      detectedAt: at,
      at,
      calendar,
    });
    if (events.length === 0) continue;
    await log.append(
      streamId,
      events.map((e) => ({ type: e.type, data: e.data, metadata, occurredAt: at })),
      'any',
    );
    state = events.reduce(evolvePenalties, state);
    written += events.length;
  }
  return (await log.readStream(streamId)).length;
}

/** The check as it was: the whole stream read and folded on every command. */
async function fullReadCheck(log, agentId) {
  const events = await log.readStream(penaltyStreamId('agent', agentId));
  const state = events.reduce((s, e) => evolvePenalties(s, { type: e.type, data: e.data }), initialPenaltyState());
  if (openSuspension(state)) throw new Error('suspended');
}

async function opsPerSecond(fn) {
  const start = process.hrtime.bigint();
  const end = start + BigInt(SECONDS * 1e9);
  let ops = 0;
  let now = start;
  while (now < end) {
    await fn();
    ops++;
    now = process.hrtime.bigint();
  }
  return ops / (Number(now - start) / 1e9);
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'casetrail-standing-bench-'));
  const log = openSqliteEventStore(dir);
  const before = load();
  const rows = [];
  try {
    const service = new StandingService(log, { now: () => new Date() }, {});
    for (const length of LENGTHS) {
      const agentId = `agent-${length}`;
      const events = await seedAgent(log, agentId, length);
      const actor = { id: agentId, roles: ['agent'] };
      await service.assertMayAct(actor, null); // the first command of this instance folds the stream once
      const full = [];
      const cached = [];
      for (let r = 0; r < ROUNDS; r++) {
        full.push(await opsPerSecond(() => fullReadCheck(log, agentId)));
        cached.push(await opsPerSecond(() => service.assertMayAct(actor, null)));
      }
      rows.push({ events, full: median(full), cached: median(cached) });
    }
  } finally {
    await log.close();
    rmSync(dir, { recursive: true, force: true });
  }
  const after = load();
  const m = machine();
  console.log(`standing check (assertMayAct), SQLite event store; ${m.cpu}, ${m.cores} cores, ${m.node}`);
  console.log(`median of ${ROUNDS} alternating ${SECONDS}s rounds; load average before ${fmtLoad(before)}, after ${fmtLoad(after)}`);
  console.log('| agent stream | full read + fold (before) | catch-up from cached revision (after) | speed-up |');
  console.log('|---|---|---|---|');
  for (const r of rows)
    console.log(
      `| ${r.events} events | ${Math.round(r.full).toLocaleString('en')}/s (${(1e6 / r.full).toFixed(1)} µs) | ${Math.round(r.cached).toLocaleString('en')}/s (${(1e6 / r.cached).toFixed(1)} µs) | ×${(r.cached / r.full).toFixed(1)} |`,
    );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
