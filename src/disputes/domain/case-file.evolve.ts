import { CaseFileEvent } from './dispute.events';
import { CaseFile } from './dispute.state';

/** Folds the workspace's events (issue 15) into the dispute's case file: notes, contacts, evidence, internal escalations. */
export function evolveCaseFile(file: CaseFile, event: CaseFileEvent): CaseFile {
  switch (event.type) {
    case 'NoteAdded': {
      const { noteId, text, author, at } = event.data;
      return { ...file, notes: [...file.notes, { noteId, text, author, at }] };
    }
    case 'CustomerContactRecorded': {
      const d = event.data;
      const contact = {
        contactId: d.contactId,
        channel: d.channel,
        direction: d.direction,
        contactedAt: d.contactedAt,
        summary: d.summary,
        promises: d.promises,
        recordedBy: d.recordedBy,
        at: d.at,
      };
      return { ...file, contacts: [...file.contacts, contact] };
    }
    case 'EvidenceAttached': {
      const d = event.data;
      const evidence = {
        evidenceId: d.evidenceId,
        kind: d.kind,
        fileName: d.fileName,
        contentType: d.contentType,
        size: d.size,
        sha256: d.sha256,
        description: d.description,
        attachedBy: d.attachedBy,
        at: d.at,
      };
      return { ...file, evidence: [...file.evidence, evidence] };
    }
    case 'DisputeEscalatedInternally': {
      const d = event.data;
      const escalation = {
        escalationId: d.escalationId,
        reason: d.reason,
        escalatedBy: d.escalatedBy,
        at: d.at,
        outcome: null,
        guidance: null,
        answeredBy: null,
        answeredAt: null,
      };
      return { ...file, internalEscalations: [...file.internalEscalations, escalation] };
    }
    case 'InternalEscalationAnswered': {
      const d = event.data;
      const internalEscalations = file.internalEscalations.map((e) =>
        e.escalationId === d.escalationId
          ? { ...e, outcome: d.outcome, guidance: d.guidance, answeredBy: d.answeredBy, answeredAt: d.at }
          : e,
      );
      return { ...file, internalEscalations };
    }
  }
}
