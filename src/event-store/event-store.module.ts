import { DynamicModule, Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { EVENT_STORE, EventStore } from './domain/event-store.port';
import { EventStoreDbEventStore } from './eventstoredb-event-store';
import { openSqliteEventStore } from './sqlite-event-store';
import { writerThreadAvailable } from './sqlite-writer-thread';

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
  }
}

@Global()
@Module({})
export class EventStoreModule implements OnApplicationShutdown {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  static register(store: EventStore): DynamicModule {
    return { module: EventStoreModule, providers: [{ provide: EVENT_STORE, useValue: store }], exports: [EVENT_STORE] };
  }

  /** Flushes appends still queued for a group commit, then closes. */
  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}
