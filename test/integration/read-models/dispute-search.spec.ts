import { InMemoryEventStore } from '../../../src/event-store/in-memory-event-store';
import { ProjectionRunner } from '../../../src/read-side/engine/runner';
import { rebuildProjection } from '../../../src/read-side/engine/rebuild';
import { PROJECTIONS } from '../../../src/read-models/registry';
import { DisputeDirectory, DisputeListFilter } from '../../../src/read-models/disputes/dispute-directory';
import { DisputeEvent } from '../../../src/disputes/domain/dispute.events';
import { at, days, filed } from '../../unit/disputes/dispute.fixtures';
import { postgresReadStore, sqliteReadStore, TestReadStore } from '../../support/read-stores';

/**
 * Issue 15: the list's search filters and full text, against both read-store adapters (SQLite FTS5 embedded,
 * PostgreSQL tsvector in production), fed by the real projections from a log.
 */
const META = {
  actorId: 'a',
  actorRoles: ['agent'],
  commandId: 'c',
  correlationId: 'c',
  causationId: null,
  policyVersion: 1,
  schemaVersion: 1,
};

function history(): DisputeEvent[] {
  const note = (disputeId: string, noteId: string, text: string): DisputeEvent => ({
    type: 'NoteAdded',
    data: { disputeId, at: at(30), noteId, text, author: 'agent-1' },
  });
  return [
    filed({
      disputeId: 'd-1',
      orderId: 'o-1',
      productSku: 'kettle',
      channel: 'email',
      department: 'after-sales',
      description: 'the kettle leaks at the seam',
    }),
    filed({
      disputeId: 'd-2',
      orderId: 'o-2',
      productSku: 'toaster',
      channel: 'phone',
      department: 'after-sales',
      at: at(days(2)),
      priority: 'urgent',
      description: 'toaster burns bread',
    }),
    filed({
      disputeId: 'd-3',
      orderId: 'o-3',
      productSku: 'kettle',
      channel: 'web',
      department: 'logistics',
      at: at(days(4)),
      description: 'parcel lost',
    }),
    note('d-1', 'n-1', 'Warehouse confirms a faulty gasket batch'),
    note('d-3', 'n-2', 'gasket was not the problem here'),
    note('d-2', 'n-3', '顾客说屏幕有划痕'),
    note('d-3', 'n-4', '包裹在运输途中丢失，快递单号SF123'),
    {
      type: 'CustomerContactRecorded',
      data: {
        disputeId: 'd-2',
        at: at(days(2) + 5),
        contactId: 'k-1',
        channel: 'phone',
        direction: 'in',
        contactedAt: at(days(2) + 5),
        summary: 'customer angry',
        promises: 'refund by Friday',
        recordedBy: 'agent-1',
      },
    },
  ];
}

describe.each([
  ['SQLite (FTS5)', () => sqliteReadStore()],
  ['PostgreSQL (tsvector)', () => postgresReadStore()],
])('dispute search on %s', (_name, open) => {
  let store: TestReadStore;
  let directory: DisputeDirectory;
  const ids = async (filter: DisputeListFilter, limit = 50, cursor?: string) => {
    const page = await directory.list(filter, limit, cursor, at(days(30)));
    return { ids: page.items.map((s) => s.id), total: page.total, nextCursor: page.nextCursor };
  };

  let log: InMemoryEventStore;
  beforeAll(async () => {
    store = await open();
    log = new InMemoryEventStore();
    for (const event of history())
      await log.append(`dispute-${event.data.disputeId}`, [{ type: event.type, data: event.data, metadata: META }], 'any');
    for (const projection of PROJECTIONS()) await new ProjectionRunner(store.store.db, log, projection).catchUp();
    directory = new DisputeDirectory(store.store.db);
  });
  afterAll(async () => store?.cleanup());

  it('finds by a word of a note, of a contact, of the description; every word must occur in the case', async () => {
    expect(await ids({ q: 'gasket' })).toMatchObject({ ids: ['d-3', 'd-1'], total: 2 });
    expect((await ids({ q: 'GASKET seam' })).ids).toEqual(['d-1']); // one word in a note, one in the description
    expect((await ids({ q: 'friday' })).ids).toEqual(['d-2']);
    expect((await ids({ q: 'bread' })).ids).toEqual(['d-2']);
    expect((await ids({ q: 'gasket nowhere' })).total).toBe(0);
    expect((await ids({ q: 'gas"ket OR x' })).total).toBe(0); // query syntax is taken as words, never as operators
  });

  it('finds a Chinese word inside a sentence (CJK bigrams), as a whole phrase, in order', async () => {
    expect((await ids({ q: '屏幕' })).ids).toEqual(['d-2']);
    expect((await ids({ q: '划痕' })).ids).toEqual(['d-2']);
    expect((await ids({ q: '屏幕有划痕' })).ids).toEqual(['d-2']);
    expect((await ids({ q: '顾客说屏幕有划痕' })).ids).toEqual(['d-2']);
    expect((await ids({ q: '痕' })).ids).toEqual(['d-2']); // one character: the last of its run
    expect((await ids({ q: '屏' })).ids).toEqual(['d-2']); // one character: the first of a bigram
    expect((await ids({ q: '幕屏' })).total).toBe(0); // the characters in another order
    expect((await ids({ q: '屏幕划痕' })).total).toBe(0); // not adjacent in the note
    expect((await ids({ q: '丢失' })).ids).toEqual(['d-3']);
    expect((await ids({ q: '单号SF123' })).ids).toEqual(['d-3']); // CJK and Latin in one word, as written
    expect((await ids({ q: '划痕 bread' })).ids).toEqual(['d-2']); // with a word of the description
    expect((await ids({ q: '划痕 gasket' })).total).toBe(0);
  });

  it('filters by order, product, channel, priority, department, filing dates and due time', async () => {
    expect((await ids({ orderId: 'o-2' })).ids).toEqual(['d-2']);
    expect((await ids({ productSku: 'kettle' })).ids).toEqual(['d-3', 'd-1']);
    expect((await ids({ channel: 'phone' })).ids).toEqual(['d-2']);
    expect((await ids({ priority: 'urgent' })).ids).toEqual(['d-2']);
    expect((await ids({ department: 'logistics' })).ids).toEqual(['d-3']);
    expect((await ids({ filedFrom: at(days(1)), filedTo: at(days(3)) })).ids).toEqual(['d-2']);
    expect((await ids({ dueBefore: at(days(100)) })).total).toBe(3);
    expect((await ids({ dueBefore: at(-1) })).total).toBe(0);
    expect((await ids({ slaState: 'breached' })).total).toBe(3); // thirty days on, every first response is late
  });

  it('rebuilds beside the live index and swaps it in (the FTS5 / tsvector table renamed), finding the same', async () => {
    const search = PROJECTIONS().find((p) => p.name === 'dispute-search')!;
    const report = await rebuildProjection(store.store.db, log, search);
    expect(report.events).toBe(history().length);
    expect(await ids({ q: 'gasket' })).toMatchObject({ ids: ['d-3', 'd-1'], total: 2 });
    expect((await ids({ q: 'friday' })).ids).toEqual(['d-2']);
    expect((await ids({ q: '划痕' })).ids).toEqual(['d-2']);
  });

  it('ownership applies to the search; pages carry the total', async () => {
    expect((await ids({ q: 'gasket', visibleDepartment: 'after-sales' })).ids).toEqual(['d-1']);
    const first = await ids({ productSku: 'kettle' }, 1);
    expect(first).toMatchObject({ ids: ['d-3'], total: 2 });
    expect(await ids({ productSku: 'kettle' }, 1, first.nextCursor!)).toMatchObject({ ids: ['d-1'], total: 2, nextCursor: null });
  });
});
