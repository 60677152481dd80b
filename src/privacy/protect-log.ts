import { Kysely } from 'kysely';
import { AppConfig } from '../config/app-config';
import { loadPrivacyMasterKey } from '../config/privacy-master-key';
import { loadPseudonymKey } from '../config/pseudonym-key';
import { EventStore } from '../shared/event-sourcing/event-store.port';
import { PersonalDataEventStore } from './personal-data-event-store';
import { Pseudonymizer } from './pseudonym';
import { migratePersonalDataKeys, ReadStoreDataKeyStore } from './read-store-data-key-store';

/**
 * The log as the service's EVENT_STORE shows it, for processes outside the Nest app (the projection worker
 * thread, the projector, the CLI's rebuild and exports): personal fields decrypted, or erased. The keys table
 * must exist: a process that may be the first to open the read store runs `migratedPersonalDataLog`.
 */
export function personalDataLog(log: EventStore, db: Kysely<any>, config: AppConfig): EventStore {
  const keys = new ReadStoreDataKeyStore(db, loadPrivacyMasterKey(config));
  const pseudonyms = new Pseudonymizer(loadPseudonymKey({ pseudonymKey: config.pseudonymKey, dataDir: config.dataDir }).key);
  return new PersonalDataEventStore(log, keys, (customerId) => pseudonyms.customer(customerId));
}

/** The same, creating the keys table first (the CLI and the projector may open a fresh read store). */
export async function migratedPersonalDataLog(log: EventStore, db: Kysely<any>, config: AppConfig): Promise<EventStore> {
  await migratePersonalDataKeys(db);
  return personalDataLog(log, db, config);
}
