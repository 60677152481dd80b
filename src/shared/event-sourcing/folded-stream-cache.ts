import { EventStore, StoredEvent } from './event-store.port';

interface Folded<S> {
  state: S;
  /** Revision of the last event folded in; -1 for a stream that had none. */
  revision: number;
  /** That event's hash: it commits to every event before it (the stream's hash chain). */
  hash: string | null;
}

/**
 * A stream's state folded once, then caught up from the last revision it has seen: each `state` call costs one
 * read of the events appended since (plus the last one already folded), however long the stream is, and
 * answers exactly what a fold of the whole stream would at that moment, whichever instance wrote the events.
 *
 * Why that holds: a stream is append-only and every stored event carries a hash over itself and the previous
 * event's hash, so the event at the cached revision coming back with the cached hash proves the stream up to
 * it is the one folded; what follows it is folded in order with the same pure `evolve`. Any other answer (the
 * event gone or different: a store replaced under a running process, never a live log) refolds from the start.
 * The cache only saves reading; it never answers without reading the log.
 *
 * `capacity` bounds the streams kept (least recently used out first); `evolve` must not mutate its input.
 */
export class FoldedStreamCache<S> {
  private readonly entries = new Map<string, Folded<S>>();

  constructor(
    private readonly log: EventStore,
    private readonly evolve: (state: S, event: StoredEvent) => S,
    private readonly initial: () => S,
    private readonly capacity = 10_000,
  ) {}

  async state(streamId: string): Promise<S> {
    const cached = this.entries.get(streamId);
    if (cached === undefined || cached.revision < 0) return this.fold(streamId, { state: this.initial(), revision: -1, hash: null }, 0);
    const events = await this.log.readStream(streamId, { fromRevision: cached.revision });
    const [last, ...newer] = events;
    if (last === undefined || last.revision !== cached.revision || last.hash !== cached.hash) return this.refold(streamId);
    return this.remember(streamId, this.foldIn(cached, newer));
  }

  /** Streams held now (for tests and metrics). */
  get size(): number {
    return this.entries.size;
  }

  private async refold(streamId: string): Promise<S> {
    this.entries.delete(streamId);
    return this.fold(streamId, { state: this.initial(), revision: -1, hash: null }, 0);
  }

  private async fold(streamId: string, from: Folded<S>, fromRevision: number): Promise<S> {
    const events = await this.log.readStream(streamId, { fromRevision });
    return this.remember(streamId, this.foldIn(from, events));
  }

  private foldIn(from: Folded<S>, events: readonly StoredEvent[]): Folded<S> {
    let { state, revision, hash } = from;
    for (const event of events) {
      state = this.evolve(state, event);
      revision = event.revision;
      hash = event.hash;
    }
    return { state, revision, hash };
  }

  /** Keeps the furthest fold: two calls that ran at once may finish in either order. */
  private remember(streamId: string, folded: Folded<S>): S {
    const current = this.entries.get(streamId);
    this.entries.delete(streamId);
    this.entries.set(streamId, current !== undefined && current.revision > folded.revision ? current : folded);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string);
    return folded.state;
  }
}
