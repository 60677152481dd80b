import { DisputeEvent } from '../../../src/disputes/domain/dispute.events';
import { foldDispute } from '../../../src/disputes/domain/dispute.evolve';
import { caseFileOf } from '../../../src/disputes/domain/dispute.state';
import { evidenceChecklist } from '../../../src/disputes/domain/case-file';
import { DEFAULT_EVIDENCE_POLICY } from '../../../src/disputes/application/policies/evidence-policy';
import { actor, at, cmd, ctx, DISPUTE, filed, SUPERVISOR } from './dispute.fixtures';
import { given } from './dispute.spec-helper';

/** The agent's case workspace (issue 15): given events, when a command, then events or a refusal. */
const policy = { version: 1, requirements: DEFAULT_EVIDENCE_POLICY.requirements };
const SHA = 'ab'.repeat(32);
const attached = (kind: 'arbitration_agreement' | 'proof_of_purchase', minutes = 8): DisputeEvent => ({
  type: 'EvidenceAttached',
  data: {
    disputeId: DISPUTE,
    at: at(minutes),
    evidenceId: `e-${kind}`,
    kind,
    fileName: 'f.pdf',
    contentType: 'application/pdf',
    size: 10,
    sha256: SHA,
    description: null,
    attachedBy: 'agent-1',
  },
});
const escalateTo = (forum: 'mediation' | 'arbitration' | 'litigation') =>
  cmd('EscalateDispute', { forum, institution: 'x', reason: 'y', evidencePolicy: policy }, ctx(actor('agent'), 30));

describe('notes and contacts', () => {
  it('a note records its text and author', () => {
    given(filed())
      .when(cmd('AddNote', { text: 'called the warehouse', noteId: 'n-1' }))
      .then([
        { type: 'NoteAdded', data: { disputeId: DISPUTE, at: at(10), noteId: 'n-1', text: 'called the warehouse', author: 'agent-1' } },
      ]);
  });

  it('notes are welcome on a closed case', () => {
    const closed: DisputeEvent = {
      type: 'DisputeClosed',
      data: { disputeId: DISPUTE, at: at(5), resolution: 'done', reopenDeadline: at(9000) },
    };
    given(filed(), closed)
      .when(cmd('AddNote', { text: 'customer called again', noteId: 'n-1' }))
      .then((events) => expect(events).toHaveLength(1));
  });

  it('a contact cannot be in the future or before the filing', () => {
    given(filed())
      .when(cmd('RecordContact', { channel: 'phone', direction: 'in', summary: 's', contactId: 'k', at: at(11) }))
      .thenRefused('invalid', /future/);
    given(filed())
      .when(cmd('RecordContact', { channel: 'phone', direction: 'in', summary: 's', contactId: 'k', at: at(-1) }))
      .thenRefused('invalid', /before the filing/);
  });

  it('a contact defaults to now and keeps the promises', () => {
    given(filed())
      .when(cmd('RecordContact', { channel: 'sms', direction: 'out', summary: 'texted', promises: 'refund Friday', contactId: 'k-1' }))
      .then((events) => expect(events[0].data).toMatchObject({ contactedAt: at(10), promises: 'refund Friday', recordedBy: 'agent-1' }));
  });

  it('an auditor writes nothing; an agent of another department neither', () => {
    given(filed({ department: 'after-sales' }))
      .when(cmd('AddNote', { text: 'x', noteId: 'n' }, ctx(actor('auditor'))))
      .thenRefused('forbidden');
    const outsider = { id: 'x', roles: ['agent' as const], department: 'logistics' };
    given(filed({ department: 'after-sales' }))
      .when(cmd('AddNote', { text: 'x', noteId: 'n' }, ctx(outsider)))
      .thenRefused('forbidden', /outside yours/);
  });

  it('the folded case file keeps notes and contacts in order', () => {
    const state = foldDispute([
      filed(),
      { type: 'NoteAdded', data: { disputeId: DISPUTE, at: at(1), noteId: 'n-1', text: 'a', author: 'agent-1' } },
      { type: 'NoteAdded', data: { disputeId: DISPUTE, at: at(2), noteId: 'n-2', text: 'b', author: 'sup-1' } },
    ])!;
    expect(caseFileOf(state).notes.map((n) => [n.noteId, n.author])).toEqual([
      ['n-1', 'agent-1'],
      ['n-2', 'sup-1'],
    ]);
  });
});

describe('evidence and its checklist', () => {
  it('records the hash; refuses one that is not SHA-256', () => {
    given(filed())
      .when(cmd('AttachEvidence', { kind: 'photo', fileName: 'p.png', contentType: 'image/png', size: 3, sha256: SHA, evidenceId: 'e-1' }))
      .then((events) => expect(events[0]).toMatchObject({ type: 'EvidenceAttached', data: { sha256: SHA, attachedBy: 'agent-1' } }));
    given(filed())
      .when(
        cmd('AttachEvidence', { kind: 'photo', fileName: 'p.png', contentType: 'image/png', size: 3, sha256: 'xyz', evidenceId: 'e-1' }),
      )
      .thenRefused('invalid', /sha256/);
  });

  it('arbitration without the agreement on file is a conflict that says so; with it, allowed', () => {
    given(filed())
      .when(escalateTo('arbitration'))
      .thenRefused('conflict', /arbitration agreement is missing \(evidence policy version 1\)/);
    given(filed(), attached('arbitration_agreement'))
      .when(escalateTo('arbitration'))
      .then((events) => expect(events[0].type).toBe('DisputeEscalated'));
    given(filed())
      .when(escalateTo('mediation'))
      .then((events) => expect(events[0].type).toBe('DisputeEscalated'));
  });

  it('the checklist shows what applies, what is due and what is on file', () => {
    const state = foldDispute([filed({ requestedRemedy: 'refund', defectCode: 'LEAK' }), attached('proof_of_purchase')])!;
    const list = evidenceChecklist(state, policy.requirements);
    expect(list.find((i) => i.kind === 'proof_of_purchase')).toMatchObject({
      stage: 'filed',
      due: true,
      onFile: true,
      evidenceIds: ['e-proof_of_purchase'],
    });
    expect(list.find((i) => i.kind === 'arbitration_agreement')).toMatchObject({ due: false, onFile: false, enforced: true });
    expect(list.some((i) => i.kind === 'appraisal_report')).toBe(true); // a defect is disputed
    const noDefect = foldDispute([filed({ requestedRemedy: 'exchange', defectCode: null })])!;
    expect(evidenceChecklist(noDefect, policy.requirements).map((i) => i.kind)).toEqual(['arbitration_agreement', 'claim', 'judgment']);
  });
});

describe('internal escalation', () => {
  const asked: DisputeEvent = {
    type: 'DisputeEscalatedInternally',
    data: { disputeId: DISPUTE, at: at(5), escalationId: 'ie-1', reason: 'help', escalatedBy: 'agent-1' },
  };

  it('one at a time', () => {
    given(filed(), asked)
      .when(cmd('EscalateInternally', { reason: 'again', escalationId: 'ie-2' }))
      .thenRefused('conflict', /already waits/);
  });

  it('taken: the supervisor becomes the assignee, with the reason', () => {
    given(filed({ department: 'after-sales' }), asked)
      .when(cmd('AnswerInternalEscalation', { outcome: 'taken' }, ctx(SUPERVISOR)))
      .then((events) => {
        expect(events.map((e) => e.type)).toEqual(['InternalEscalationAnswered', 'DisputeAssigned']);
        expect(events[1].data).toMatchObject({ agentId: 'supervisor-1', department: 'after-sales', reason: 'internal escalation: help' });
      });
  });

  it('returned needs guidance; an agent cannot answer; nothing to answer is a conflict', () => {
    given(filed(), asked)
      .when(cmd('AnswerInternalEscalation', { outcome: 'returned' }, ctx(SUPERVISOR)))
      .thenRefused('invalid', /guidance/);
    given(filed(), asked)
      .when(cmd('AnswerInternalEscalation', { outcome: 'returned', guidance: 'g' }))
      .thenRefused('forbidden');
    given(filed())
      .when(cmd('AnswerInternalEscalation', { outcome: 'taken' }, ctx(SUPERVISOR)))
      .thenRefused('conflict', /no internal escalation/);
  });
});
