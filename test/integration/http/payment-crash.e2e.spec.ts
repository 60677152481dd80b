import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { AppendResult, EventStore, ExpectedRevision, NewEvent } from '../../../src/shared/event-sourcing/event-store.port';
import { openSqliteEventStore } from '../../../src/event-store/sqlite-event-store';
import { fileBody, tokenFor } from '../../support/http-client';
import { removeDir, startTestApp, TestApp } from '../../support/test-app';

const AGENT = tokenFor('agent', 'agent-1');

/** Dies (as a crash would) on the first append that records a payment: after the payout, before the event. */
function crashingOnFirstPayment(store: EventStore): EventStore {
  let crashed = false;
  const append = store.append.bind(store);
  return new Proxy(store, {
    get(target, property, receiver) {
      if (property !== 'append') return Reflect.get(target, property, receiver);
      return async (streamId: string, events: NewEvent[], expected: ExpectedRevision): Promise<AppendResult> => {
        if (!crashed && events.some((e) => e.type === 'CompensationPaid')) {
          crashed = true;
          throw new Error('simulated crash between the payout and the append');
        }
        return append(streamId, events, expected);
      };
    },
  });
}

describe('paying a compensation', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'casetrail-pay-'));
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ dataDir, eventStore: crashingOnFirstPayment(openSqliteEventStore(dataDir)) });
  });
  afterAll(async () => {
    await t.close();
    removeDir(dataDir);
  });

  it('never pays twice, even when the process fails between the ledger write and the event append', async () => {
    const id = (await t.http.post('/api/v1/disputes', AGENT, fileBody())).body.id;
    const proposed = await t.http.post(`/api/v1/disputes/${id}/compensations`, AGENT, { type: 'refund', amount: 15_000, reason: 'leak' });
    expect({ status: proposed.status, body: proposed.body }).toMatchObject({ status: 201, body: { compensationStatus: 'approved' } });
    const pay = () => t.http.post(`/api/v1/disputes/${id}/compensations/${proposed.body.compensationId}/pay`, AGENT, {});

    const first = await pay();
    expect(first.status).toBe(500);
    const retried = await pay();
    expect(retried.status).toBe(200);
    expect(retried.body.status).toBe('compensated');
    const third = await pay();
    expect(third.status).toBe(409);

    const ledger = new Database(join(dataDir, 'ledger.db'), { readonly: true });
    const payouts = ledger.prepare('SELECT payout_id, amount FROM payouts WHERE compensation_id = ?').all(proposed.body.compensationId) as {
      payout_id: string;
      amount: number;
    }[];
    ledger.close();
    expect(payouts).toHaveLength(1);
    expect(payouts[0].amount).toBe(15_000);
    const events = (await t.http.get(`/api/v1/disputes/${id}/events`, tokenFor('auditor'))).body.items as {
      type: string;
      data: { payoutId?: string };
    }[];
    const paid = events.filter((e) => e.type === 'CompensationPaid');
    expect(paid).toHaveLength(1);
    expect(paid[0].data.payoutId).toBe(payouts[0].payout_id);
  });
});
