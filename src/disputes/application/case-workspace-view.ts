import { Actor } from '../../shared/actor';
import { caseFileOf, Contact, DisputeState, Evidence, Note, openInternalEscalation } from '../domain/dispute.state';
import { workspaceActions } from '../domain/dispute.decide';
import { evidenceChecklist } from '../domain/case-file';
import { EvidenceRequirement } from '../domain/case-file.types';
import { SlaView } from '../../sla/sla-view';

/**
 * The agent's case workspace in `GET /disputes/:id` (issue 15): the whole complaint, the acknowledgement, every
 * deadline and the next one, how the case ended, the feedback, and the first page of notes and contacts, the
 * evidence with its checklist. Additive to API.md's fields. Analysts read without personal data (API.md
 * "Ownership"): the customer's words and file names are left out for them.
 */

/** Notes and contacts shown in the view; the rest through `GET /disputes/:id/notes` and `/contacts`. */
export const WORKSPACE_PAGE = 20;

export interface EvidencePolicyInForce {
  version: number;
  requirements: readonly EvidenceRequirement[];
}

const REDACTED = null;
export const seesPersonalData = (actor: Actor) => actor.roles.some((r) => r !== 'analyst');

export function caseWorkspaceView(state: DisputeState, actor: Actor, now: Date, sla: SlaView, evidencePolicy: EvidencePolicyInForce) {
  const personal = seesPersonalData(actor);
  const f = state.filing;
  const file = caseFileOf(state);
  const open = openInternalEscalation(state);
  return {
    complaint: {
      description: personal ? f.description : REDACTED,
      productSku: f.productSku,
      defectCode: f.defectCode,
      purchasedAt: f.purchasedAt,
      deliveredAt: f.deliveredAt,
      proofOfPurchase: f.proofOfPurchase,
      itemIntact: f.itemIntact,
      requestedRemedy: f.requestedRemedy,
      amountClaimed: f.amountClaimed,
    },
    acknowledgement: state.acknowledgement
      ? {
          ...state.acknowledgement,
          message: personal ? state.acknowledgement.message : REDACTED,
          respondedAt: state.firstResponse.respondedAt,
          recordedAt: state.firstResponse.recordedAt,
        }
      : null,
    deadlines: deadlinesOf(state, now, sla),
    resolution: {
      rejection: state.rejection,
      withdrawal: state.withdrawal,
      closure: state.closure,
    },
    feedback: state.feedback ? { ...state.feedback, comment: personal ? state.feedback.comment : REDACTED } : null,
    assignmentReason: file.assignmentReason,
    notes: page(
      file.notes.map((n) => noteView(n, personal)),
      0,
      WORKSPACE_PAGE,
    ),
    contacts: page(
      file.contacts.map((c) => contactView(c, personal)),
      0,
      WORKSPACE_PAGE,
    ),
    evidence: {
      policyVersion: evidencePolicy.version,
      items: file.evidence.map((e) => evidenceView(state.id, e, personal)),
      checklist: evidenceChecklist(state, evidencePolicy.requirements),
    },
    internalEscalation: open
      ? { escalationId: open.escalationId, reason: personal ? open.reason : REDACTED, escalatedBy: open.escalatedBy, at: open.at }
      : null,
    workspaceActions: workspaceActions(state, actor, now.toISOString()),
  };
}

export interface Deadline {
  kind: string;
  dueAt: string;
  overdue: boolean;
}

/** Every clock and window with a due time that still matters, and the single nearest one (overdue ones first). */
export function deadlinesOf(state: DisputeState, now: Date, sla: SlaView): { items: Deadline[]; next: Deadline | null } {
  const at = now.toISOString();
  const due: { kind: string; dueAt: string }[] = sla.clocks
    .filter((c) => c.running && c.dueAt !== null)
    .map((c) => ({ kind: c.kind, dueAt: c.dueAt! }));
  if (state.base === 'open' && state.acknowledgement?.estimatedResolutionAt)
    due.push({ kind: 'estimated_resolution', dueAt: state.acknowledgement.estimatedResolutionAt });
  if (state.base === 'rejected' && state.rejection)
    due.push({ kind: 'escalation_after_rejection', dueAt: state.rejection.escalationDeadline });
  if (state.base === 'closed' && state.closure) due.push({ kind: 'reopen_window', dueAt: state.closure.reopenDeadline });
  const items = due.map((d) => ({ ...d, overdue: d.dueAt < at })).sort((a, b) => a.dueAt.localeCompare(b.dueAt));
  return { items, next: items[0] ?? null };
}

const noteView = (n: Note, personal: boolean) => ({ noteId: n.noteId, text: personal ? n.text : REDACTED, author: n.author, at: n.at });
const contactView = (c: Contact, personal: boolean) => ({
  contactId: c.contactId,
  channel: c.channel,
  direction: c.direction,
  contactedAt: c.contactedAt,
  summary: personal ? c.summary : REDACTED,
  promises: personal ? c.promises : REDACTED,
  recordedBy: c.recordedBy,
  at: c.at,
});
export const evidenceView = (disputeId: string, e: Evidence, personal: boolean) => ({
  evidenceId: e.evidenceId,
  kind: e.kind,
  fileName: personal ? e.fileName : REDACTED,
  contentType: e.contentType,
  size: e.size,
  sha256: e.sha256,
  description: personal ? e.description : REDACTED,
  attachedBy: e.attachedBy,
  at: e.at,
  download: `/api/v1/disputes/${disputeId}/evidence/${e.evidenceId}/content`,
});

/** A page of a list kept in time order; the cursor is the opaque offset of the next item. */
export function page<T>(all: readonly T[], offset: number, limit: number) {
  const items = all.slice(offset, offset + limit);
  const next = offset + items.length;
  return { items, total: all.length, nextCursor: next < all.length ? Buffer.from(String(next)).toString('base64url') : null };
}

export function offsetOf(cursor: string | undefined): number | null {
  if (cursor === undefined) return 0;
  const n = Number(Buffer.from(cursor, 'base64url').toString('utf8'));
  return Number.isInteger(n) && n >= 0 ? n : null;
}

export const workspaceLists = { notes: noteView, contacts: contactView };
