import { DisputeEvent } from '../../../src/disputes/domain/dispute.events';
import { disputeStatus } from '../../../src/disputes/domain/dispute.state';
import { foldDispute } from '../../../src/disputes/domain/dispute.evolve';
import { decide } from '../../../src/disputes/domain/dispute.decide';
import { disputeClocks } from '../../../src/sla/domain/dispute-clocks';
import { DEFAULT_SLA_POLICY } from '../../../src/sla/domain/sla-policy';
import { given } from './dispute.spec-helper';
import { acknowledged, AGENT, approved, at, closed, cmd, cny, ctx, DISPUTE, filed, proposed, SUPERVISOR } from './dispute.fixtures';

/** Issue 14: breach remedies are entitlements (never a payout, never blocking a stage); exemption revokes them. */
const SYSTEM = { id: 'sla-scheduler', roles: ['system' as const] };
const breached = (investigationDueAt: string | null = at(3 * 24 * 60)): DisputeEvent => ({
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
    assignee: 'agent-1',
    department: 'after-sales',
    proof: null,
    note: null,
    investigationDueAt,
  },
});
const confirm = (minutes = 30) =>
  cmd('ConfirmSlaBreach', { breachId: 'b-1', reason: 'the agent was in a meeting' }, ctx(SUPERVISOR, minutes));
const confirmedHistory = () => {
  const history = [filed(), breached(), acknowledged(20)];
  return [...history, ...decide(confirm(), foldDispute(history))];
};
/** The events schema 1 wrote for a confirmed breach's remedies (before issue 14). */
const legacyRemedies = (): DisputeEvent[] =>
  (['apology', 'coupon'] as const).flatMap((type) => [
    {
      type: 'CompensationProposed',
      data: {
        disputeId: DISPUTE,
        at: at(30),
        compensationId: `b-1-${type}`,
        type,
        amount: null,
        reason: `old ${type}`,
        basis: 'sla_breach',
        goodwill: false,
        eligibilityRule: 'confirmed first-response breach, 15 minutes late',
        customerFlagged: false,
        requiredApprover: 'agent',
        proposedBy: SUPERVISOR.id,
      },
    } as DisputeEvent,
    {
      type: 'CompensationApproved',
      data: { disputeId: DISPUTE, at: at(30), compensationId: `b-1-${type}`, approvedBy: SUPERVISOR.id, note: null, automatic: true },
    } as DisputeEvent,
  ]);

describe('confirming a first-response breach (issue 14)', () => {
  it('issues the remedies with their value and an apology draft naming the cause, never blaming the customer', () => {
    const events = confirmedHistory().slice(3);
    const [, apology, coupon] = events;
    expect(apology).toMatchObject({
      type: 'BreachRemedyIssued',
      data: { remedyId: 'b-1-apology', remedy: 'apology', assignee: 'agent-1', department: 'after-sales', apology: { channel: 'email' } },
    });
    const draft = (apology.data as { apology: { draft: string } }).apology.draft;
    expect(draft).toMatch(/the agent was in a meeting/);
    expect(draft).toMatch(/15 minutes late/);
    expect(draft).toMatch(/not yours/);
    expect(coupon).toMatchObject({ data: { remedy: 'coupon', coupon: { percent: 10, appliesTo: cny(19_900) } } });
  });

  it('blocks no stage and starts no payment clock: escalate, close, reopen all pass', () => {
    const history = confirmedHistory();
    const state = foldDispute(history)!;
    expect(disputeStatus(state)).toBe('open');
    expect(state.compensations).toEqual([]);
    expect(disputeClocks(state, DEFAULT_SLA_POLICY).filter((c) => c.kind === 'payment')).toEqual([]);
    const escalate = decide(cmd('EscalateDispute', { forum: 'mediation', institution: 'x', reason: 'y' }, ctx(AGENT, 40)), state);
    expect(escalate.map((e) => e.type)).toEqual(['DisputeEscalated']);
    const close = decide(cmd('CloseDispute', { resolution: 'done' }, ctx(AGENT, 40)), state);
    const reopen = decide(cmd('ReopenDispute', { reason: 'again' }, ctx(AGENT, 50)), foldDispute([...history, ...close])!);
    expect(reopen.map((e) => e.type)).toEqual(['DisputeReopened']);
  });

  it('lets the agent send the apology once, with channel and text', () => {
    const history = confirmedHistory();
    const send = cmd('SendApology', { remedyId: 'b-1-apology', channel: 'phone', text: 'We are sorry…' }, ctx(AGENT, 45));
    given(...history)
      .when(send)
      .then([
        {
          type: 'ApologySent',
          data: {
            disputeId: DISPUTE,
            at: at(45),
            remedyId: 'b-1-apology',
            breachId: 'b-1',
            channel: 'phone',
            text: 'We are sorry…',
            sentBy: AGENT.id,
          },
        },
      ]);
    const sent = decide(send, foldDispute(history));
    given(...history, ...sent)
      .when(send)
      .thenRefused('conflict', /already delivered/);
    given(...history)
      .when(cmd('SendApology', { remedyId: 'b-1-coupon', channel: 'phone', text: 'x' }, ctx(AGENT, 45)))
      .thenRefused('conflict', /not an apology/);
  });
});

describe('exempting a confirmed breach (issue 14)', () => {
  it('revokes every remedy its confirmation issued, with the reason', () => {
    given(...confirmedHistory())
      .when(cmd('ExemptSlaBreach', { breachId: 'b-1', reason: 'platform outage' }, ctx(SUPERVISOR, 60)))
      .then((events) => {
        expect(events.map((e) => [e.type, (e.data as { remedyId?: string }).remedyId])).toEqual([
          ['SlaBreachExempted', undefined],
          ['BreachRemedyRevoked', 'b-1-apology'],
          ['BreachRemedyRevoked', 'b-1-coupon'],
        ]);
        expect(events[1].data).toMatchObject({ reason: 'breach exempted: platform outage' });
      });
  });

  it('leaves an apology already sent as it is (it cannot be unsent)', () => {
    const history = confirmedHistory();
    const sent = decide(
      cmd('SendApology', { remedyId: 'b-1-apology', channel: 'email', text: 'sorry' }, ctx(AGENT, 45)),
      foldDispute(history),
    );
    given(...history, ...sent)
      .when(cmd('ExemptSlaBreach', { breachId: 'b-1', reason: 'outage' }, ctx(SUPERVISOR, 60)))
      .then((events) =>
        expect(events.filter((e) => e.type === 'BreachRemedyRevoked').map((e) => e.data)).toMatchObject([{ remedyId: 'b-1-coupon' }]),
      );
  });

  it('refuses to send a revoked apology', () => {
    const history = confirmedHistory();
    const exempted = decide(cmd('ExemptSlaBreach', { breachId: 'b-1', reason: 'outage' }, ctx(SUPERVISOR, 60)), foldDispute(history));
    given(...history, ...exempted)
      .when(cmd('SendApology', { remedyId: 'b-1-apology', channel: 'email', text: 'sorry' }, ctx(AGENT, 61)))
      .thenRefused('conflict', /revoked/);
  });
});

describe('schema 1 breach remedies (approved compensations with basis sla_breach) still replay', () => {
  it('as issued entitlements: no awaiting payment, no payment clock, revoked on exemption', () => {
    const history = [filed(), breached(null), acknowledged(20), ...legacyRemedies()];
    const state = foldDispute(history)!;
    expect(disputeStatus(state)).toBe('open');
    expect(state.compensations).toEqual([]);
    expect(state.remedies!.map((r) => [r.remedyId, r.type, r.status])).toEqual([
      ['b-1-apology', 'apology', 'issued'],
      ['b-1-coupon', 'coupon', 'issued'],
    ]);
    expect(disputeClocks(state, DEFAULT_SLA_POLICY).some((c) => c.kind === 'payment')).toBe(false);
    given(...history)
      .when(cmd('ExemptSlaBreach', { breachId: 'b-1', reason: 'outage' }, ctx(SUPERVISOR, 60)))
      .then((events) => expect(events.filter((e) => e.type === 'BreachRemedyRevoked')).toHaveLength(2));
  });
});

describe('a compensation the customer never accepted (issue 14)', () => {
  it('does not stop the customer from escalating', () => {
    given(filed(), proposed('k-1', 5_000), approved('k-1'))
      .when(cmd('EscalateDispute', { forum: 'mediation', institution: 'x', reason: 'merchant never answered' }, ctx(AGENT, 40)))
      .then((events) => expect(events.map((e) => e.type)).toEqual(['DisputeEscalated']));
  });
});

describe('the investigation deadline (issue 14)', () => {
  const overdue = (minutes: number) => cmd('RecordInvestigationOverdue', { breachId: 'b-1' }, ctx(SYSTEM, minutes));
  const DUE = 3 * 24 * 60;
  it('is reported once the deadline passed, once', () => {
    given(filed(), breached())
      .when(overdue(DUE + 1))
      .then([{ type: 'SlaInvestigationOverdue', data: { disputeId: DISPUTE, at: at(DUE + 1), breachId: 'b-1', dueAt: at(DUE) } }]);
    const first = decide(overdue(DUE + 1), foldDispute([filed(), breached()]));
    given(filed(), breached(), ...first)
      .when(overdue(DUE + 2))
      .thenRefused('conflict', /already reported/);
  });

  it('is not reported before the deadline, nor after a decision', () => {
    given(filed(), breached())
      .when(overdue(DUE - 1))
      .thenRefused('conflict', /not overdue/);
    given(...confirmedHistory())
      .when(overdue(DUE + 1))
      .thenRefused('conflict', /already confirmed/);
  });

  it('is the scheduler’s alone', () => {
    given(filed(), breached())
      .when(cmd('RecordInvestigationOverdue', { breachId: 'b-1' }, ctx(SUPERVISOR, DUE + 1)))
      .thenRefused('forbidden');
  });
});

it('a closed case still takes its remedies (closed, then confirmed)', () => {
  const history = [filed(), breached(), acknowledged(20), closed(25)];
  const events = decide(confirm(30), foldDispute(history));
  expect(events.map((e) => e.type)).toEqual(['SlaBreachConfirmed', 'BreachRemedyIssued', 'BreachRemedyIssued']);
  expect(foldDispute([...history, ...events])!.base).toBe('closed');
});

describe('money for a material loss (issue 14)', () => {
  const loss = (minutes: number) =>
    cmd(
      'ProposeCompensation',
      {
        compensationId: 'k-loss',
        type: 'compensation',
        amount: cny(5_000),
        reason: 'lost a day of work',
        breachId: 'b-1',
        recentCompensatedDisputes: 0,
      },
      ctx(AGENT, minutes),
    );
  it('stays a normal compensation, linked to the confirmed breach', () => {
    given(...confirmedHistory())
      .when(loss(50))
      .then((events) =>
        expect(events[0]).toMatchObject({ type: 'CompensationProposed', data: { basis: 'proposal', breachId: 'b-1', amount: cny(5_000) } }),
      );
  });

  it('is refused for a breach not confirmed (409) or unknown (404)', () => {
    given(filed(), breached(), acknowledged(20))
      .when(loss(50))
      .thenRefused('conflict', /only a confirmed breach/);
    given(filed(), acknowledged(20)).when(loss(50)).thenRefused('not_found');
  });
});
