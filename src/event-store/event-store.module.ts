import { DynamicModule, Inject, InjectionToken, Module, OnApplicationShutdown, Type } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { EVENT_STORE, EventStore, RAW_EVENT_STORE } from '../shared/event-sourcing/event-store.port';
import { EventStoreDbEventStore } from './eventstoredb-event-store';
import { EventStoreLifecycle } from './event-store-lifecycle';
import { PostgresEventStore } from './postgres-event-store';
import { openSqliteEventStore } from './sqlite-event-store';
import { writerThreadAvailable } from './sqlite-writer-thread';
import { EventStoreWriteHealth, WriteHealthEventStore } from './write-health';

/**
 * The configured log. The service's embedded log commits in a writer thread when it runs compiled; a process
 * that only reads or rarely writes (the projection worker, tools) passes `writerThread: false`.
 */
export function createEventStore(config: AppConfig, options: { writerThread?: boolean } = {}): EventStore {
  switch (config.eventStore) {
    case 'embedded':
      return openSqliteEventStore(config.dataDir, { writerThread: (options.writerThread ?? true) && writerThreadAvailable() });
    case 'eventstoredb':
      return EventStoreDbEventStore.fromConnectionString(config.eventStoreConnectionString!);
    case 'postgres':
      return new PostgresEventStore(config.eventStoreDatabaseUrl!);
  }
}

/** A decorator of the log built by Nest: its dependencies' tokens, and the function that wraps the log. */
export interface EventStoreDecoration {
  /** The modules that provide its dependencies. */
  imports?: Type<unknown>[];
  inject: InjectionToken[];
  wrap(store: EventStore, ...deps: any[]): EventStore;
}

@Module({})
export class EventStoreModule implements OnApplicationShutdown {
  constructor(
    @Inject(RAW_EVENT_STORE) private readonly store: EventStore,
    private readonly lifecycle: EventStoreLifecycle,
  ) {}

  /**
   * The application sees the store through WriteHealthEventStore: a full or read-only disk is a 503, and /health
   * says so. `decorate` wraps it once more for EVENT_STORE (the personal-data encryption, src/privacy/), with
   * its dependencies injected; RAW_EVENT_STORE stays the undecorated log, for the audit trail.
   */
  static register(store: EventStore, decorate?: EventStoreDecoration): DynamicModule {
    const watched = new WriteHealthEventStore(store);
    return {
      module: EventStoreModule,
      imports: decorate?.imports ?? [],
      providers: [
        { provide: RAW_EVENT_STORE, useValue: watched },
        decorate
          ? { provide: EVENT_STORE, inject: decorate.inject, useFactory: (...deps: unknown[]) => decorate.wrap(watched, ...deps) }
          : { provide: EVENT_STORE, useValue: watched },
        { provide: EventStoreWriteHealth, useValue: watched.health },
        { provide: EventStoreLifecycle, useValue: new EventStoreLifecycle() },
      ],
      exports: [EVENT_STORE, RAW_EVENT_STORE, EventStoreWriteHealth, EventStoreLifecycle],
    };
  }

  /** Runs the before-close hooks (the last audit checkpoint), flushes appends still queued for a group commit, then closes. */
  async onApplicationShutdown(): Promise<void> {
    await this.lifecycle.runBeforeClose();
    await this.store.close();
  }
}
