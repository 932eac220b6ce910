import { addDays } from '@salesline/shared-kernel';
import { ADMIN_TOKEN, RunningApp, startInProcessApp, tokenFor } from './support/in-process-app';

/**
 * Black-box QA scenario: organization, target cascade, expenses, plans, visits, quotes and quote-to-cash,
 * then sales progress at every level, over real HTTP only (no event store access).
 *
 * Months (relative to today): M1 = the last month of a calendar quarter QA, M2 and M3 the first two months of
 * the next quarter QB; all fully in the past and inside the back-dating window (the latest such run).
 *
 * Organization from M1-01: regions north (m-nora) and south (m-olaf); teams north-a, north-b (north), south-a (south).
 *   anna, dan: north-a; ben: north-b, transferred to south-a effective M2-16; cleo: south-a;
 *   eva: north-b, leaves (last working day) M2-20.
 *
 * Targets (annual; per month):
 *   anna  explicit 10 000.00 / 100 / 4 000.00 a month, expense 12 000.00 → revised to 10 800.00 (900.00 a month)
 *   dan   percent DW, 100 000.00 / 1 000 / 40 000.00, expense 12 000.00 → revised to 13 200.00
 *   ben   explicit 5 000.00 / 50 / 2 000.00, expense 6 000.00 (500.00)      cleo: the same
 *   eva   explicit 2 000.00 / 20 / 800.00, expense 2 400.00 (200.00)
 *   north-a explicit = anna + dan each month; expense 24 000.00 (2 000.00)
 *   north-b explicit 7 000.00 / 70 / 2 800.00, expense 8 400.00 (700.00)
 *   south-a explicit 5 000.00 / 50 / 2 000.00, expense 6 000.00 (500.00)
 *   north percent RW: 304 000.00 / 3 040 / 121 600.00 / 32 400.00;  south percent RW: 60 000.00 / 600 / 24 000.00 / 6 000.00
 *   company 364 000.00 / 3 640 / 145 600.00 / 38 400.00 (monthly = north + south months)
 *
 * Products: P1 list 100.00 cost 60.00 (changed to 70.00 before O9); P2 list 250.00 cost 100.00.
 * Customers: C1 (anna/dan/cleo), C2 (ben), C3 (eva, never pays).
 *   O1 anna      M1-05 P1×100 = 10 000.00 (cost 6 000.00) dlv M1-08 inv M1-10, paid M2-03 (C1)
 *   O2 eva       M1-12 P2×20  =  5 000.00 (cost 2 000.00) dlv M1-14 inv M1-15
 *   O3 anna 33.33 % / dan 33.33 % / ben 33.34 %  M1-20 P1×10 = 1 000.00 (cost 600.00) dlv M1-22 inv M1-25
 *        → anna 333.30 / 3 / 133.32, dan 333.30 / 3 / 133.32, ben 333.40 / 4 / 133.36
 *   O4 ben (north-b) M2-10 P2×10 = 2 500.00 (cost 1 000.00) dlv M2-12 inv M2-14, paid M3-05 (C2; ben then in south-a, the cash stays with north-b where he sold)
 *   O5 ben (south-a) M2-20 P1×20 = 2 000.00 (cost 1 200.00) dlv M2-21 inv M2-22
 *   O6 eva       M2-18 P1×10 = 1 000.00 (cost 600.00) dlv M2-19, invoiced M3-02 (after she left)
 *   Qw anna quote M2-25 P2×4 = 1 000.00, accepted M3-02, converted M3-03 → O7 dlv M3-05 inv M3-06
 *   Ql dan  quote M3-01 P1×5 = 500.00, rejected M3-10 (lost)
 *   Qo ben  quote M3-12 P1×8 = 800.00, open past M3
 *   Qe cleo quote M2-01 P1×3 = 300.00, valid until M2-10, never answered (lapsed; no expiry sweep run)
 *   O8 cleo      M3-15 P2×8 = 2 000.00 (cost 800.00) dlv M3-16 inv M3-17; 2 returned M3-25 (−500.00, −2, margin −300.00)
 *   O9 dan       M3-20 P1×10 = 1 000.00 (cost captured 70.00 → 700.00) dlv M3-21 inv M3-22
 * Expenses: anna 300.00 M1-15; ben 200.00 M2-05 (north); eva 50.00 M2-10; ben 100.00 M2-25 (south);
 *   south's own 400.00 M3-10; anna 999.00 M3-01 reversed.
 */
describe('Black-box sales progress (QA scenario)', () => {
  let running: RunningApp;
  let manager: string;
  let manager2: string;
  let finance: string;
  let analyst: string;
  let adminDept: string;
  let scheduler: string;
  let anna: string;
  let dan: string;
  let ben: string;
  const ids: Record<string, string> = {};
  const today = new Date().toISOString().slice(0, 10);
  const pad = (n: number) => String(n).padStart(2, '0');
  const lastDay = (y: number, m: number) => addDays(m === 12 ? `${y + 1}-01-01` : `${y}-${pad(m + 1)}-01`, -1);
  const earliest = addDays(today, -365);

  // ── the months: the latest run (quarter-end month, then two months) fully past and inside the window ──
  const runs: { y: number; s: number }[] = [];
  for (let y = +earliest.slice(0, 4); y <= +today.slice(0, 4); y++)
    for (const s of [3, 6, 9]) if (`${y}-${pad(s)}-01` >= earliest && lastDay(y, s + 2) < today) runs.push({ y, s });
  const { y: Y, s: S } = runs[runs.length - 1];
  const mo = (k: number) => S + k - 1; // calendar month of Mk (k = 1..4)
  const M = (k: number, day: number) => `${Y}-${pad(mo(k))}-${pad(day)}`;
  const P = (k: number) => `${Y}-${pad(mo(k))}`;
  const QA = `${Y}-Q${S / 3}`;
  const QB = `${Y}-Q${S / 3 + 1}`;
  const QA_MONTHS = [S - 2, S - 1, S];
  const QB_MONTHS = [S + 1, S + 2, S + 3];
  const daysIn = (m: number) => +lastDay(Y, m).slice(8, 10);

  // ── arithmetic as the domain does it ──
  const roundDiv = (a: number, n: number, d: number) => {
    const x = (a * n) / d;
    return Math.sign(x) * Math.round(Math.abs(x));
  };
  const bp = (actual: number, target: number) => (target === 0 ? null : roundDiv(actual, 10_000, target));

  // ── targets ──
  type Fig = { revenue: number; quantity: number; grossMargin: number; expenseBudget: number };
  const fig = (revenue: number, quantity: number, grossMargin: number, expenseBudget: number): Fig => ({
    revenue,
    quantity,
    grossMargin,
    expenseBudget,
  });
  const add = (a: Fig, b: Fig): Fig =>
    fig(a.revenue + b.revenue, a.quantity + b.quantity, a.grossMargin + b.grossMargin, a.expenseBudget + b.expenseBudget);
  const DW = [700, 700, 700, 800, 800, 800, 900, 900, 900, 1000, 1000, 800];
  const RW = [500, 500, 500, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 500, 1000];
  const ANNUAL: Record<string, Fig> = {
    'sp-anna': fig(120_000_00, 1_200, 48_000_00, 12_000_00),
    'sp-dan': fig(100_000_00, 1_000, 40_000_00, 12_000_00),
    'sp-ben': fig(60_000_00, 600, 24_000_00, 6_000_00),
    'sp-cleo': fig(60_000_00, 600, 24_000_00, 6_000_00),
    'sp-eva': fig(24_000_00, 240, 9_600_00, 2_400_00),
    'north-a': fig(220_000_00, 2_200, 88_000_00, 24_000_00),
    'north-b': fig(84_000_00, 840, 33_600_00, 8_400_00),
    'south-a': fig(60_000_00, 600, 24_000_00, 6_000_00),
    north: fig(304_000_00, 3_040, 121_600_00, 32_400_00),
    south: fig(60_000_00, 600, 24_000_00, 6_000_00),
  };
  const COMPANY = fig(364_000_00, 3_640, 145_600_00, 38_400_00);
  /** After the revision: anna's expense budget 10 800.00, dan's 13 200.00. */
  const REVISED_BUDGET: Record<string, number> = { 'sp-anna': 10_800_00, 'sp-dan': 13_200_00 };
  const EXPLICIT_MONTH: Record<string, Omit<Fig, 'expenseBudget'>> = {
    'sp-anna': { revenue: 10_000_00, quantity: 100, grossMargin: 4_000_00 },
    'sp-ben': { revenue: 5_000_00, quantity: 50, grossMargin: 2_000_00 },
    'sp-cleo': { revenue: 5_000_00, quantity: 50, grossMargin: 2_000_00 },
    'sp-eva': { revenue: 2_000_00, quantity: 20, grossMargin: 800_00 },
    'north-b': { revenue: 7_000_00, quantity: 70, grossMargin: 2_800_00 },
    'south-a': { revenue: 5_000_00, quantity: 50, grossMargin: 2_000_00 },
  };
  /** One month's target (month 1..12) after the revision; every figure is exact by construction. */
  const monthTarget = (node: string, m: number): Fig => {
    const budget = REVISED_BUDGET[node] ?? ANNUAL[node]?.expenseBudget;
    const w = (weights: number[], f: Fig) =>
      fig(
        (f.revenue * weights[m - 1]) / 10_000,
        (f.quantity * weights[m - 1]) / 10_000,
        (f.grossMargin * weights[m - 1]) / 10_000,
        (f.expenseBudget * weights[m - 1]) / 10_000,
      );
    // The report adds up from the salespeople (ADR 0215): a team holds its people's months where they were, a region
    // its teams', the company its regions'. The regions' RW months are the plan's, not the report's.
    if (node === 'company') return add(monthTarget('north', m), monthTarget('south', m));
    if (node === 'north' || node === 'south') return TEAMS_OF[node].map((t) => monthTarget(t, m)).reduce(add, fig(0, 0, 0, 0));
    if (node in TEAMS_HOLDING)
      return Object.keys(PLACED)
        .flatMap((p) => held(p, m))
        .filter(([team]) => team === node)
        .reduce((sum, [, f]) => add(sum, f), fig(0, 0, 0, 0));
    if (node === 'sp-dan') return w(DW, { ...ANNUAL['sp-dan'], expenseBudget: REVISED_BUDGET['sp-dan'] });
    return { ...EXPLICIT_MONTH[node], expenseBudget: budget / 12 };
  };
  const PLACED: Record<string, string> = {
    'sp-anna': 'north-a',
    'sp-dan': 'north-a',
    'sp-ben': 'north-b',
    'sp-cleo': 'south-a',
    'sp-eva': 'north-b',
  };
  const TEAMS_OF: Record<string, string[]> = { north: ['north-a', 'north-b'], south: ['south-a'] };
  const TEAMS_HOLDING: Record<string, true> = { 'north-a': true, 'north-b': true, 'south-a': true };
  /** Largest remainders, ties to the earlier part, as the domain splits. */
  const allocate = (amount: number, weights: number[]): number[] => {
    const total = weights.reduce((a, b) => a + b, 0);
    const parts = weights.map((x) => Math.floor((amount * x) / total));
    const order = weights.map((x, i) => ({ i, r: (amount * x) % total })).sort((a, b) => b.r - a.r || a.i - b.i);
    for (let k = 0; k < amount - parts.reduce((a, b) => a + b, 0); k++) parts[order[k].i] += 1;
    return parts;
  };
  /**
   * Where a salesperson's month is held: Ben's month M2 split by days, 15 in North B and the rest in South A (transfer
   * effective M2-16), South A from M3; Eva's stays in North B after she leaves (where the plan places her).
   */
  const held = (person: string, m: number): [string, Fig][] => {
    const f = monthTarget(person, m);
    if (person !== 'sp-ben' || m < mo(2)) return [[PLACED[person], f]];
    if (m > mo(2)) return [['south-a', f]];
    const [r, q, g, e] = [f.revenue, f.quantity, f.grossMargin, f.expenseBudget].map((x) => allocate(x, [15, daysIn(m) - 15]));
    return [
      ['north-b', fig(r[0], q[0], g[0], e[0])],
      ['south-a', fig(r[1], q[1], g[1], e[1])],
    ];
  };
  const periodTarget = (node: string, months: number[]) => months.map((m) => monthTarget(node, m)).reduce(add, fig(0, 0, 0, 0));

  // ── expected rows ──
  type Actual = { booked: number; delivered: number; invoiced: number; collected: number; quantity: number; margin: number };
  const A = (booked: number, delivered: number, invoiced: number, collected: number, quantity: number, margin: number): Actual => ({
    booked,
    delivered,
    invoiced,
    collected,
    quantity,
    margin,
  });
  const ZERO = A(0, 0, 0, 0, 0, 0);
  const sum = (...xs: Actual[]): Actual =>
    xs.reduce(
      (a, b) =>
        A(
          a.booked + b.booked,
          a.delivered + b.delivered,
          a.invoiced + b.invoiced,
          a.collected + b.collected,
          a.quantity + b.quantity,
          a.margin + b.margin,
        ),
      ZERO,
    );
  const expected = (target: Fig, a: Actual, expenses: number, run: { days: number; elapsed: number } | null = null) => {
    const forecast = (x: number) => (run && run.elapsed < run.days ? roundDiv(x, run.days, run.elapsed) : x);
    return {
      target,
      actual: {
        ordersBooked: a.booked,
        revenueDelivered: a.delivered,
        revenueInvoiced: a.invoiced,
        cashCollected: a.collected,
        revenue: a.invoiced,
        quantity: a.quantity,
        grossMargin: a.margin,
      },
      achievementBp: {
        revenue: bp(a.invoiced, target.revenue),
        quantity: bp(a.quantity, target.quantity),
        grossMargin: bp(a.margin, target.grossMargin),
      },
      forecast: { revenue: forecast(a.invoiced), quantity: forecast(a.quantity), grossMargin: forecast(a.margin) },
      expenses: {
        budget: target.expenseBudget,
        actual: expenses,
        remaining: target.expenseBudget - expenses,
        usedBp: bp(expenses, target.expenseBudget),
      },
    };
  };
  const pick = (row: Record<string, unknown> | undefined) =>
    row
      ? { target: row.target, actual: row.actual, achievementBp: row.achievementBp, forecast: row.forecast, expenses: row.expenses }
      : row;

  // ── the hand-computed actuals per month (see the header) ──
  const ACT: Record<'m1' | 'm2' | 'm3', Record<string, Actual>> = {
    m1: {
      'sp-anna': A(10_333_30, 10_333_30, 10_333_30, 0, 103, 4_133_32),
      'sp-dan': A(333_30, 333_30, 333_30, 0, 3, 133_32),
      'sp-ben': A(333_40, 333_40, 333_40, 0, 4, 133_36),
      'sp-eva': A(5_000_00, 5_000_00, 5_000_00, 0, 20, 3_000_00),
      'sp-cleo': ZERO,
    },
    m2: {
      'sp-anna': A(0, 0, 0, 10_000_00, 0, 0),
      'sp-dan': ZERO,
      // O4 in north-b (2 500.00 / 10 / 1 500.00), O5 in south-a (2 000.00 / 20 / 800.00)
      'sp-ben': A(4_500_00, 4_500_00, 4_500_00, 0, 30, 2_300_00),
      // O6 booked and delivered, not yet invoiced
      'sp-eva': A(1_000_00, 1_000_00, 0, 0, 0, 0),
      'sp-cleo': ZERO,
    },
    m3: {
      'sp-anna': A(1_000_00, 1_000_00, 1_000_00, 0, 4, 600_00),
      // O9's margin from the cost captured when it was placed (70.00): 1 000.00 − 700.00
      'sp-dan': A(1_000_00, 1_000_00, 1_000_00, 0, 10, 300_00),
      'sp-ben': A(0, 0, 0, 2_500_00, 0, 0),
      // O8 2 000.00 less the return of 2: 1 500.00 delivered and invoiced, 6 units, margin 1 200.00 − 300.00
      'sp-cleo': A(2_000_00, 1_500_00, 1_500_00, 0, 6, 900_00),
      // O6's invoice (sale on M2-18, invoiced after she left)
      'sp-eva': A(0, 0, 1_000_00, 0, 10, 400_00),
    },
  };
  // Team/region per month: where the salesperson was on the day of the sale (the order date), in the period of each document's date.
  const O4 = A(2_500_00, 2_500_00, 2_500_00, 0, 10, 1_500_00);
  const O5 = A(2_000_00, 2_000_00, 2_000_00, 0, 20, 800_00);
  const TEAM: Record<'m1' | 'm2' | 'm3', Record<string, Actual>> = {
    m1: {
      'north-a': sum(ACT.m1['sp-anna'], ACT.m1['sp-dan']),
      'north-b': sum(ACT.m1['sp-ben'], ACT.m1['sp-eva']),
      'south-a': ZERO,
    },
    m2: {
      'north-a': ACT.m2['sp-anna'],
      'north-b': sum(O4, ACT.m2['sp-eva']),
      'south-a': O5,
    },
    m3: {
      'north-a': sum(ACT.m3['sp-anna'], ACT.m3['sp-dan']),
      // Eva's O6 invoice: the sale was made on M2-18, when she was in north-b; Ben's cash for O4, sold in north-b.
      'north-b': sum(ACT.m3['sp-eva'], ACT.m3['sp-ben']),
      'south-a': ACT.m3['sp-cleo'],
    },
  };
  const region = (k: 'm1' | 'm2' | 'm3') => ({ north: sum(TEAM[k]['north-a'], TEAM[k]['north-b']), south: TEAM[k]['south-a'] });
  const company = (k: 'm1' | 'm2' | 'm3') => sum(region(k).north, region(k).south);
  // Expenses per month and node.
  const EXP: Record<'m1' | 'm2' | 'm3', Record<string, number>> = {
    m1: { 'sp-anna': 300_00, 'north-a': 300_00, north: 300_00, company: 300_00 },
    m2: { 'sp-ben': 300_00, 'sp-eva': 50_00, 'north-b': 250_00, 'south-a': 100_00, north: 250_00, south: 100_00, company: 350_00 },
    m3: { south: 400_00, company: 400_00 },
  };
  const exp = (k: 'm1' | 'm2' | 'm3', node: string) => EXP[k][node] ?? 0;
  const actualOf = (k: 'm1' | 'm2' | 'm3', node: string): Actual =>
    node === 'company'
      ? company(k)
      : node === 'north' || node === 'south'
        ? region(k)[node]
        : node.startsWith('sp-')
          ? ACT[k][node]
          : TEAM[k][node];

  const ok = async (res: Promise<{ status: number; body: any }>) => {
    const r = await res;
    if (r.status !== 200 && r.status !== 201) throw new Error(`expected 200/201, got ${r.status}: ${JSON.stringify(r.body)}`);
    return r.body;
  };
  const http = () => running.http;
  let position = 0;
  const track = <T extends { position?: number }>(body: T): T => {
    position = Math.max(position, body.position ?? 0);
    return body;
  };
  const settle = async (customerId: string, predicate: (acct: any) => boolean) => {
    for (let i = 0; i < 200; i++) {
      const res = await http().get(`/api/receivables/${customerId}`, finance);
      if (res.status === 200 && predicate(res.body)) return res.body;
      await new Promise((r) => setTimeout(r, 25));
    }
    return null;
  };
  const placeOrder = async (body: Record<string, unknown>) => track(await ok(http().post('/api/orders', body, manager))).id as string;
  const deliver = async (orderId: string, deliveryDate: string, lines: { lineId: string; quantity: number }[]) =>
    track(
      await ok(
        http().post(
          `/api/orders/${orderId}/deliveries`,
          { billOfLading: `BOL-${orderId.slice(0, 8)}-${deliveryDate}`, carrier: 'DHL', deliveryDate, lines },
          manager,
        ),
      ),
    );
  const invoice = async (orderId: string, invoiceDate: string) =>
    track(await ok(http().post(`/api/orders/${orderId}/invoices`, { invoiceDate }, finance))).invoiceId as string;
  /** Sales progress; waits a little for the asynchronous account sync (invoices reach the account later). */
  const report = async (period: string, level: string, extra = '', token = manager) => {
    const res = await http().get(`/api/reports/sales-progress?period=${period}&level=${level}&minPosition=${position}${extra}`, token);
    if (res.status !== 200) throw new Error(`${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const rowsOf = (body: { rows: { nodeId: string }[] }): Record<string, any> => Object.fromEntries(body.rows.map((r) => [r.nodeId, r]));
  const cascade: Record<string, any> = {};

  beforeAll(async () => {
    // The scenario moves the clock over months: its people's tokens must outlive it (the default lifetime is 15 minutes).
    // m-nora also runs the company's order desk (orders and quotes for every team): ADR 0007.
    running = await startInProcessApp({ ACCESS_TOKEN_TTL_SECONDS: String(366 * 86_400), SALES_MANAGER_SCOPE: 'company' });
    manager = await tokenFor(running.http, 'm-nora', 'sales_manager');
    manager2 = await tokenFor(running.http, 'm-olaf', 'sales_manager');
    finance = await tokenFor(running.http, 'fiona', 'finance');
    analyst = await tokenFor(running.http, 'andy', 'analyst');
    adminDept = await tokenFor(running.http, 'ad-1', 'admin_department');
    scheduler = await tokenFor(running.http, 'scheduler', 'integration');
    anna = await tokenFor(running.http, 'sp-anna', 'salesperson');
    dan = await tokenFor(running.http, 'sp-dan', 'salesperson');
    ben = await tokenFor(running.http, 'sp-ben', 'salesperson');

    // ── organization ──
    const from = M(1, 1);
    await ok(http().post('/api/regions', { regionId: 'north', name: 'North', managerId: 'm-nora', establishedOn: from }, manager));
    await ok(http().post('/api/regions', { regionId: 'south', name: 'South', managerId: 'm-olaf', establishedOn: from }, manager));
    await ok(http().post('/api/regions/north/branches', { branchId: 'oslo-1', name: 'Oslo city', city: 'Oslo', openedOn: from }, manager));
    await ok(
      http().post(
        '/api/regions/south/agents',
        { agentId: 'agent-x', name: 'Nordic Trading', commissionBp: 500, appointedOn: from },
        manager,
      ),
    );
    await ok(
      http().post('/api/teams', { teamId: 'north-a', regionId: 'north', name: 'North A', managerId: 'm-nora', formedOn: from }, manager),
    );
    await ok(
      http().post('/api/teams', { teamId: 'north-b', regionId: 'north', name: 'North B', managerId: 'm-nora', formedOn: from }, manager),
    );
    await ok(
      http().post('/api/teams', { teamId: 'south-a', regionId: 'south', name: 'South A', managerId: 'm-olaf', formedOn: from }, manager),
    );
    for (const [employeeId, name, teamId] of [
      ['sp-anna', 'Anna Berg', 'north-a'],
      ['sp-dan', 'Dan Holm', 'north-a'],
      ['sp-ben', 'Ben Dahl', 'north-b'],
      ['sp-cleo', 'Cleo Eng', 'south-a'],
      ['sp-eva', 'Eva Lund', 'north-b'],
    ])
      await ok(http().post('/api/employees', { employeeId, name, teamId, hiredOn: from }, manager));
    await ok(http().post('/api/employees/sp-anna/territories', { territory: 'oslo', assignedOn: from }, manager));
    await ok(http().post('/api/employees/sp-ben/transfer', { toTeamId: 'south-a', effectiveOn: M(2, 16) }, manager));
    track(await ok(http().post('/api/employees/sp-eva/leave', { reason: 'resigned', leftOn: M(2, 20) }, manager)));

    // ── targets: drafted with the cascade rules probed on the way, finalized, then revised ──
    await ok(http().post(`/api/targets/${Y}/company`, COMPANY, finance));
    const percent = (w: number[]) => ({ kind: 'percent', bp: w });
    const explicit = (node: string) => ({
      kind: 'explicit',
      months: Array.from({ length: 12 }, (_, i) =>
        node === 'north-a' ? (({ expenseBudget: _e, ...f }) => f)(monthTarget('north-a', i + 1)) : EXPLICIT_MONTH[node],
      ),
    });
    const assign = (nodeKind: string, nodeId: string, f: Fig, monthly: unknown, extra: Record<string, unknown> = {}) =>
      http().post(`/api/targets/${Y}/assignments`, { nodeKind, nodeId, ...f, monthly, ...extra }, manager);
    cascade.regionOver = await assign('region', 'north', { ...ANNUAL.north, revenue: 400_000_00 }, percent(RW));
    await ok(assign('region', 'north', ANNUAL.north, percent(RW)));
    await ok(assign('region', 'south', ANNUAL.south, percent(RW)));
    await ok(assign('team', 'north-a', ANNUAL['north-a'], explicit('north-a')));
    await ok(assign('team', 'north-b', ANNUAL['north-b'], explicit('north-b')));
    await ok(assign('team', 'south-a', ANNUAL['south-a'], explicit('south-a')));
    cascade.badPercent = await assign('salesperson', 'sp-dan', ANNUAL['sp-dan'], percent([...DW.slice(0, 11), 700]));
    cascade.badExplicit = await assign('salesperson', 'sp-anna', ANNUAL['sp-anna'], {
      kind: 'explicit',
      months: Array.from({ length: 12 }, () => ({ revenue: 9_000_00, quantity: 100, grossMargin: 4_000_00 })),
    });
    await ok(assign('salesperson', 'sp-anna', ANNUAL['sp-anna'], explicit('sp-anna'), { parentId: 'north-a' }));
    await ok(assign('salesperson', 'sp-dan', ANNUAL['sp-dan'], percent(DW)));
    await ok(assign('salesperson', 'sp-ben', ANNUAL['sp-ben'], explicit('sp-ben'), { parentId: 'north-b' }));
    await ok(assign('salesperson', 'sp-cleo', ANNUAL['sp-cleo'], explicit('sp-cleo')));
    cascade.gap = await http().post(`/api/targets/${Y}/finalize`, {}, manager);
    cascade.teamOver = await assign(
      'salesperson',
      'sp-eva',
      { ...ANNUAL['sp-eva'], revenue: 30_000_00 },
      { kind: 'explicit', months: Array.from({ length: 12 }, () => ({ revenue: 2_500_00, quantity: 20, grossMargin: 800_00 })) },
      { parentId: 'north-b' },
    );
    await ok(assign('salesperson', 'sp-eva', ANNUAL['sp-eva'], explicit('sp-eva'), { parentId: 'north-b' }));
    cascade.finalized = track(await ok(http().post(`/api/targets/${Y}/finalize`, {}, finance)));
    cascade.direct = await assign('salesperson', 'sp-eva', ANNUAL['sp-eva'], explicit('sp-eva'), { parentId: 'north-b' });
    cascade.noReason = await http().post(
      `/api/targets/${Y}/revisions`,
      { reason: '', changes: [{ nodeKind: 'salesperson', nodeId: 'sp-anna', target: { ...ANNUAL['sp-anna'], expenseBudget: 10_800_00 } }] },
      manager,
    );
    cascade.unbalanced = await http().post(
      `/api/targets/${Y}/revisions`,
      {
        reason: 'Anna travels less',
        changes: [{ nodeKind: 'salesperson', nodeId: 'sp-anna', target: { ...ANNUAL['sp-anna'], expenseBudget: 10_800_00 } }],
      },
      manager,
    );
    cascade.revised = track(
      await ok(
        http().post(
          `/api/targets/${Y}/revisions`,
          {
            reason: 'Travel budget moved from Anna to Dan',
            changes: [
              { nodeKind: 'salesperson', nodeId: 'sp-anna', target: { ...ANNUAL['sp-anna'], expenseBudget: 10_800_00 } },
              { nodeKind: 'salesperson', nodeId: 'sp-dan', target: { ...ANNUAL['sp-dan'], expenseBudget: 13_200_00 } },
            ],
          },
          manager,
        ),
      ),
    );

    // ── customers and products ──
    const customer = async (name: string, owner: string) =>
      (
        await ok(
          http().post(
            '/api/customers',
            // Registered when the organization was set up: the owner must be employed on that date (ADR 0114); Eva has left since.
            {
              name,
              customerGroup: 'wholesale',
              territory: 'oslo',
              ownerId: owner,
              creditLimit: 10_000_000_00,
              paymentTermsDays: 30,
              registeredOn: from,
            },
            finance,
          ),
        )
      ).id as string;
    ids.C1 = await customer('Acme', 'sp-anna');
    ids.C2 = await customer('Birch', 'sp-ben');
    ids.C3 = await customer('Cedar', 'sp-eva');
    ids.P1 = (
      await ok(http().post('/api/products', { sku: 'P-100', name: 'Widget', unit: 'pcs', listPrice: 100_00, standardCost: 60_00 }, manager))
    ).id;
    ids.P2 = (
      await ok(
        http().post('/api/products', { sku: 'P-250', name: 'Gadget', unit: 'pcs', listPrice: 250_00, standardCost: 100_00 }, manager),
      )
    ).id;

    // ── M1 ──
    ids.O1 = await placeOrder({
      customerId: ids.C1,
      salespersonId: 'sp-anna',
      orderDate: M(1, 5),
      lines: [{ productId: ids.P1, quantity: 100 }],
    });
    await deliver(ids.O1, M(1, 8), [{ lineId: 'L1', quantity: 100 }]);
    ids.I1 = await invoice(ids.O1, M(1, 10));
    ids.O2 = await placeOrder({
      customerId: ids.C3,
      salespersonId: 'sp-eva',
      orderDate: M(1, 12),
      lines: [{ productId: ids.P2, quantity: 20 }],
    });
    await deliver(ids.O2, M(1, 14), [{ lineId: 'L1', quantity: 20 }]);
    await invoice(ids.O2, M(1, 15));
    ids.O3 = await placeOrder({
      customerId: ids.C1,
      salesCredit: [
        { salespersonId: 'sp-anna', shareBp: 3_333 },
        { salespersonId: 'sp-dan', shareBp: 3_333 },
        { salespersonId: 'sp-ben', shareBp: 3_334 },
      ],
      orderDate: M(1, 20),
      lines: [{ productId: ids.P1, quantity: 10 }],
    });
    await deliver(ids.O3, M(1, 22), [{ lineId: 'L1', quantity: 10 }]);
    await invoice(ids.O3, M(1, 25));
    // ── M2 ──
    await settle(ids.C1, (a) => JSON.stringify(a).includes(ids.I1));
    track(await ok(http().post(`/api/customers/${ids.C1}/payments`, { amount: 10_000_00, receivedOn: M(2, 3) }, finance)));
    ids.O4 = await placeOrder({
      customerId: ids.C2,
      salespersonId: 'sp-ben',
      orderDate: M(2, 10),
      lines: [{ productId: ids.P2, quantity: 10 }],
    });
    await deliver(ids.O4, M(2, 12), [{ lineId: 'L1', quantity: 10 }]);
    ids.I4 = await invoice(ids.O4, M(2, 14));
    ids.O6 = await placeOrder({
      customerId: ids.C3,
      salespersonId: 'sp-eva',
      orderDate: M(2, 18),
      lines: [{ productId: ids.P1, quantity: 10 }],
    });
    await deliver(ids.O6, M(2, 19), [{ lineId: 'L1', quantity: 10 }]);
    ids.O5 = await placeOrder({
      customerId: ids.C2,
      salespersonId: 'sp-ben',
      orderDate: M(2, 20),
      lines: [{ productId: ids.P1, quantity: 20 }],
    });
    await deliver(ids.O5, M(2, 21), [{ lineId: 'L1', quantity: 20 }]);
    await invoice(ids.O5, M(2, 22));
    // ── quotes ──
    ids.Qe = (
      await ok(
        http().post(
          '/api/quotes',
          {
            customerId: ids.C1,
            salespersonId: 'sp-cleo',
            quoteDate: M(2, 1),
            validUntil: M(2, 10),
            lines: [{ productId: ids.P1, quantity: 3 }],
          },
          manager,
        ),
      )
    ).id;
    ids.Qw = (
      await ok(
        http().post(
          '/api/quotes',
          {
            customerId: ids.C1,
            salespersonId: 'sp-anna',
            quoteDate: M(2, 25),
            validUntil: M(3, 28),
            lines: [{ productId: ids.P2, quantity: 4 }],
          },
          manager,
        ),
      )
    ).id;
    ids.Ql = (
      await ok(
        http().post(
          '/api/quotes',
          {
            customerId: ids.C1,
            salespersonId: 'sp-dan',
            quoteDate: M(3, 1),
            validUntil: M(3, 28),
            lines: [{ productId: ids.P1, quantity: 5 }],
          },
          manager,
        ),
      )
    ).id;
    ids.Qo = (
      await ok(
        http().post(
          '/api/quotes',
          {
            customerId: ids.C2,
            salespersonId: 'sp-ben',
            quoteDate: M(3, 12),
            validUntil: addDays(lastDay(Y, mo(3)), 20),
            lines: [{ productId: ids.P1, quantity: 8 }],
          },
          manager,
        ),
      )
    ).id;
    // ── M3 ──
    await invoice(ids.O6, M(3, 2));
    track(await ok(http().post(`/api/quotes/${ids.Qw}/accept`, { acceptedOn: M(3, 2) }, manager)));
    const conv = track(await ok(http().post(`/api/quotes/${ids.Qw}/convert`, { orderDate: M(3, 3) }, manager)));
    ids.O7 = conv.orderId;
    const o7 = await ok(http().get(`/api/orders/${ids.O7}?minPosition=${position}`, manager));
    await deliver(ids.O7, M(3, 5), [{ lineId: o7.lines[0].lineId, quantity: 4 }]);
    await invoice(ids.O7, M(3, 6));
    await settle(ids.C2, (a) => JSON.stringify(a).includes(ids.I4));
    track(await ok(http().post(`/api/customers/${ids.C2}/payments`, { amount: 2_500_00, receivedOn: M(3, 5) }, finance)));
    track(await ok(http().post(`/api/quotes/${ids.Ql}/reject`, { reason: 'price', rejectedOn: M(3, 10) }, manager)));
    ids.O8 = await placeOrder({
      customerId: ids.C1,
      salespersonId: 'sp-cleo',
      orderDate: M(3, 15),
      lines: [{ productId: ids.P2, quantity: 8 }],
    });
    await deliver(ids.O8, M(3, 16), [{ lineId: 'L1', quantity: 8 }]);
    await invoice(ids.O8, M(3, 17));
    const ret = await ok(
      http().post(
        '/api/returns',
        { orderId: ids.O8, reason: 'damaged', requestedOn: M(3, 24), lines: [{ lineId: 'L1', quantity: 2 }] },
        manager,
      ),
    );
    await ok(http().post(`/api/returns/${ret.id}/accept`, {}, manager));
    track(await ok(http().post(`/api/returns/${ret.id}/receive`, { receivedOn: M(3, 25) }, manager)));
    // The product's cost changes; the next order captures the new cost; earlier orders keep theirs.
    await ok(http().post(`/api/products/${ids.P1}/cost`, { standardCost: 70_00 }, finance));
    ids.O9 = await placeOrder({
      customerId: ids.C1,
      salespersonId: 'sp-dan',
      orderDate: M(3, 20),
      lines: [{ productId: ids.P1, quantity: 10 }],
    });
    await deliver(ids.O9, M(3, 21), [{ lineId: 'L1', quantity: 10 }]);
    await invoice(ids.O9, M(3, 22));

    // ── expenses ──
    await ok(http().post('/api/sales-expenses', { employeeId: 'sp-anna', amount: 300_00, category: 'travel', spentOn: M(1, 15) }, anna));
    await ok(http().post('/api/sales-expenses', { employeeId: 'sp-ben', amount: 200_00, category: 'travel', spentOn: M(2, 5) }, manager));
    await ok(
      http().post('/api/sales-expenses', { employeeId: 'sp-eva', amount: 50_00, category: 'communication', spentOn: M(2, 10) }, manager),
    );
    await ok(http().post('/api/sales-expenses', { employeeId: 'sp-ben', amount: 100_00, category: 'travel', spentOn: M(2, 25) }, ben));
    await ok(
      http().post('/api/sales-expenses', { regionId: 'south', amount: 400_00, category: 'advertising', spentOn: M(3, 10) }, finance),
    );
    const wrong = await ok(
      http().post('/api/sales-expenses', { employeeId: 'sp-anna', amount: 999_00, category: 'entertainment', spentOn: M(3, 1) }, anna),
    );
    track(await ok(http().post(`/api/sales-expenses/${wrong.id}/reverse`, { reason: 'private' }, finance)));
    // ── visits in M2: Ben in North B (M2-10) and in South A (M2-18) ──
    await ok(http().post('/api/visits', { customerId: ids.C2, outcome: 'Intro', employeeId: 'sp-ben', visitedOn: M(2, 10) }, manager));
    track(
      await ok(http().post('/api/visits', { customerId: ids.C2, outcome: 'Reorder', employeeId: 'sp-ben', visitedOn: M(2, 18) }, manager)),
    );
    // Let the asynchronous account sync catch up before reading (credit note and payments).
    await settle(ids.C1, (a) => (a.openInvoices ?? []).some((i: any) => i.orderId === ids.O8 && i.openBalance < i.amount));
  }, 180_000);
  afterAll(() => running.close());

  describe('organization', () => {
    it('keeps the dated history of a transfer and of leaving', async () => {
      const b = await ok(http().get(`/api/employees/sp-ben?minPosition=${position}`, manager));
      expect(b).toMatchObject({
        status: 'active',
        teamId: 'south-a',
        regionId: 'south',
        history: [
          { teamId: 'north-b', regionId: 'north', from: M(1, 1), until: M(2, 16) },
          { teamId: 'south-a', regionId: 'south', managerId: 'm-olaf', from: M(2, 16), until: null },
        ],
      });
      const e = await ok(http().get(`/api/employees/sp-eva?minPosition=${position}`, manager));
      expect(e).toMatchObject({ status: 'left', leftOn: M(2, 20), history: [{ teamId: 'north-b', from: M(1, 1), until: M(2, 21) }] });
    });
  });

  describe('target cascade', () => {
    it('refuses children above their parent while drafting, naming the parent and the measure', () => {
      expect([cascade.regionOver.status, cascade.regionOver.body.code]).toEqual([422, 'TargetExceedsParent']);
      expect(cascade.regionOver.body.details).toMatchObject({
        nodeKind: 'company',
        nodeId: 'company',
        measure: 'revenue',
        target: 364_000_00,
        allocated: 400_000_00 + 60_000_00 - 60_000_00,
      });
      expect([cascade.teamOver.status, cascade.teamOver.body.code]).toEqual([422, 'TargetExceedsParent']);
      expect(cascade.teamOver.body.details).toMatchObject({
        nodeKind: 'team',
        nodeId: 'north-b',
        measure: 'revenue',
        target: 84_000_00,
        allocated: 90_000_00,
      });
    });

    it('refuses monthly distributions that do not sum to 100 % or to the annual figure', () => {
      expect([400, 422]).toContain(cascade.badPercent.status);
      expect(JSON.stringify(cascade.badPercent.body)).toMatch(/monthly|MonthlyDistributionInvalid/);
      expect([cascade.badExplicit.status, cascade.badExplicit.body.code]).toEqual([422, 'MonthlyDistributionInvalid']);
    });

    it('refuses to finalize with gaps, naming the first gap', () => {
      expect([cascade.gap.status, cascade.gap.body.code]).toEqual([422, 'TargetCascadeIncomplete']);
      expect(cascade.gap.body.details).toMatchObject({
        nodeKind: 'team',
        nodeId: 'north-b',
        measure: 'revenue',
        target: 84_000_00,
        allocated: 60_000_00,
      });
    });

    it('after finalization: no direct change; a revision needs a reason, must balance, and shows in history', async () => {
      expect([cascade.direct.status, cascade.direct.body.code]).toEqual([409, 'TargetPlanAlreadyFinalized']);
      expect(cascade.noReason.status).toBe(400);
      expect([cascade.unbalanced.status, cascade.unbalanced.body.code]).toEqual([422, 'TargetRevisionUnbalanced']);
      const plan = await ok(http().get(`/api/targets/${Y}?minPosition=${position}`, analyst));
      expect(plan).toMatchObject({ year: Y, status: 'finalized', company: { revenue: 364_000_00, expenseBudget: 38_400_00 } });
      expect(plan.revisions.map((r: any) => [r.nodeId, r.reason, r.before.expenseBudget, r.after.expenseBudget])).toEqual([
        ['sp-anna', 'Travel budget moved from Anna to Dan', 12_000_00, 10_800_00],
        ['sp-dan', 'Travel budget moved from Anna to Dan', 12_000_00, 13_200_00],
      ]);
      const types = plan.history.map((h: { type: string }) => h.type);
      expect(types[0]).toBe('CompanyTargetSet');
      expect(types.filter((t: string) => t === 'TargetAssigned')).toHaveLength(10);
      expect(types.slice(-3)).toEqual(['TargetPlanFinalized', 'TargetRevised', 'TargetRevised']);
      const dan = plan.nodes.find((n: { nodeId: string }) => n.nodeId === 'sp-dan');
      expect(dan).toMatchObject({ parentKind: 'team', parentId: 'north-a', expenseBudget: 13_200_00 });
    });
  });

  describe('sales progress by month', () => {
    const check = async (k: 'm1' | 'm2' | 'm3', month: number) => {
      const sp = rowsOf(await report(P(+k[1]), 'salesperson'));
      for (const id of ['sp-anna', 'sp-dan', 'sp-ben', 'sp-cleo', 'sp-eva'])
        expect([id, pick(sp[id])]).toEqual([id, expected(monthTarget(id, month), ACT[k][id], exp(k, id))]);
      const teams = rowsOf(await report(P(+k[1]), 'team'));
      for (const id of ['north-a', 'north-b', 'south-a'])
        expect([id, pick(teams[id])]).toEqual([id, expected(monthTarget(id, month), TEAM[k][id], exp(k, id))]);
      const regions = rowsOf(await report(P(+k[1]), 'region'));
      for (const id of ['north', 'south'] as const)
        expect([id, pick(regions[id])]).toEqual([id, expected(monthTarget(id, month), region(k)[id], exp(k, id))]);
      const c = await report(P(+k[1]), 'company');
      expect(pick(c.rows[0])).toEqual(expected(monthTarget('company', month), company(k), exp(k, 'company')));
      return { sp, teams, regions, company: c };
    };

    it('M1: a 33.33/33.33/33.34 split, explicit and percent targets at every level', async () => {
      const r = await check('m1', mo(1));
      // Anna: 10 333.30 of 10 000.00 → 10 333 bp; 103 of 100 → 10 300; 4 133.32 of 4 000.00 → 10 333.
      expect(r.sp['sp-anna'].achievementBp).toEqual({ revenue: 10_333, quantity: 10_300, grossMargin: 10_333 });
      expect(r.sp['sp-anna'].expenses).toEqual({ budget: 900_00, actual: 300_00, remaining: 600_00, usedBp: 3_333 });
      expect(r.company).toMatchObject({ period: P(1), level: 'company', revenueBasis: 'invoiced', unattributed: [] });
    });

    it('M2: Ben credited to North B before the 16th and South A after; cash for O1 to Anna; Eva’s booking before she left', async () => {
      const r = await check('m2', mo(2));
      expect(r.sp['sp-anna'].quotes).toEqual({ pipelineCount: 1, pipelineValue: 1_000_00, won: 0, lost: 0, winRateBp: null });
      // Cleo's quote lapsed on M2-10 unanswered: neither open at the month's end nor won.
      expect(r.sp['sp-cleo'].quotes).toEqual({ pipelineCount: 0, pipelineValue: 0, won: 0, lost: 0, winRateBp: null });
      expect(r.sp['sp-ben'].visits).toEqual({ planned: 0, actual: 2 });
      expect(r.teams['north-b'].visits).toEqual({ planned: 0, actual: 1 });
      expect(r.teams['south-a'].visits).toEqual({ planned: 0, actual: 1 });
      // On the delivered basis: O4 + O6 + O5 delivered, 40 units, margin 1 500.00 + 400.00 + 800.00.
      const delivered = await report(P(2), 'company', '&basis=delivered');
      expect(delivered.revenueBasis).toBe('delivered');
      expect(delivered.rows[0].actual).toMatchObject({ revenue: 5_500_00, quantity: 40, grossMargin: 2_700_00 });
      expect(delivered.rows[0].achievementBp.revenue).toBe(bp(5_500_00, monthTarget('company', mo(2)).revenue));
    });

    it('M3: return and credit note reduce Cleo; cost captured at placing; won/lost/open quotes; Ben’s cash for his North B sale stays with North B', async () => {
      const sp = rowsOf(await report(P(3), 'salesperson'));
      for (const id of ['sp-anna', 'sp-dan', 'sp-ben', 'sp-cleo', 'sp-eva'])
        expect([id, pick(sp[id])]).toEqual([id, expected(monthTarget(id, mo(3)), ACT.m3[id], exp('m3', id))]);
      expect(sp['sp-anna'].quotes).toEqual({ pipelineCount: 0, pipelineValue: 0, won: 1, lost: 0, winRateBp: 10_000 });
      expect(sp['sp-dan'].quotes).toEqual({ pipelineCount: 0, pipelineValue: 0, won: 0, lost: 1, winRateBp: 0 });
      expect(sp['sp-ben'].quotes).toEqual({ pipelineCount: 1, pipelineValue: 800_00, won: 0, lost: 0, winRateBp: null });
      const teams = rowsOf(await report(P(3), 'team'));
      for (const id of ['north-a', 'south-a'])
        expect([id, pick(teams[id])]).toEqual([id, expected(monthTarget(id, mo(3)), TEAM.m3[id], exp('m3', id))]);
      expect(teams['north-a'].quotes).toEqual({ pipelineCount: 0, pipelineValue: 0, won: 1, lost: 1, winRateBp: 5_000 });
      expect(teams['south-a'].quotes).toEqual({ pipelineCount: 1, pipelineValue: 800_00, won: 0, lost: 0, winRateBp: null });
      const regions = rowsOf(await report(P(3), 'region'));
      expect(pick(regions.south)).toEqual(expected(monthTarget('south', mo(3)), region('m3').south, exp('m3', 'south')));
      const c = await report(P(3), 'company');
      expect(pick(c.rows[0])).toEqual(expected(monthTarget('company', mo(3)), company('m3'), exp('m3', 'company')));
      expect(c.rows[0].quotes).toEqual({ pipelineCount: 1, pipelineValue: 800_00, won: 1, lost: 1, winRateBp: 5_000 });
    });

    it('M3: the invoice of a sale Eva made in North B (invoiced after she left) is credited to North B / North', async () => {
      // "a sale is credited to the organization as it stood on the day of the sale": O6 was sold on M2-18 in North B.
      const teams = rowsOf(await report(P(3), 'team'));
      expect(pick(teams['north-b'])).toEqual(expected(monthTarget('north-b', mo(3)), TEAM.m3['north-b'], 0));
      const regions = rowsOf(await report(P(3), 'region'));
      expect(pick(regions.north)).toEqual(expected(monthTarget('north', mo(3)), region('m3').north, 0));
      // The company total equals the sum of its regions.
      const c = await report(P(3), 'company');
      expect(c.rows[0].actual.revenueInvoiced).toBe(regions.north.actual.revenueInvoiced + regions.south.actual.revenueInvoiced);
    });

    it('M3 as of the 15th: run-rate forecast from 15 elapsed days', async () => {
      const body = await report(P(3), 'salesperson', `&asOf=${M(3, 15)}`);
      expect(body).toMatchObject({ periodDays: daysIn(mo(3)), elapsedDays: 15 });
      const sp = rowsOf(body);
      // Anna by the 15th: O7 1 000.00 / 4 / 600.00 → forecast × days/15.
      expect(pick(sp['sp-anna'])).toEqual(
        expected(monthTarget('sp-anna', mo(3)), ACT.m3['sp-anna'], 0, { days: daysIn(mo(3)), elapsed: 15 }),
      );
      // Cleo by the 15th: only booked (O8 placed on the 15th), nothing delivered or invoiced yet.
      expect(pick(sp['sp-cleo'])).toEqual(
        expected(monthTarget('sp-cleo', mo(3)), A(2_000_00, 0, 0, 0, 0, 0), 0, { days: daysIn(mo(3)), elapsed: 15 }),
      );
      // Dan's quote was rejected on the 10th; Ben's issued on the 12th is open.
      expect(sp['sp-dan'].quotes).toMatchObject({ lost: 1 });
      expect(sp['sp-ben'].quotes).toMatchObject({ pipelineCount: 1, pipelineValue: 800_00 });
    });
  });

  describe('sales progress by quarter and year', () => {
    it(`quarter QA (ends with M1): three months of targets, M1's actuals`, async () => {
      const sp = rowsOf(await report(QA, 'salesperson'));
      for (const id of ['sp-anna', 'sp-dan', 'sp-ben', 'sp-eva'])
        expect([id, pick(sp[id])]).toEqual([id, expected(periodTarget(id, QA_MONTHS), ACT.m1[id], exp('m1', id))]);
      const teams = rowsOf(await report(QA, 'team'));
      for (const id of ['north-a', 'north-b', 'south-a'])
        expect([id, pick(teams[id])]).toEqual([id, expected(periodTarget(id, QA_MONTHS), TEAM.m1[id], exp('m1', id))]);
      const regions = rowsOf(await report(QA, 'region'));
      for (const id of ['north', 'south'] as const)
        expect([id, pick(regions[id])]).toEqual([id, expected(periodTarget(id, QA_MONTHS), region('m1')[id], exp('m1', id))]);
      const c = await report(QA, 'company');
      expect(pick(c.rows[0])).toEqual(expected(periodTarget('company', QA_MONTHS), company('m1'), exp('m1', 'company')));
    });

    it(`quarter QB as of the end of M3: M2 + M3 with a run-rate forecast for the quarter`, async () => {
      const asOf = lastDay(Y, mo(3));
      const days = daysIn(mo(2)) + daysIn(mo(3)) + daysIn(mo(4));
      const elapsed = daysIn(mo(2)) + daysIn(mo(3));
      const run = { days, elapsed };
      const body = await report(QB, 'salesperson', `&asOf=${asOf}`);
      expect(body).toMatchObject({ periodDays: days, elapsedDays: elapsed });
      const sp = rowsOf(body);
      const both = (id: string) => sum(actualOf('m2', id), actualOf('m3', id));
      const e = (id: string) => exp('m2', id) + exp('m3', id);
      for (const id of ['sp-anna', 'sp-dan', 'sp-ben', 'sp-cleo', 'sp-eva'])
        expect([id, pick(sp[id])]).toEqual([id, expected(periodTarget(id, QB_MONTHS), both(id), e(id), run)]);
      // Ben over the quarter: won 0, lost 0, Qo open; Anna: won 1.
      expect(sp['sp-anna'].quotes).toEqual({ pipelineCount: 0, pipelineValue: 0, won: 1, lost: 0, winRateBp: 10_000 });
      const teams = rowsOf(await report(QB, 'team', `&asOf=${asOf}`));
      for (const id of ['north-a', 'south-a'])
        expect([id, pick(teams[id])]).toEqual([id, expected(periodTarget(id, QB_MONTHS), both(id), e(id), run)]);
      const regions = rowsOf(await report(QB, 'region', `&asOf=${asOf}`));
      expect(pick(regions.south)).toEqual(expected(periodTarget('south', QB_MONTHS), both('south'), e('south'), run));
      const c = await report(QB, 'company', `&asOf=${asOf}`);
      expect(pick(c.rows[0])).toEqual(expected(periodTarget('company', QB_MONTHS), both('company'), e('company'), run));
      expect(c.rows[0].quotes).toEqual({ pipelineCount: 1, pipelineValue: 800_00, won: 1, lost: 1, winRateBp: 5_000 });
    });

    it('the year as of the end of M3, at company and salesperson level', async () => {
      const asOf = lastDay(Y, mo(3));
      const days = (Date.UTC(Y + 1, 0, 1) - Date.UTC(Y, 0, 1)) / 86_400_000;
      const elapsed = Math.round((Date.parse(`${asOf}T00:00:00Z`) - Date.parse(`${Y}-01-01T00:00:00Z`)) / 86_400_000) + 1;
      const run = { days, elapsed };
      const all = (id: string) => sum(actualOf('m1', id), actualOf('m2', id), actualOf('m3', id));
      const e = (id: string) => exp('m1', id) + exp('m2', id) + exp('m3', id);
      const c = await report(String(Y), 'company', `&asOf=${asOf}`);
      expect(c).toMatchObject({ periodDays: days, elapsedDays: elapsed });
      // Company: booked 25 500.00, delivered 25 000.00, invoiced 25 000.00, cash 12 500.00, 190 units, margin 11 900.00.
      expect(all('company')).toEqual(A(25_500_00, 25_000_00, 25_000_00, 12_500_00, 190, 11_900_00));
      expect(pick(c.rows[0])).toEqual(expected(COMPANY, all('company'), e('company'), run));
      const sp = rowsOf(await report(String(Y), 'salesperson', `&asOf=${asOf}`));
      const annual = (id: string) => ({ ...ANNUAL[id], expenseBudget: REVISED_BUDGET[id] ?? ANNUAL[id].expenseBudget });
      for (const id of ['sp-anna', 'sp-dan', 'sp-ben', 'sp-cleo', 'sp-eva'])
        expect([id, pick(sp[id])]).toEqual([id, expected(annual(id), all(id), e(id), run)]);
      const regions = rowsOf(await report(String(Y), 'region', `&asOf=${asOf}`));
      // South holds its own year and Ben's from his transfer on M2-16 (ADR 0215), month by month.
      const year = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
      expect(periodTarget('south', year).revenue).toBeGreaterThan(ANNUAL.south.revenue);
      expect(pick(regions.south)).toEqual(expected(periodTarget('south', year), all('south'), e('south'), run));
      // The company's year is its own, and what its regions hold adds up to it.
      expect(add(periodTarget('north', year), periodTarget('south', year))).toEqual(COMPANY);
    });
  });

  describe('drill-down and CSV', () => {
    it('drills from north-b in M2 to its members and credited documents', async () => {
      const team = await ok(http().get(`/api/reports/sales-progress/team/north-b?period=${P(2)}&minPosition=${position}`, manager));
      expect(team.children.map((c: { nodeId: string }) => c.nodeId)).toEqual(['sp-ben', 'sp-eva']);
      expect(
        team.documents.map((d: { factId: string; amount: number; employeeId: string }) => [d.factId.split(':')[0], d.employeeId, d.amount]),
      ).toEqual([
        ['order', 'sp-ben', 2_500_00],
        ['delivery', 'sp-ben', 2_500_00],
        ['invoice', 'sp-ben', 2_500_00],
        ['order', 'sp-eva', 1_000_00],
        ['delivery', 'sp-eva', 1_000_00],
      ]);
      const own = await http().get(`/api/reports/sales-progress/salesperson/sp-dan?period=${P(1)}`, dan);
      expect(own.status).toBe(200);
      expect(own.body.documents.map((d: any) => [d.kind, d.amount, d.quantity, d.grossMargin])).toEqual([
        ['booked', 333_30, 3, 133_32],
        ['delivered', 333_30, 3, 133_32],
        ['invoiced', 333_30, 3, 133_32],
      ]);
      expect((await http().get(`/api/reports/sales-progress/salesperson/sp-ben?period=${P(1)}`, dan)).status).toBe(403);
    });

    it('answers CSV: header and one row per team, minor units, empty for null', async () => {
      const res = await http().get(`/api/reports/sales-progress?period=${P(2)}&level=team&minPosition=${position}`, analyst, {
        accept: 'text/csv',
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
      const lines = (res.body as string).trim().split('\r\n');
      expect(lines[0].split(',')).toEqual([
        'period',
        'asOf',
        'revenueBasis',
        'level',
        'nodeId',
        'name',
        'targetRevenue',
        'targetQuantity',
        'targetGrossMargin',
        'ordersBooked',
        'revenueDelivered',
        'revenueInvoiced',
        'cashCollected',
        'revenue',
        'quantity',
        'grossMargin',
        'achievementRevenueBp',
        'achievementQuantityBp',
        'achievementGrossMarginBp',
        'forecastRevenue',
        'forecastQuantity',
        'forecastGrossMargin',
        'expenseBudget',
        'expenseActual',
        'expenseRemaining',
        'expenseUsedBp',
        'pipelineCount',
        'pipelineValue',
        'quotesWon',
        'quotesLost',
        'winRateBp',
        'plannedVisits',
        'actualVisits',
      ]);
      const line = (id: string, name: string, quotes: [number, number, number, number, number | null], visits: [number, number]) => {
        const x = expected(monthTarget(id, mo(2)), TEAM.m2[id], exp('m2', id));
        const cells = [
          P(2),
          today,
          'invoiced',
          'team',
          id,
          name,
          x.target.revenue,
          x.target.quantity,
          x.target.grossMargin,
          x.actual.ordersBooked,
          x.actual.revenueDelivered,
          x.actual.revenueInvoiced,
          x.actual.cashCollected,
          x.actual.revenue,
          x.actual.quantity,
          x.actual.grossMargin,
          x.achievementBp.revenue,
          x.achievementBp.quantity,
          x.achievementBp.grossMargin,
          x.forecast.revenue,
          x.forecast.quantity,
          x.forecast.grossMargin,
          x.expenses.budget,
          x.expenses.actual,
          x.expenses.remaining,
          x.expenses.usedBp,
          ...quotes,
          ...visits,
        ];
        return cells.map((c) => (c === null ? '' : String(c))).join(',');
      };
      expect(lines.slice(1)).toEqual([
        line('north-a', 'North A', [1, 1_000_00, 0, 0, null], [0, 0]),
        line('north-b', 'North B', [0, 0, 0, 0, null], [0, 1]),
        line('south-a', 'South A', [0, 0, 0, 0, null], [0, 1]),
      ]);
      const bad = await http().get(`/api/reports/sales-progress?period=${Y}-Q5&level=team`, manager);
      expect([bad.status, bad.body.errors?.[0]?.field]).toEqual([400, 'period']);
    });
  });

  describe('plans and visits this month', () => {
    it('submit, return with comments, resubmit, approve; planned against actual visits', async () => {
      const month = today.slice(0, 7);
      const quarter = `${today.slice(0, 4)}-Q${Math.ceil(+today.slice(5, 7) / 3)}`;
      const plan = {
        period: month,
        customersToVisit: [ids.C1, ids.C2],
        plannedVisits: 3,
        expectedOrders: [{ customerId: ids.C1, amount: 5_000_00, quantity: 50 }],
        strategy: 'Grow Acme',
      };
      const v1 = await ok(http().post('/api/sales-plans', plan, anna));
      expect(v1.version).toBe(1);
      const selfReview = await http().post(`/api/sales-plans/${v1.id}/approve`, {}, anna);
      expect(selfReview.status).toBe(403);
      await ok(http().post(`/api/sales-plans/${v1.id}/return`, { comments: 'Add Cedar and one more visit' }, manager));
      const v2 = await ok(http().post('/api/sales-plans', { ...plan, customersToVisit: [ids.C1, ids.C2, ids.C3], plannedVisits: 4 }, anna));
      expect(v2).toMatchObject({ id: v1.id, version: 2 });
      const approved = track(await ok(http().post(`/api/sales-plans/${v1.id}/approve`, { comments: 'Good' }, manager2)));
      const doc = await ok(http().get(`/api/sales-plans/${v1.id}?minPosition=${approved.position}`, anna));
      expect(doc).toMatchObject({ status: 'approved', version: 2, plannedVisits: 4 });
      expect(doc.versions.map((v: any) => [v.version, v.review?.outcome, v.review?.comments])).toEqual([
        [1, 'returned', 'Add Cedar and one more visit'],
        [2, 'approved', 'Good'],
      ]);
      // Ben's plan is returned and not resubmitted: it plans nothing.
      const bp1 = await ok(http().post('/api/sales-plans', { ...plan, customersToVisit: [ids.C2], plannedVisits: 2 }, ben));
      track(await ok(http().post(`/api/sales-plans/${bp1.id}/return`, { comments: 'Too few' }, manager2)));
      track(
        await ok(
          http().post(
            '/api/sales-plans',
            {
              period: quarter,
              customersToVisit: [ids.C1],
              plannedVisits: 6,
              expectedOrders: [{ productId: ids.P1, amount: 1_000_00, quantity: 10 }],
              strategy: 'Keep Acme',
            },
            dan,
          ),
        ),
      );
      await ok(http().post('/api/visits', { customerId: ids.C1, outcome: 'Demo' }, anna));
      await ok(http().post('/api/visits', { customerId: ids.C2, outcome: 'Intro' }, anna));
      track(await ok(http().post('/api/visits', { customerId: ids.C1, outcome: 'Reorder' }, dan)));

      const sp = rowsOf(await report(month, 'salesperson'));
      expect(sp['sp-anna'].visits).toEqual({ planned: 4, actual: 2 });
      expect(sp['sp-dan'].visits).toEqual({ planned: 0, actual: 1 });
      expect(sp['sp-ben']?.visits ?? { planned: 0, actual: 0 }).toEqual({ planned: 0, actual: 0 });
      const teams = rowsOf(await report(month, 'team'));
      expect(teams['north-a'].visits).toEqual({ planned: 4, actual: 3 });
      const q = rowsOf(await report(quarter, 'salesperson'));
      expect(q['sp-dan'].visits).toEqual({ planned: 6, actual: 1 });
      expect(q['sp-anna'].visits).toEqual({ planned: 4, actual: 2 });
    });
  });

  describe('territory objection escalation', () => {
    afterEach(() => jest.useRealTimers());

    it('escalates after the configured days (PUT /api/settings/organization) and records the administrative decision', async () => {
      const set = await http().request('PUT', '/api/settings/organization', { token: ADMIN_TOKEN, body: { territoryEscalationDays: 3 } });
      expect(set.status).toBe(200);
      const raised = track(
        await ok(http().post('/api/territory-objections', { employeeId: 'sp-anna', territory: 'oslo', reason: 'Too far from home' }, anna)),
      );
      const doc = await ok(http().get(`/api/territory-objections/${raised.id}?minPosition=${raised.position}`, manager));
      expect(doc).toMatchObject({ status: 'open', raisedOn: today, escalationDueOn: addDays(today, 3) });
      expect((await ok(http().post('/api/territory-objections/escalate', {}, scheduler))).escalated).toEqual([]);
      // Limitation: objections are dated today by the server, so only the clock can move them past the due date.
      jest.useFakeTimers({
        advanceTimers: true,
        doNotFake: [
          'setTimeout',
          'clearTimeout',
          'setInterval',
          'clearInterval',
          'setImmediate',
          'clearImmediate',
          'nextTick',
          'queueMicrotask',
          'hrtime',
          'performance',
        ],
      });
      jest.setSystemTime(new Date(`${addDays(today, 2)}T12:00:00Z`));
      expect((await ok(http().post('/api/territory-objections/escalate', {}, scheduler))).escalated).toEqual([]);
      jest.setSystemTime(new Date(`${addDays(today, 3)}T12:00:00Z`));
      const sweep = await ok(http().post('/api/territory-objections/escalate', {}, scheduler));
      expect(sweep.escalated).toEqual([raised.id]);
      const late = await http().post(
        `/api/territory-objections/${raised.id}/resolve`,
        { decision: 'objection_rejected', note: 'no' },
        manager,
      );
      expect([late.status, late.body.code]).toEqual([409, 'TerritoryDisputeAlreadyEscalated']);
      const decided = await ok(
        http().post(
          `/api/territory-objections/${raised.id}/decision`,
          { decision: 'territory_reassigned', note: 'Oslo goes to Dan' },
          adminDept,
        ),
      );
      const after = await ok(http().get(`/api/territory-objections/${raised.id}?minPosition=${decided.position}`, adminDept));
      expect(after).toMatchObject({
        status: 'decided',
        escalatedOn: addDays(today, 3),
        administrativeDecision: { decision: 'territory_reassigned', decidedBy: 'ad-1' },
      });
    });
  });

  describe('order credit goes to a salesperson of the organization', () => {
    it('refuses shares that do not total 100 %', async () => {
      const res = await http().post(
        '/api/orders',
        {
          customerId: ids.C1,
          salesCredit: [
            { salespersonId: 'sp-anna', shareBp: 6_000 },
            { salespersonId: 'sp-dan', shareBp: 3_000 },
          ],
          lines: [{ productId: ids.P1, quantity: 1 }],
        },
        manager,
      );
      expect([res.status, res.body.code]).toEqual([422, 'InvalidSalesCredit']);
    });

    it('refuses credit to an unknown salesperson, or to one who had left on the order date (as visits and expenses do)', async () => {
      // For comparison: a visit for Eva after she left is refused.
      const visit = await http().post('/api/visits', { customerId: ids.C3, outcome: 'x', employeeId: 'sp-eva', visitedOn: today }, manager);
      expect([visit.status, visit.body.code]).toEqual([422, 'VisitOutsideEmployment']);
      const ghost = await http().post(
        '/api/orders',
        { customerId: ids.C1, salespersonId: 'sp-ghost', lines: [{ productId: ids.P1, quantity: 1 }] },
        manager,
      );
      expect(ghost.status).toBeGreaterThanOrEqual(400);
      const gone = await http().post(
        '/api/orders',
        { customerId: ids.C3, salespersonId: 'sp-eva', orderDate: today, lines: [{ productId: ids.P1, quantity: 1 }] },
        manager,
      );
      expect(gone.status).toBeGreaterThanOrEqual(400);
    });
  });
});
