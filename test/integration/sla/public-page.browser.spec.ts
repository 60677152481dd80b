import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Browser, chromium } from 'playwright-core';
import { BreachScheduler } from '../../../src/sla-supervision/application/breach-scheduler';
import { DEFAULT_SLA_POLICY } from '../../../src/sla/domain/sla-policy';
import { fileBody, tokenFor } from '../../support/http-client';
import { removeDir, startTestApp, TestApp } from '../../support/test-app';

/**
 * Issue 14: the public supervision page of a closed month in a real headless browser (Debian's Chromium,
 * driven by playwright-core; `.ci/run` installs it when missing): it renders on a phone-sized screen, every
 * figure equals the published JSON (which equals the monthly report), and nothing personal is in it.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const AGENT = tokenFor('agent', 'agent-p', { department: 'care' });
const SUPERVISOR = tokenFor('supervisor', 'sup-p', { department: 'care' });
const MANAGER = tokenFor('manager', 'mgr-p', { department: 'care' });
const ADMIN = tokenFor('admin', 'adm-p');

let now = Date.parse('2026-06-01T02:00:00.000Z'); // a Monday, 10:00 in Shanghai
const clock = { now: () => new Date(now) };
const minutes = (s: number | null) => (s === null ? '—' : (s / 60).toFixed(1));

describe('the public supervision page in Chromium', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'casetrail-public-'));
  let t: TestApp;
  let browser: Browser;
  const customers = ['cust-pub-1', 'cust-pub-2', 'cust-pub-3'];

  beforeAll(async () => {
    expect(existsSync(CHROMIUM)).toBe(true); // `.ci/run` installs Debian's chromium when it is missing
    t = await startTestApp({ dataDir, clock, env: { SLA_SCHEDULER_INTERVAL_MS: '0' } });
    const policy = {
      ...DEFAULT_SLA_POLICY,
      firstResponse: { ...DEFAULT_SLA_POLICY.firstResponse, chat: { target: 'PT2S', clock: 'calendar' } },
    };
    expect((await t.http.call('PUT', '/api/v1/sla/policy', { token: ADMIN, body: policy })).status).toBe(200);
    const ids: string[] = [];
    for (const customerId of customers) {
      const filed = await t.http.post(
        '/api/v1/disputes',
        AGENT,
        fileBody({ channel: 'chat', customerId, purchasedAt: '2026-05-28T00:00:00Z', deliveredAt: '2026-05-30T00:00:00Z' }),
      );
      ids.push(filed.body.id);
      await t.http.post(`/api/v1/disputes/${filed.body.id}/assign`, AGENT, { agentId: 'agent-p', department: 'care' });
    }
    await t.http.post(`/api/v1/disputes/${ids[2]}/acknowledge`, AGENT, { message: 'on it' }); // answered in time
    now += 3_000;
    await t.app.get(BreachScheduler).tick();
    await t.http.post(`/api/v1/disputes/${ids[0]}/acknowledge`, AGENT, { message: 'sorry for the wait' });
    const events = async (id: string) =>
      (await t.http.get(`/api/v1/disputes/${id}/events`, SUPERVISOR)).body.items as { type: string; data: any }[];
    const breachOf = async (id: string) => (await events(id)).find((e) => e.type === 'SlaBreached')!.data.breachId;
    expect((await t.http.post(`/api/v1/sla/breaches/${await breachOf(ids[0])}/confirm`, SUPERVISOR, { reason: 'late' })).status).toBe(200);
    expect((await t.http.post(`/api/v1/sla/breaches/${await breachOf(ids[1])}/exempt`, SUPERVISOR, { reason: 'outage' })).status).toBe(200);
    now = Date.parse('2026-06-30T16:00:00.000Z'); // July 1st in Shanghai: June is closed
    expect((await t.http.post('/api/v1/sla/months/2026-06/publish', MANAGER, {})).status).toBe(201);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    removeDir(dataDir);
  });

  it('renders on a phone, in Chinese and English, with the figures of the JSON and the monthly report, and nothing personal', async () => {
    const published = (await t.http.get('/public/sla/2026-06.json')).body;
    const report = (await t.http.get('/api/v1/reports/sla/monthly?month=2026-06', MANAGER)).body;
    expect(published.figures.departments).toEqual(report.departments);
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true });
    const response = await page.goto(`${t.baseUrl}/public/sla/2026-06`);
    expect(response!.status()).toBe(200);
    expect(await page.title()).toMatch(/售后服务响应时间监督.*After-sales response-time supervision/);
    expect(await page.locator('svg').count()).toBe(2);
    // Readable on a phone: nothing wider than the screen but the tables' own scrolling boxes.
    expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
    const figures = Object.fromEntries(
      await page.$$eval('[data-figure]', (cells) => cells.map((c) => [c.getAttribute('data-figure')!, c.textContent!.trim()])),
    );
    expect(figures.month).toBe('2026-06');
    expect(figures.revision).toBe('1');
    const rows = [
      ...published.figures.departments.map((r: any) => ['department', r]),
      ...published.figures.agents.map((r: any) => ['agent', r]),
    ];
    expect(rows.length).toBe(2);
    for (const [kind, r] of rows) {
      const cell = (name: string) => figures[`${kind}:${r.key}:${name}`];
      expect(cell('medianFirstResponseSeconds')).toBe(minutes(r.medianFirstResponseSeconds));
      expect(cell('p90FirstResponseSeconds')).toBe(minutes(r.p90FirstResponseSeconds));
      for (const name of ['detected', 'confirmed', 'exempted', 'points', 'remedies']) expect(cell(name)).toBe(String(r[name]));
    }
    expect(figures['agent:Agent 001:confirmed']).toBe('1');
    expect(figures['agent:Agent 001:exempted']).toBe('1');
    const c = published.figures.customerCompensation;
    expect(figures['remedies:issued']).toBe(String(c.issued));
    expect(figures['apologies:owed']).toBe(String(c.apologies.owed));
    expect(figures['remedies:couponValue']).toBe((c.couponValue.amount / 100).toFixed(2));
    const text = await page.content();
    for (const secret of ['agent-p', 'sup-p', 'mgr-p', ...customers, 'order-1']) expect(text).not.toContain(secret);
    await page.close();
  });

  it('is public (no token) and says so when a month is not published', async () => {
    const page = await browser.newPage();
    expect((await page.goto(`${t.baseUrl}/public/sla/2026-05`))!.status()).toBe(404);
    await page.close();
  });
});
