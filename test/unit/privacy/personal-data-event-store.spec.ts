import { randomBytes, randomUUID } from 'node:crypto';
import { filter, firstValueFrom, take, toArray } from 'rxjs';
import { verifyChain } from '../../../src/event-store/domain/hash-chain';
import { InMemoryEventStore } from '../../../src/event-store/in-memory-event-store';
import { InMemoryDataKeyStore } from '../../../src/privacy/data-key-store';
import { isEnvelope } from '../../../src/privacy/field-cipher';
import { PersonalDataEventStore } from '../../../src/privacy/personal-data-event-store';
import { Pseudonymizer } from '../../../src/privacy/pseudonym';
import { EventStore, NewEvent, StoredEvent } from '../../../src/shared/event-sourcing/event-store.port';
import { EventStoreDbEventStore } from '../../../src/event-store/eventstoredb-event-store';
import { EsdbTestDouble, startEsdbTestDouble } from '../../support/esdb-test-double/start-esdb-test-double';

const pseudonyms = new Pseudonymizer(randomBytes(32));
const CUSTOMER = 'cust-4711-alice@example.com';
const ORDER = 'order-ZX-99881';
const DESCRIPTION = 'Alice Zhang, 13800138000: the kettle leaks';
const COMMENT = 'Alice says: slow but fair';
const PLAINTEXT = [CUSTOMER, ORDER, DESCRIPTION, COMMENT];

const event = (type: string, data: Record<string, unknown>): NewEvent => ({
  type,
  data,
  metadata: {
    actorId: 'a1',
    actorRoles: ['agent'],
    commandId: randomUUID(),
    correlationId: 'c',
    causationId: null,
    policyVersion: null,
    schemaVersion: 1,
  },
});
const filed = (customerId = CUSTOMER) =>
  event('DisputeFiled', {
    disputeId: 'd1',
    customerId,
    orderId: ORDER,
    description: DESCRIPTION,
    productSku: 'SKU-1',
    at: '2026-11-01T00:00:00Z',
  });
const feedback = () => event('FeedbackReceived', { disputeId: 'd1', score: 4, comment: COMMENT, at: '2026-11-02T00:00:00Z' });

/** The inner store: in-memory, or the EventStoreDB adapter over the gRPC test double (shared: unique streams). */
let inner: () => EventStore;
function setup() {
  const raw = inner();
  const [d1, d2, d3] = ['d1', 'd2', 'd3'].map((d) => `dispute-${d}-${randomUUID()}`);
  const keys = new InMemoryDataKeyStore(randomBytes(32));
  const store = new PersonalDataEventStore(raw, keys, (id) => pseudonyms.customer(id));
  const erase = (customerId: string) => keys.destroy(pseudonyms.customer(customerId), '2026-11-30T00:00:00Z');
  return { raw, keys, store, erase, d1, d2, d3 };
}
const containsAny = (events: StoredEvent[], needles: string[]) => needles.filter((n) => JSON.stringify(events).includes(n));

let double: EsdbTestDouble | undefined;
const stores: Record<string, () => EventStore> = {
  'in-memory': () => new InMemoryEventStore(),
  'eventstoredb (gRPC test double)': () => EventStoreDbEventStore.fromConnectionString(double!.connectionString),
};
const opened: EventStore[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => s.close()));
});
afterAll(async () => {
  await double?.stop();
});

describe.each(Object.keys(stores))('PersonalDataEventStore around %s (issue 13 items 5 and 7)', (name) => {
  beforeAll(async () => {
    if (name.startsWith('eventstoredb')) double ??= await startEsdbTestDouble();
    inner = () => {
      const store = stores[name]();
      opened.push(store);
      return store;
    };
  });

  it('stores personal fields as envelopes under the customer pseudonym, reads them back, and the chain covers the ciphertext', async () => {
    const { raw, store, d1 } = setup();
    const appended = await store.append(d1, [filed(), feedback()], 'no_stream');
    expect(appended.events[0].data.customerId).toBe(CUSTOMER);
    const stored = await raw.readStream(d1);
    expect(containsAny(stored, PLAINTEXT)).toEqual([]);
    expect(isEnvelope(stored[0].data.customerId)).toBe(true);
    expect((stored[0].data.customerId as { ref: string }).ref).toBe(pseudonyms.customer(CUSTOMER));
    expect((stored[1].data.comment as { ref: string }).ref).toBe(pseudonyms.customer(CUSTOMER));
    expect(stored[0].data.productSku).toBe('SKU-1'); // not personal: as written
    expect(verifyChain(stored).valid).toBe(true);

    const read = await store.readStream(d1);
    expect(read.map((e) => e.data)).toEqual([filed().data, feedback().data]);
    expect(read.map((e) => e.hash)).toEqual(stored.map((e) => e.hash));
  });

  it('a later append in the stream (no customerId) is sealed under the subject of the stream', async () => {
    const { raw, keys, store, d1 } = setup();
    await store.append(d1, [filed()], 'no_stream');
    // Another process (nothing cached): the subject comes from the stream's first event.
    const fresh = new PersonalDataEventStore(raw, keys, (id) => pseudonyms.customer(id));
    await fresh.append(d1, [feedback()], 0);
    const [, stored] = await raw.readStream(d1);
    expect((stored.data.comment as { ref: string }).ref).toBe(pseudonyms.customer(CUSTOMER));
    expect((await fresh.readStream(d1))[1].data.comment).toBe(COMMENT);
  });

  it('after erasure every read path shows the fields erased, and the chain still verifies', async () => {
    const { raw, store, erase, d1, d2 } = setup();
    await store.append(d1, [filed(), feedback()], 'no_stream');
    await store.append(d2, [event('DisputeFiled', { ...filed('someone-else').data, disputeId: 'd2' })], 'no_stream');
    expect(await erase(CUSTOMER)).toBe(1);

    const ref = pseudonyms.customer(CUSTOMER);
    const reads = {
      stream: await store.readStream(d1),
      all: (await store.readAll()).filter((e) => e.streamId === d1),
      live: await firstValueFrom(
        store.subscribeToAll(0).pipe(
          filter((e) => e.streamId === d1),
          take(2),
          toArray(),
        ),
      ),
    };
    for (const events of [reads.stream, reads.all, reads.live]) {
      expect(containsAny(events, PLAINTEXT)).toEqual([]);
      expect(events[0].data).toMatchObject({
        customerId: `erased:${ref}`,
        orderId: 'erased',
        description: '[erased]',
        productSku: 'SKU-1',
      });
      expect(events[1].data).toMatchObject({ comment: '[erased]', score: 4 });
    }
    // The other customer is untouched.
    expect((await store.readStream(d2))[0].data.customerId).toBe('someone-else');
    expect(verifyChain(await raw.readStream(d1)).valid).toBe(true);
  });

  it('a legacy plaintext event stays readable until its customer is erased, then is redacted on read (its bytes stay)', async () => {
    const { raw, store, erase, d1 } = setup();
    await raw.append(d1, [filed(), feedback()], 'no_stream'); // written before encryption
    expect((await store.readStream(d1)).map((e) => e.data)).toEqual([filed().data, feedback().data]);

    expect(await erase(CUSTOMER)).toBe(0); // no key: only the tombstone
    const read = (await store.readAll()).filter((e) => e.streamId === d1);
    expect(containsAny(read, PLAINTEXT)).toEqual([]);
    expect(read[0].data).toMatchObject({ customerId: `erased:${pseudonyms.customer(CUSTOMER)}`, description: '[erased]' });
    expect(read[1].data.comment).toBe('[erased]');
    expect(containsAny(await raw.readStream(d1), [DESCRIPTION]).length).toBe(1); // honest: the log still holds them
  });

  it('a customer erased and filing again gets a new key: the new dispute is readable, the old one stays erased', async () => {
    const { store, erase, d1, d3 } = setup();
    await store.append(d1, [filed()], 'no_stream');
    await erase(CUSTOMER);
    await store.append(d3, [event('DisputeFiled', { ...filed().data, disputeId: 'd3' })], 'no_stream');
    expect((await store.readStream(d3))[0].data.customerId).toBe(CUSTOMER);
    expect((await store.readStream(d1))[0].data.customerId).toBe(`erased:${pseudonyms.customer(CUSTOMER)}`);
  });

  it('events with no personal fields pass through untouched', async () => {
    const { raw, store, d1 } = setup();
    const e = event('DisputeAssigned', { disputeId: 'd1', agentId: 'agent-7', department: 'support', previousAgentId: null, at: 'x' });
    await store.append(d1, [e], 'no_stream');
    expect((await raw.readStream(d1))[0].data).toEqual(e.data);
  });
});
