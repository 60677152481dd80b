import { Observable } from 'rxjs';
import {
  AppendResult,
  EventStore,
  ExpectedRevision,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  StoredEvent,
} from '../shared/event-sourcing/event-store.port';

/** How long a client is told to wait (Retry-After) when the event store cannot write. */
export const UNWRITABLE_RETRY_AFTER_SECONDS = 10;
/** /health probes an unwritable store at most this often. */
const PROBE_INTERVAL_MS = 1000;

// PostgreSQL (EVENT_STORE=postgres): 53100 disk_full, 58030 io_error, 25006 read_only_sql_transaction (e.g. a standby).
const FAULT_CODES = new Set(['SQLITE_FULL', 'SQLITE_CANTOPEN', 'ENOSPC', 'EROFS', 'EDQUOT', 'EIO', '53100', '58030', '25006']);
const FAULT_CODE_PREFIXES = ['SQLITE_READONLY', 'SQLITE_IOERR'];
/** The same faults when only the message survived (e.g. a thread boundary that kept no code). */
const FAULT_MESSAGE =
  /database or disk is full|attempt to write a readonly database|disk I\/O error|\bENOSPC\b|\bEROFS\b|no space left on device|read-only file system/i;

/**
 * A full, read-only or failing disk (SQLite's SQLITE_FULL, SQLITE_READONLY*, SQLITE_IOERR*, SQLITE_CANTOPEN,
 * or the system's ENOSPC, EROFS, EDQUOT, EIO): the store cannot write now, and may again once space returns.
 */
export function isStorageFault(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && (FAULT_CODES.has(code) || FAULT_CODE_PREFIXES.some((prefix) => code.startsWith(prefix)))) return true;
  return FAULT_MESSAGE.test((error as Error | null)?.message ?? '');
}

/** An append refused because the event store cannot write: nothing was recorded; retry later (HTTP 503). */
export class EventStoreUnwritableError extends Error {
  readonly code = 'EVENT_STORE_UNWRITABLE';
  constructor(readonly reason: string) {
    super(`the event store is not writable (${reason}); nothing was recorded, retry later`);
    this.name = 'EventStoreUnwritableError';
  }
}

/** A store that can tell, without touching the log, whether it could write now. */
interface ProbedStore {
  probeWrite?(): Promise<void>;
}

export interface WriteStatus {
  writable: boolean;
  /** Why not, and since when (ISO-8601), while not writable. */
  reason?: string;
  since?: string;
}

/**
 * Whether the event store can write, as its appends tell: a storage fault turns it unwritable, the next
 * append that commits turns it writable again. While unwritable, `check()` (what /health calls) also probes
 * the store, so that it recovers by itself when space returns even when no write comes in (a load balancer
 * stops sending any while /health says 503).
 */
export class EventStoreWriteHealth {
  private fault: { reason: string; since: string } | null = null;
  private lastProbe = 0;
  private probing: Promise<void> | null = null;

  constructor(private readonly store: EventStore & ProbedStore) {}

  status(): WriteStatus {
    return this.fault ? { writable: false, ...this.fault } : { writable: true };
  }

  failed(error: unknown): void {
    const reason = describeFault(error);
    this.fault = { reason, since: this.fault?.since ?? new Date().toISOString() };
  }

  succeeded(): void {
    this.fault = null;
  }

  /** The status, after probing the store when it is unwritable (at most once a second; concurrent calls share it). */
  async check(): Promise<WriteStatus> {
    if (this.fault && this.store.probeWrite && Date.now() - this.lastProbe >= PROBE_INTERVAL_MS) {
      this.probing ??= this.probe(this.store.probeWrite.bind(this.store)).finally(() => (this.probing = null));
    }
    await this.probing;
    return this.status();
  }

  private async probe(probeWrite: () => Promise<void>): Promise<void> {
    this.lastProbe = Date.now();
    try {
      await probeWrite();
      this.succeeded();
    } catch (error) {
      if (isStorageFault(error)) this.failed(error);
      else this.succeeded(); // not a disk fault (e.g. closed): appends will tell
    }
  }
}

function describeFault(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  const message = ((error as Error | null)?.message ?? String(error)).slice(0, 200);
  return typeof code === 'string' && !message.includes(code) ? `${code}: ${message}` : message;
}

/**
 * The application's event store: the configured one, with every append watched by EventStoreWriteHealth.
 * A storage fault becomes EventStoreUnwritableError (503 with Retry-After); any other error passes unchanged.
 */
export class WriteHealthEventStore implements EventStore {
  readonly health: EventStoreWriteHealth;

  constructor(private readonly inner: EventStore & ProbedStore) {
    this.health = new EventStoreWriteHealth(inner);
  }

  async append(streamId: string, events: NewEvent[], expectedRevision: ExpectedRevision): Promise<AppendResult> {
    try {
      const result = await this.inner.append(streamId, events, expectedRevision);
      this.health.succeeded();
      return result;
    } catch (error) {
      if (!isStorageFault(error)) throw error;
      this.health.failed(error);
      throw new EventStoreUnwritableError(describeFault(error));
    }
  }

  readStream(streamId: string, options?: ReadStreamOptions): Promise<StoredEvent[]> {
    return this.inner.readStream(streamId, options);
  }

  readAll(options?: ReadAllOptions): Promise<StoredEvent[]> {
    return this.inner.readAll(options);
  }

  readPositions(positions: readonly number[]): Promise<StoredEvent[]> {
    return this.inner.readPositions(positions);
  }

  subscribeToAll(after?: number): Observable<StoredEvent> {
    return this.inner.subscribeToAll(after);
  }

  headPosition(): Promise<number> {
    return this.inner.headPosition();
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
