import { DisputeEvent } from '../../disputes/domain/dispute.events';
import { DisputeState } from '../../disputes/domain/dispute.state';
import { evolve } from '../../disputes/domain/dispute.evolve';
import { BreachKind } from '../../sla/domain/breach-kinds';
import { breachRemedies, BreachRemedyType } from '../../sla/domain/breach-remedies';
import { disputeClocks } from '../../sla/domain/dispute-clocks';
import { PENALTY_RULES, penaltyMonth } from '../../sla/domain/penalties';
import { ladder, PenaltyAction, SubjectType } from '../../sla/domain/penalty-ladder';
import { SlaPolicy } from '../../sla/domain/sla-policy';

export interface SimulatedBreach {
  disputeId: string;
  clockKey: string;
  kind: BreachKind;
  dueAt: string;
  agent: string | null;
  department: string | null;
  /** First response only: how late the answer came (or still is), deciding the customer's remedy. */
  delayMs: number | null;
  /** The month the breach counts in for penalties (the business calendar's zone). */
  month: string;
}

/**
 * Replays one dispute's recorded events under a policy: between two events the state is fixed, so a running
 * clock whose due time falls before the next event (or `until`) was breached there. Pure; writes nothing.
 */
export function simulateBreaches(
  events: readonly DisputeEvent[],
  policyFor: (state: DisputeState) => SlaPolicy,
  until: string,
): SimulatedBreach[] {
  let state: DisputeState | null = null;
  const found = new Map<string, SimulatedBreach>();
  events.forEach((event, i) => {
    state = evolve(state, event);
    const next = i + 1 < events.length ? events[i + 1].data.at : until;
    for (const clock of disputeClocks(state, policyFor(state))) {
      if (!clock.running || clock.dueAt === null || clock.dueAt >= next || found.has(clock.key)) continue;
      found.set(clock.key, {
        disputeId: state.id,
        clockKey: clock.key,
        kind: clock.kind,
        dueAt: clock.dueAt,
        agent: state.assignee,
        department: state.department,
        delayMs: null,
        month: penaltyMonth(clock.dueAt, policyFor(state).businessCalendar),
      });
    }
    // A first response after its due time fixes the delay of that breach.
    const answered = state.firstResponse.respondedAt;
    const open = found.get(`first_response:${state.reopenings}`);
    if (open && open.delayMs === null && answered) open.delayMs = Date.parse(answered) - Date.parse(open.dueAt);
  });
  for (const b of found.values())
    if (b.kind === 'first_response' && b.delayMs === null) b.delayMs = Math.max(0, Date.parse(until) - Date.parse(b.dueAt));
  return [...found.values()];
}

export interface WhatIfSide {
  breaches: Record<BreachKind | 'total', number>;
  /** If every breach were confirmed: agent and department points deducted. */
  agentPoints: number;
  departmentPoints: number;
  /** Customer remedies first-response breaches would bring. */
  remedies: { apology: number; coupon: number; service_upgrade: number };
  /** Issue 14: the penalty actions the ladder (penalty-ladder.ts, as the real penalties) would bring. */
  penaltyActions: Partial<Record<PenaltyAction, number>>;
}

function summarize(breaches: SimulatedBreach[]): WhatIfSide {
  const count = (kind: BreachKind) => breaches.filter((b) => b.kind === kind).length;
  const first = breaches.filter((b) => b.kind === 'first_response');
  return {
    breaches: {
      first_response: count('first_response'),
      resolution: count('resolution'),
      payment: count('payment'),
      total: breaches.length,
    },
    agentPoints: breaches.filter((b) => b.agent).length * PENALTY_RULES.agent.points,
    departmentPoints: breaches.filter((b) => b.department).length * PENALTY_RULES.department.points,
    remedies: countRemedies(first),
    penaltyActions: { ...countActions(breaches, 'agent'), ...countActions(breaches, 'department') },
  };
}

/** Each subject's breaches of a month, in due order, folded by the same ladder as the real penalties. */
function countActions(breaches: readonly SimulatedBreach[], subjectType: SubjectType): Partial<Record<PenaltyAction, number>> {
  const groups = new Map<string, SimulatedBreach[]>();
  for (const b of breaches) {
    const subject = subjectType === 'agent' ? b.agent : b.department;
    if (!subject) continue;
    const key = `${subject}/${b.month}`;
    groups.set(key, [...(groups.get(key) ?? []), b]);
  }
  const counts: Partial<Record<PenaltyAction, number>> = {};
  for (const group of groups.values()) {
    const ordered = [...group].sort((a, b) => a.dueAt.localeCompare(b.dueAt));
    for (const { actions } of ladder(ordered, subjectType))
      for (const action of actions) if (action !== 'points_deducted') counts[action] = (counts[action] ?? 0) + 1;
  }
  return counts;
}

export interface WhatIfReport {
  disputes: number;
  until: string;
  current: WhatIfSide;
  proposed: WhatIfSide;
  onlyUnderCurrent: SimulatedBreach[];
  onlyUnderProposed: SimulatedBreach[];
}

/**
 * The what-if replay one dispute at a time (so a caller can yield, stop or time out between disputes):
 * each history is replayed under its recorded policy and under the proposed one.
 */
export class WhatIfAccumulator {
  private readonly current: SimulatedBreach[] = [];
  private readonly alternative: SimulatedBreach[] = [];
  private count = 0;

  constructor(
    private readonly recordedPolicy: (state: DisputeState) => SlaPolicy,
    private readonly proposed: SlaPolicy,
    private readonly until: string,
  ) {}

  add(events: readonly DisputeEvent[]): void {
    this.count++;
    this.current.push(...simulateBreaches(events, this.recordedPolicy, this.until));
    this.alternative.push(...simulateBreaches(events, () => this.proposed, this.until));
  }

  report(): WhatIfReport {
    const key = (b: SimulatedBreach) => `${b.disputeId}/${b.clockKey}`;
    const inCurrent = new Set(this.current.map(key));
    const inProposed = new Set(this.alternative.map(key));
    return {
      disputes: this.count,
      until: this.until,
      current: summarize(this.current),
      proposed: summarize(this.alternative),
      onlyUnderCurrent: this.current.filter((b) => !inProposed.has(key(b))).slice(0, 200),
      onlyUnderProposed: this.alternative.filter((b) => !inCurrent.has(key(b))).slice(0, 200),
    };
  }
}

/** Recorded history under each dispute's own policy against the same history under a proposed one. */
export function whatIf(
  histories: readonly (readonly DisputeEvent[])[],
  recordedPolicy: (state: DisputeState) => SlaPolicy,
  proposed: SlaPolicy,
  until: string,
): WhatIfReport {
  const replay = new WhatIfAccumulator(recordedPolicy, proposed, until);
  for (const events of histories) replay.add(events);
  return replay.report();
}

/** How many of each remedy these first-response breaches bring the customers (breach-remedies.ts). */
function countRemedies(breaches: readonly SimulatedBreach[]): Record<BreachRemedyType, number> {
  const counts: Record<BreachRemedyType, number> = { apology: 0, coupon: 0, service_upgrade: 0 };
  for (const breach of breaches) for (const remedy of breachRemedies(breach.delayMs ?? 0)) counts[remedy.type]++;
  return counts;
}
