import { allowedActions } from '../../../src/disputes/domain/dispute.decide';
import { DisputeEvent } from '../../../src/disputes/domain/dispute.events';
import { disputeStatus } from '../../../src/disputes/domain/dispute.state';
import { foldDispute } from '../../../src/disputes/domain/dispute.evolve';
import { given } from './dispute.spec-helper';
import {
  acknowledged,
  actor,
  AGENT,
  approved,
  at,
  closed,
  cmd,
  cny,
  compensated,
  ctx,
  customerOffer,
  days,
  DISPUTE,
  escalated,
  filed,
  MANAGER,
  paid,
  proposed,
  rejected,
  SUPERVISOR,
} from './dispute.fixtures';

const fileData = {
  disputeId: DISPUTE,
  customerId: 'c-1',
  orderId: 'o-1',
  productSku: 'sku-1',
  channel: 'email' as const,
  category: 'quality_defect' as const,
  description: 'the kettle leaks',
  purchasedAt: '2026-02-25T00:00:00.000Z',
  requestedRemedy: 'refund' as const,
  earlierSameDefectDisputes: 0,
};
const negotiation = (action: 'offer' | 'counter' | 'accept' | 'reject', party: 'merchant' | 'customer', extra = {}) => ({
  action,
  party,
  compensationId: 'k-1',
  recentCompensatedDisputes: 0,
  ...extra,
});
const propose = (amount: number | undefined, type: 'refund' | 'exchange' | 'coupon' | 'repair' | 'return' = 'refund', extra = {}) => ({
  compensationId: 'k-2',
  type,
  amount: amount === undefined ? undefined : cny(amount),
  reason: 'defect',
  recentCompensatedDisputes: 0,
  ...extra,
});
const outcome = (forum: 'mediation' | 'arbitration' | 'litigation', result: string, amount?: number) => ({
  forum,
  result: result as 'settled',
  amount: amount === undefined ? undefined : cny(amount),
  compensationId: 'k-9',
  recentCompensatedDisputes: 0,
});
const types = (events: DisputeEvent[]) => events.map((e) => e.type);

describe('filing', () => {
  it('records the filing with defaults and the playbook remedy', () => {
    given()
      .when(cmd('FileDispute', fileData, ctx(AGENT, 0)))
      .then(([e]) => {
        expect(e).toMatchObject({
          type: 'DisputeFiled',
          data: { disputeId: DISPUTE, priority: 'normal', proofOfPurchase: false, repeatDefect: false, deliveredAt: null, at: at(0) },
        });
        expect((e.data as { suggestedRemedy: string }).suggestedRemedy).toMatch(/return or exchange/);
      });
  });
  it('marks a repeated defect on the same order line, suggesting a full refund', () => {
    given()
      .when(cmd('FileDispute', { ...fileData, defectCode: 'LEAK', earlierSameDefectDisputes: 1 }))
      .then(([e]) => expect(e.data).toMatchObject({ repeatDefect: true, suggestedRemedy: expect.stringMatching(/full refund/) }));
  });
  it('refuses a second filing on the same stream', () =>
    given(filed())
      .when(cmd('FileDispute', fileData))
      .thenRefused('conflict', /already exists/));
  it('refuses a purchase in the future', () =>
    given()
      .when(cmd('FileDispute', { ...fileData, purchasedAt: at(60) }, ctx(AGENT, 0)))
      .thenRefused('invalid', /purchasedAt/));
  it('refuses a delivery before the purchase', () =>
    given()
      .when(cmd('FileDispute', { ...fileData, deliveredAt: '2026-02-20T00:00:00.000Z' }))
      .thenRefused('invalid', /deliveredAt/));
  it('refuses roles that may not file', () =>
    given()
      .when(cmd('FileDispute', fileData, ctx(actor('auditor'))))
      .thenRefused('forbidden'));
});

describe('acknowledgement', () => {
  it('stops the first-response clock at respondedAt and keeps the recording time', () => {
    given(filed())
      .when(cmd('AcknowledgeDispute', { message: 'sorry', respondedAt: at(3) }, ctx(AGENT, 30)))
      .then([
        {
          type: 'DisputeAcknowledged',
          data: {
            disputeId: DISPUTE,
            at: at(30),
            message: 'sorry',
            complex: false,
            estimatedResolutionAt: null,
            plan: null,
            respondedAt: at(3),
          },
        },
      ]);
  });
  it('refuses a second acknowledgement', () =>
    given(filed(), acknowledged())
      .when(cmd('AcknowledgeDispute', { message: 'hi' }))
      .thenRefused('conflict', /already/));
  it('refuses a response before filing', () =>
    given(filed())
      .when(cmd('AcknowledgeDispute', { message: 'x', respondedAt: at(-5) }))
      .thenRefused('invalid', /before/));
  it('refuses a response in the future', () =>
    given(filed())
      .when(cmd('AcknowledgeDispute', { message: 'x', respondedAt: at(500) }))
      .thenRefused('invalid', /future/));
  it('refuses a complex acknowledgement without expected time and process', () =>
    given(filed())
      .when(cmd('AcknowledgeDispute', { message: 'x', complex: true, plan: 'lab test' }))
      .thenRefused('invalid', /expected resolution time/));
  it('accepts a complex acknowledgement with expected time and process', () =>
    given(filed())
      .when(cmd('AcknowledgeDispute', { message: 'x', complex: true, plan: 'lab test', estimatedResolutionAt: at(days(5)) }))
      .then(([e]) => expect(e.data).toMatchObject({ complex: true, plan: 'lab test' })));
  it('refuses an acknowledgement of a closed dispute', () =>
    given(filed(), closed())
      .when(cmd('AcknowledgeDispute', { message: 'x' }, ctx(AGENT, 60)))
      .thenRefused('conflict'));
});

describe('assignment', () => {
  it('lets an agent take an unassigned dispute', () =>
    given(filed())
      .when(cmd('AssignDispute', { agentId: 'agent-1', department: 'after-sales' }))
      .then(([e]) => expect(e.type).toBe('DisputeAssigned')));
  it('refuses an agent taking a dispute into another department', () =>
    given(filed())
      .when(cmd('AssignDispute', { agentId: 'agent-1', department: 'd1' }))
      .thenRefused('forbidden', /own department/));
  it('refuses an agent assigning someone else', () =>
    given(filed())
      .when(cmd('AssignDispute', { agentId: 'agent-2', department: 'after-sales' }))
      .thenRefused('forbidden'));
  it('refuses an agent reassigning an assigned dispute', () => {
    const assigned: DisputeEvent = {
      type: 'DisputeAssigned',
      data: { disputeId: DISPUTE, at: at(1), agentId: 'agent-2', department: 'after-sales', previousAgentId: null },
    };
    given(filed(), assigned)
      .when(cmd('AssignDispute', { agentId: 'agent-1', department: 'after-sales' }))
      .thenRefused('forbidden');
  });
  it('lets a supervisor assign anyone within the department', () =>
    given(filed())
      .when(cmd('AssignDispute', { agentId: 'agent-7', department: 'after-sales' }, ctx(SUPERVISOR)))
      .then(([e]) => expect(e.data).toMatchObject({ agentId: 'agent-7' })));
  it('refuses a supervisor assigning into another department', () =>
    given(filed())
      .when(cmd('AssignDispute', { agentId: 'agent-7', department: 'd2' }, ctx(SUPERVISOR)))
      .thenRefused('forbidden', /own department/));
});

describe('negotiation', () => {
  it('needs an acknowledgement first', () =>
    given(filed())
      .when(cmd('NegotiateDispute', negotiation('offer', 'merchant', { remedy: 'coupon' })))
      .thenRefused('conflict', /acknowledge/));
  it('needs a remedy for an offer', () =>
    given(filed(), acknowledged())
      .when(cmd('NegotiateDispute', negotiation('offer', 'merchant')))
      .thenRefused('invalid', /remedy/));
  it('needs an amount for a refund offer', () =>
    given(filed(), acknowledged())
      .when(cmd('NegotiateDispute', negotiation('offer', 'merchant', { remedy: 'refund' })))
      .thenRefused('invalid', /amount/));
  it('cannot counter without an open offer', () =>
    given(filed(), acknowledged())
      .when(cmd('NegotiateDispute', negotiation('counter', 'merchant', { remedy: 'coupon' })))
      .thenRefused('conflict', /no open offer/));
  it('cannot accept its own offer', () =>
    given(filed(), acknowledged(), customerOffer(15_000))
      .when(cmd('NegotiateDispute', negotiation('accept', 'customer')))
      .thenRefused('conflict', /own offer/));
  it('turns an accepted offer within the agent limit into an approved compensation', () =>
    given(filed(), acknowledged(), customerOffer(15_000))
      .when(cmd('NegotiateDispute', negotiation('accept', 'merchant')))
      .then((events) => {
        expect(types(events)).toEqual(['DisputeNegotiated', 'CompensationProposed', 'CompensationApproved']);
        expect(events[1].data).toMatchObject({ basis: 'negotiation', amount: cny(15_000), compensationId: 'k-1' });
      }));
  it('sends an accepted offer above the agent limit for approval', () =>
    given(filed(), acknowledged(), customerOffer(50_000))
      .when(cmd('NegotiateDispute', negotiation('accept', 'merchant')))
      .then((events) => expect(types(events)).toEqual(['DisputeNegotiated', 'CompensationProposed'])));
  it('records a counter-offer and keeps the history typed', () => {
    const events = given(filed(), acknowledged(), customerOffer(50_000))
      .when(cmd('NegotiateDispute', negotiation('counter', 'merchant', { remedy: 'refund', amount: cny(10_000) })))
      .events();
    expect(events).toHaveLength(1);
    const state = foldDispute([filed(), acknowledged(), customerOffer(50_000), ...events])!;
    expect(state.offers.map((o) => [o.action, o.party, o.amount?.amount])).toEqual([
      ['offer', 'customer', 50_000],
      ['counter', 'merchant', 10_000],
    ]);
  });
  it('ends when the dispute is escalated', () =>
    given(filed(), acknowledged(), escalated('mediation'))
      .when(cmd('NegotiateDispute', negotiation('offer', 'merchant', { remedy: 'coupon' })))
      .thenRefused('conflict', /mediation/));
});

describe('escalation ladder', () => {
  it('lets a customer escalate without any acknowledgement', () =>
    given(filed())
      .when(cmd('EscalateDispute', { forum: 'mediation', institution: 'platform', reason: 'no answer' }))
      .then(([e]) => expect(e.type).toBe('DisputeEscalated')));
  it('may skip rungs', () =>
    given(filed())
      .when(cmd('EscalateDispute', { forum: 'litigation', institution: 'court', reason: 'no arbitration agreement' }))
      .then((e) => expect(e).toHaveLength(1)));
  it('never revisits a rung', () =>
    given(filed(), escalated('arbitration'))
      .when(cmd('EscalateDispute', { forum: 'mediation', institution: 'x', reason: 'y' }))
      .thenRefused('conflict', /up the ladder/));
  it('stops at litigation', () =>
    given(filed(), escalated('litigation'))
      .when(cmd('EscalateDispute', { forum: 'litigation', institution: 'x', reason: 'y' }))
      .thenRefused('conflict', /last rung/));
  it('is open for 15 days after a rejection', () =>
    given(filed(), rejected(20))
      .when(cmd('EscalateDispute', { forum: 'mediation', institution: 'association', reason: 'disagree' }, ctx(AGENT, 20 + days(14))))
      .then((e) => expect(foldDispute([filed(), rejected(20), ...e])!.base).toBe('open')));
  it('is closed after those 15 days', () =>
    given(filed(), rejected(20))
      .when(cmd('EscalateDispute', { forum: 'mediation', institution: 'association', reason: 'disagree' }, ctx(AGENT, 20 + days(16))))
      .thenRefused('conflict', /escalation window/));
  it('is refused once the dispute is closed', () =>
    given(filed(), closed())
      .when(cmd('EscalateDispute', { forum: 'mediation', institution: 'x', reason: 'y' }, ctx(AGENT, 60)))
      .thenRefused('conflict'));
});

describe('third-party outcomes', () => {
  it('need a pending forum', () =>
    given(filed())
      .when(cmd('RecordOutcome', outcome('mediation', 'failed')))
      .thenRefused('conflict', /pending/));
  it('must name the pending forum', () =>
    given(filed(), escalated('mediation'))
      .when(cmd('RecordOutcome', outcome('arbitration', 'award', 0)))
      .thenRefused('conflict', /before mediation/));
  it('must fit the forum', () =>
    given(filed(), escalated('mediation'))
      .when(cmd('RecordOutcome', outcome('mediation', 'award', 5)))
      .thenRefused('invalid', /settled or failed/));
  it('an award needs an amount', () =>
    given(filed(), escalated('arbitration'))
      .when(cmd('RecordOutcome', outcome('arbitration', 'award')))
      .thenRefused('invalid', /amount/));
  it('a failed mediation has no amount', () =>
    given(filed(), escalated('mediation'))
      .when(cmd('RecordOutcome', outcome('mediation', 'failed', 5)))
      .thenRefused('invalid'));
  it('an award of 0 agrees nothing', () =>
    given(filed(), escalated('arbitration'))
      .when(cmd('RecordOutcome', outcome('arbitration', 'award', 0)))
      .then((e) => expect(types(e)).toEqual(['DisputeArbitrated'])));
  it("an award within the recorder's authority is approved at once, whatever the window", () =>
    given(filed(), escalated('arbitration'))
      .when(cmd('RecordOutcome', outcome('arbitration', 'award', 15_000), ctx(AGENT, days(200))))
      .then((e) => expect(types(e)).toEqual(['DisputeArbitrated', 'CompensationProposed', 'CompensationApproved'])));
  it("an award above the recorder's authority waits for a role whose limit covers it (issue 12)", () =>
    given(filed(), escalated('arbitration'))
      .when(cmd('RecordOutcome', outcome('arbitration', 'award', 10_000_000_000)))
      .then((e) => {
        expect(types(e)).toEqual(['DisputeArbitrated', 'CompensationProposed']);
        expect(e[1].data).toMatchObject({ requiredApprover: 'manager', basis: 'arbitration' });
      }));
  it("a judgment above the recorder's authority waits too, even for a supervisor", () =>
    given(filed(), escalated('litigation'))
      .when(cmd('RecordOutcome', outcome('litigation', 'judgment', 70_000), ctx(SUPERVISOR)))
      .then((e) => {
        expect(types(e)).toEqual(['DisputeLitigated', 'CompensationProposed']);
        expect(e[1].data).toMatchObject({ requiredApprover: 'manager', basis: 'litigation' });
      }));
  it('a dismissed judgment agrees nothing', () =>
    given(filed(), escalated('litigation'))
      .when(cmd('RecordOutcome', outcome('litigation', 'dismissed')))
      .then((e) => expect(types(e)).toEqual(['DisputeLitigated'])));
  it("a settled mediation is bound by the recorder's authority", () =>
    given(filed(), escalated('mediation'))
      .when(cmd('RecordOutcome', outcome('mediation', 'settled', 30_000)))
      .then((e) => {
        expect(types(e)).toEqual(['DisputeMediated', 'CompensationProposed']);
        expect(e[1].data).toMatchObject({ requiredApprover: 'supervisor' });
      }));
});

describe('compensation: eligibility windows', () => {
  const base = [filed(), acknowledged()];
  const proposal = (events: DisputeEvent[]) => events[0].data as { goodwill: boolean; requiredApprover: string };
  it('approves a refund within 7 days of delivery at agent level', () =>
    given(...base)
      .when(cmd('ProposeCompensation', propose(10_000), ctx(AGENT, days(3))))
      .then((e) => expect(types(e)).toEqual(['CompensationProposed', 'CompensationApproved'])));
  it('treats a refund after 7 days as goodwill needing a supervisor', () =>
    given(...base)
      .when(cmd('ProposeCompensation', propose(10_000), ctx(AGENT, days(10))))
      .then((e) => {
        expect(types(e)).toEqual(['CompensationProposed']);
        expect(proposal(e)).toMatchObject({ goodwill: true, requiredApprover: 'supervisor' });
      }));
  it('allows an exchange within 30 days', () =>
    given(...base)
      .when(cmd('ProposeCompensation', propose(undefined, 'exchange'), ctx(AGENT, days(20))))
      .then((e) => expect(proposal(e).goodwill).toBe(false)));
  it('treats a missing proof of purchase as goodwill', () =>
    given(filed({ proofOfPurchase: false }), acknowledged())
      .when(cmd('ProposeCompensation', propose(10_000)))
      .then((e) => expect(proposal(e).goodwill).toBe(true)));
  it('needs an intact item for a no-reason return', () =>
    given(filed({ category: 'changed_mind', itemIntact: false }), acknowledged())
      .when(cmd('ProposeCompensation', propose(undefined, 'return')))
      .then((e) => expect(proposal(e).goodwill).toBe(true)));
  it('allows a no-reason return of an intact item within 7 days', () =>
    given(filed({ category: 'changed_mind', itemIntact: true }), acknowledged())
      .when(cmd('ProposeCompensation', propose(undefined, 'return')))
      .then((e) => expect(proposal(e).goodwill).toBe(false)));
  it('refunds a repeated defect at any time', () =>
    given(filed({ repeatDefect: true }), acknowledged())
      .when(cmd('ProposeCompensation', propose(10_000), ctx(AGENT, days(200))))
      .then((e) => expect(proposal(e).goodwill).toBe(false)));
  it('refuses any remedy for misuse', () =>
    given(filed({ category: 'misuse' }), acknowledged())
      .when(cmd('ProposeCompensation', propose(1_000, 'coupon')))
      .thenRefused('conflict', /misuse/));
  it('needs an amount for a refund', () =>
    given(...base)
      .when(cmd('ProposeCompensation', propose(undefined)))
      .thenRefused('invalid', /amount/));
});

describe('compensation: authority and abuse control', () => {
  const base = [filed(), acknowledged()];
  const required = (e: DisputeEvent[]) => (e[0].data as { requiredApprover: string }).requiredApprover;
  it('lets an agent grant exactly 200.00', () =>
    given(...base)
      .when(cmd('ProposeCompensation', propose(20_000)))
      .then((e) => expect(e).toHaveLength(2)));
  it('sends 200.01 to a supervisor', () =>
    given(...base)
      .when(cmd('ProposeCompensation', propose(20_001)))
      .then((e) => expect(required(e)).toBe('supervisor')));
  it('sends 600.01 to a manager, even from a supervisor', () =>
    given(...base)
      .when(cmd('ProposeCompensation', propose(60_001), ctx(SUPERVISOR)))
      .then((e) => {
        expect(e).toHaveLength(1);
        expect(required(e)).toBe('manager');
      }));
  it('counts the limit per dispute, not per compensation', () =>
    given(...base, proposed('k-1', 15_000), approved('k-1'))
      .when(cmd('ProposeCompensation', propose(10_000)))
      .then((e) => expect(required(e)).toBe('supervisor')));
  it('lets a manager grant any amount', () =>
    given(...base)
      .when(cmd('ProposeCompensation', propose(900_000), ctx(MANAGER)))
      .then((e) => expect(e).toHaveLength(2)));
  it('sends any compensation of a flagged customer to a supervisor', () =>
    given(...base)
      .when(cmd('ProposeCompensation', propose(1_000, 'coupon', { recentCompensatedDisputes: 3 })))
      .then((e) => {
        expect(required(e)).toBe('supervisor');
        expect(e[0].data).toMatchObject({ customerFlagged: true });
      }));
  it('does not flag a customer with 2 compensated disputes', () =>
    given(...base)
      .when(cmd('ProposeCompensation', propose(1_000, 'coupon', { recentCompensatedDisputes: 2 })))
      .then((e) => expect(e).toHaveLength(2)));
  it('refuses analysts', () =>
    given(...base)
      .when(cmd('ProposeCompensation', propose(1_000), ctx(actor('analyst'))))
      .thenRefused('forbidden'));
});

describe('approval and payment', () => {
  const pendingSupervisor = [filed(), acknowledged(), proposed('k-1', 30_000, 'supervisor')];
  it('lets a supervisor approve within the limit', () =>
    given(...pendingSupervisor)
      .when(cmd('ApproveCompensation', { compensationId: 'k-1' }, ctx(SUPERVISOR)))
      .then(([e]) => expect(e).toMatchObject({ type: 'CompensationApproved', data: { approvedBy: 'supervisor-1', automatic: false } })));
  it('refuses a supervisor approving above the limit', () =>
    given(filed(), proposed('k-1', 70_000, 'manager'))
      .when(cmd('ApproveCompensation', { compensationId: 'k-1' }, ctx(SUPERVISOR)))
      .thenRefused('forbidden'));
  it('refuses agents approving', () =>
    given(...pendingSupervisor)
      .when(cmd('ApproveCompensation', { compensationId: 'k-1' }))
      .thenRefused('forbidden'));
  it('answers 404 for an unknown compensation', () =>
    given(...pendingSupervisor)
      .when(cmd('ApproveCompensation', { compensationId: 'nope' }, ctx(SUPERVISOR)))
      .thenRefused('not_found'));
  it('refuses paying a compensation awaiting approval', () =>
    given(...pendingSupervisor, proposed('k-2', 100), approved('k-2'))
      .when(cmd('PayCompensation', { compensationId: 'k-1', payout: { payoutId: 'p' } }))
      .thenRefused('conflict', /awaits approval/));
  it('pays and marks the dispute compensated once nothing is left unpaid', () =>
    given(filed(), proposed('k-1', 10_000), approved('k-1'))
      .when(cmd('PayCompensation', { compensationId: 'k-1', payout: { payoutId: 'p-1' } }))
      .then((e) => {
        expect(types(e)).toEqual(['CompensationPaid', 'DisputeCompensated']);
        expect(e[1].data).toMatchObject({ customerId: 'c-1', totalPaid: cny(10_000) });
      }));
  it('keeps waiting while another compensation is unpaid', () =>
    given(filed(), proposed('k-1', 10_000), approved('k-1'), proposed('k-2', 5_000), approved('k-2'))
      .when(cmd('PayCompensation', { compensationId: 'k-1', payout: { payoutId: 'p-1' } }))
      .then((e) => expect(types(e)).toEqual(['CompensationPaid'])));
  it('never pays twice', () =>
    given(filed(), proposed('k-1', 10_000), approved('k-1'), paid('k-1', 10_000), proposed('k-2', 5_000), approved('k-2'))
      .when(cmd('PayCompensation', { compensationId: 'k-1', payout: { payoutId: 'p-1' } }))
      .thenRefused('conflict', /already paid/));
  it('lets a supervisor decline a pending compensation, which then stops blocking', () => {
    const events = given(...pendingSupervisor)
      .when(cmd('DeclineCompensation', { compensationId: 'k-1', reason: 'no' }, ctx(SUPERVISOR)))
      .events();
    expect(types(events)).toEqual(['CompensationDeclined']);
    expect(disputeStatus(foldDispute([...pendingSupervisor, ...events])!)).toBe('open');
  });
});

describe('rejection, withdrawal, closing, reopening, feedback', () => {
  it('only a supervisor rejects', () =>
    given(filed())
      .when(cmd('RejectDispute', { reason: 'misuse' }))
      .thenRefused('forbidden'));
  it('a rejection opens a 15-day escalation window', () =>
    given(filed())
      .when(cmd('RejectDispute', { reason: 'misuse' }, ctx(SUPERVISOR, 10)))
      .then(([e]) => expect(e.data).toMatchObject({ escalationDeadline: at(10 + days(15)) })));
  it('cannot reject an escalated dispute', () =>
    given(filed(), escalated('mediation'))
      .when(cmd('RejectDispute', { reason: 'x' }, ctx(SUPERVISOR)))
      .thenRefused('conflict'));
  it('cannot withdraw while agreed compensation awaits payment', () =>
    given(filed(), proposed('k-1', 100), approved('k-1'))
      .when(cmd('WithdrawDispute', { reason: 'x' }))
      .thenRefused('conflict', /awaiting payment/));
  it('cannot close while a forum holds the case', () =>
    given(filed(), escalated('mediation'))
      .when(cmd('CloseDispute', { resolution: 'x' }))
      .thenRefused('conflict', /has not ended/));
  it('cannot close with unpaid compensation', () =>
    given(filed(), proposed('k-1', 100), approved('k-1'))
      .when(cmd('CloseDispute', { resolution: 'x' }))
      .thenRefused('conflict', /not paid/));
  it('closes a compensated dispute with a 15-day reopening window', () =>
    given(filed(), proposed('k-1', 10_000), approved('k-1'), paid('k-1', 10_000), compensated())
      .when(cmd('CloseDispute', { resolution: 'refunded' }, ctx(AGENT, 60)))
      .then(([e]) => expect(e.data).toMatchObject({ reopenDeadline: at(60 + days(15)) })));
  it('cannot close a withdrawn dispute', () =>
    given(filed(), { type: 'DisputeWithdrawn', data: { disputeId: DISPUTE, at: at(2), reason: 'x' } })
      .when(cmd('CloseDispute', { resolution: 'x' }))
      .thenRefused('conflict'));
  it('reopens within 15 days and restarts the first-response clock', () => {
    const history = [filed(), acknowledged(), closed(50)];
    const events = given(...history)
      .when(cmd('ReopenDispute', { reason: 'leaks again' }, ctx(AGENT, 50 + days(14))))
      .events();
    expect(types(events)).toEqual(['DisputeReopened']);
    const state = foldDispute([...history, ...events])!;
    expect(state.firstResponse).toEqual({ startedAt: at(50 + days(14)), respondedAt: null, recordedAt: null });
    given(...history, ...events)
      .when(cmd('AcknowledgeDispute', { message: 'again' }, ctx(AGENT, 50 + days(14) + 1)))
      .then((e) => expect(e).toHaveLength(1));
  });
  it('refuses reopening after 15 days', () =>
    given(filed(), closed(50))
      .when(cmd('ReopenDispute', { reason: 'x' }, ctx(AGENT, 50 + days(16))))
      .thenRefused('conflict', /reopening window/));
  it('refuses reopening an open dispute', () =>
    given(filed())
      .when(cmd('ReopenDispute', { reason: 'x' }))
      .thenRefused('conflict'));
  it('takes feedback after closing, once', () => {
    given(filed(), closed())
      .when(cmd('RecordFeedback', { score: 5 }, ctx(AGENT, 60)))
      .then(([e]) => expect(e.data).toMatchObject({ score: 5, comment: null }));
    given(filed(), closed(), { type: 'FeedbackReceived', data: { disputeId: DISPUTE, at: at(55), score: 4, comment: null } })
      .when(cmd('RecordFeedback', { score: 5 }, ctx(AGENT, 60)))
      .thenRefused('conflict', /already/);
  });
  it('refuses feedback on an open dispute and scores outside 1–5', () => {
    given(filed())
      .when(cmd('RecordFeedback', { score: 5 }))
      .thenRefused('conflict');
    given(filed(), closed())
      .when(cmd('RecordFeedback', { score: 6 }, ctx(AGENT, 60)))
      .thenRefused('invalid', /score/);
  });
});

describe('allowedActions', () => {
  it("offers a fresh dispute's agent the actions the decider accepts", () => {
    const state = foldDispute([filed()])!;
    expect(allowedActions(state, AGENT, at(10)).sort()).toEqual([
      'acknowledge',
      'assign',
      'close',
      'escalate',
      'propose_compensation',
      'withdraw',
    ]);
    expect(allowedActions(state, SUPERVISOR, at(10))).toContain('reject');
    expect(allowedActions(state, actor('auditor'), at(10))).toEqual([]);
  });
  it('offers reopen and feedback after closing, and nothing after the reopening window', () => {
    const state = foldDispute([filed(), closed(50)])!;
    expect(allowedActions(state, AGENT, at(60)).sort()).toEqual(['feedback', 'reopen']);
    expect(allowedActions(state, AGENT, at(50 + days(20)))).toEqual(['feedback']);
  });
  it('offers approval only to those whose limit covers a pending compensation', () => {
    const state = foldDispute([filed(), proposed('k-1', 70_000, 'manager')])!;
    expect(allowedActions(state, SUPERVISOR, at(40))).not.toContain('approve_compensation');
    expect(allowedActions(state, MANAGER, at(40))).toContain('approve_compensation');
  });
});
