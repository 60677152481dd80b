import { Logger } from '@nestjs/common';
import Database from 'better-sqlite3';
import { BehaviorSubject, bufferTime, filter, firstValueFrom, Subscription, timeout } from 'rxjs';
import { EventStore, StoredEvent } from '../event-store/domain/event-store.port';

/** A read model fed from the global log. `apply` runs inside the runner's transaction. */
export interface SqliteProjection {
  readonly name: string;
  /** Creates its tables (idempotent). */
  migrate(db: Database.Database): void;
  apply(db: Database.Database, event: StoredEvent): void;
}

/**
 * Feeds one projection from its stored checkpoint: each batch of events and the new checkpoint commit in
 * one transaction, so every event takes effect exactly once, also across a crash. The log is the source;
 * the in-process event bus is never relied on for delivery.
 */
export class ProjectionRunner {
  private readonly logger: Logger;
  private readonly position$: BehaviorSubject<number>;
  private subscription: Subscription | null = null;
  private failure: Error | null = null;

  constructor(
    private readonly db: Database.Database,
    private readonly store: EventStore,
    private readonly projection: SqliteProjection,
  ) {
    this.logger = new Logger(`Projection:${projection.name}`);
    projection.migrate(db);
    const row = db.prepare('SELECT position FROM projection_checkpoints WHERE name = ?').get(projection.name) as { position: number } | undefined;
    this.position$ = new BehaviorSubject(row?.position ?? 0);
  }

  get position(): number {
    return this.position$.value;
  }

  get error(): Error | null {
    return this.failure;
  }

  start(): void {
    if (this.subscription) return;
    const saveCheckpoint = this.db.prepare(
      `INSERT INTO projection_checkpoints (name, position, updated_at) VALUES (?, ?, ?)
       ON CONFLICT(name) DO UPDATE SET position = excluded.position, updated_at = excluded.updated_at`,
    );
    const applyBatch = this.db.transaction((events: StoredEvent[]) => {
      for (const event of events) this.projection.apply(this.db, event);
      saveCheckpoint.run(this.projection.name, events[events.length - 1].position, new Date().toISOString());
    });
    this.subscription = this.store
      .subscribeToAll(this.position)
      .pipe(
        bufferTime(20, null, 1000),
        filter((events) => events.length > 0),
      )
      .subscribe({
        next: (events) => {
          try {
            applyBatch.immediate(events);
            this.position$.next(events[events.length - 1].position);
          } catch (error) {
            // Stop loudly on the first event the projection cannot apply: never skip it silently.
            this.failure = new Error(`projection ${this.projection.name} failed at or after position ${events[0].position}: ${(error as Error).message}`);
            this.logger.error(this.failure.message);
            this.stop();
          }
        },
        error: (error: Error) => {
          this.failure = error;
          this.logger.error(`subscription failed: ${error.message}`);
        },
      });
  }

  /** Resolves once the projection has applied every event up to `position`, or rejects after `timeoutMs`. */
  async waitFor(position: number, timeoutMs = 2000): Promise<void> {
    if (this.position >= position) return;
    await firstValueFrom(this.position$.pipe(filter((p) => p >= position), timeout(timeoutMs)));
  }

  stop(): void {
    this.subscription?.unsubscribe();
    this.subscription = null;
  }
}
