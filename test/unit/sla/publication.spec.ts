import { decidePublication, evolvePublication, initialPublication, InternalReport, PublicRow } from '../../../src/sla/domain/publication';
import { DEFAULT_SLA_POLICY, validateSlaPolicy } from '../../../src/sla/domain/sla-policy';

/** Issue 14: a closed month's figures frozen for the public page, agents under stable aliases. */
const row = (key: string, confirmed = 1): PublicRow => ({
  key,
  detected: 2,
  confirmed,
  exempted: 1,
  medianFirstResponseSeconds: 60,
  p90FirstResponseSeconds: 120,
  points: -2 * confirmed,
  actions: { warning: 1 },
  remedies: 2,
});
const report = (month: string, agents: PublicRow[]): InternalReport => ({
  month,
  timeZone: 'Asia/Shanghai',
  to: `${month}-28T16:00:00.000Z`,
  agents,
  departments: [row('care')],
  customerCompensation: {
    issued: 2,
    byType: { apology: 1, coupon: 1 },
    revoked: 0,
    couponValue: { amount: 1990, currency: 'CNY' },
    serviceUpgradeMonths: 0,
    apologies: { owed: 1, sent: 0 },
  },
});
const publish = (r: InternalReport, at = '2026-12-01T00:00:00.000Z', reason: string | null = null, names = false) => ({
  type: 'PublishMonth' as const,
  data: { report: r, reason, by: 'mgr', at, names },
});

describe('publishing a month', () => {
  it('refuses a month not yet closed', () => {
    expect(() => decidePublication(initialPublication(), publish(report('2026-04', []), '2026-04-20T00:00:00.000Z'))).toThrow(/not closed/);
  });

  it('gives agents stable aliases across months, drops the unassigned row and keeps departments by name', () => {
    let state = initialPublication();
    const april = decidePublication(state, publish(report('2026-04', [row('agent-b'), row('agent-a'), row('unassigned')])));
    expect(april[0].data.figures.agents.map((r) => r.key)).toEqual(['Agent 001', 'Agent 002']);
    expect(april[0].data.figures.departments[0].key).toBe('care');
    state = april.reduce(evolvePublication, state);
    const may = decidePublication(state, publish(report('2026-05', [row('agent-a'), row('agent-c')])));
    expect(may[0].data.figures.agents.map((r) => r.key)).toEqual(['Agent 002', 'Agent 003']);
    expect(JSON.stringify(may[0].data.figures)).not.toMatch(/agent-/);
  });

  it('a correction is a new revision with a reason; unchanged figures are refused', () => {
    const first = decidePublication(initialPublication(), publish(report('2026-04', [row('agent-a')])));
    const state = first.reduce(evolvePublication, initialPublication());
    expect(() => decidePublication(state, publish(report('2026-04', [row('agent-a')]), undefined, 'again'))).toThrow(/unchanged/);
    expect(() => decidePublication(state, publish(report('2026-04', [row('agent-a', 0)])))).toThrow(/needs a reason/);
    const revised = decidePublication(state, publish(report('2026-04', [row('agent-a', 0)]), undefined, 'exempted after review'));
    expect(revised[0].data).toMatchObject({ revision: 2, reason: 'exempted after review', newAliases: {} });
  });

  it('names agents when the policy says so (publicNames), and the policy validates the flag', () => {
    const named = decidePublication(initialPublication(), publish(report('2026-04', [row('agent-a')]), undefined, null, true));
    expect(named[0].data.figures.agents[0].key).toBe('agent-a');
    expect(validateSlaPolicy({ ...DEFAULT_SLA_POLICY, publicNames: 'yes' })).toEqual(['publicNames: must be true or false']);
    expect(validateSlaPolicy({ ...DEFAULT_SLA_POLICY, publicNames: true })).toEqual([]);
  });
});
