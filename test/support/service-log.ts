import type { AppConfig } from '../../src/config/app-config';
import { openSqliteEventStore } from '../../src/event-store/sqlite-event-store';
import { personalDataLog } from '../../src/privacy/protect-log';
import { EventStore } from '../../src/shared/event-sourcing/event-store.port';

/**
 * A service's embedded log read offline as the service reads it: personal fields decrypted with the keys beside
 * it (DATA_DIR/data-keys.db, the master and pseudonym keys generated under DATA_DIR), as the projector and the
 * CLI read it. Rebuilding read models from the raw log would project sealed envelopes.
 */
export function serviceLog(dataDir: string): EventStore {
  const config = { dataDir, privacyMasterKey: null, pseudonymKey: null, dataKeysDatabaseUrl: null } as AppConfig;
  return personalDataLog(openSqliteEventStore(dataDir), config);
}
