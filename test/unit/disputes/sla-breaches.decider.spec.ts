import { DisputeEvent } from '../../../src/disputes/domain/dispute.events';
import { BREACH_REMEDY_THRESHOLD_MS } from '../../../src/sla/domain/breach-remedies';
import { given } from './dispute.spec-helper';
import { acknowledged, AGENT, at, cmd, ctx, DISPUTE, filed, SUPERVISOR } from './dispute.fixtures';

const SYSTEM = { id: 'sla-scheduler', roles: ['system' as const] };
const DUE = at(5);

const breached = (
  breachId = 'b-1',
  kind: 'first_response' | 'resolution' = 'first_response',
  clockKey = 'first_response:0',
): DisputeEvent => ({
  type: 'SlaBreached',
  data: {
    disputeId: DISPUTE,
    at: at(6),
    breachId,
    kind,
    clockKey,
    dueAt: DUE,
    detectedAt: at(6),
    source: 'automatic',
    assignee: null,
    department: null,
    proof: null,
    note: null,
  },
});
const record = (extra = {}) => ({
  breachId: 'b-1',
  kind: 'first_response' as const,
  clockKey: 'first_response:0',
  dueAt: DUE,
  source: 'automatic' as const,
  proof: null,
  ...extra,
});
const types = (events: DisputeEvent[]) => events.map((e) => e.type);

describe('recording a breach', () => {
  it('records the clock, who held the case and the proof', () => {
    given(filed())
      .when(cmd('RecordSlaBreach', record(), ctx(SYSTEM, 6)))
      .then([
        {
          type: 'SlaBreached',
          data: {
            disputeId: DISPUTE,
            at: at(6),
            breachId: 'b-1',
            kind: 'first_response',
            clockKey: 'first_response:0',
            dueAt: DUE,
            detectedAt: at(6),
            source: 'automatic',
            assignee: null,
            department: null,
            proof: null,
            note: null,
            investigationDueAt: null,
          },
        },
      ]);
  });

  it('records one breach per clock', () => {
    given(filed(), breached())
      .when(cmd('RecordSlaBreach', record({ breachId: 'b-2' }), ctx(SYSTEM, 7)))
      .thenRefused('conflict', /already has a breach/);
  });

  it('is for the system and supervisors only', () => {
    given(filed())
      .when(cmd('RecordSlaBreach', record(), ctx(AGENT, 6)))
      .thenRefused('forbidden');
  });
});

describe('confirming a breach', () => {
  it('issues an apology and a coupon for a first response up to 2 hours late, as entitlements', () => {
    const answered = acknowledged(5 + BREACH_REMEDY_THRESHOLD_MS / 60_000);
    given(filed(), breached(), answered)
      .when(cmd('ConfirmSlaBreach', { breachId: 'b-1', reason: 'checked' }, ctx(SUPERVISOR, 200)))
      .then((events) => {
        expect(types(events)).toEqual(['SlaBreachConfirmed', 'BreachRemedyIssued', 'BreachRemedyIssued']);
        expect(events[0].data).toMatchObject({ delayMs: BREACH_REMEDY_THRESHOLD_MS });
        expect(events.filter((e) => e.type === 'BreachRemedyIssued').map((e) => (e.data as { remedy: string }).remedy)).toEqual([
          'apology',
          'coupon',
        ]);
      });
  });

  it('adds a 3-month service upgrade beyond 2 hours', () => {
    given(filed(), breached())
      .when(cmd('ConfirmSlaBreach', { breachId: 'b-1', reason: 'checked' }, ctx(SUPERVISOR, 5 + 121)))
      .then((events) => {
        expect(events.filter((e) => e.type === 'BreachRemedyIssued').map((e) => (e.data as { remedyId: string }).remedyId)).toEqual([
          'b-1-apology',
          'b-1-coupon',
          'b-1-upgrade',
        ]);
      });
  });

  it('brings no customer remedy for a resolution breach', () => {
    given(filed(), breached('b-2', 'resolution', 'resolution:0'))
      .when(cmd('ConfirmSlaBreach', { breachId: 'b-2', reason: 'checked' }, ctx(SUPERVISOR, 30)))
      .then((events) => expect(types(events)).toEqual(['SlaBreachConfirmed']));
  });

  it('refuses an unknown breach (404) and a second confirmation', () => {
    given(filed(), breached())
      .when(cmd('ConfirmSlaBreach', { breachId: 'nope', reason: 'x' }, ctx(SUPERVISOR, 30)))
      .thenRefused('not_found');
    const confirmed = given(filed(), breached())
      .when(cmd('ConfirmSlaBreach', { breachId: 'b-1', reason: 'x' }, ctx(SUPERVISOR, 30)))
      .events();
    given(filed(), breached(), ...confirmed)
      .when(cmd('ConfirmSlaBreach', { breachId: 'b-1', reason: 'x' }, ctx(SUPERVISOR, 31)))
      .thenRefused('conflict', /already confirmed/);
  });
});

describe('exempting a breach', () => {
  it('says whether the breach had been confirmed (so penalties are reversed)', () => {
    const confirmed = given(filed(), breached())
      .when(cmd('ConfirmSlaBreach', { breachId: 'b-1', reason: 'x' }, ctx(SUPERVISOR, 30)))
      .events();
    given(filed(), breached(), ...confirmed)
      .when(cmd('ExemptSlaBreach', { breachId: 'b-1', reason: 'system outage' }, ctx(SUPERVISOR, 40)))
      .then(([e]) =>
        expect(e).toMatchObject({ type: 'SlaBreachExempted', data: { breachId: 'b-1', wasConfirmed: true, exemptedBy: SUPERVISOR.id } }),
      );
  });

  it('refuses a second exemption', () => {
    const exempted = given(filed(), breached())
      .when(cmd('ExemptSlaBreach', { breachId: 'b-1', reason: 'x' }, ctx(SUPERVISOR, 30)))
      .events();
    given(filed(), breached(), ...exempted)
      .when(cmd('ExemptSlaBreach', { breachId: 'b-1', reason: 'x' }, ctx(SUPERVISOR, 31)))
      .thenRefused('conflict', /already exempted/);
  });
});
