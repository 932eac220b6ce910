import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { DemoSummary, generateDemo } from '@salesline/demo/demo-company';
import { chromiumPath, launchChromium, SCREENSHOTS } from './support/browser';
import { ADMIN_TOKEN, RunningApp, startInProcessApp } from './support/in-process-app';

/**
 * The dashboard in a real Chromium on a small demo company recorded through the real API: each role signs in with
 * its token, opens its pages, and every figure checked on screen is the API's own answer, formatted. Screenshots are
 * saved under .tmp/screenshots.
 */
jest.setTimeout(60_000);
const chromium = chromiumPath();
const describeBrowser = chromium ? describe : describe.skip;
if (!chromium) console.log('dashboard e2e skipped: no Chromium at /usr/bin/chromium (set CHROMIUM_PATH)');

const money = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const fmtMoney = (minor: number | null) => (minor === null ? '—' : money.format(minor / 100));
const fmtInt = (n: number) => new Intl.NumberFormat('en-US').format(n);
const fmtBp = (bp: number | null) => (bp === null ? '—' : `${(bp / 100).toFixed(1)} %`);

const shot = (page: Page, name: string) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });

/** The dashboard as `npm run build` makes it, built by this suite into a folder of its own (no earlier build is used). */
let webDir: string;
const buildWeb = () => {
  webDir = mkdtempSync(join(tmpdir(), 'salesline-web-'));
  const root = resolve(__dirname, '..');
  execFileSync(
    process.execPath,
    [
      join(root, 'node_modules/vite/bin/vite.js'),
      'build',
      '--config',
      join(root, 'apps/web/vite.config.mts'),
      '--outDir',
      webDir,
      '--emptyOutDir',
    ],
    { cwd: root, stdio: 'pipe' },
  );
};
if (chromium) {
  beforeAll(buildWeb, 120_000);
  afterAll(() => webDir && rmSync(webDir, { recursive: true, force: true }));
}

describeBrowser('Dashboard on a demo company (browser)', () => {
  let running: RunningApp;
  let demo: DemoSummary;
  let browser: BrowserContext;
  let closeBrowser: () => Promise<void>;
  const token = (userId: string) => demo.users.find((u) => u.userId === userId)!.token;
  const api = async (path: string, userId: string) => {
    const res = await running.http.get(path, token(userId));
    if (res.status !== 200) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const year = new Date().getUTCFullYear().toString();

  beforeAll(async () => {
    process.env.WEB_DIR = webDir;
    running = await startInProcessApp();
    demo = await generateDemo(running.baseUrl, ADMIN_TOKEN, {
      seed: 7,
      size: { salespeoplePerTeam: 1, customers: 25, products: 10, months: 2 },
    });
    ({ browser, close: closeBrowser } = await launchChromium());
  }, 120_000);
  afterAll(async () => {
    await closeBrowser?.();
    await running?.close();
    delete process.env.WEB_DIR;
  });

  /** A fresh page signed in as the user, on the first page their roles open. */
  const signIn = async (userId: string): Promise<Page> => {
    const page = await browser.newPage();
    page.on('pageerror', (err) => console.log(`page error (${userId}): ${err.message}`));
    await page.goto(`${running.baseUrl}/`);
    // The user's entry of demo-tokens.json, as a person pastes it.
    await page.fill('#token', JSON.stringify(demo.users.find((u) => u.userId === userId)));
    await page.click('form#signin button[type=submit]');
    await page.waitForSelector('.page[data-ready="true"]');
    return page;
  };
  const open = async (page: Page, hash: string) => {
    await page.evaluate((h) => ((globalThis as any).location.hash = h), hash);
    await page.waitForSelector(`.page[data-page="${hash.replace(/^#\//, '').split('?')[0]}"][data-ready="true"]`);
  };
  const figure = (page: Page, id: string) => page.locator(`[data-figure="${id}"] .value`).innerText();

  it('the API serves the dashboard at / and the demo recorded a company through it', async () => {
    const res = await fetch(`${running.baseUrl}/`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<title>Salesline</title>');
    expect(demo.counts).toMatchObject({ regions: 3, teams: 5, employees: 5, customers: 25, products: 10 });
    expect(demo.counts.orders + (demo.counts.quotesConverted ?? 0)).toBeGreaterThan(10);
    expect(demo.counts.invoices).toBeGreaterThan(5);
    expect(demo.counts.appraisalRuns).toBe(2);
  });

  it('sales progress: the figures are the API drill-down; a manager opens on their region and drills down region → team → salesperson', async () => {
    const page = await signIn('m-nora');
    expect(await page.locator('#nav a').allInnerTexts()).toEqual(['Sales progress', 'Orders', 'Receivables', 'People', 'Live']);
    // A sales manager reads the region they lead, not the company (ADR 0019).
    await page.waitForSelector('.page[data-page="progress"][data-ready="true"] [data-node="north"]');
    const company = await api(`/api/reports/sales-progress/region/north?period=${year}`, 'm-nora');
    expect(await figure(page, 'actual-revenue')).toBe(fmtMoney(company.row.actual.revenue));
    expect(await figure(page, 'target-revenue')).toBe(fmtMoney(company.row.target.revenue));
    expect(await figure(page, 'achievement')).toBe(fmtBp(company.row.achievementBp.revenue));
    expect(await figure(page, 'forecast-revenue')).toBe(fmtMoney(company.row.forecast.revenue));
    const lastMonth = (await page.locator('[data-table="months"] tbody tr').last().getAttribute('data-key'))!;
    const month = await api(`/api/reports/sales-progress/region/north?period=${lastMonth}`, 'm-nora');
    expect(await page.locator(`[data-table="months"] tr[data-key="${lastMonth}"] td[data-col="revenue"]`).innerText()).toBe(
      fmtMoney(month.row.actual.revenue),
    );
    expect(await page.locator('[data-chart]').count()).toBe(4);
    await shot(page, 'progress-company');

    // The CSV is the API's.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#csv-year')]);
    const csv = await (await import('node:fs/promises')).readFile((await download.path())!, 'utf8');
    expect(csv.split('\r\n')[0]).toMatch(/^period,asOf,revenueBasis,level,nodeId,name,targetRevenue/);

    for (const [level, id] of [
      ['team', 'north-a'],
      ['salesperson', 'sp-anna'],
    ]) {
      await page.click(`[data-table="children"] tr[data-key="${id}"]`);
      await page.waitForSelector(`.page[data-page="progress"][data-ready="true"] [data-node="${id}"]`);
      const node = await api(`/api/reports/sales-progress/${level}/${id}?period=${year}`, 'm-nora');
      expect(await figure(page, 'actual-revenue')).toBe(fmtMoney(node.row.actual.revenue));
      expect(await figure(page, 'achievement')).toBe(fmtBp(node.row.achievementBp.revenue));
    }
    expect(await page.locator('.crumbs [data-crumb]').allInnerTexts()).toEqual(['North', 'North A', 'Anna Berg']);
    await shot(page, 'progress-drilldown-salesperson');
    await page.close();
  });

  it('orders: the board totals, an order with delivered, billed and returned quantities, and the holds waiting for finance', async () => {
    const page = await signIn('fiona');
    await open(page, '#/orders');
    const board = await api('/api/orders?limit=50', 'fiona');
    const holds = await api('/api/orders?status=on_credit_hold', 'fiona');
    expect(await figure(page, 'orders-count')).toBe(fmtInt(board.totals.count));
    expect(await figure(page, 'orders-value')).toBe(fmtMoney(board.totals.value));
    expect(await figure(page, 'holds-count')).toBe(fmtInt(holds.total));
    expect(await page.locator('[data-table="orders"] tbody tr').count()).toBe(board.items.length);
    expect(await page.locator('[data-table="holds"] tbody tr[data-key]').count()).toBe(holds.items.length);
    const delivered = board.items.find((o: any) => o.deliveredBp > 0)!;
    await page.click(`[data-table="orders"] tr[data-key="${delivered.id}"]`);
    await page.waitForSelector(`[data-order-id="${delivered.id}"]`);
    const order = await api(`/api/orders/${delivered.id}`, 'fiona');
    for (const line of order.lines) {
      const row = page.locator(`[data-table="lines"] tr[data-key="${line.lineId}"]`);
      expect(await row.locator('td[data-col="ordered"]').innerText()).toBe(String(line.ordered));
      expect(await row.locator('td[data-col="delivered"]').innerText()).toBe(String(line.delivered));
      expect(await row.locator('td[data-col="billed"]').innerText()).toBe(String(line.billed));
      expect(await row.locator('td[data-col="returned"]').innerText()).toBe(String(line.returnedReceived));
    }
    expect(await page.locator('[data-figure="order-value"]').innerText()).toBe(fmtMoney(order.value));
    expect(await page.locator('[data-timeline="order"] li').count()).toBeGreaterThanOrEqual(
      2 + order.deliveries.length + order.invoices.length,
    );
    await shot(page, 'orders-finance');
    await page.close();
  });

  it('receivables: aging and exposure as the API reports them, for finance', async () => {
    const page = await signIn('fiona');
    await open(page, '#/receivables');
    const report = await api('/api/receivables', 'fiona');
    const blocked = await api('/api/customers?status=blocked&limit=1000', 'fiona');
    expect(await figure(page, 'open-receivables')).toBe(fmtMoney(report.totals.openReceivables));
    expect(await figure(page, 'exposure')).toBe(fmtMoney(report.totals.exposure));
    expect(await figure(page, 'over90')).toBe(fmtMoney(report.totals.aging.over90));
    expect(await figure(page, 'on-hold')).toBe(fmtInt(blocked.total));
    expect(await page.locator('[data-table="receivables"] tbody tr').count()).toBe(report.items.length);
    const first = report.items[0];
    const row = page.locator(`[data-table="receivables"] tr[data-key="${first.customerId}"]`);
    expect(await row.locator('td[data-col="exposure"]').innerText()).toBe(fmtMoney(first.exposure));
    expect(await row.locator('td[data-col="limit"]').innerText()).toBe(fmtMoney(first.creditLimit));
    await shot(page, 'receivables-finance');
    await page.close();
  });

  it('people: the leaderboard and a scorecard with its items and written standards', async () => {
    const page = await signIn('m-nora');
    const period = lastClosedMonth();
    await open(page, `#/people?period=${period}`);
    const report = await api(`/api/reports/appraisals?period=${period}`, 'm-nora');
    expect(await page.locator('[data-table="leaderboard"] tbody tr').count()).toBe(report.rows.length);
    const top = report.rows[0];
    expect(await page.locator(`[data-table="leaderboard"] tr[data-key="${top.employeeId}"] td[data-col="total"]`).innerText()).toBe(
      String(top.appraisal.total),
    );
    await page.click(`[data-table="leaderboard"] tr[data-key="${top.employeeId}"]`);
    await page.waitForSelector(`[data-scorecard="${top.employeeId}"]`);
    const card = await api(`/api/employees/${top.employeeId}/scorecard?period=${period}`, 'm-nora');
    expect(await page.locator('[data-figure="scorecard-total"]').innerText()).toBe(String(card.appraisal.total));
    expect(await page.locator('[data-table="scorecard-items"] tbody tr').count()).toBe(card.appraisal.items.length);
    const target = card.appraisal.items.find((i: any) => i.source === 'target_achievement');
    expect(await page.locator('[data-table="scorecard-items"] tr[data-key="target_achievement"] td[data-col="points"]').innerText()).toBe(
      String(target.points),
    );
    expect(
      await page.locator('[data-table="scorecard-items"] tr[data-key="target_achievement"] td[data-col="standard"]').innerText(),
    ).toMatch(/points/);
    await shot(page, 'people-manager');
    await page.close();
  });

  it('audit: an order as a timeline, and the record as it stood at a chosen moment', async () => {
    const page = await signIn('audrey');
    expect(await page.locator('#nav a').allInnerTexts()).toContain('Audit');
    const board = await api('/api/orders?status=completed&limit=1', 'audrey');
    const orderId = board.items[0].id;
    await open(page, `#/audit?kind=order&id=${orderId}`);
    const stream = await api(`/api/streams/order-${orderId}`, 'audrey');
    const entries = page.locator('[data-timeline="audit"] li');
    // The audit endpoint (when present) adds the events of other streams about the order; the order's own are always there.
    expect(await entries.count()).toBeGreaterThanOrEqual(stream.events.length);
    expect(await page.locator('[data-timeline="audit"] li[data-type="OrderPlaced"]').count()).toBe(1);
    await entries.nth(1).click();
    await page.waitForSelector('#moment [data-moment]');
    expect(await page.locator('#moment .timeline li').count()).toBeGreaterThanOrEqual(2);
    await shot(page, 'audit-order-timeline');
    await page.close();
  });

  it('a salesperson sees only their own progress and no finance or audit pages', async () => {
    const page = await signIn('sp-anna');
    const nav = await page.locator('#nav a').allInnerTexts();
    expect(nav).not.toContain('Receivables');
    expect(nav).not.toContain('Audit');
    await page.waitForSelector('[data-node="sp-anna"]');
    const own = await api(`/api/reports/sales-progress/salesperson/sp-anna?period=${year}`, 'sp-anna');
    expect(await figure(page, 'actual-revenue')).toBe(fmtMoney(own.row.actual.revenue));
    await shot(page, 'progress-salesperson');
    await page.close();
  });

  it("live: a salesperson's new order appears without a reload, a colleague's does not (order-board changes over SSE, ADR 0402)", async () => {
    const page = await signIn('sp-anna');
    await open(page, '#/live');
    await page.waitForSelector('#live-status[data-state]');
    expect(await page.locator('#live-status').getAttribute('data-state')).toBe('live');
    // The latest orders of the board, as the API gives them to her, are there to begin with.
    const board = await api('/api/orders?limit=10', 'sp-anna');
    expect(await page.locator('[data-timeline="live"] li').count()).toBe(board.items.length);
    const colleague = demo.users.find((u) => u.roles.includes('salesperson') && u.userId !== 'sp-anna')!.userId;
    const product = (await api('/api/products?limit=1', 'sp-anna')).items[0].id;
    const placeAs = async (userId: string) => {
      const customer = (await api('/api/customers?limit=1', userId)).items[0].id;
      const placed = await running.http.post(
        '/api/orders',
        { customerId: customer, lines: [{ productId: product, quantity: 2 }] },
        token(userId),
      );
      expect(placed.status).toBe(201);
      return placed.body.id as string;
    };
    // When a colleague and then Anna place an order
    const theirs = await placeAs(colleague);
    const hers = await placeAs('sp-anna');
    // Then hers appears on top, with the board's figures, and the colleague's (sent before hers, if at all) is not there
    await page.waitForSelector(`[data-timeline="live"] li[data-order-id="${hers}"]`, { timeout: 15_000 });
    expect(await page.locator('[data-timeline="live"] li').first().getAttribute('data-order-id')).toBe(hers);
    expect(await page.locator(`[data-timeline="live"] li[data-order-id="${theirs}"]`).count()).toBe(0);
    const order = await api(`/api/orders/${hers}`, 'sp-anna');
    expect(await page.locator(`li[data-order-id="${hers}"] [data-figure="live-value"]`).innerText()).toBe(fmtMoney(order.value));
    await shot(page, 'live-new-order');
    await page.close();
  });
});

/**
 * Sign-in with 15-minute tokens (here 6 seconds): the dashboard renews the access token with the refresh token before it
 * expires, keeps working past the first token's life, and signing out revokes the tokens on the server.
 */
describeBrowser('Dashboard session (browser)', () => {
  const TTL_SECONDS = 6;
  let running: RunningApp;
  let browser: BrowserContext;
  let closeBrowser: () => Promise<void>;

  beforeAll(async () => {
    process.env.WEB_DIR = webDir;
    running = await startInProcessApp({ ACCESS_TOKEN_TTL_SECONDS: String(TTL_SECONDS) });
    ({ browser, close: closeBrowser } = await launchChromium());
  }, 60_000);
  afterAll(async () => {
    await closeBrowser?.();
    await running?.close();
    delete process.env.WEB_DIR;
  });

  const sessionOf = (page: Page) =>
    page.evaluate(() => JSON.parse((globalThis as any).sessionStorage.getItem('salesline.session') ?? 'null')) as Promise<{
      token: string;
      refreshToken: string;
    } | null>;
  const statusOf = async (path: string, bearer: string) => {
    const res = await running.http.get(path, bearer);
    return `${res.status} ${res.body?.code ?? ''}`.trim();
  };

  it('renews the access token before it expires, so the pages keep reading past its life', async () => {
    const issued = await running.http.post('/api/auth/tokens', { userId: 'fay', roles: ['finance'] }, ADMIN_TOKEN);
    const page = await browser.newPage();
    await page.goto(`${running.baseUrl}/`);
    // Signed in with the entry the demo writes to demo-tokens.json
    await page.fill('#token', JSON.stringify({ userId: 'fay', token: issued.body.token, refreshToken: issued.body.refreshToken }));
    await page.click('form#signin button[type=submit]');
    await page.waitForSelector('.page[data-ready="true"]');
    // When more than the token's life has passed
    await page.waitForTimeout((TTL_SECONDS + 2) * 1000);
    // Then the first token is expired, the session holds a newer one, and a page still reads the API
    expect(await statusOf('/api/auth/me', issued.body.token)).toBe('401 TokenExpired');
    const renewed = (await sessionOf(page))!;
    expect(renewed.token).not.toBe(issued.body.token);
    expect(await statusOf('/api/auth/me', renewed.token)).toBe('200');
    await page.evaluate(() => ((globalThis as any).location.hash = '#/receivables'));
    await page.waitForSelector('.page[data-page="receivables"][data-ready="true"]');
    expect(await page.locator('.page[data-page="receivables"] .error').count()).toBe(0);
    await shot(page, 'session-renewed');
    await page.close();
  });

  it('signs out by revoking the tokens: the old access token and refresh token are refused (401)', async () => {
    const issued = await running.http.post('/api/auth/tokens', { userId: 'fred', roles: ['finance'] }, ADMIN_TOKEN);
    const page = await browser.newPage();
    await page.goto(`${running.baseUrl}/`);
    // Signed in with the refresh token alone
    await page.fill('#token', issued.body.refreshToken);
    await page.click('form#signin button[type=submit]');
    await page.waitForSelector('.page[data-ready="true"]');
    const held = (await sessionOf(page))!;
    expect(await statusOf('/api/auth/me', held.token)).toBe('200');
    // When the person signs out
    await page.click('#signout');
    await page.waitForSelector('form#signin');
    // Then the tokens the page held are refused, and it holds none
    expect(await statusOf('/api/auth/me', held.token)).toBe('401 TokenRevoked');
    const refresh = await running.http.post('/api/auth/refresh', { refreshToken: held.refreshToken });
    expect(refresh.status).toBe(401);
    expect(await sessionOf(page)).toBeNull();
    await shot(page, 'session-signed-out');
    await page.close();
  });
});

function lastClosedMonth() {
  const d = new Date();
  const first = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 1, 1));
  return `${first.getUTCFullYear()}-${String(first.getUTCMonth() + 1).padStart(2, '0')}`;
}
