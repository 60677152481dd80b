import { randomBytes } from 'node:crypto';
import { EventStoreDbEventStore } from '../../../src/event-store/eventstoredb-event-store';
import { InMemoryEventStore } from '../../../src/event-store/in-memory-event-store';
import { InMemoryDataKeyStore } from '../../../src/privacy/data-key-store';
import { PersonalDataEventStore } from '../../../src/privacy/personal-data-event-store';
import { Pseudonymizer } from '../../../src/privacy/pseudonym';
import { EventStore } from '../../../src/shared/event-sourcing/event-store.port';
import { eventStoreContract } from '../../contract/event-store.contract';
import { EsdbTestDouble, startEsdbTestDouble } from '../../support/esdb-test-double/start-esdb-test-double';

/** The personal-data decorator keeps every promise of the port, around the in-memory store and the EventStoreDB adapter. */
const pseudonyms = new Pseudonymizer(randomBytes(32));
const decorate = (inner: EventStore) =>
  new PersonalDataEventStore(inner, new InMemoryDataKeyStore(randomBytes(32)), (id) => pseudonyms.customer(id));

eventStoreContract('personal-data decorator around in-memory', async () => {
  const store = decorate(new InMemoryEventStore());
  return { store, cleanup: () => store.close() };
});

let double: EsdbTestDouble;
beforeAll(async () => {
  double = await startEsdbTestDouble();
});
afterAll(async () => {
  await double?.stop();
});

eventStoreContract('personal-data decorator around eventstoredb (gRPC test double)', async () => {
  const store = decorate(
    EventStoreDbEventStore.fromConnectionString(double.connectionString, { resubscribeDelayMs: { initial: 20, max: 200 } }),
  );
  return { store, cleanup: () => store.close() };
});
