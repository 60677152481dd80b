import { ConcurrencyExhaustedError, IdempotencyKeyReusedError, PreconditionFailedError } from './command-errors';
import { Decider, DomainEvent } from './decider';
import { EventMetadata, EventStore, StoredEvent, WrongExpectedRevisionError } from './event-store.port';

const DEFAULT_MAX_ATTEMPTS = 8;

/** What was read before deciding: the stored events and the state they fold into. */
export interface LoadedStream<State> {
  events: readonly StoredEvent[];
  state: State;
  /** Events in the stream (0 when it does not exist): what If-Match compares with. */
  version: number;
}

export interface HandleCommandOptions<Command, Event extends DomainEvent, State> {
  /** Metadata of each new event; it must carry `commandId` for idempotent replays to find it. */
  metadata: (event: Event, command: Command, state: State) => EventMetadata;
  /** Stable per request when the caller sent an Idempotency-Key: a command already in the stream is not decided again. */
  commandId?: string;
  /** The request's fingerprint, kept in the metadata to tell a retry (same request) from a reuse (another one). */
  requestFingerprint?: string;
  /** From If-Match: refuse with PreconditionFailedError unless the stream is at this version. */
  expectedVersion?: number;
  /** What the version is of, for the 412's message (default: the dispute's version). */
  versionOf?: string;
  /** The stream cannot exist yet (its id was generated for this request): the first attempt skips reading it. */
  newStream?: boolean;
  /** Default 8. Lost races are retried on fresh state only when the caller sent no expectedVersion. */
  maxAttempts?: number;
  /** The error once every attempt lost its race (default: ConcurrencyExhaustedError). */
  exhausted?: () => Error;
  /** Told about each lost race (for a debug log). */
  onRetry?: (error: WrongExpectedRevisionError, attempt: number) => void;
}

/**
 * The command, or how to complete it once the stream is loaded: the facts from outside the stream the decider
 * needs (looked up again on each attempt, so a retry decides on fresh facts too).
 */
export type CommandInput<Command, State> = Command | ((loaded: LoadedStream<State>) => Command | Promise<Command>);

export interface CommandResult<Event, State> {
  state: State;
  /** The events decided now (none on a replay). */
  events: Event[];
  /** Global log position of the last event written (or found, on a replay). */
  position: number;
  /** True when the command had already been applied: nothing was written now. */
  replayed: boolean;
}

/**
 * One way to run a command against a stream: load → idempotent replay by command id → If-Match →
 * (complete the command) → decide → append with the expected revision, retrying a lost race on fresh state.
 * Correctness across instances comes from the expected revision alone.
 */
export async function handleCommand<Command, Event extends DomainEvent, State>(
  store: EventStore,
  streamId: string,
  decider: Decider<Command, Event, State>,
  command: CommandInput<Command, State>,
  options: HandleCommandOptions<Command, Event, State>,
): Promise<CommandResult<Event, State>> {
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    try {
      return await attemptOnce(store, streamId, decider, command, options, attempt === 1 && options.newStream === true);
    } catch (error) {
      if (!(error instanceof WrongExpectedRevisionError)) throw error;
      if (options.expectedVersion !== undefined)
        throw new PreconditionFailedError(options.expectedVersion, error.actual + 1, options.versionOf);
      options.onRetry?.(error, attempt);
    }
  }
  throw options.exhausted?.() ?? new ConcurrencyExhaustedError(`stream ${streamId} kept changing; try again`);
}

async function attemptOnce<Command, Event extends DomainEvent, State>(
  store: EventStore,
  streamId: string,
  decider: Decider<Command, Event, State>,
  command: CommandInput<Command, State>,
  options: HandleCommandOptions<Command, Event, State>,
  newStream: boolean,
): Promise<CommandResult<Event, State>> {
  const stored = newStream ? [] : await store.readStream(streamId);
  const replay = alreadyApplied(stored, decider, options);
  if (replay) return replay;
  const state = fold(decider, stored);
  const version = stored.length;
  const { expectedVersion } = options;
  if (expectedVersion !== undefined && expectedVersion !== version)
    throw new PreconditionFailedError(expectedVersion, version, options.versionOf);

  const prepared =
    typeof command === 'function'
      ? await (command as (l: LoadedStream<State>) => Command | Promise<Command>)({ events: stored, state, version })
      : command;
  const events = decider.decide(prepared, state);
  const next = events.reduce(decider.evolve, state);
  if (events.length === 0) return { state: next, events, position: stored.at(-1)?.position ?? 0, replayed: false };
  const result = await store.append(
    streamId,
    events.map((event) => ({
      type: event.type,
      data: event.data as Record<string, unknown>,
      occurredAt: (event.data as { at?: string }).at,
      metadata: options.metadata(event, prepared, state),
    })),
    version === 0 ? 'no_stream' : version - 1,
  );
  return { state: next, events, position: result.position, replayed: false };
}

/** An idempotent retry of a command already in the stream (e.g. after a crash before the response). */
function alreadyApplied<Command, Event extends DomainEvent, State>(
  stored: readonly StoredEvent[],
  decider: Decider<Command, Event, State>,
  options: HandleCommandOptions<Command, Event, State>,
): CommandResult<Event, State> | null {
  if (options.commandId === undefined) return null;
  const mine = stored.filter((e) => e.metadata.commandId === options.commandId);
  if (mine.length === 0) return null;
  const recorded = mine[0].metadata.requestFingerprint;
  if (recorded !== undefined && options.requestFingerprint !== undefined && recorded !== options.requestFingerprint) {
    throw new IdempotencyKeyReusedError();
  }
  const last = mine[mine.length - 1];
  return { state: fold(decider, stored, last.revision), events: [], position: last.position, replayed: true };
}

/** Folds stored events into the decider's state; `untilRevision` (inclusive) rebuilds an earlier one. */
export function fold<Command, Event extends DomainEvent, State>(
  decider: Pick<Decider<Command, Event, State>, 'evolve' | 'initialState'>,
  events: readonly StoredEvent[],
  untilRevision = Number.POSITIVE_INFINITY,
): State {
  let state = decider.initialState();
  for (const event of events) {
    if (event.revision > untilRevision) break;
    state = decider.evolve(state, { type: event.type, data: event.data } as unknown as Event);
  }
  return state;
}
