import { EventStore } from '../../shared/event-sourcing/event-store.port';

/** An order line and a defect code, as the disputes read model's `order_line` index matches them. */
export const orderLineKey = (orderId: string, productSku: string, defectCode: string): string =>
  `${orderId}\u0000${productSku}\u0000${defectCode}`;

/**
 * The filings with a defect code that the log holds past a position: the part of the repeated-defect count the
 * disputes read model has not applied yet, so that a filing does not wait for it (issue 19 item 4).
 *
 * Nothing here is durable: it is the log read again, in memory, from the read model's checkpoint on. Reads
 * of the log are serialised and shared (concurrent filings wait for one read of the new events, not one
 * each), and entries at or below the newest checkpoint seen are dropped. A caller whose checkpoint is
 * older than what is kept (a stale snapshot, a rebuilt model) makes it start again from that checkpoint.
 */
export class RecentDefectFilings {
  /** Filings at positions in (base, readUpTo], ascending. */
  private filings: { position: number; key: string }[] = [];
  private base = -1;
  private readUpTo = -1;
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly log: EventStore,
    /** Past this many events behind, the caller waits for the read model instead. */
    readonly maxTail = 20_000,
    private readonly page = 1_000,
  ) {}

  /** Filings on this order line with this defect code at positions after `after`, up to the log's `head` at least; null when too far behind. */
  async countAfter(key: string, after: number, head: number): Promise<number | null> {
    if (head - after > this.maxTail) return null;
    await this.cover(after, head);
    let n = 0;
    for (const f of this.filings) if (f.position > after && f.key === key) n++;
    return n;
  }

  private cover(after: number, head: number): Promise<void> {
    const run = this.chain.then(async () => {
      if (this.base < 0 || after < this.base) {
        this.filings = [];
        this.base = after;
        this.readUpTo = after;
      } else if (after > this.base) {
        let drop = 0;
        while (drop < this.filings.length && this.filings[drop].position <= after) drop++;
        if (drop > 0) this.filings = this.filings.slice(drop);
        this.base = after;
        if (this.readUpTo < after) this.readUpTo = after;
      }
      while (this.readUpTo < head) {
        const batch = await this.log.readAll({ after: this.readUpTo, maxCount: this.page });
        if (batch.length === 0) break;
        for (const e of batch) {
          const d = e.data as { orderId?: unknown; productSku?: unknown; defectCode?: unknown };
          if (e.type === 'DisputeFiled' && typeof d.defectCode === 'string') {
            this.filings.push({ position: e.position, key: orderLineKey(String(d.orderId), String(d.productSku), d.defectCode) });
          }
        }
        this.readUpTo = batch[batch.length - 1].position;
      }
    });
    // A failed read leaves the state as it was; the caller sees the error (and takes the cautious answer).
    this.chain = run.catch(() => undefined);
    return run;
  }
}
