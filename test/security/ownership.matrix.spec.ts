import { ACTIONS, DisputeCommand, DisputeCommandType } from '../../src/disputes/domain/dispute.commands';
import { allowedActions, decide } from '../../src/disputes/domain/dispute.decide';
import { DomainError } from '../../src/shared/errors';
import { DisputeEvent } from '../../src/disputes/domain/dispute.events';
import { foldDispute } from '../../src/disputes/domain/dispute.evolve';
import { accessTo, Access } from '../../src/disputes/domain/ownership';
import { Actor, Role } from '../../src/shared/actor';
import { acknowledged, at, cny, DISPUTE, filed } from '../unit/disputes/dispute.fixtures';

/**
 * Issue 12, finding 3: an agent of department B acknowledged, granted, paid and closed a dispute of department A.
 * API.md "Ownership", as a table: role × relation of the dispute to the caller → access. Written out by hand
 * (not computed from the rule), then checked against the rule and against every command the decider takes.
 */
const ME = 'me-1';
const DEPT = 'dept-a';
type Relation =
  'own' | 'unassigned, own department' | "another agent's, own department" | 'other department' | 'unassigned, other department';
const RELATIONS: Record<Relation, { assignee: string | null; department: string | null }> = {
  own: { assignee: ME, department: DEPT },
  'unassigned, own department': { assignee: null, department: DEPT },
  "another agent's, own department": { assignee: 'other-agent', department: DEPT },
  'other department': { assignee: 'other-agent', department: 'dept-b' },
  'unassigned, other department': { assignee: null, department: 'dept-b' },
};
const TABLE: Record<Exclude<Role, 'system'>, Record<Relation, Access>> = {
  agent: {
    own: 'write',
    'unassigned, own department': 'write',
    "another agent's, own department": 'read',
    'other department': 'none',
    'unassigned, other department': 'none',
  },
  // Issue 15: a senior agent works cases as an agent does (same ownership), only with a higher approval limit.
  senior_agent: {
    own: 'write',
    'unassigned, own department': 'write',
    "another agent's, own department": 'read',
    'other department': 'none',
    'unassigned, other department': 'none',
  },
  supervisor: {
    own: 'write',
    'unassigned, own department': 'write',
    "another agent's, own department": 'write',
    'other department': 'none',
    'unassigned, other department': 'none',
  },
  manager: {
    own: 'write',
    'unassigned, own department': 'write',
    "another agent's, own department": 'write',
    'other department': 'write',
    'unassigned, other department': 'write',
  },
  auditor: {
    own: 'read',
    'unassigned, own department': 'read',
    "another agent's, own department": 'read',
    'other department': 'read',
    'unassigned, other department': 'read',
  },
  analyst: {
    own: 'read',
    'unassigned, own department': 'read',
    "another agent's, own department": 'read',
    'other department': 'read',
    'unassigned, other department': 'read',
  },
  admin: {
    own: 'read',
    'unassigned, own department': 'read',
    "another agent's, own department": 'read',
    'other department': 'read',
    'unassigned, other department': 'read',
  },
};
const cells = (Object.keys(TABLE) as (keyof typeof TABLE)[]).flatMap((role) =>
  (Object.keys(RELATIONS) as Relation[]).map((relation) => [role, relation, TABLE[role][relation]] as const),
);
const who = (role: Role): Actor => ({ id: ME, roles: [role], department: DEPT });

function history(relation: Relation): DisputeEvent[] {
  const { assignee, department } = RELATIONS[relation];
  const events: DisputeEvent[] = [filed({ department }), acknowledged()];
  if (assignee) {
    events.push({
      type: 'DisputeAssigned',
      data: { disputeId: DISPUTE, at: at(6), agentId: assignee, department: department!, previousAgentId: null },
    });
  }
  events.push({
    type: 'CompensationProposed',
    data: {
      disputeId: DISPUTE,
      at: at(7),
      compensationId: 'k-1',
      type: 'refund',
      amount: cny(50_000),
      reason: 'r',
      basis: 'proposal',
      goodwill: false,
      eligibilityRule: 'x',
      customerFlagged: false,
      requiredApprover: 'supervisor',
      proposedBy: 'someone',
    },
  });
  return events;
}

/** One command of every type the decider takes on an existing dispute. */
function commands(actor: Actor): DisputeCommand[] {
  const context = { actor, now: at(30) };
  const data: { [T in Exclude<DisputeCommandType, 'FileDispute'>]: Extract<DisputeCommand, { type: T }>['data'] } = {
    AcknowledgeDispute: { message: 'hi' },
    AssignDispute: { agentId: ME, department: DEPT },
    NegotiateDispute: { action: 'offer', party: 'merchant', remedy: 'coupon', compensationId: 'k-2', recentCompensatedDisputes: 0 },
    EscalateDispute: { forum: 'mediation', institution: 'x', reason: 'y' },
    RecordOutcome: { forum: 'mediation', result: 'failed', compensationId: 'k-3', recentCompensatedDisputes: 0 },
    ProposeCompensation: { compensationId: 'k-4', type: 'coupon', reason: 'sorry', recentCompensatedDisputes: 0 },
    ApproveCompensation: { compensationId: 'k-1' },
    DeclineCompensation: { compensationId: 'k-1', reason: 'no' },
    PayCompensation: { compensationId: 'k-1', payout: { payoutId: 'p' } },
    RejectDispute: { reason: 'misuse' },
    WithdrawDispute: { reason: 'customer' },
    CloseDispute: { resolution: 'done' },
    ReopenDispute: { reason: 'again' },
    RecordFeedback: { score: 5 },
    RecordSlaBreach: {
      breachId: 'b-1',
      kind: 'first_response',
      clockKey: 'first_response:0',
      dueAt: at(1),
      source: 'complaint',
      proof: null,
    },
    ConfirmSlaBreach: { breachId: 'b-1', reason: 'late' },
    ExemptSlaBreach: { breachId: 'b-1', reason: 'system outage' },
    SendApology: { remedyId: 'b-1-apology', channel: 'email', text: 'sorry' },
    DeliverBreachRemedy: { remedyId: 'b-1-coupon' },
    RecordInvestigationOverdue: { breachId: 'b-1' },
    AddNote: { text: 'n', noteId: 'n-1' },
    RecordContact: { channel: 'phone', direction: 'out', summary: 'called', contactId: 'c-1' },
    AttachEvidence: { kind: 'photo', fileName: 'a.png', contentType: 'image/png', size: 3, sha256: 'a'.repeat(64), evidenceId: 'e-1' },
    EscalateInternally: { reason: 'need help', escalationId: 'ie-1' },
    AnswerInternalEscalation: { outcome: 'returned', guidance: 'go on' },
    TagDispute: { tags: ['fragile'] },
  };
  return (Object.keys(data) as (keyof typeof data)[]).map((type) => ({ type, data: data[type], context }) as DisputeCommand);
}

const OWNERSHIP_REFUSAL = /outside yours|only its assignee/;
function refusalOf(command: DisputeCommand, events: DisputeEvent[]): DomainError | null {
  try {
    decide(command, foldDispute(events));
    return null;
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
}

describe('ownership: role × relation (API.md "Ownership")', () => {
  it.each(cells)('%s on a dispute that is %s: %s', (role, relation, expected) => {
    expect(accessTo(who(role), RELATIONS[relation])).toBe(expected);
  });

  describe.each(cells)('%s, %s dispute (%s): every command', (role, relation, expected) => {
    const actor = who(role);
    it.each(commands(actor).map((c) => [c.type, c] as const))('%s', (type, command) => {
      const refusal = refusalOf(command, history(relation));
      const roleAllows = ACTIONS[type].roles.includes(role);
      if (!roleAllows) {
        expect(refusal?.kind).toBe('forbidden'); // the role rule answers first
      } else if (expected !== 'write') {
        expect(refusal?.kind).toBe('forbidden');
        expect(refusal?.message).toMatch(OWNERSHIP_REFUSAL);
      } else {
        // Inside ownership a command may still be refused for its own reasons (stage, amount), never for ownership.
        expect(refusal?.message ?? '').not.toMatch(OWNERSHIP_REFUSAL);
      }
    });
  });

  it.each(cells)('%s on a dispute that is %s (%s): buttons only where ownership allows writing', (role, relation, expected) => {
    const actions = allowedActions(foldDispute(history(relation))!, who(role), at(30));
    if (expected === 'write' && ['agent', 'supervisor', 'manager'].includes(role)) expect(actions.length).toBeGreaterThan(0);
    else expect(actions).toEqual([]);
  });

  it("a dispute filed before departments were recorded sits in every department's pool", () => {
    expect(accessTo(who('agent'), { assignee: null, department: null })).toBe('write');
    expect(accessTo(who('supervisor'), { assignee: 'x', department: null })).toBe('write');
    expect(accessTo(who('agent'), { assignee: 'x', department: null })).toBe('read');
  });

  it('an actor with several roles gets the widest access any of them gives', () => {
    expect(accessTo({ id: ME, roles: ['agent', 'auditor'], department: DEPT }, RELATIONS['other department'])).toBe('read');
    expect(accessTo({ id: ME, roles: ['auditor', 'manager'], department: DEPT }, RELATIONS['other department'])).toBe('write');
  });

  it('a user of a department-bound role without a department reaches only what is assigned to them', () => {
    const noDept: Actor = { id: ME, roles: ['agent'] };
    expect(accessTo(noDept, RELATIONS['unassigned, own department'])).toBe('none');
    expect(accessTo(noDept, { assignee: ME, department: DEPT })).toBe('write');
    expect(accessTo({ id: ME, roles: ['supervisor'] }, RELATIONS.own)).toBe('none');
  });

  it("filing records the filer's department, so the new dispute sits in that department's pool", () => {
    const events = decide(
      {
        type: 'FileDispute',
        data: {
          disputeId: DISPUTE,
          customerId: 'c',
          orderId: 'o',
          productSku: 's',
          channel: 'web',
          category: 'quality_defect',
          description: 'd',
          purchasedAt: at(-60),
          requestedRemedy: 'refund',
          earlierSameDefectDisputes: 0,
        },
        context: { actor: who('agent'), now: at(0) },
      },
      null,
    );
    expect(events[0].data).toMatchObject({ department: DEPT });
    expect(foldDispute(events)!.department).toBe(DEPT);
  });
});
