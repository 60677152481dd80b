import { DynamicModule, Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { EVENT_STORE, EventStore } from './domain/event-store.port';
import { EventStoreDbEventStore } from './eventstoredb-event-store';
import { openSqliteEventStore } from './sqlite-event-store';

export function createEventStore(config: AppConfig): EventStore {
  switch (config.eventStore) {
    case 'embedded':
      return openSqliteEventStore(config.dataDir);
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
