import { DynamicModule, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { loadPseudonymKey } from '../config/pseudonym-key';
import { EventStore } from '../shared/event-sourcing/event-store.port';
import { DATA_KEY_STORE, DataKeyStore } from './data-key-store';
import { CustomerErasure } from './erasure/customer-erasure';
import { EraseCustomerRoute } from './erasure/erase-customer.route';
import { PersonalDataEventStore } from './personal-data-event-store';
import { PSEUDONYMIZER, Pseudonymizer } from './pseudonym';
import { openDataKeyStore, OpenedDataKeyStore } from './sql-data-key-store';

const DATA_KEY_STORE_HANDLE = Symbol('DATA_KEY_STORE_HANDLE');

/**
 * The pseudonymizer every analyst-facing output uses (PSEUDONYM_KEY, else DATA_DIR/pseudonym-key) and the
 * customers' data keys (on the write side, beside the log: see `openDataKeyStore`; wrapped by PRIVACY_MASTER_KEY,
 * else DATA_DIR/privacy-master-key). One instance (a static module): the event store's decorator, the read
 * models and the erasure share it.
 */
@Module({
  providers: [
    {
      provide: PSEUDONYMIZER,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) =>
        new Pseudonymizer(loadPseudonymKey({ pseudonymKey: config.pseudonymKey, dataDir: config.dataDir }).key),
    },
    { provide: DATA_KEY_STORE_HANDLE, inject: [APP_CONFIG], useFactory: (config: AppConfig) => openDataKeyStore(config) },
    { provide: DATA_KEY_STORE, inject: [DATA_KEY_STORE_HANDLE], useFactory: (handle: OpenedDataKeyStore) => handle.store },
  ],
  exports: [PSEUDONYMIZER, DATA_KEY_STORE],
})
export class PrivacyModule implements OnApplicationShutdown {
  constructor(@Inject(DATA_KEY_STORE_HANDLE) private readonly keys: OpenedDataKeyStore) {}

  async onApplicationShutdown(): Promise<void> {
    await this.keys.close();
  }
}

/** The erasure route (README "Personal data and erasure"): destroys the keys, records it, rebuilds the read models. */
@Module({})
export class ErasureModule {
  static register(deps: { eventStore: DynamicModule; readSide: DynamicModule }): DynamicModule {
    return {
      module: ErasureModule,
      imports: [PrivacyModule, deps.eventStore, deps.readSide],
      controllers: [EraseCustomerRoute],
      providers: [CustomerErasure],
    };
  }
}

/** For EventStoreModule.register: EVENT_STORE encrypts personal fields with the data keys above. */
export const personalDataDecoration = {
  imports: [PrivacyModule],
  inject: [DATA_KEY_STORE, PSEUDONYMIZER],
  wrap: (store: EventStore, keys: DataKeyStore, pseudonyms: Pseudonymizer) =>
    new PersonalDataEventStore(store, keys, (customerId) => pseudonyms.customer(customerId)),
};
