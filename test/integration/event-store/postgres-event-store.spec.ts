import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { NewEvent, WrongExpectedRevisionError } from '../../../src/shared/event-sourcing/event-store.port';
import { verifyChain } from '../../../src/event-store/domain/hash-chain';
import { PostgresEventStore } from '../../../src/event-store/postgres-event-store';
import { EventStoreUnwritableError, WriteHealthEventStore } from '../../../src/event-store/write-health';
import { eventStoreContract } from '../../contract/event-store.contract';
import { postgresEventStore } from '../../support/postgres-event-store';
import { staleConnectionProxy } from '../../support/stale-connection-proxy';
import { isDroppedConnection } from '../../../src/event-store/postgres-connections';

/** The whole contract on the machine's PostgreSQL, each test in a fresh schema. */
eventStoreContract('postgres', () => postgresEventStore());

const event = (data: Record<string, unknown> = {}, eventId?: string): NewEvent => ({
  ...(eventId ? { eventId } : {}),
  type: 'thing-happened-v1',
  data,
  metadata: {
    actorId: 'u1',
    actorRoles: ['agent'],
    commandId: randomUUID(),
    correlationId: 'c1',
    causationId: null,
    policyVersion: null,
    schemaVersion: 1,
  },
});

describe('PostgresEventStore', () => {
  let store: PostgresEventStore;
  let url: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ store, url, cleanup } = await postgresEventStore());
  });
  afterEach(() => cleanup());

  it('numbers events densely from 1 across streams and group-committed appends', async () => {
    const results = await Promise.all(
      Array.from({ length: 60 }, (_, i) => store.append(`s-${i % 7}`, [event({ i }), event({ i })], 'any')),
    );
    const all = await store.readAll();
    expect(all.map((e) => e.position)).toEqual(Array.from({ length: 120 }, (_, i) => i + 1));
    expect(await store.headPosition()).toBe(120);
    expect(store.stats().transactions).toBeLessThan(60); // queued appends shared transactions
    for (let s = 0; s < 7; s++) expect(verifyChain(await store.readStream(`s-${s}`)).valid).toBe(true);
    expect(new Set(results.map((r) => r.position)).size).toBe(60);
  });

  it('fails only the append whose event id is already stored; the others of its batch commit', async () => {
    const id = randomUUID();
    await store.append('dup-1', [event({}, id)], 'no_stream');
    const outcomes = await Promise.allSettled([
      store.append('dup-2', [event({ n: 1 })], 'no_stream'),
      store.append('dup-3', [event({ n: 2 }, id)], 'no_stream'),
      store.append('dup-4', [event({ n: 3 })], 'no_stream'),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((outcomes[1] as PromiseRejectedResult).reason).toMatchObject({ code: '23505' });
    expect((await store.readAll()).map((e) => [e.streamId, e.position])).toEqual([
      ['dup-1', 1],
      ['dup-2', 2],
      ['dup-4', 3],
    ]);
  });

  it('a failed expected revision leaves no trace: no position is burnt, the stream stays appendable', async () => {
    await store.append('r-1', [event()], 'no_stream');
    await expect(store.append('r-1', [event()], 5)).rejects.toBeInstanceOf(WrongExpectedRevisionError);
    await store.append('r-1', [event()], 0);
    expect((await store.readAll()).map((e) => e.position)).toEqual([1, 2]);
  });

  it('two stores on the same schema (two instances) share one dense log and one chain per stream', async () => {
    const other = new PostgresEventStore(url, { pollIntervalMs: 50 });
    try {
      await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? store : other).append(`shared-${i % 3}`, [event({ i })], 'any')));
      const fromOther = await other.readAll();
      expect(fromOther.map((e) => e.position)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
      for (let s = 0; s < 3; s++) expect(verifyChain(await store.readStream(`shared-${s}`)).valid).toBe(true);
    } finally {
      await other.close();
    }
  });

  it('stores the exact JSON it hashed (text, not jsonb: key order, big and unicode values survive)', async () => {
    const data = { z: 1, a: [1.5, 'é', '\u0000'], big: 2 ** 60, nested: { b: null, a: true } };
    const { events } = await store.append('json-1', [event(data)], 'no_stream');
    const [read] = await store.readStream('json-1');
    expect(read).toEqual(events[0]);
    expect(verifyChain([read]).valid).toBe(true);
    const client = new Client({ connectionString: url });
    await client.connect();
    const { rows } = await client.query<{ data: string }>('SELECT data FROM es_events');
    await client.end();
    expect(rows[0].data).toBe(JSON.stringify(data));
  });
});

describe('PostgresEventStore when the server drops its connections', () => {
  it('appends again on fresh connections; the subscription catches up on what was appended during the drop, then is woken by NOTIFY again', async () => {
    const { url, cleanup } = await postgresEventStore();
    const name = `es-drop-${randomUUID().slice(0, 8)}`;
    const tagged = new URL(url);
    tagged.searchParams.set('application_name', name);
    // A slow poll, so that delivery within the wait below needs the LISTEN connection (reconnected after the drop).
    const store = new PostgresEventStore(tagged.toString(), { pollIntervalMs: 60_000 });
    const got: string[] = [];
    const errors: unknown[] = [];
    const subscription = store.subscribeToAll(0).subscribe({ next: (e) => got.push(e.streamId), error: (e) => errors.push(e) });
    try {
      await store.append('before-drop', [event()], 'no_stream');
      await waitUntil(() => got.length === 1);

      const admin = new Client({ connectionString: url });
      await admin.connect();
      const { rows } = await admin.query<{ n: string }>(
        'SELECT count(pg_terminate_backend(pid)) AS n FROM pg_stat_activity WHERE application_name = $1',
        [name],
      );
      await admin.end();
      expect(Number(rows[0].n)).toBeGreaterThanOrEqual(2); // the pool's connection(s) and the LISTEN connection

      // Another instance appends while this one has no LISTEN connection: its NOTIFY is lost, the poll is a
      // minute away, so it arrives only by the wake-up the listener gives once it listens again (after ~1 s).
      const other = new PostgresEventStore(url);
      await other.append('during-drop', [event()], 'no_stream');
      await waitUntil(() => got.length === 2);
      // The subscription read that on the pool, and this store appends there: a pooled connection the drop
      // left stale is retried on a fresh one (the stale-connection test below makes that deterministic).
      await expect(store.append('after-drop', [event()], 'no_stream')).resolves.toMatchObject({ position: 3 });
      await waitUntil(() => got.length === 3);
      // The listener listens again: another instance's append reaches this subscription by NOTIFY.
      await other.append('from-other-instance', [event()], 'no_stream');
      await other.close();
      await waitUntil(() => got.length === 4);
      expect(got).toEqual(['before-drop', 'during-drop', 'after-drop', 'from-other-instance']);
      expect(errors).toEqual([]);
    } finally {
      subscription.unsubscribe();
      await store.close();
      await cleanup();
    }
  });
});

describe('PostgresEventStore on pooled connections that went stale while idle', () => {
  it('repeats the read of stream heads (nothing written yet) and plain reads on a fresh connection: the append and the read succeed once', async () => {
    const { url, cleanup } = await postgresEventStore();
    const proxy = await staleConnectionProxy({ host: new URL(url).hostname, port: Number(new URL(url).port || 5432) });
    const proxied = new URL(url);
    proxied.host = `127.0.0.1:${proxy.port}`;
    const store = new PostgresEventStore(proxied.toString(), { poolSize: 2 });
    try {
      await store.append('before-drop', [event()], 'no_stream');
      expect(proxy.dropAll()).toBeGreaterThanOrEqual(1); // the pool's idle connection, dead without knowing
      await expect(store.append('after-drop', [event()], 'no_stream')).resolves.toMatchObject({ position: 2 });
      expect(proxy.dropAll()).toBeGreaterThanOrEqual(1);
      expect((await store.readStream('after-drop')).map((e) => e.revision)).toEqual([0]);
      expect((await store.readAll()).map((e) => e.streamId)).toEqual(['before-drop', 'after-drop']);
      expect(store.stats()).toMatchObject({ appends: 2, events: 2 });
    } finally {
      await store.close();
      await proxy.close();
      await cleanup();
    }
  });

  it('tells a dropped connection from other failures', () => {
    expect(isDroppedConnection(Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }))).toBe(
      true,
    );
    expect(isDroppedConnection(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isDroppedConnection(Object.assign(new Error('duplicate key'), { code: '23505' }))).toBe(false);
    expect(isDroppedConnection(Object.assign(new Error('read only'), { code: '25006' }))).toBe(false);
    expect(isDroppedConnection(undefined)).toBe(false);
  });
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
async function waitUntil(condition: () => boolean, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(10);
  }
}

describe('PostgresEventStore on a database that cannot write', () => {
  it('still reads; appends become a 503-style EventStoreUnwritableError and /health says why; the probe writes beside the log', async () => {
    const { store: writable, url, cleanup } = await postgresEventStore();
    await writable.append('ro-1', [event()], 'no_stream');
    await expect(writable.probeWrite()).resolves.toBeUndefined();
    const readOnly = new URL(url);
    readOnly.searchParams.set('options', `${readOnly.searchParams.get('options')} -c default_transaction_read_only=on`);
    const inner = new PostgresEventStore(readOnly.toString());
    const watched = new WriteHealthEventStore(inner);
    try {
      expect((await watched.readAll()).map((e) => e.streamId)).toEqual(['ro-1']);
      await expect(watched.append('ro-2', [event()], 'no_stream')).rejects.toBeInstanceOf(EventStoreUnwritableError);
      expect(await watched.health.check()).toMatchObject({ writable: false, reason: expect.stringContaining('25006') });
      expect(await writable.readAll()).toHaveLength(1);
    } finally {
      await inner.close();
      await cleanup();
    }
  });
});
