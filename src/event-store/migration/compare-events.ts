import { canonicalJson } from '../../shared/canonical-json';
import { StoredEvent } from '../../shared/event-sourcing/event-store.port';

/** Every field a copy must preserve: all of StoredEvent except the store-specific global position. */
export const COPIED_FIELDS = ['eventId', 'type', 'streamId', 'revision', 'occurredAt', 'data', 'metadata', 'prevHash', 'hash'] as const;
export type CopiedField = (typeof COPIED_FIELDS)[number];

/**
 * The fields in which two events differ. data and metadata compare as canonical JSON, the form the hash
 * covers: key order is not content.
 */
export function differingFields(a: StoredEvent, b: StoredEvent): CopiedField[] {
  return COPIED_FIELDS.filter((field) =>
    field === 'data' || field === 'metadata' ? canonicalJson(a[field]) !== canonicalJson(b[field]) : a[field] !== b[field],
  );
}

/** `stream@revision (eventId)`, for messages. */
export const describeEvent = (event: Pick<StoredEvent, 'streamId' | 'revision' | 'eventId'>): string =>
  `${event.streamId}@${event.revision} (${event.eventId})`;

/** A short rendering of a field's value, for messages. */
export function showValue(value: unknown, max = 120): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : canonicalJson(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** One line per differing field: `field: source … / target …`. */
export function describeFieldDifferences(source: StoredEvent, target: StoredEvent, fields: readonly CopiedField[]): string {
  return fields.map((field) => `${field}: source ${showValue(source[field])} / target ${showValue(target[field])}`).join('; ');
}
