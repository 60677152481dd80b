import { InMemoryEventStore } from '../../../src/event-store/in-memory-event-store';
import {
  ConcurrencyExhaustedError,
  IdempotencyKeyReusedError,
  PreconditionFailedError,
} from '../../../src/shared/event-sourcing/command-errors';
import { Decider } from '../../../src/shared/event-sourcing/decider';
import { EventStore, WrongExpectedRevisionError } from '../../../src/shared/event-sourcing/event-store.port';
import { handleCommand } from '../../../src/shared/event-sourcing/handle-command';
import { conflict } from '../../../src/shared/errors';

/** A counter that refuses to go above 3: enough to show every step of handleCommand. */
type Add = { type: 'Add'; data: { by: number; at: string } };
type Added = { type: 'Added'; data: { by: number; at: string } };
const counter: Decider<Add, Added, number> = {
  decide: (command, total) => {
    if (total + command.data.by > 3) throw conflict('over 3');
    return [{ type: 'Added', data: command.data }];
  },
  evolve: (total, event) => total + event.data.by,
  initialState: () => 0,
};
const add = (by: number): Add => ({ type: 'Add', data: { by, at: '2026-01-01T00:00:00.000Z' } });
const metadata = (commandId: string, requestFingerprint?: string) => () => ({
  actorId: 'a',
  actorRoles: ['agent'],
  commandId,
  correlationId: commandId,
  causationId: null,
  policyVersion: null,
  schemaVersion: 1,
  ...(requestFingerprint ? { requestFingerprint } : {}),
});

let store: EventStore;
beforeEach(() => {
  store = new InMemoryEventStore();
});

describe('handleCommand', () => {
  it('loads, decides and appends with the expected revision', async () => {
    const first = await handleCommand(store, 's-1', counter, add(1), { metadata: metadata('c-1') });
    const second = await handleCommand(store, 's-1', counter, add(2), { metadata: metadata('c-2') });
    expect([first.state, second.state, second.replayed]).toEqual([1, 3, false]);
    expect((await store.readStream('s-1')).map((e) => e.revision)).toEqual([0, 1]);
  });

  it('replays a command already in the stream instead of deciding it again', async () => {
    await handleCommand(store, 's-1', counter, add(1), { commandId: 'c-1', requestFingerprint: 'f', metadata: metadata('c-1', 'f') });
    await handleCommand(store, 's-1', counter, add(1), { commandId: 'c-2', metadata: metadata('c-2') });
    const again = await handleCommand(store, 's-1', counter, add(1), {
      commandId: 'c-1',
      requestFingerprint: 'f',
      metadata: metadata('c-1', 'f'),
    });
    expect(again).toMatchObject({ state: 1, replayed: true, events: [] });
    expect(await store.readStream('s-1')).toHaveLength(2);
    await expect(
      handleCommand(store, 's-1', counter, add(1), { commandId: 'c-1', requestFingerprint: 'other', metadata: metadata('c-1') }),
    ).rejects.toBeInstanceOf(IdempotencyKeyReusedError);
  });

  it('refuses a stale If-Match with the current version', async () => {
    await handleCommand(store, 's-1', counter, add(1), { metadata: metadata('c-1') });
    await expect(handleCommand(store, 's-1', counter, add(1), { expectedVersion: 0, metadata: metadata('c-2') })).rejects.toEqual(
      expect.objectContaining({ kind: 'precondition_failed', details: { currentVersion: 1 } }),
    );
  });

  it('completes the command on loaded state, and retries a lost race on fresh state', async () => {
    let appends = 0;
    const racy: EventStore = Object.create(store);
    racy.append = async (...args: Parameters<EventStore['append']>) => {
      if (appends++ === 0) {
        await store.append('s-1', [{ type: 'Added', data: { by: 2, at: 'x' }, metadata: metadata('rival')() }], 'no_stream');
      }
      return store.append(...args);
    };
    const seen: number[] = [];
    const result = await handleCommand(racy, 's-1', counter, (loaded) => (seen.push(loaded.state), add(1)), { metadata: metadata('c-1') });
    expect(seen).toEqual([0, 2]);
    expect(result.state).toBe(3);
  });

  it('turns a lost race into PreconditionFailed under If-Match, and gives up after maxAttempts', async () => {
    const losing: EventStore = Object.create(store);
    losing.append = async (streamId) => {
      throw new WrongExpectedRevisionError(streamId, 'no_stream', 4);
    };
    await expect(handleCommand(losing, 's-1', counter, add(1), { expectedVersion: 0, metadata: metadata('c') })).rejects.toBeInstanceOf(
      PreconditionFailedError,
    );
    await expect(handleCommand(losing, 's-1', counter, add(1), { maxAttempts: 2, metadata: metadata('c') })).rejects.toBeInstanceOf(
      ConcurrencyExhaustedError,
    );
  });

  it('lets the decider refuse', async () => {
    await expect(handleCommand(store, 's-1', counter, add(4), { metadata: metadata('c') })).rejects.toMatchObject({
      kind: 'conflict',
      message: 'over 3',
    });
  });
});
