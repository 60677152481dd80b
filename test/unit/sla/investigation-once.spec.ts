import { InMemoryEventStore } from '../../../src/event-store/in-memory-event-store';
import { handleCommand } from '../../../src/shared/event-sourcing/handle-command';
import { disputeDecider } from '../../../src/disputes/domain/dispute.decide';
import { DisputeCommand } from '../../../src/disputes/domain/dispute.commands';
import { DisputeEvent } from '../../../src/disputes/domain/dispute.events';
import { DomainError } from '../../../src/shared/errors';
import { at, DISPUTE, filed } from '../disputes/dispute.fixtures';

/**
 * Issue 14: the investigation deadline fires once across instances. Several schedulers (no shared lock, as in
 * separate processes) report the same missed deadline at once; the stream's expected revision lets one win and
 * the others, retried on fresh state, are refused because it is already reported.
 */
const STREAM = `dispute-${DISPUTE}`;
const SYSTEM = { id: 'sla-scheduler', roles: ['system' as const] };
const breached: DisputeEvent = {
  type: 'SlaBreached',
  data: {
    disputeId: DISPUTE,
    at: at(6),
    breachId: 'b-1',
    kind: 'first_response',
    clockKey: 'first_response:0',
    dueAt: at(5),
    detectedAt: at(6),
    source: 'automatic',
    assignee: null,
    department: null,
    proof: null,
    note: null,
    investigationDueAt: at(60),
  },
};
const meta = (commandId: string) => ({
  actorId: SYSTEM.id,
  actorRoles: ['system'],
  commandId,
  correlationId: commandId,
  causationId: null,
  policyVersion: 1,
  schemaVersion: 1,
});

it('reports a missed investigation once when several instances race', async () => {
  const store = new InMemoryEventStore();
  await store.append(
    STREAM,
    [filed(), breached].map((e, i) => ({ type: e.type, data: e.data, metadata: meta(`seed-${i}`) })),
    'no_stream',
  );
  const command: DisputeCommand = {
    type: 'RecordInvestigationOverdue',
    data: { breachId: 'b-1' },
    context: { actor: SYSTEM, now: at(61) },
  };
  const results = await Promise.allSettled(
    Array.from({ length: 5 }, (_, i) => handleCommand(store, STREAM, disputeDecider, command, { metadata: () => meta(`instance-${i}`) })),
  );
  expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
  for (const r of results.filter((x): x is PromiseRejectedResult => x.status === 'rejected')) {
    expect(r.reason).toBeInstanceOf(DomainError);
    expect((r.reason as DomainError).message).toMatch(/already reported overdue/);
  }
  expect((await store.readStream(STREAM)).filter((e) => e.type === 'SlaInvestigationOverdue')).toHaveLength(1);
});
