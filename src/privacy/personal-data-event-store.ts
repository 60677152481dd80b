import { concatMap, from, Observable } from 'rxjs';
import {
  AppendResult,
  EventStore,
  ExpectedRevision,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  StoredEvent,
} from '../shared/event-sourcing/event-store.port';
import { DataKeyStore } from './data-key-store';
import { FieldEnvelope, isEnvelope, openField, sealField } from './field-cipher';
import { erasedValue, PersonalFieldKind, personalFieldsOf, SUBJECT_FIELD } from './personal-data';

/**
 * The EventStore decorator that keeps personal data out of the stored events (issue 13 items 5 and 7).
 *
 * Append: every personal field (personal-data.ts) becomes an AES-256-GCM envelope under the customer's data
 * key; the adapter hashes what it stores, the envelope. The subject is the customer's pseudonym, taken from
 * the event's customerId, else from the stream's first event (a dispute's later events name no customer).
 *
 * Reads (readStream, readAll, subscribeToAll, the events an append returns): envelopes are opened; when the
 * key has been destroyed the field reads as erased. Legacy events written before encryption hold plaintext:
 * they read as stored until their customer is erased, then their personal fields are redacted on read (their
 * bytes stay in the log: the hash chain covers them).
 *
 * Hashes and prevHash are passed through unchanged: they are the stored events'. Whatever verifies hashes
 * (the audit trail, case bundles) reads the undecorated store (RAW_EVENT_STORE).
 */
export class PersonalDataEventStore implements EventStore {
  /** Stream → subject ref; a stream's subject never changes. Bounded. */
  private readonly streamSubjects = new Map<string, string | null>();

  constructor(
    private readonly inner: EventStore,
    private readonly keys: DataKeyStore,
    private readonly subjectOf: (customerId: string) => string,
    private readonly maxCachedStreams = 10_000,
  ) {}

  async append(streamId: string, events: NewEvent[], expectedRevision: ExpectedRevision): Promise<AppendResult> {
    const sealed: NewEvent[] = [];
    for (const event of events) sealed.push(await this.seal(streamId, event));
    const result = await this.inner.append(streamId, sealed, expectedRevision);
    // The caller wrote these values: hand them back as written rather than decrypting them again (unless the
    // adapter answered with other events than those given, e.g. ones it already had).
    if (result.events.length !== events.length) return { ...result, events: await this.reveal(result.events) };
    return { ...result, events: result.events.map((stored, i) => ({ ...stored, data: events[i].data })) };
  }

  async readStream(streamId: string, options?: ReadStreamOptions): Promise<StoredEvent[]> {
    return this.reveal(await this.inner.readStream(streamId, options));
  }

  async readAll(options?: ReadAllOptions): Promise<StoredEvent[]> {
    return this.reveal(await this.inner.readAll(options));
  }

  async readPositions(positions: readonly number[]): Promise<StoredEvent[]> {
    return this.reveal(await this.inner.readPositions(positions));
  }

  subscribeToAll(after?: number): Observable<StoredEvent> {
    return this.inner.subscribeToAll(after).pipe(concatMap((event) => from(this.reveal([event]).then(([shown]) => shown))));
  }

  headPosition(): Promise<number> {
    return this.inner.headPosition();
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  private async seal(streamId: string, event: NewEvent): Promise<NewEvent> {
    const fields = personalFieldsOf(event.type);
    if (!fields) return event;
    const customerId = event.data[SUBJECT_FIELD];
    const ref = typeof customerId === 'string' ? this.subjectOf(customerId) : await this.streamSubject(streamId);
    if (ref === null) return event; // nothing ties it to a customer: stored as written
    this.remember(streamId, ref);
    const key = await this.keys.getOrCreate(ref);
    const data = { ...event.data };
    for (const field of Object.keys(fields)) {
      const value = data[field];
      if (value === undefined || value === null || isEnvelope(value)) continue;
      data[field] = sealField(key.key, ref, key.kid, field, value);
    }
    return { ...event, data };
  }

  /** Opens every envelope of a batch with one key lookup, and redacts legacy plaintext of erased customers. */
  private async reveal(events: StoredEvent[]): Promise<StoredEvent[]> {
    const kids = new Set<string>();
    const legacy: { index: number; ref: string }[] = [];
    for (const [index, event] of events.entries()) {
      const fields = personalFieldsOf(event.type);
      let plaintext = false;
      for (const [field, value] of Object.entries(event.data)) {
        if (isEnvelope(value)) kids.add(value.kid);
        else if (fields?.[field] && value !== null && value !== undefined) plaintext = true;
      }
      if (!plaintext) continue;
      const ref = await this.legacySubject(event);
      if (ref !== null) legacy.push({ index, ref });
    }
    if (kids.size === 0 && legacy.length === 0) return events;
    const keys = await this.keys.get([...kids]);
    const erased = await this.keys.erased([...new Set(legacy.map((l) => l.ref))]);
    const erasedAt = new Map(legacy.filter((l) => erased.has(l.ref)).map((l) => [l.index, l.ref]));
    return events.map((event, index) => {
      const fields = personalFieldsOf(event.type) ?? {};
      const legacyRef = erasedAt.get(index);
      let data: Record<string, unknown> | null = null;
      for (const [field, value] of Object.entries(event.data)) {
        let shown: unknown = value;
        if (isEnvelope(value)) shown = this.open(keys.get(value.kid) ?? null, field, value, fields[field]);
        else if (legacyRef !== undefined && fields[field] && value !== null && value !== undefined)
          shown = erasedValue(fields[field], legacyRef);
        else continue;
        data ??= { ...event.data };
        data[field] = shown;
      }
      return data ? { ...event, data } : event;
    });
  }

  private open(key: Buffer | null, field: string, envelope: FieldEnvelope, kind: PersonalFieldKind | undefined): unknown {
    return key === null ? erasedValue(kind ?? 'value', envelope.ref) : openField(key, field, envelope);
  }

  /** The customer a legacy (plaintext) event belongs to: its own customerId, else its stream's. */
  private async legacySubject(event: StoredEvent): Promise<string | null> {
    const customerId = event.data[SUBJECT_FIELD];
    if (typeof customerId === 'string') return this.subjectOf(customerId);
    return this.streamSubject(event.streamId);
  }

  /** The subject of a stream from its first event: an envelope's ref, or the pseudonym of a plaintext customerId. */
  private async streamSubject(streamId: string): Promise<string | null> {
    const cached = this.streamSubjects.get(streamId);
    if (cached !== undefined) return cached;
    const [first] = await this.inner.readStream(streamId, { maxCount: 1 });
    if (!first) return null; // not remembered: the stream may be created by this very append
    const value = first.data[SUBJECT_FIELD];
    const ref = isEnvelope(value) ? value.ref : typeof value === 'string' ? this.subjectOf(value) : null;
    this.remember(streamId, ref);
    return ref;
  }

  private remember(streamId: string, ref: string | null): void {
    if (this.streamSubjects.has(streamId)) return;
    if (this.streamSubjects.size >= this.maxCachedStreams) this.streamSubjects.delete(this.streamSubjects.keys().next().value as string);
    this.streamSubjects.set(streamId, ref);
  }
}
