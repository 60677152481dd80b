import { Pseudonymizer } from '../../../../src/privacy/pseudonym';
import { costOf } from '../../../../src/read-models/statistics/cost-report';
import { computeReport, DisputeHistory, eventsRead, StatParams, StatRow } from '../../../../src/read-models/statistics/report-kit';
import { historyOf } from '../../../../src/read-models/statistics/dispute-histories';
import { statReportNamed, STAT_REPORTS } from '../../../../src/read-models/statistics/statistics';
import { at, threeDisputes } from './history-builder';

const pseudonyms = new Pseudonymizer(Buffer.alloc(32, 3));
const params = (groupBy: string): StatParams => ({ groupBy, pseudonyms, costs: { couponPercent: 10, serviceUpgradeCost: 3000 } });
const histories = (asKnownAt?: string) =>
  threeDisputes()
    .map((s) => s.history(asKnownAt))
    .filter((h): h is DisputeHistory => h !== null);
const rows = async (report: string, groupBy: string, asKnownAt?: string) =>
  (await computeReport(statReportNamed(report)!, histories(asKnownAt), params(groupBy))).rows;

/**
 * Given the three disputes of history-builder.ts (a: refund paid, closed, score 4; b: escalated, coupon and
 * upgrade, closed, score 2; c: refund declined, closed then reopened), each report's rows are computed by hand.
 */
describe('statistics reports (issue 17)', () => {
  it('satisfaction: closed disputes, responses, average and distribution (a reopening withdraws the closure)', async () => {
    expect(await rows('satisfaction', 'agent')).toEqual([
      { key: 'agent-1', disputes: 1, closed: 1, responses: 1, responseRate: 1, averageScore: 4, scores: { 1: 0, 2: 0, 3: 0, 4: 1, 5: 0 } },
      { key: 'agent-2', disputes: 1, closed: 1, responses: 1, responseRate: 1, averageScore: 2, scores: { 1: 0, 2: 1, 3: 0, 4: 0, 5: 0 } },
    ]);
    expect(await rows('satisfaction', 'department')).toEqual([
      { key: 'returns', disputes: 2, closed: 2, responses: 2, responseRate: 1, averageScore: 3, scores: { 1: 0, 2: 1, 3: 0, 4: 1, 5: 0 } },
    ]);
  });

  it('categories: playbook vs remedy given, reopen and escalation rates', async () => {
    expect(await rows('categories', 'category')).toEqual([
      {
        key: 'delayed_shipment',
        disputes: 1,
        playbookRemedies: ['apology', 'coupon'],
        reopened: 0,
        reopenRate: 0,
        escalated: 1,
        escalationRate: 1,
        requestedRemedies: { compensation: 1 },
        givenRemedies: { coupon: 1, service_upgrade: 1 },
        compensated: 1,
        followedPlaybook: 1,
        followedPlaybookRate: 1,
        breaches: 0,
        exemptedBreaches: 0,
      },
      {
        key: 'quality_defect',
        disputes: 2,
        playbookRemedies: ['return', 'exchange', 'refund'],
        reopened: 1,
        reopenRate: 0.5,
        escalated: 0,
        escalationRate: 0,
        requestedRemedies: { refund: 2 },
        givenRemedies: { refund: 1 },
        compensated: 1,
        followedPlaybook: 1,
        followedPlaybookRate: 1,
        breaches: 0,
        exemptedBreaches: 0,
      },
    ]);
  });

  it('stages: stays entered and left, median and p90 of the completed ones, in seconds and in milliseconds', async () => {
    expect(await rows('stages', 'stage')).toEqual([
      { key: 'acknowledged', disputes: 2, entered: 2, left: 2, medianSeconds: 2250, p90Seconds: 2400, medianMs: 2250000, p90Ms: 2400000 },
      { key: 'closed', disputes: 3, entered: 3, left: 1, medianSeconds: 1200, p90Seconds: 1200, medianMs: 1200000, p90Ms: 1200000 },
      { key: 'compensated', disputes: 1, entered: 1, left: 1, medianSeconds: 600, p90Seconds: 600, medianMs: 600000, p90Ms: 600000 },
      { key: 'filed', disputes: 3, entered: 4, left: 3, medianSeconds: 600, p90Seconds: 1200, medianMs: 600000, p90Ms: 1200000 },
      { key: 'mediation', disputes: 1, entered: 1, left: 1, medianSeconds: 1800, p90Seconds: 1800, medianMs: 1800000, p90Ms: 1800000 },
    ]);
  });

  it('costs: money as paid, coupon = percent x order amount, upgrade = unit cost; declined left out', async () => {
    const money = (amount: number) => ({ amount, currency: 'CNY' });
    expect(await rows('costs', 'type')).toEqual([
      { key: 'coupon', disputes: 1, count: 1, cost: money(2_000), unpriced: 0, costByType: { coupon: 2_000 } },
      { key: 'refund', disputes: 1, count: 1, cost: money(10_000), unpriced: 0, costByType: { refund: 10_000 } },
      { key: 'service_upgrade', disputes: 1, count: 1, cost: money(3_000), unpriced: 0, costByType: { service_upgrade: 3_000 } },
    ]);
    expect(await rows('costs', 'department')).toEqual([
      {
        key: 'returns',
        disputes: 2,
        count: 3,
        cost: money(15_000),
        unpriced: 0,
        costByType: { refund: 10_000, coupon: 2_000, service_upgrade: 3_000 },
      },
    ]);
    expect((await rows('costs', 'month')).map((r) => [r.key, r.cost])).toEqual([['2026-03', money(15_000)]]);
  });

  it('prices a coupon by the percentage its reason names, else the default, and cannot without an order amount', () => {
    const b = threeDisputes()[1].history()!.state;
    const coupon = { ...b.compensations[0], reason: '5% off the next order' };
    const settings = { couponPercent: 10, serviceUpgradeCost: 3000 };
    expect(costOf(coupon, b, settings)).toBe(1_000);
    expect(costOf({ ...coupon, reason: 'a coupon' }, b, settings)).toBe(2_000);
    expect(costOf(coupon, { ...b, filing: { ...b.filing, amountClaimed: null } }, settings)).toBeNull();
  });

  it('repeats: customers and order lines with more than one dispute, keyed by pseudonym', async () => {
    expect(await rows('repeats', 'customer')).toEqual([
      {
        key: pseudonyms.customer('c-1'),
        disputes: 2,
        firstFiledAt: at(0),
        lastFiledAt: at(100),
        categories: { quality_defect: 1, delayed_shipment: 1 },
      },
    ]);
    expect((await rows('repeats', 'order_line')).map((r) => [r.key, r.disputes])).toEqual([[`${pseudonyms.order('o-1')}/sku-1`, 2]]);
  });

  it('as known at a time: only the events recorded by then count', async () => {
    // At minute 45: a is compensated (paid at 40) but not closed; b and c are not filed yet.
    expect(await rows('satisfaction', 'agent', at(45))).toEqual([]);
    expect((await rows('costs', 'type', at(45))).map((r) => [r.key, r.count])).toEqual([['refund', 1]]);
    // At minute 260: c is closed, not yet reopened, and counts as closed without feedback.
    const unassigned = (await rows('satisfaction', 'agent', at(260))).find((r) => r.key === 'unassigned');
    expect(unassigned).toMatchObject({ closed: 1, responses: 0, responseRate: 0, averageScore: null });
    expect(historyOf(threeDisputes()[0].events, '2026-03-01T00:00:00.000Z')).toBeNull();
  });

  it.each(STAT_REPORTS.map((r) => r.name))('%s: every row is recomputed from its lineage events alone', async (name) => {
    const report = statReportNamed(name)!;
    for (const groupBy of report.groupBys) {
      const all = histories();
      const computed = await computeReport(report, all, params(groupBy));
      expect(computed.rows.length).toBeGreaterThan(0);
      for (const row of computed.rows) {
        const ids = computed.lineage.get(row.key)!;
        const lineageEvents = all.filter((h) => ids.includes(h.state.id)).map((h) => eventsRead(report, h));
        const again = await computeReport(
          report,
          lineageEvents.map((events) => historyOf(events)!),
          params(groupBy),
        );
        expect({ groupBy, row: again.rows.find((r: StatRow) => r.key === row.key) }).toEqual({ groupBy, row });
      }
    }
  });
});
