import { conflict, DomainError, invalid } from '../../shared/errors';
import { DisputeEvent } from './dispute.events';
import { caseFileOf, DisputeState, openInternalEscalation, STAGE_RANK } from './dispute.state';
import { Stage } from './dispute.types';
import { EvidenceRequirement } from './case-file.types';
import type { AddNote } from '../commands/add-note/add-note.command';
import type { RecordContact } from '../commands/record-contact/record-contact.command';
import type { AttachEvidence } from '../commands/attach-evidence/attach-evidence.command';
import type { EscalateInternally } from '../commands/escalate-internally/escalate-internally.command';
import type { AnswerInternalEscalation } from '../commands/answer-internal-escalation/answer-internal-escalation.command';
import { toIsoInstant } from '../../shared/instants';

/**
 * The agent's case workspace (issue 15): internal notes, the log of customer contacts, evidence and its
 * per-stage checklist, and internal escalation to a supervisor. Pure, like the rest of the decider.
 */

export function addNote(state: DisputeState, command: AddNote): DisputeEvent[] {
  const { actor, now: at } = command.context;
  return [
    { type: 'NoteAdded', data: { disputeId: state.id, at, noteId: idOf(command.data.noteId), text: command.data.text, author: actor.id } },
  ];
}

export function recordContact(state: DisputeState, command: RecordContact): DisputeEvent[] {
  const { actor, now: at } = command.context;
  const d = command.data;
  const contactedAt = d.at === undefined ? at : toIsoInstant(d.at);
  if (Date.parse(contactedAt) > Date.parse(at)) throw invalid('at: a contact cannot be in the future', { field: 'at' });
  if (Date.parse(contactedAt) < Date.parse(state.filedAt)) throw invalid('at: a contact cannot be before the filing', { field: 'at' });
  return [
    {
      type: 'CustomerContactRecorded',
      data: {
        disputeId: state.id,
        at,
        contactId: idOf(d.contactId),
        channel: d.channel,
        direction: d.direction,
        contactedAt,
        summary: d.summary,
        promises: d.promises ?? null,
        recordedBy: actor.id,
      },
    },
  ];
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

export function attachEvidence(state: DisputeState, command: AttachEvidence): DisputeEvent[] {
  const { actor, now: at } = command.context;
  const d = command.data;
  if (!SHA256_HEX.test(d.sha256)) throw invalid('sha256 must be 64 lowercase hex digits', { field: 'sha256' });
  if (!Number.isInteger(d.size) || d.size <= 0) throw invalid('size must be a positive number of bytes', { field: 'size' });
  return [
    {
      type: 'EvidenceAttached',
      data: {
        disputeId: state.id,
        at,
        evidenceId: idOf(d.evidenceId),
        kind: d.kind,
        fileName: d.fileName,
        contentType: d.contentType,
        size: d.size,
        sha256: d.sha256,
        description: d.description ?? null,
        attachedBy: actor.id,
      },
    },
  ];
}

export function escalateInternally(state: DisputeState, command: EscalateInternally): DisputeEvent[] {
  const { actor, now: at } = command.context;
  const escalationId = idOf(command.data.escalationId);
  return [
    {
      type: 'DisputeEscalatedInternally',
      data: { disputeId: state.id, at, escalationId, reason: command.data.reason, escalatedBy: actor.id },
    },
  ];
}

/** Taking the case assigns it to the supervisor; returning it needs guidance for the agent. */
export function answerInternalEscalation(state: DisputeState, command: AnswerInternalEscalation): DisputeEvent[] {
  const { actor, now: at } = command.context;
  const open = openInternalEscalation(state)!;
  const { outcome } = command.data;
  const guidance = command.data.guidance ?? null;
  if (outcome === 'returned' && !guidance) throw invalid('guidance: returning a case tells the agent what to do', { field: 'guidance' });
  const answered: DisputeEvent = {
    type: 'InternalEscalationAnswered',
    data: { disputeId: state.id, at, escalationId: open.escalationId, outcome, guidance, answeredBy: actor.id },
  };
  if (outcome === 'returned' || state.assignee === actor.id) return [answered];
  const department = state.department ?? actor.department;
  if (!department) throw conflict('the case has no department and your token names none: assign it explicitly');
  return [
    answered,
    {
      type: 'DisputeAssigned',
      data: {
        disputeId: state.id,
        at,
        agentId: actor.id,
        department,
        previousAgentId: state.assignee,
        reason: `internal escalation: ${open.reason}`,
      },
    },
  ];
}

/** The workspace's stage guards (see stage-guards.ts): notes, contacts and evidence are welcome at every stage. */
export const CASE_FILE_GUARDS = {
  AddNote: (): DomainError | null => null,
  RecordContact: (): DomainError | null => null,
  AttachEvidence: (s: DisputeState): DomainError | null =>
    s.base === 'withdrawn' ? conflict('a withdrawn dispute takes no more evidence') : null,
  EscalateInternally: (s: DisputeState): DomainError | null => {
    if (s.base !== 'open') return conflict(`a ${s.base} dispute cannot be escalated internally`);
    return openInternalEscalation(s) ? conflict('the case already waits for a supervisor') : null;
  },
  AnswerInternalEscalation: (s: DisputeState): DomainError | null =>
    openInternalEscalation(s) ? null : conflict('no internal escalation waits for an answer'),
};

/** The commands of the workspace: offered in the view's `workspaceActions`, not in the stage's `allowedActions`. */
export const CASE_FILE_COMMANDS = Object.keys(CASE_FILE_GUARDS) as (keyof typeof CASE_FILE_GUARDS)[];

// --- The evidence checklist ---

export interface ChecklistItem {
  stage: Stage;
  kind: EvidenceRequirement['kind'];
  enforced: boolean;
  /** The stage was reached (or is being entered): the evidence is due. */
  due: boolean;
  onFile: boolean;
  evidenceIds: string[];
}

function applies(state: DisputeState, requirement: EvidenceRequirement): boolean {
  switch (requirement.when) {
    case 'always':
      return true;
    case 'refund_requested':
      return state.filing.requestedRemedy === 'refund';
    case 'defect_disputed':
      return state.filing.defectCode !== null;
  }
}

/** The checklist of the policy's requirements that apply to this dispute, with what is on file and what is missing. */
export function evidenceChecklist(state: DisputeState, requirements: readonly EvidenceRequirement[]): ChecklistItem[] {
  const evidence = caseFileOf(state).evidence;
  const reached = (stage: Stage) => STAGE_RANK[stage] <= STAGE_RANK[state.stage] || state.forums.some((f) => (f.forum as Stage) === stage);
  return requirements
    .filter((r) => applies(state, r))
    .map((r) => {
      const evidenceIds = evidence.filter((e) => e.kind === r.kind).map((e) => e.evidenceId);
      return { stage: r.stage, kind: r.kind, enforced: r.enforced, due: reached(r.stage), onFile: evidenceIds.length > 0, evidenceIds };
    });
}

/** The enforced requirements of entering `stage` that have nothing on file: entering it is refused while any is missing. */
export function missingEvidenceFor(state: DisputeState, stage: Stage, requirements: readonly EvidenceRequirement[]): EvidenceRequirement[] {
  const kinds = new Set(caseFileOf(state).evidence.map((e) => e.kind));
  return requirements.filter((r) => r.enforced && r.stage === stage && applies(state, r) && !kinds.has(r.kind));
}

export function assertEvidenceFor(
  state: DisputeState,
  stage: Stage,
  policy: { version: number; requirements: readonly EvidenceRequirement[] },
): void {
  const missing = missingEvidenceFor(state, stage, policy.requirements);
  if (missing.length === 0) return;
  const kinds = missing.map((r) => r.kind.replace(/_/g, ' ')).join(', ');
  throw conflict(
    `${stage} needs evidence on file first: ${kinds} is missing (evidence policy version ${policy.version}); upload it with POST /api/v1/disputes/${state.id}/evidence`,
  );
}

function idOf(id: string | undefined): string {
  if (!id) throw new Error('the command reached the decider without the id its look-up generates');
  return id;
}
