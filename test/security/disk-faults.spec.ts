import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { ArgumentsHost } from '@nestjs/common';
import { ProblemFilter } from '../../src/common/http/problem.filter';
import { EventStore } from '../../src/shared/event-sourcing/event-store.port';
import { openSqliteEventStore, SqliteEventStore } from '../../src/event-store/sqlite-event-store';
import {
  EventStoreUnwritableError,
  EventStoreWriteHealth,
  isStorageFault,
  UNWRITABLE_RETRY_AFTER_SECONDS,
  WriteHealthEventStore,
} from '../../src/event-store/write-health';
import { statusOfError } from '../../src/ops/instrumentation';
import { ensureBuilt } from '../support/child-server';
import { fileBody, Reply, tokenFor } from '../support/http-client';
import { removeDir, startTestApp, TestApp } from '../support/test-app';

/**
 * Issue #12, finding 7 (faults): on a full disk writes answered 500 while /health stayed 200. Now a full or
 * read-only disk answers 503 with Retry-After, /health reports the event store unwritable (503), and writes
 * resume by themselves when space returns.
 */
const SUPERVISOR = tokenFor('supervisor', 'sup-disk');
const ADMIN = tokenFor('admin', 'admin-disk');

const fault = (code: string, message: string) => Object.assign(new Error(message), { code });

/** The real SQLite store, whose appends and write probes fail with `code` while `failing` is set. */
function faultyStore(store: SqliteEventStore, code = 'SQLITE_FULL') {
  const control = { failing: false, probes: 0 };
  const proxy = new Proxy(store, {
    get(target, property, receiver) {
      if (property === 'append') {
        return async (...args: Parameters<EventStore['append']>) => {
          if (control.failing)
            throw fault(code, code === 'SQLITE_FULL' ? 'database or disk is full' : 'attempt to write a readonly database');
          return target.append(...args);
        };
      }
      if (property === 'probeWrite') {
        return async () => {
          control.probes++;
          if (control.failing) throw fault(code, 'still failing');
          return target.probeWrite();
        };
      }
      return Reflect.get(target, property, receiver);
    },
  });
  return { store: proxy, control };
}

async function eventually<T>(read: () => Promise<T>, until: (value: T) => boolean, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (until(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('a full disk under the event store (injected SQLITE_FULL)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'casetrail-disk-'));
  const { store, control } = faultyStore(openSqliteEventStore(dataDir));
  let t: TestApp;
  let disputeId: string;
  beforeAll(async () => {
    t = await startTestApp({ dataDir, eventStore: store });
    disputeId = (await t.http.post('/api/v1/disputes', SUPERVISOR, fileBody({ customerId: 'disk-1' }))).body.id;
  });
  afterAll(async () => {
    control.failing = false;
    await t.close();
    removeDir(dataDir);
  });

  it('answers writes 503 with Retry-After and the problem body, reports /health 503 naming the event store, and writes nothing', async () => {
    const before = await t.http.get(`/api/v1/disputes/${disputeId}`, SUPERVISOR);
    const headBefore = (await t.http.get('/health')).body.eventStore.headPosition;
    control.failing = true;

    const ack = await t.http.post(`/api/v1/disputes/${disputeId}/acknowledge`, SUPERVISOR, { message: 'hi' });
    expect(ack.status).toBe(503);
    expect(ack.headers.get('retry-after')).toBe(String(UNWRITABLE_RETRY_AFTER_SECONDS));
    expect(ack.body).toMatchObject({ statusCode: 503, error: 'Service Unavailable', details: { store: 'eventStore', writable: false } });
    expect(ack.body.message).toMatch(/the event store is not writable .*SQLITE_FULL.*retry later/);
    const filed = await t.http.post('/api/v1/disputes', SUPERVISOR, fileBody({ customerId: 'disk-2' }));
    expect(filed.status).toBe(503);
    expect(filed.headers.get('retry-after')).toBe(String(UNWRITABLE_RETRY_AFTER_SECONDS));
    // Every writer goes through the same store: the SLA administration too.
    const window = await t.http.post('/api/v1/sla/peak-windows', ADMIN, {
      start: '2031-01-01T00:00:00Z',
      end: '2031-01-02T00:00:00Z',
      extensionPercent: 10,
      reason: 'sale',
    });
    expect(window.status).toBe(503);

    const health = await t.http.get('/health');
    expect(health.status).toBe(503);
    expect(health.body.status).toBe('degraded');
    expect(health.body.eventStore).toMatchObject({ status: 'down', writable: false, headPosition: headBefore });
    expect(health.body.eventStore.error).toMatch(/the event store is not writable: SQLITE_FULL/);
    expect(health.body.details.eventStore).toMatchObject({ status: 'down', writable: false });
    // Reads keep working, and nothing moved.
    const after = await t.http.get(`/api/v1/disputes/${disputeId}`, SUPERVISOR);
    expect(after.status).toBe(200);
    expect(after.headers.get('etag')).toBe(before.headers.get('etag'));
    expect((await t.http.get(`/api/v1/disputes/${disputeId}/events`, SUPERVISOR)).body.items).toHaveLength(1);
    // The metrics count the refusals as 503, not as failures of the code.
    const metrics = await t.http.get('/metrics');
    expect(metrics.body).toMatch(/casetrail_commands_total\{command="AcknowledgeDispute",outcome="failed",status="503"\} 1/);
  });

  it('recovers by itself when space returns: /health probes the store without any write, then writes go through', async () => {
    control.failing = true;
    expect((await t.http.get('/health')).status).toBe(503);
    const probes = control.probes;
    control.failing = false;
    const health = await eventually(
      () => t.http.get('/health'),
      (r) => r.status === 200,
    );
    expect(health.status).toBe(200);
    expect(health.body.eventStore).toMatchObject({ status: 'up', writable: true });
    expect(control.probes).toBeGreaterThan(probes);
    const ack = await t.http.post(`/api/v1/disputes/${disputeId}/acknowledge`, SUPERVISOR, { message: 'hi' });
    expect(ack.status).toBe(200);
    expect(ack.headers.get('etag')).toBe('"2"');
  });

  it('a write that succeeds marks the store writable again, even before /health looks', async () => {
    control.failing = true;
    expect(
      (await t.http.post(`/api/v1/disputes/${disputeId}/assign`, SUPERVISOR, { agentId: 'agent-1', department: 'after-sales' })).status,
    ).toBe(503);
    control.failing = false;
    expect(
      (await t.http.post(`/api/v1/disputes/${disputeId}/assign`, SUPERVISOR, { agentId: 'agent-1', department: 'after-sales' })).status,
    ).toBe(200);
    expect((await t.http.get('/health')).status).toBe(200);
  });
});

describe('a read-only event store (injected SQLITE_READONLY)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'casetrail-ro-'));
  const { store, control } = faultyStore(openSqliteEventStore(dataDir), 'SQLITE_READONLY');
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ dataDir, eventStore: store });
  });
  afterAll(async () => {
    await t.close();
    removeDir(dataDir);
  });

  it('answers 503 with Retry-After, and 201 again once writable', async () => {
    control.failing = true;
    const refused = await t.http.post('/api/v1/disputes', SUPERVISOR, fileBody({ customerId: 'ro-1' }));
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe(String(UNWRITABLE_RETRY_AFTER_SECONDS));
    expect((await t.http.get('/health')).body.eventStore.error).toMatch(/SQLITE_READONLY/);
    control.failing = false;
    expect((await t.http.post('/api/v1/disputes', SUPERVISOR, fileBody({ customerId: 'ro-1' }))).status).toBe(201);
    expect(
      (
        await eventually(
          () => t.http.get('/health'),
          (r) => r.status === 200,
        )
      ).status,
    ).toBe(200);
  });
});

describe('a real SQLITE_FULL from SQLite (max_page_count reached), through the store', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'casetrail-full-'));
  const sqlite = openSqliteEventStore(dataDir);
  const db = (sqlite as unknown as { db: Database.Database }).db;
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ dataDir, eventStore: sqlite });
  });
  afterAll(async () => {
    await t.close();
    removeDir(dataDir);
  });

  it('refuses with 503 while the database cannot grow, and takes writes again when it can', async () => {
    expect((await t.http.post('/api/v1/disputes', SUPERVISOR, fileBody({ customerId: 'full-0' }))).status).toBe(201);
    const pages = db.pragma('page_count', { simple: true }) as number;
    db.pragma(`max_page_count = ${pages}`); // the disk is full: no page more
    const long = 'x'.repeat(3900);
    const refused = await t.http.post('/api/v1/disputes', SUPERVISOR, fileBody({ customerId: 'full-1', description: long }));
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe(String(UNWRITABLE_RETRY_AFTER_SECONDS));
    const health = await t.http.get('/health');
    expect(health.status).toBe(503);
    expect(health.body.eventStore.error).toMatch(/SQLITE_FULL|full/);
    db.pragma('max_page_count = 1073741823'); // space returns
    expect(
      (
        await eventually(
          () => t.http.get('/health'),
          (r) => r.status === 200,
        )
      ).status,
    ).toBe(200);
    expect((await t.http.post('/api/v1/disputes', SUPERVISOR, fileBody({ customerId: 'full-1', description: long }))).status).toBe(201);
  });
});

describe('the error mapping', () => {
  it('knows the storage faults by code, and by message where only that survived', () => {
    for (const code of [
      'SQLITE_FULL',
      'SQLITE_READONLY',
      'SQLITE_READONLY_DBMOVED',
      'SQLITE_IOERR',
      'SQLITE_IOERR_WRITE',
      'SQLITE_IOERR_FSYNC',
      'SQLITE_CANTOPEN',
      'ENOSPC',
      'EROFS',
      'EDQUOT',
      'EIO',
      '53100', // PostgreSQL disk_full
      '58030', // PostgreSQL io_error
      '25006', // PostgreSQL read_only_sql_transaction
    ]) {
      expect(isStorageFault(fault(code, 'x'))).toBe(true);
    }
    for (const message of [
      'database or disk is full',
      'attempt to write a readonly database',
      'disk I/O error',
      'ENOSPC: no space left on device, write',
      'EROFS: read-only file system',
    ]) {
      expect(isStorageFault(new Error(message))).toBe(true);
    }
    for (const other of [
      fault('SQLITE_BUSY', 'database is locked'),
      fault('SQLITE_CONSTRAINT_UNIQUE', 'UNIQUE constraint failed'),
      fault('ECONNREFUSED', 'x'),
      fault('23505', 'duplicate key value violates unique constraint'),
      new Error('boom'),
      null,
      undefined,
    ]) {
      expect(isStorageFault(other)).toBe(false);
    }
  });

  it('the store wrapper turns a storage fault into EventStoreUnwritableError and passes every other error unchanged', async () => {
    let next: unknown = fault('SQLITE_IOERR_WRITE', 'disk I/O error');
    const inner = { append: async () => Promise.reject(next) } as unknown as EventStore;
    const store = new WriteHealthEventStore(inner);
    await expect(store.append('s', [], 'any')).rejects.toBeInstanceOf(EventStoreUnwritableError);
    expect(store.health.status()).toMatchObject({ writable: false, reason: expect.stringContaining('SQLITE_IOERR_WRITE') });
    next = new Error('boom');
    await expect(store.append('s', [], 'any')).rejects.toBe(next);
    // Without a probe, the store stays unwritable until an append commits.
    expect((await store.health.check()).writable).toBe(false);
  });

  it('maps EventStoreUnwritableError and raw storage faults to 503 with Retry-After, everywhere', () => {
    const answer = (exception: unknown) => {
      const reply = { statusCode: 0, headers: {} as Record<string, string>, body: undefined as unknown } as {
        statusCode: number;
        headers: Record<string, string>;
        body: any;
        status(s: number): unknown;
        header(n: string, v: string): unknown;
        send(b: unknown): unknown;
      };
      reply.status = (s: number) => ((reply.statusCode = s), reply);
      reply.header = (n: string, v: string) => ((reply.headers[n.toLowerCase()] = v), reply);
      reply.send = (b: unknown) => ((reply.body = b), reply);
      const host = { switchToHttp: () => ({ getResponse: () => reply }) } as unknown as ArgumentsHost;
      new ProblemFilter().catch(exception, host);
      return reply;
    };
    const unwritable = answer(new EventStoreUnwritableError('SQLITE_FULL: database or disk is full'));
    expect(unwritable).toMatchObject({ statusCode: 503, headers: { 'retry-after': String(UNWRITABLE_RETRY_AFTER_SECONDS) } });
    expect(unwritable.body).toMatchObject({
      statusCode: 503,
      error: 'Service Unavailable',
      message: expect.stringMatching(/^the event store is not writable/),
    });
    const raw = answer(fault('ENOSPC', 'ENOSPC: no space left on device'));
    expect(raw).toMatchObject({ statusCode: 503, headers: { 'retry-after': String(UNWRITABLE_RETRY_AFTER_SECONDS) } });
    expect(answer(new Error('boom')).statusCode).toBe(500);
    expect(statusOfError(new EventStoreUnwritableError('x'))).toBe(503);
  });

  it('the write health probes at most once a second and shares a probe in flight', async () => {
    let probes = 0;
    const health = new EventStoreWriteHealth({ probeWrite: async () => void probes++ } as unknown as EventStore);
    health.failed(fault('SQLITE_FULL', 'full'));
    await Promise.all([health.check(), health.check(), health.check()]);
    expect(probes).toBe(1);
    expect(health.status().writable).toBe(true);
  });
});

/**
 * A real full disk: the event store alone on a 1 MB tmpfs, committing in its writer thread (compiled code, as
 * the service runs), the rest of DATA_DIR elsewhere. Needs root (mount); skipped, saying so, where it is not.
 */
describe('a real full filesystem under the writer thread (tmpfs of 1 MB)', () => {
  const mountPoint = mkdtempSync(join(tmpdir(), 'casetrail-tinyfs-'));
  const dataDir = mkdtempSync(join(tmpdir(), 'casetrail-tinyfs-data-'));
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', mountPoint]).status === 0;
  const filler = join(mountPoint, 'filler');
  let t: TestApp | undefined;
  let store: SqliteEventStore | undefined;

  beforeAll(async () => {
    if (!mounted) return;
    ensureBuilt();
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const compiled = require('../../dist/event-store/sqlite-event-store') as typeof import('../../src/event-store/sqlite-event-store');
    store = compiled.openSqliteEventStore(join(mountPoint, 'log'), { writerThread: true });
    if (store.stats().writerThread !== true || typeof store.probeWrite !== 'function') throw new Error('dist/ is stale: run npm run build');
    t = await startTestApp({ dataDir, eventStore: store });
  });
  afterAll(async () => {
    if (existsSync(filler)) unlinkSync(filler);
    await t?.close();
    if (mounted) spawnSync('umount', [mountPoint]);
    removeDir(mountPoint);
    removeDir(dataDir);
  });

  /** Takes every free byte of the filesystem. */
  function fillDisk(): void {
    const fd = openSync(filler, 'w');
    const chunk = Buffer.alloc(16 * 1024);
    try {
      for (;;) writeSync(fd, chunk);
    } catch (error) {
      if ((error as { code?: string }).code !== 'ENOSPC') throw error;
    } finally {
      closeSync(fd);
    }
  }

  (mounted ? it : it.skip)(
    'answers 503 with Retry-After while the disk is full, /health says so, and both recover when space returns',
    async () => {
      const http = t!.http;
      expect((await http.post('/api/v1/disputes', SUPERVISOR, fileBody({ customerId: 'tiny-0' }))).status).toBe(201);
      fillDisk();
      // The log's WAL may still have room for a few commits: file until the disk refuses.
      let refused: Reply | undefined;
      let accepted = 0;
      for (let i = 0; i < 500 && !refused; i++) {
        const r = await http.post('/api/v1/disputes', SUPERVISOR, fileBody({ customerId: `tiny-${i + 1}`, description: 'x'.repeat(3900) }));
        if (r.status === 201) accepted++;
        else refused = r;
      }
      expect(refused?.status).toBe(503);
      expect(refused?.headers.get('retry-after')).toBe(String(UNWRITABLE_RETRY_AFTER_SECONDS));
      expect(refused?.body.message).toMatch(/the event store is not writable \((SQLITE_FULL|SQLITE_IOERR)/);
      const head = (await http.get('/health')).body.eventStore.headPosition;
      expect(head).toBe(1 + accepted);
      const down = await http.get('/health');
      expect(down.status).toBe(503);
      expect(down.body.eventStore).toMatchObject({ status: 'down', writable: false });
      // Still full: a second write is refused the same way, and nothing was written.
      expect(
        (await http.post('/api/v1/disputes', SUPERVISOR, fileBody({ customerId: 'tiny-again', description: 'x'.repeat(3900) }))).status,
      ).toBe(503);
      expect((await http.get('/health')).body.eventStore.headPosition).toBe(head);

      unlinkSync(filler); // space returns
      const up = await eventually(
        () => http.get('/health'),
        (r) => r.status === 200,
      );
      expect(up.status).toBe(200);
      expect(up.body.eventStore).toMatchObject({ status: 'up', writable: true });
      expect(
        (await http.post('/api/v1/disputes', SUPERVISOR, fileBody({ customerId: 'tiny-after', description: 'x'.repeat(3900) }))).status,
      ).toBe(201);
    },
  );
});
