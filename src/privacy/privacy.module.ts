import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
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
 * The pseudonymizer every analyst-facing output uses (PSEUDONYM_KEY, else DATA_DIR/pseudonym-key), the
 * customers' data keys (on the write side, beside the log: see `openDataKeyStore`; wrapped by PRIVACY_MASTER_KEY,
 * else DATA_DIR/privacy-master-key)
 * and the erasure route. The event-store decorator is built by EventStoreModule with `personalDataDecoration`.
 */
@Global()
@Module({
  controllers: [EraseCustomerRoute],
  providers: [
    {
      provide: PSEUDONYMIZER,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) =>
        new Pseudonymizer(loadPseudonymKey({ pseudonymKey: config.pseudonymKey, dataDir: config.dataDir }).key),
    },
    { provide: DATA_KEY_STORE_HANDLE, inject: [APP_CONFIG], useFactory: (config: AppConfig) => openDataKeyStore(config) },
    { provide: DATA_KEY_STORE, inject: [DATA_KEY_STORE_HANDLE], useFactory: (handle: OpenedDataKeyStore) => handle.store },
    CustomerErasure,
  ],
  exports: [PSEUDONYMIZER, DATA_KEY_STORE],
})
export class PrivacyModule implements OnApplicationShutdown {
  constructor(@Inject(DATA_KEY_STORE_HANDLE) private readonly keys: OpenedDataKeyStore) {}

  async onApplicationShutdown(): Promise<void> {
    await this.keys.close();
  }
}

/** For EventStoreModule.register: EVENT_STORE encrypts personal fields with the data keys above. */
export const personalDataDecoration = {
  inject: [DATA_KEY_STORE, PSEUDONYMIZER],
  wrap: (store: EventStore, keys: DataKeyStore, pseudonyms: Pseudonymizer) =>
    new PersonalDataEventStore(store, keys, (customerId) => pseudonyms.customer(customerId)),
};
