import { AppConfig } from '../config/app-config';
import { loadPseudonymKey } from '../config/pseudonym-key';
import { EventStore } from '../shared/event-sourcing/event-store.port';
import { DataKeyStore } from './data-key-store';
import { PersonalDataEventStore } from './personal-data-event-store';
import { Pseudonymizer } from './pseudonym';
import { openDataKeyStore } from './sql-data-key-store';

/**
 * The log as the service's EVENT_STORE shows it, for processes outside the Nest app (the projection worker
 * thread, the projector, the CLI's rebuild and exports, the what-if worker): personal fields decrypted, or
 * erased. The keys come from the write side's key store (see `openDataKeyStore`), opened on first use and
 * closed with the log.
 */
export function personalDataLog(log: EventStore, config: AppConfig): EventStore {
  const opened = openDataKeyStore(config);
  opened.catch(() => undefined); // surfaced by the first read that needs a key
  const keys: DataKeyStore = {
    getOrCreate: async (ref) => (await opened).store.getOrCreate(ref),
    get: async (kids) => (await opened).store.get(kids),
    erased: async (refs) => (await opened).store.erased(refs),
    destroy: async (ref, at) => (await opened).store.destroy(ref, at),
  };
  const pseudonyms = new Pseudonymizer(loadPseudonymKey({ pseudonymKey: config.pseudonymKey, dataDir: config.dataDir }).key);
  const decorated = new PersonalDataEventStore(log, keys, (customerId) => pseudonyms.customer(customerId));
  const close = decorated.close.bind(decorated);
  decorated.close = async () => {
    await close();
    await (await opened.catch(() => null))?.close();
  };
  return decorated;
}
