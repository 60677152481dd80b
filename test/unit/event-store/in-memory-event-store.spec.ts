import { InMemoryEventStore } from '../../../src/event-store/in-memory-event-store';
import { eventStoreContract } from '../../contract/event-store.contract';

eventStoreContract('in-memory', async () => {
  const store = new InMemoryEventStore();
  return { store, cleanup: () => store.close() };
});
