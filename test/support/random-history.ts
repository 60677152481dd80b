import { decide } from '../../src/disputes/domain/dispute.decide';
import { DisputeCommand } from '../../src/disputes/domain/dispute.commands';
import { DomainError } from '../../src/shared/errors';
import { DisputeState } from '../../src/disputes/domain/dispute.state';
import { evolve } from '../../src/disputes/domain/dispute.evolve';
import { CATEGORIES, CHANNELS } from '../../src/disputes/domain/dispute.types';
import { Actor, Role } from '../../src/shared/actor';
import { EventStore } from '../../src/shared/event-sourcing/event-store.port';
import { prng as seededRandom } from '../../src/shared/prng';

/** The seeded PRNG with helpers, so a failing history can be replayed. */
export function prng(seed: number) {
  const next = seededRandom(seed);
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)],
    chance: (p: number) => next() < p,
  };
}

const ROLES: Role[] = ['agent', 'agent', 'agent', 'supervisor', 'manager'];

/**
 * Appends a random but valid history: commands are drawn at random, decided by the real decider, and only
 * accepted ones are appended (refusals are part of the randomness). Returns the number of applied commands.
 */
export async function writeRandomHistory(
  store: EventStore,
  options: { commands: number; seed?: number; start?: string; onAppended?: () => void },
): Promise<{ applied: number; disputes: number }> {
  const r = prng(options.seed ?? 42);
  const states = new Map<string, DisputeState>();
  let clock = Date.parse(options.start ?? '2026-01-05T01:00:00.000Z');
  let applied = 0;
  let sequence = 0;
  while (applied < options.commands) {
    clock += r.int(90) * 60_000;
    const now = new Date(clock).toISOString();
    const role = r.pick(ROLES);
    const actor: Actor = { id: `${role}-${r.int(6)}`, roles: [role], department: `dept-${r.int(3)}` };
    const ids = [...states.keys()];
    const fileNew = ids.length < 5 || r.chance(0.12);
    const id = fileNew ? `d-${options.seed ?? 42}-${ids.length}` : r.pick(ids);
    const state = states.get(id) ?? null;
    const command = fileNew ? fileCommand(id, now, actor, r) : otherCommand(state!, now, actor, r, `${sequence++}`);
    let events;
    try {
      events = decide(command, state);
    } catch (error) {
      if (error instanceof DomainError) continue;
      throw error;
    }
    await store.append(
      `dispute-${id}`,
      events.map((e) => ({
        type: e.type,
        data: e.data as unknown as Record<string, unknown>,
        occurredAt: now,
        metadata: {
          actorId: actor.id,
          actorRoles: actor.roles,
          commandId: `c-${sequence++}`,
          correlationId: 'random',
          causationId: null,
          policyVersion: 1,
          schemaVersion: 1,
        },
      })),
      state === null ? 'no_stream' : state.version - 1,
    );
    states.set(id, events.reduce<DisputeState | null>(evolve, state)!);
    applied++;
    options.onAppended?.();
  }
  return { applied, disputes: states.size };
}

function fileCommand(id: string, now: string, actor: Actor, r: ReturnType<typeof prng>): DisputeCommand {
  const purchased = Date.parse(now) - r.int(40) * 86_400_000;
  return {
    type: 'FileDispute',
    context: { actor: { ...actor, roles: ['agent'] }, now },
    data: {
      disputeId: id,
      customerId: `cust-${r.int(30)}`,
      orderId: `order-${r.int(50)}`,
      productSku: `sku-${r.int(5)}`,
      channel: r.pick(CHANNELS),
      category: r.pick(CATEGORIES),
      description: 'random',
      purchasedAt: new Date(purchased).toISOString(),
      deliveredAt: r.chance(0.7) ? new Date(purchased + 86_400_000).toISOString() : undefined,
      requestedRemedy: r.pick(['refund', 'exchange', 'repair', 'compensation'] as const),
      amountClaimed: { amount: 1000 + r.int(90_000), currency: 'CNY' },
      proofOfPurchase: r.chance(0.8),
      defectCode: r.chance(0.5) ? `DEF-${r.int(3)}` : undefined,
      itemIntact: r.chance(0.5),
      priority: r.pick(['low', 'normal', 'high', 'urgent'] as const),
      earlierSameDefectDisputes: r.int(2),
    },
  };
}

function otherCommand(state: DisputeState, now: string, actor: Actor, r: ReturnType<typeof prng>, seq: string): DisputeCommand {
  const context = { actor, now };
  const money = () => ({ amount: 500 + r.int(80_000), currency: 'CNY' as const });
  const comp = state.compensations.length ? r.pick(state.compensations).compensationId : 'none';
  const history = { compensationId: `k-${state.id}-${seq}`, recentCompensatedDisputes: r.int(4) };
  switch (r.int(14)) {
    case 0:
      return {
        type: 'AcknowledgeDispute',
        context,
        data: { message: 'hello', respondedAt: r.chance(0.3) ? state.firstResponse.startedAt : undefined },
      };
    case 1:
      return {
        type: 'AssignDispute',
        context,
        data: { agentId: r.chance(0.5) ? actor.id : `agent-${r.int(6)}`, department: `dept-${r.int(3)}` },
      };
    case 2:
      return {
        type: 'NegotiateDispute',
        context,
        data: {
          action: r.pick(['offer', 'counter', 'accept', 'reject'] as const),
          party: r.pick(['merchant', 'customer'] as const),
          remedy: r.pick(['refund', 'coupon', 'exchange'] as const),
          amount: money(),
          ...history,
        },
      };
    case 3:
      return {
        type: 'EscalateDispute',
        context,
        data: { forum: r.pick(['mediation', 'arbitration', 'litigation'] as const), institution: 'inst', reason: 'r' },
      };
    case 4:
      return {
        type: 'RecordOutcome',
        context,
        data: {
          forum: r.pick(['mediation', 'arbitration', 'litigation'] as const),
          result: r.pick(['settled', 'failed', 'award', 'judgment', 'dismissed'] as const),
          amount: r.chance(0.7) ? money() : undefined,
          ...history,
        },
      };
    case 5:
    case 6:
      return {
        type: 'ProposeCompensation',
        context,
        data: { type: r.pick(['refund', 'coupon', 'compensation', 'exchange', 'gift'] as const), amount: money(), reason: 'r', ...history },
      };
    case 7:
      return { type: 'ApproveCompensation', context, data: { compensationId: comp } };
    case 8:
      return { type: 'PayCompensation', context, data: { compensationId: comp, payout: { payoutId: `p-${comp}` } } };
    case 9:
      return { type: 'RejectDispute', context, data: { reason: 'r' } };
    case 10:
      return { type: 'CloseDispute', context, data: { resolution: 'done' } };
    case 11:
      return { type: 'ReopenDispute', context, data: { reason: 'again' } };
    case 12:
      return { type: 'RecordFeedback', context, data: { score: 1 + r.int(5) } };
    default:
      return r.chance(0.5)
        ? { type: 'WithdrawDispute', context, data: { reason: 'r' } }
        : { type: 'DeclineCompensation', context, data: { compensationId: comp, reason: 'r' } };
  }
}
