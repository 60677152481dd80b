import { EventStoreDbEventStore } from '../../../src/event-store/eventstoredb-event-store';
import { eventStoreContract } from '../../contract/event-store.contract';

/**
 * The EventStore contract against a REAL EventStoreDB/KurrentDB node (22.6 or later), the one check the
 * test double (eventstoredb-event-store.spec.ts) cannot replace. Runs only through its own Jest config:
 *   EVENTSTORE_CONNECTION_STRING='esdb://localhost:2113?tls=false' npm run test:eventstoredb
 * Without the variable it fails loudly instead of skipping: a green run must mean the server was reached.
 * Streams are unique per test, so a shared server is fine.
 */
const connectionString = process.env.EVENTSTORE_CONNECTION_STRING;
if (!connectionString) {
  throw new Error('EVENTSTORE_CONNECTION_STRING is not set: this suite only runs against a real EventStoreDB');
}

eventStoreContract('eventstoredb (real server)', async () => {
  const store = EventStoreDbEventStore.fromConnectionString(connectionString);
  return { store, cleanup: () => store.close() };
});
