import { InMemoryEventStore } from '../../../src/event-store/in-memory-event-store';
import { readSideFacts } from '../../../src/disputes/application/ports/read-side-facts';
import { DisputeDirectoryPort } from '../../../src/disputes/application/ports/dispute-directory.port';
import { ProjectionEngine } from '../../../src/read-side/engine/projection-engine.service';
import { EventMetadata } from '../../../src/shared/event-sourcing/event-store.port';

const metadata: EventMetadata = {
  actorId: 'agent-1',
  actorRoles: ['agent'],
  commandId: 'c',
  correlationId: 'c',
  causationId: null,
  policyVersion: null,
  schemaVersion: 1,
};

const filed = (disputeId: string, orderId: string, productSku: string, defectCode: string | null) => ({
  type: 'DisputeFiled',
  data: { disputeId, orderId, productSku, defectCode },
  metadata,
});

/**
 * The repeated-defect count without waiting for the disputes read model (issue 19 item 4): the read model's
 * count at its checkpoint plus the filings the log holds past it.
 */
describe('the repeated-defect count', () => {
  let log: InMemoryEventStore;
  let waits: number;
  let projected: { count: number; position: number };
  const directory = {
    // The model's count is kept for o-1/sku-1/LEAK only: every other line has nothing applied.
    earlierSameDefectAt: jest.fn(async (orderId: string, productSku: string, defectCode: string) => ({
      count: `${orderId}/${productSku}/${defectCode}` === 'o-1/sku-1/LEAK' ? projected.count : 0,
      position: projected.position,
    })),
    earlierSameDefect: jest.fn(async () => 99),
  } as unknown as DisputeDirectoryPort;
  const projections = {
    waitForHead: async () => {
      waits++;
      return true;
    },
  } as unknown as ProjectionEngine;

  beforeEach(async () => {
    log = new InMemoryEventStore();
    waits = 0;
    await log.append('dispute-a', [filed('a', 'o-1', 'sku-1', 'LEAK')], 'no_stream'); // 1: applied (in the count)
    await log.append('dispute-b', [filed('b', 'o-1', 'sku-1', 'LEAK')], 'no_stream'); // 2: past the checkpoint
    await log.append('dispute-c', [filed('c', 'o-1', 'sku-1', 'CRACK')], 'no_stream'); // 3: other defect
    await log.append('dispute-d', [filed('d', 'o-2', 'sku-1', 'LEAK')], 'no_stream'); // 4: other order
    await log.append('dispute-e', [filed('e', 'o-1', 'sku-1', null)], 'no_stream'); // 5: no defect code
    await log.append('dispute-f', [filed('f', 'o-1', 'sku-1', 'LEAK')], 'no_stream'); // 6: past the checkpoint
    projected = { count: 1, position: 1 };
  });

  it('adds the filings on the same order line and defect past the checkpoint, without waiting', async () => {
    const facts = readSideFacts(directory, projections, log);
    expect(await facts.earlierSameDefect('o-1', 'sku-1', 'LEAK')).toBe(3);
    expect(await facts.earlierSameDefect('o-1', 'sku-1', 'CRACK')).toBe(1); // position 3 is past the checkpoint
    expect(await facts.earlierSameDefect('o-2', 'sku-1', 'LEAK')).toBe(1);
    expect(await facts.earlierSameDefect('o-1', 'sku-2', 'LEAK')).toBe(0);
    expect(waits).toBe(0);
    expect(directory.earlierSameDefect).not.toHaveBeenCalled();
  });

  it('counts nothing twice as the read model moves on, and sees new filings', async () => {
    const facts = readSideFacts(directory, projections, log);
    expect(await facts.earlierSameDefect('o-1', 'sku-1', 'LEAK')).toBe(3);
    projected = { count: 2, position: 4 }; // the model applied up to 4 (a, b counted)
    expect(await facts.earlierSameDefect('o-1', 'sku-1', 'LEAK')).toBe(3);
    await log.append('dispute-g', [filed('g', 'o-1', 'sku-1', 'LEAK')], 'no_stream');
    expect(await facts.earlierSameDefect('o-1', 'sku-1', 'LEAK')).toBe(4);
    // A snapshot older than what the tail keeps (a rebuilt model): read again from it.
    projected = { count: 0, position: 0 };
    expect(await facts.earlierSameDefect('o-1', 'sku-1', 'LEAK')).toBe(4);
    expect(waits).toBe(0);
  });

  it('concurrent filings share the reads and all get the same count', async () => {
    const facts = readSideFacts(directory, projections, log);
    const counts = await Promise.all(Array.from({ length: 20 }, () => facts.earlierSameDefect('o-1', 'sku-1', 'LEAK')));
    expect(counts).toEqual(Array(20).fill(3));
  });

  it('waits for the read model as before when it is far behind the log', async () => {
    const many = Array.from({ length: 25 }, (_, i) => filed(`x${i}`, 'o-9', 'sku-9', 'LEAK'));
    for (let i = 0; i < 1_000; i++) await log.append(`bulk-${i}`, many, 'no_stream');
    projected = { count: 0, position: 0 };
    const facts = readSideFacts(directory, projections, log);
    expect(await facts.earlierSameDefect('o-1', 'sku-1', 'LEAK')).toBe(99); // the directory after the wait
    expect(waits).toBe(1);
  });
});
