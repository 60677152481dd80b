import { Global, Module } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { loadPrivacyMasterKey } from '../config/privacy-master-key';
import { loadPseudonymKey } from '../config/pseudonym-key';
import { READ_STORE, ReadStore } from '../read-side/store/read-store';
import { EventStore } from '../shared/event-sourcing/event-store.port';
import { DATA_KEY_STORE, DataKeyStore } from './data-key-store';
import { CustomerErasure } from './erasure/customer-erasure';
import { EraseCustomerRoute } from './erasure/erase-customer.route';
import { PersonalDataEventStore } from './personal-data-event-store';
import { PSEUDONYMIZER, Pseudonymizer } from './pseudonym';
import { migratePersonalDataKeys, ReadStoreDataKeyStore } from './read-store-data-key-store';

/**
 * The pseudonymizer every analyst-facing output uses (PSEUDONYM_KEY, else DATA_DIR/pseudonym-key), the
 * customers' data keys (a table in the read store, wrapped by PRIVACY_MASTER_KEY, else DATA_DIR/privacy-master-key)
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
    {
      provide: DATA_KEY_STORE,
      inject: [READ_STORE, APP_CONFIG],
      useFactory: async (readStore: ReadStore, config: AppConfig) => {
        await migratePersonalDataKeys(readStore.db);
        return new ReadStoreDataKeyStore(readStore.db, loadPrivacyMasterKey(config));
      },
    },
    CustomerErasure,
  ],
  exports: [PSEUDONYMIZER, DATA_KEY_STORE],
})
export class PrivacyModule {}

/** For EventStoreModule.register: EVENT_STORE encrypts personal fields with the data keys above. */
export const personalDataDecoration = {
  inject: [DATA_KEY_STORE, PSEUDONYMIZER],
  wrap: (store: EventStore, keys: DataKeyStore, pseudonyms: Pseudonymizer) =>
    new PersonalDataEventStore(store, keys, (customerId) => pseudonyms.customer(customerId)),
};
