/**
 * Which fields of which events hold personal data (issue 13 item 5). One table: the event-store decorator
 * (personal-data-event-store.ts) encrypts exactly these fields under the customer's data key on append, and
 * shows them decrypted, or erased once the key is destroyed. Only top-level fields of `data`; a nested object
 * (contact details) is listed by its top-level name and encrypted whole.
 *
 * To protect a new event's fields, add a line here (and a test in test/unit/privacy/). Never remove a line for
 * an event that was written: its stored envelopes would still decrypt (envelopes are recognised by shape),
 * but a legacy plaintext field would no longer be redacted after erasure.
 *
 * Kinds: `subject` is the customer id itself (the data key's subject; erased: `erased:<pseudonym>`),
 * `identifier` another id tied to the customer such as the order (erased: `erased`), `text` free text the
 * customer wrote (erased: `[erased]`), `value` anything else, e.g. contact details (erased: null).
 */
export type PersonalFieldKind = 'subject' | 'identifier' | 'text' | 'value';

export const PERSONAL_FIELDS: Readonly<Record<string, Readonly<Record<string, PersonalFieldKind>>>> = {
  DisputeFiled: { customerId: 'subject', orderId: 'identifier', description: 'text' },
  DisputeCompensated: { customerId: 'subject' },
  DisputeNegotiated: { note: 'text' },
  FeedbackReceived: { comment: 'text' },
  // The agent's case workspace (issue 15; its PERSONAL_DATA_FIELDS in dispute.events.ts names the same fields).
  NoteAdded: { text: 'text' },
  CustomerContactRecorded: { summary: 'text', promises: 'text' },
  EvidenceAttached: { fileName: 'text', description: 'text' },
  DisputeEscalatedInternally: { reason: 'text' },
  InternalEscalationAnswered: { guidance: 'text' },
};

/** The field that names the customer (the subject), when the event carries it. */
export const SUBJECT_FIELD = 'customerId';

export const ERASED_TEXT = '[erased]';
export const ERASED_IDENTIFIER = 'erased';

/** What an erased field reads as; `subjectRef` is the customer's pseudonym. */
export function erasedValue(kind: PersonalFieldKind, subjectRef: string): unknown {
  switch (kind) {
    case 'subject':
      return `erased:${subjectRef}`;
    case 'identifier':
      return ERASED_IDENTIFIER;
    case 'text':
      return ERASED_TEXT;
    case 'value':
      return null;
  }
}

export function personalFieldsOf(type: string): Readonly<Record<string, PersonalFieldKind>> | undefined {
  return PERSONAL_FIELDS[type];
}
