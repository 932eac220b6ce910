import { EVENT_STORE, EventStore } from '@salesline/core';
import { addDays } from '@salesline/shared-kernel';
import { RunningApp, startInProcessApp, tokenFor } from './support/in-process-app';

/**
 * Sales progress end to end, over real HTTP and the real quote-to-cash endpoints.
 *
 * Organization: regions north and south; teams north-a, north-b (north) and south-a (south); salespeople
 * anna and dan (north-a), ben (north-b, transferred to south-a from the first day of M3), cleo (south-a).
 * Year Y's targets are set, allocated and finalized; orders are booked across four months M1..M4, where
 * M1..M3 is one calendar quarter Q and M4 the first month of the next (dates are relative to today: the
 * months are the first full quarter-aligned run inside the back-dating window).
 *
 * Products: P1 list 100.00 / cost 60.00; P2 list 250.00 / cost 100.00 (orders at list price).
 *   O1 anna      M1-05  P1×100 = 10 000.00 (cost 6 000.00)  delivered M1-10, invoiced M1-12, paid M2-05 (C1)
 *   O2 ben       M1-08  P2×40  = 10 000.00 (cost 4 000.00)  delivered 30 M1-15 + 10 M2-03, invoiced 30 M1-20 + 10 M2-04,
 *                                                            5 000.00 paid M3-25 (C2) — after ben's transfer
 *   O3 anna 60 % / dan 40 %  M2-10  P1×50 + P2×10 = 7 500.00 (cost 4 000.00)  delivered M2-12, invoiced M2-14, paid M4-05 (C1)
 *   O4 ben       M3-05  P1×80  = 8 000.00 (cost 4 800.00)   delivered M3-06, invoiced M3-07 (ben now in south-a)
 *   O5 cleo      M3-10  P2×20  = 5 000.00 (cost 2 000.00)   delivered M3-11, invoiced M3-12; 4 returned and credited M4-03
 *   O6 dan       M3-15  P1×30  = 3 000.00 (cost 1 800.00)   delivered M3-16, not invoiced
 * Revenue basis: invoiced (default). Amounts in minor units.
 */
describe('Sales progress over HTTP', () => {
  let running: RunningApp;
  let manager: string;
  let manager2: string;
  let finance: string;
  let analyst: string;
  let anna: string;
  let dan: string;
  let ben: string;
  const ids: Record<string, string> = {};
  const today = new Date().toISOString().slice(0, 10);
  const pad = (n: number) => String(n).padStart(2, '0');

  // ── the months: M1..M3 a full calendar quarter, M4 the next month, all inside the back-dating window ──
  const lastDay = (y: number, m: number) => addDays(m === 12 ? `${y + 1}-01-01` : `${y}-${pad(m + 1)}-01`, -1);
  const earliest = addDays(today, -365);
  const candidates: { y: number; s: number }[] = [];
  for (let d = `${earliest.slice(0, 7)}-01`; d <= today; d = addDays(lastDay(+d.slice(0, 4), +d.slice(5, 7)), 1)) {
    const y = +d.slice(0, 4);
    const s = +d.slice(5, 7);
    if (s % 3 === 1 && s + 3 <= 12 && d >= earliest && lastDay(y, s + 3) < today) candidates.push({ y, s });
  }
  const { y: Y, s: S } = candidates[0];
  const monthOf = (k: number) => S + k - 1; // calendar month of Mk
  const M = (k: number, day: number) => `${Y}-${pad(monthOf(k))}-${pad(day)}`;
  const P = (k: number) => `${Y}-${pad(monthOf(k))}`; // month period label
  const Q = `${Y}-Q${(S + 2) / 3}`;
  const daysIn = (k: number) => +lastDay(Y, monthOf(k)).slice(8, 10);

  // ── targets ──
  // Salespeople and teams: explicit months, the same every month (expense budget spread evenly over 12).
  // Regions: percent weights, 8.00 % Jan–Aug and 9.00 % Sep–Dec in the plan; the report adds up from the salespeople (ADR 0215).
  const W = (m: number) => (m >= 9 ? 900 : 800);
  type Fig = { revenue: number; quantity: number; grossMargin: number; expenseBudget: number };
  const fig = (revenue: number, quantity: number, grossMargin: number, expenseBudget: number): Fig => ({
    revenue,
    quantity,
    grossMargin,
    expenseBudget,
  });
  const MONTHLY: Record<string, Fig> = {
    'sp-anna': fig(50_000_00, 400, 20_000_00, 1_000_00),
    'sp-dan': fig(50_000_00, 400, 20_000_00, 1_000_00),
    'sp-ben': fig(40_000_00, 300, 16_000_00, 1_000_00),
    'sp-cleo': fig(30_000_00, 200, 12_000_00, 1_000_00),
    'north-a': fig(100_000_00, 800, 40_000_00, 2_000_00),
    'north-b': fig(40_000_00, 300, 16_000_00, 1_000_00),
    'south-a': fig(30_000_00, 200, 12_000_00, 1_000_00),
  };
  const times = (f: Fig, n: number): Fig => fig(f.revenue * n, f.quantity * n, f.grossMargin * n, f.expenseBudget * n);
  const ANNUAL_REGION: Record<string, Fig> = {
    north: fig(1_680_000_00, 13_200, 672_000_00, 36_000_00),
    south: fig(360_000_00, 2_400, 144_000_00, 12_000_00),
  };
  const COMPANY = fig(2_040_000_00, 15_600, 816_000_00, 48_000_00);
  const MONTHS = { m1: [monthOf(1)], m2: [monthOf(2)], m3: [monthOf(3)], m4: [monthOf(4)], q: [monthOf(1), monthOf(2), monthOf(3)] };
  /**
   * Targets follow the salespeople (ADR 0215): a salesperson's own months; a team holds, month by month, the months of
   * the salespeople who were in it (Ben's in North B before M3, in South A from M3, whole months here); a region what
   * its teams hold; the company its regions for a month or quarter, its own figure for the year. The regions' own
   * percent months are the plan's, not the report's: the report adds up from the salespeople.
   */
  const TEAM_OF: Record<string, string> = { 'sp-anna': 'north-a', 'sp-dan': 'north-a', 'sp-ben': 'north-b', 'sp-cleo': 'south-a' };
  const REGION_OF: Record<string, string> = { 'north-a': 'north', 'north-b': 'north', 'south-a': 'south' };
  const heldIn = (person: string, month: number) => (person === 'sp-ben' && month >= monthOf(3) ? 'south-a' : TEAM_OF[person]);
  const addFig = (a: Fig, b: Fig): Fig =>
    fig(a.revenue + b.revenue, a.quantity + b.quantity, a.grossMargin + b.grossMargin, a.expenseBudget + b.expenseBudget);
  const ALL_MONTHS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
  const targetOf = (level: string, id: string, months: number[], wholeYear = false): Fig => {
    const period = wholeYear ? ALL_MONTHS : months;
    if (level === 'salesperson') return times(MONTHLY[id], period.length);
    if (level === 'company' && wholeYear) return COMPANY;
    const held = (team: string) =>
      period
        .flatMap((m) => Object.keys(TEAM_OF).filter((p) => heldIn(p, m) === team))
        .reduce((sum, p) => addFig(sum, MONTHLY[p]), fig(0, 0, 0, 0));
    if (level === 'team') return held(id);
    const teams = Object.keys(REGION_OF).filter((t) => level === 'company' || REGION_OF[t] === id);
    return teams.reduce((sum, t) => addFig(sum, held(t)), fig(0, 0, 0, 0));
  };

  // ── expectations ──
  /** half away from zero, as the domain rounds */
  const round = (x: number) => Math.sign(x) * Math.round(Math.abs(x));
  const bp = (actual: number, target: number) => (target === 0 ? null : round((actual * 10_000) / target));
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
  /** The full expected row; forecast = actual once the period is over, else actual × days / elapsed. */
  const expected = (target: Fig, a: Actual, expenses: number, run: { days: number; elapsed: number } | null = null) => {
    const forecast = (x: number) => (run ? round((x * run.days) / run.elapsed) : x);
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
  const pick = (row: Record<string, unknown>) => ({
    target: row.target,
    actual: row.actual,
    achievementBp: row.achievementBp,
    forecast: row.forecast,
    expenses: row.expenses,
  });

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

  /** The order-to-account process manager is asynchronous: wait until the account shows the document. */
  const waitForAccount = async (customerId: string, eventType: string, id: string, field = 'invoiceId') => {
    const events = running.app.get<EventStore>(EVENT_STORE);
    for (let i = 0; i < 200; i++) {
      const stream = await events.readStream(`account-${customerId}`);
      if (stream.some((e) => e.type === eventType && (e.data as Record<string, string>)[field] === id)) return;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`${eventType} ${id} never reached account-${customerId}`);
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
  const invoice = async (orderId: string, customer: string, invoiceDate: string) => {
    const body = track(await ok(http().post(`/api/orders/${orderId}/invoices`, { invoiceDate }, finance)));
    await waitForAccount(ids[customer], 'InvoicePosted', body.invoiceId);
    return body.invoiceId as string;
  };

  beforeAll(async () => {
    running = await startInProcessApp({ SALES_MANAGER_SCOPE: 'company' }); // one manager enters every team's orders: ADR 0007
    manager = await tokenFor(running.http, 'm-nora', 'sales_manager');
    manager2 = await tokenFor(running.http, 'm-olaf', 'sales_manager');
    finance = await tokenFor(running.http, 'fiona', 'finance');
    analyst = await tokenFor(running.http, 'andy', 'analyst');
    anna = await tokenFor(running.http, 'sp-anna', 'salesperson');
    dan = await tokenFor(running.http, 'sp-dan', 'salesperson');
    ben = await tokenFor(running.http, 'sp-ben', 'salesperson');

    // ── organization, from the first day of M1 ──
    const from = M(1, 1);
    await ok(http().post('/api/regions', { regionId: 'north', name: 'North', managerId: 'm-nora', establishedOn: from }, manager));
    await ok(http().post('/api/regions', { regionId: 'south', name: 'South', managerId: 'm-olaf', establishedOn: from }, manager));
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
    ])
      await ok(http().post('/api/employees', { employeeId, name, teamId, hiredOn: from }, manager));
    // Ben moves to South A from the first day of M3: earlier sales stay with North B / North.
    await ok(http().post('/api/employees/sp-ben/transfer', { toTeamId: 'south-a', effectiveOn: M(3, 1) }, manager));

    // ── targets for year Y: set, allocated top-down, finalized ──
    await ok(http().post(`/api/targets/${Y}/company`, COMPANY, finance));
    const percent = { kind: 'percent', bp: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].map(W) };
    const explicit = (f: Fig) => ({
      kind: 'explicit',
      months: Array.from({ length: 12 }, () => ({ revenue: f.revenue, quantity: f.quantity, grossMargin: f.grossMargin })),
    });
    for (const region of ['north', 'south'])
      await ok(
        http().post(
          `/api/targets/${Y}/assignments`,
          { nodeKind: 'region', nodeId: region, ...ANNUAL_REGION[region], monthly: percent },
          manager,
        ),
      );
    for (const team of ['north-a', 'north-b', 'south-a'])
      await ok(
        http().post(
          `/api/targets/${Y}/assignments`,
          { nodeKind: 'team', nodeId: team, ...times(MONTHLY[team], 12), monthly: explicit(MONTHLY[team]) },
          manager,
        ),
      );
    // Ben's target stays under North B (where he started): the plan is not revised here.
    for (const [person, team] of [
      ['sp-anna', 'north-a'],
      ['sp-dan', 'north-a'],
      ['sp-ben', 'north-b'],
      ['sp-cleo', 'south-a'],
    ])
      await ok(
        http().post(
          `/api/targets/${Y}/assignments`,
          { nodeKind: 'salesperson', nodeId: person, parentId: team, ...times(MONTHLY[person], 12), monthly: explicit(MONTHLY[person]) },
          manager,
        ),
      );
    track(await ok(http().post(`/api/targets/${Y}/finalize`, {}, manager)));

    // ── customers and products ──
    ids.C1 = (
      await ok(
        http().post(
          '/api/customers',
          {
            name: 'Acme',
            customerGroup: 'wholesale',
            territory: 'oslo',
            ownerId: 'sp-anna',
            creditLimit: 10_000_000_00,
            paymentTermsDays: 30,
          },
          finance,
        ),
      )
    ).id;
    ids.C2 = (
      await ok(
        http().post(
          '/api/customers',
          {
            name: 'Birch',
            customerGroup: 'wholesale',
            territory: 'bergen',
            ownerId: 'sp-ben',
            creditLimit: 10_000_000_00,
            paymentTermsDays: 30,
          },
          finance,
        ),
      )
    ).id;
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
    await deliver(ids.O1, M(1, 10), [{ lineId: 'L1', quantity: 100 }]);
    await invoice(ids.O1, 'C1', M(1, 12));
    ids.O2 = await placeOrder({
      customerId: ids.C2,
      salespersonId: 'sp-ben',
      orderDate: M(1, 8),
      lines: [{ productId: ids.P2, quantity: 40 }],
    });
    await deliver(ids.O2, M(1, 15), [{ lineId: 'L1', quantity: 30 }]);
    await invoice(ids.O2, 'C2', M(1, 20));
    // ── M2 ──
    await deliver(ids.O2, M(2, 3), [{ lineId: 'L1', quantity: 10 }]);
    await invoice(ids.O2, 'C2', M(2, 4));
    // C1 pays O1's invoice (oldest due first).
    track(await ok(http().post(`/api/customers/${ids.C1}/payments`, { amount: 10_000_00, receivedOn: M(2, 5) }, finance)));
    ids.O3 = await placeOrder({
      customerId: ids.C1,
      salesCredit: [
        { salespersonId: 'sp-anna', shareBp: 6_000 },
        { salespersonId: 'sp-dan', shareBp: 4_000 },
      ],
      orderDate: M(2, 10),
      lines: [
        { productId: ids.P1, quantity: 50 },
        { productId: ids.P2, quantity: 10 },
      ],
    });
    await deliver(ids.O3, M(2, 12), [
      { lineId: 'L1', quantity: 50 },
      { lineId: 'L2', quantity: 10 },
    ]);
    await invoice(ids.O3, 'C1', M(2, 14));
    // ── M3 (Ben in South A) ──
    ids.O4 = await placeOrder({
      customerId: ids.C2,
      salespersonId: 'sp-ben',
      orderDate: M(3, 5),
      lines: [{ productId: ids.P1, quantity: 80 }],
    });
    await deliver(ids.O4, M(3, 6), [{ lineId: 'L1', quantity: 80 }]);
    await invoice(ids.O4, 'C2', M(3, 7));
    ids.O5 = await placeOrder({
      customerId: ids.C1,
      salespersonId: 'sp-cleo',
      orderDate: M(3, 10),
      lines: [{ productId: ids.P2, quantity: 20 }],
    });
    await deliver(ids.O5, M(3, 11), [{ lineId: 'L1', quantity: 20 }]);
    await invoice(ids.O5, 'C1', M(3, 12));
    ids.O6 = await placeOrder({
      customerId: ids.C2,
      salespersonId: 'sp-dan',
      orderDate: M(3, 15),
      lines: [{ productId: ids.P1, quantity: 30 }],
    });
    await deliver(ids.O6, M(3, 16), [{ lineId: 'L1', quantity: 30 }]);
    // C2 pays 5 000.00: O2's first invoice (oldest due) — cash credited to Ben, and to North B where he made that sale.
    track(await ok(http().post(`/api/customers/${ids.C2}/payments`, { amount: 5_000_00, receivedOn: M(3, 25) }, finance)));
    // ── M4 ──
    const ret = await ok(
      http().post(
        '/api/returns',
        { orderId: ids.O5, reason: 'damaged', requestedOn: M(4, 2), lines: [{ lineId: 'L1', quantity: 4 }] },
        manager,
      ),
    );
    await ok(http().post(`/api/returns/${ret.id}/accept`, {}, manager));
    track(await ok(http().post(`/api/returns/${ret.id}/receive`, { receivedOn: M(4, 3) }, manager)));
    await waitForAccount(ids.C1, 'CreditNotePosted', ids.O5, 'orderId');
    // C1 pays 7 500.00: O3's invoice (due before O5's) — split 60/40 like the order.
    track(await ok(http().post(`/api/customers/${ids.C1}/payments`, { amount: 7_500_00, receivedOn: M(4, 5) }, finance)));

    // ── sales expenses ──
    await ok(http().post('/api/sales-expenses', { employeeId: 'sp-ben', amount: 200_00, category: 'travel', spentOn: M(1, 20) }, manager)); // north (Ben in North B)
    await ok(
      http().post('/api/sales-expenses', { employeeId: 'sp-anna', amount: 500_00, category: 'entertainment', spentOn: M(2, 3) }, anna),
    );
    await ok(http().post('/api/sales-expenses', { regionId: 'south', amount: 300_00, category: 'advertising', spentOn: M(3, 4) }, finance)); // the region's own
    track(
      await ok(
        http().post('/api/sales-expenses', { employeeId: 'sp-ben', amount: 400_00, category: 'travel', spentOn: M(3, 20) }, manager),
      ),
    ); // south

    // ── quotes: Q1 open until the end of M4; Q2 accepted in M2; Q3 lapses mid-M2 unanswered ──
    ids.Q1 = (
      await ok(
        http().post(
          '/api/quotes',
          {
            customerId: ids.C1,
            salespersonId: 'sp-anna',
            quoteDate: M(1, 2),
            validUntil: lastDay(Y, monthOf(4)),
            lines: [{ productId: ids.P1, quantity: 10 }],
          },
          manager,
        ),
      )
    ).id;
    ids.Q2 = (
      await ok(
        http().post(
          '/api/quotes',
          {
            customerId: ids.C1,
            salespersonId: 'sp-anna',
            quoteDate: M(1, 3),
            validUntil: lastDay(Y, monthOf(2)),
            lines: [{ productId: ids.P2, quantity: 4 }],
          },
          manager,
        ),
      )
    ).id;
    track(await ok(http().post(`/api/quotes/${ids.Q2}/accept`, { acceptedOn: M(2, 6) }, manager)));
    track(
      await ok(
        http().post(
          '/api/quotes',
          {
            customerId: ids.C2,
            salespersonId: 'sp-dan',
            quoteDate: M(2, 1),
            validUntil: M(2, 15),
            lines: [{ productId: ids.P1, quantity: 5 }],
          },
          manager,
        ),
      ),
    );
  }, 120_000);
  afterAll(() => running.close());

  const report = async (period: string, level: string, extra = '') => {
    const res = await http().get(`/api/reports/sales-progress?period=${period}&level=${level}&minPosition=${position}${extra}`, manager);
    if (res.status !== 200) throw new Error(`${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const rowsOf = (body: { rows: { nodeId: string }[] }): Record<string, any> => Object.fromEntries(body.rows.map((r) => [r.nodeId, r]));

  it('M1: each salesperson, team, region and the company', async () => {
    const m = MONTHS.m1;
    const sp = rowsOf(await report(P(1), 'salesperson'));
    // Anna: O1 booked, delivered, invoiced 10 000.00; 100 units; margin 4 000.00. Target 50 000.00 → 20.00 %.
    expect(pick(sp['sp-anna'])).toEqual(
      expected(targetOf('salesperson', 'sp-anna', m), A(10_000_00, 10_000_00, 10_000_00, 0, 100, 4_000_00), 0),
    );
    expect(sp['sp-anna'].achievementBp).toEqual({ revenue: 2000, quantity: 2500, grossMargin: 2000 });
    // Ben: O2 booked 10 000.00, 30 of 40 delivered and invoiced (7 500.00, margin 4 500.00); expense 200.00 of 1 000.00.
    expect(pick(sp['sp-ben'])).toEqual(
      expected(targetOf('salesperson', 'sp-ben', m), A(10_000_00, 7_500_00, 7_500_00, 0, 30, 4_500_00), 200_00),
    );
    expect(sp['sp-ben'].expenses).toEqual({ budget: 1_000_00, actual: 200_00, remaining: 800_00, usedBp: 2000 });
    expect(pick(sp['sp-dan'])).toEqual(expected(targetOf('salesperson', 'sp-dan', m), ZERO, 0));
    expect(pick(sp['sp-cleo'])).toEqual(expected(targetOf('salesperson', 'sp-cleo', m), ZERO, 0));
    // Quotes: Q1 and Q2 open at the end of M1 (1 000.00 each); nothing decided.
    expect(sp['sp-anna'].quotes).toEqual({ pipelineCount: 2, pipelineValue: 2_000_00, won: 0, lost: 0, winRateBp: null });
    expect(Object.keys(sp).sort()).toEqual(['sp-anna', 'sp-ben', 'sp-cleo', 'sp-dan']);

    const teams = rowsOf(await report(P(1), 'team'));
    expect(pick(teams['north-a'])).toEqual(
      expected(targetOf('team', 'north-a', m), A(10_000_00, 10_000_00, 10_000_00, 0, 100, 4_000_00), 0),
    );
    expect(pick(teams['north-b'])).toEqual(
      expected(targetOf('team', 'north-b', m), A(10_000_00, 7_500_00, 7_500_00, 0, 30, 4_500_00), 200_00),
    );
    expect(pick(teams['south-a'])).toEqual(expected(targetOf('team', 'south-a', m), ZERO, 0));

    const regions = rowsOf(await report(P(1), 'region'));
    // North = Anna + Ben: 20 000.00 booked, 17 500.00 delivered and invoiced, 130 units, margin 8 500.00.
    expect(pick(regions.north)).toEqual(
      expected(targetOf('region', 'north', m), A(20_000_00, 17_500_00, 17_500_00, 0, 130, 8_500_00), 200_00),
    );
    expect(pick(regions.south)).toEqual(expected(targetOf('region', 'south', m), ZERO, 0));

    const company = await report(P(1), 'company');
    expect(company).toMatchObject({
      period: P(1),
      level: 'company',
      revenueBasis: 'invoiced',
      periodDays: daysIn(1),
      elapsedDays: daysIn(1),
      unattributed: [],
    });
    expect(pick(company.rows[0])).toEqual(
      expected(targetOf('company', 'company', m), A(20_000_00, 17_500_00, 17_500_00, 0, 130, 8_500_00), 200_00),
    );
  });

  it('M2: split credit 60/40, Ben’s second delivery in North B, cash collected for O1', async () => {
    const m = MONTHS.m2;
    const sp = rowsOf(await report(P(2), 'salesperson'));
    // O3 7 500.00 (60 units, margin 3 500.00) split 60/40: Anna 4 500.00 / 36 / 2 100.00, Dan 3 000.00 / 24 / 1 400.00. Anna also collects O1's 10 000.00.
    expect(pick(sp['sp-anna'])).toEqual(
      expected(targetOf('salesperson', 'sp-anna', m), A(4_500_00, 4_500_00, 4_500_00, 10_000_00, 36, 2_100_00), 500_00),
    );
    expect(pick(sp['sp-dan'])).toEqual(expected(targetOf('salesperson', 'sp-dan', m), A(3_000_00, 3_000_00, 3_000_00, 0, 24, 1_400_00), 0));
    // Ben: 10 more of O2 delivered and invoiced (2 500.00, margin 1 500.00), nothing booked.
    expect(pick(sp['sp-ben'])).toEqual(expected(targetOf('salesperson', 'sp-ben', m), A(0, 2_500_00, 2_500_00, 0, 10, 1_500_00), 0));
    // Quotes: Q2 accepted in M2 (won); Q1 still open; Dan's Q3 lapsed on M2-15, so it is not in the pipeline.
    expect(sp['sp-anna'].quotes).toEqual({ pipelineCount: 1, pipelineValue: 1_000_00, won: 1, lost: 0, winRateBp: 10_000 });
    expect(sp['sp-dan'].quotes).toEqual({ pipelineCount: 0, pipelineValue: 0, won: 0, lost: 0, winRateBp: null });

    const teams = rowsOf(await report(P(2), 'team'));
    expect(pick(teams['north-a'])).toEqual(
      expected(targetOf('team', 'north-a', m), A(7_500_00, 7_500_00, 7_500_00, 10_000_00, 60, 3_500_00), 500_00),
    );
    expect(pick(teams['north-b'])).toEqual(expected(targetOf('team', 'north-b', m), A(0, 2_500_00, 2_500_00, 0, 10, 1_500_00), 0));
    const regions = rowsOf(await report(P(2), 'region'));
    expect(pick(regions.north)).toEqual(
      expected(targetOf('region', 'north', m), A(7_500_00, 10_000_00, 10_000_00, 10_000_00, 70, 5_000_00), 500_00),
    );
    const company = await report(P(2), 'company');
    expect(pick(company.rows[0])).toEqual(
      expected(targetOf('company', 'company', m), A(7_500_00, 10_000_00, 10_000_00, 10_000_00, 70, 5_000_00), 500_00),
    );
  });

  it('M3: Ben’s new sales go to South A; the cash for the order he sold in North B stays with North B (the organization on the day of the sale)', async () => {
    const m = MONTHS.m3;
    const sp = rowsOf(await report(P(3), 'salesperson'));
    expect(pick(sp['sp-ben'])).toEqual(
      expected(targetOf('salesperson', 'sp-ben', m), A(8_000_00, 8_000_00, 8_000_00, 5_000_00, 80, 3_200_00), 400_00),
    );
    expect(pick(sp['sp-cleo'])).toEqual(
      expected(targetOf('salesperson', 'sp-cleo', m), A(5_000_00, 5_000_00, 5_000_00, 0, 20, 3_000_00), 0),
    );
    // Dan: O6 booked and delivered, not invoiced — no revenue on the invoiced basis.
    expect(pick(sp['sp-dan'])).toEqual(expected(targetOf('salesperson', 'sp-dan', m), A(3_000_00, 3_000_00, 0, 0, 0, 0), 0));

    const teams = rowsOf(await report(P(3), 'team'));
    expect(pick(teams['north-a'])).toEqual(expected(targetOf('team', 'north-a', m), A(3_000_00, 3_000_00, 0, 0, 0, 0), 0));
    expect(pick(teams['north-b'])).toEqual(expected(targetOf('team', 'north-b', m), A(0, 0, 0, 5_000_00, 0, 0), 0));
    expect(pick(teams['south-a'])).toEqual(
      expected(targetOf('team', 'south-a', m), A(13_000_00, 13_000_00, 13_000_00, 0, 100, 6_200_00), 400_00),
    );

    const regions = rowsOf(await report(P(3), 'region'));
    expect(pick(regions.north)).toEqual(expected(targetOf('region', 'north', m), A(3_000_00, 3_000_00, 0, 5_000_00, 0, 0), 0));
    // South: Ben + Cleo, and both expenses: the region's own 300.00 and Ben's 400.00.
    expect(pick(regions.south)).toEqual(
      expected(targetOf('region', 'south', m), A(13_000_00, 13_000_00, 13_000_00, 0, 100, 6_200_00), 700_00),
    );
    const company = await report(P(3), 'company');
    expect(pick(company.rows[0])).toEqual(
      expected(targetOf('company', 'company', m), A(16_000_00, 16_000_00, 13_000_00, 5_000_00, 100, 6_200_00), 700_00),
    );
  });

  it('M4: the return and its credit note reduce Cleo’s achievement; the split payment follows the order’s credit', async () => {
    const m = MONTHS.m4;
    const sp = rowsOf(await report(P(4), 'salesperson'));
    // 4 of O5 back: −1 000.00 delivered and invoiced, −4 units, margin −600.00 (−1 000.00 + cost 400.00).
    expect(pick(sp['sp-cleo'])).toEqual(expected(targetOf('salesperson', 'sp-cleo', m), A(0, -1_000_00, -1_000_00, 0, -4, -600_00), 0));
    expect(sp['sp-cleo'].achievementBp).toEqual({ revenue: -333, quantity: -200, grossMargin: -500 });
    expect(pick(sp['sp-anna'])).toEqual(expected(targetOf('salesperson', 'sp-anna', m), A(0, 0, 0, 4_500_00, 0, 0), 0));
    expect(pick(sp['sp-dan'])).toEqual(expected(targetOf('salesperson', 'sp-dan', m), A(0, 0, 0, 3_000_00, 0, 0), 0));
    const regions = rowsOf(await report(P(4), 'region'));
    expect(pick(regions.south)).toEqual(expected(targetOf('region', 'south', m), A(0, -1_000_00, -1_000_00, 0, -4, -600_00), 0));
    expect(pick(regions.north)).toEqual(expected(targetOf('region', 'north', m), A(0, 0, 0, 7_500_00, 0, 0), 0));

    // As of the 10th of M4: the run-rate forecast extrapolates 10 elapsed days to the month.
    const early = rowsOf(await report(P(4), 'salesperson', `&asOf=${M(4, 10)}`));
    expect(pick(early['sp-cleo'])).toEqual(
      expected(targetOf('salesperson', 'sp-cleo', m), A(0, -1_000_00, -1_000_00, 0, -4, -600_00), 0, { days: daysIn(4), elapsed: 10 }),
    );
    // As of the 4th: Anna's payment (the 5th) does not count yet.
    const before = rowsOf(await report(P(4), 'salesperson', `&asOf=${M(4, 4)}`));
    expect(before['sp-anna'].actual.cashCollected).toBe(0);
  });

  it(`the quarter M1..M3 at every level`, async () => {
    const m = MONTHS.q;
    const sp = rowsOf(await report(Q, 'salesperson'));
    expect(pick(sp['sp-anna'])).toEqual(
      expected(targetOf('salesperson', 'sp-anna', m), A(14_500_00, 14_500_00, 14_500_00, 10_000_00, 136, 6_100_00), 500_00),
    );
    expect(pick(sp['sp-ben'])).toEqual(
      expected(targetOf('salesperson', 'sp-ben', m), A(18_000_00, 18_000_00, 18_000_00, 5_000_00, 120, 9_200_00), 600_00),
    );
    expect(pick(sp['sp-cleo'])).toEqual(
      expected(targetOf('salesperson', 'sp-cleo', m), A(5_000_00, 5_000_00, 5_000_00, 0, 20, 3_000_00), 0),
    );
    expect(pick(sp['sp-dan'])).toEqual(expected(targetOf('salesperson', 'sp-dan', m), A(6_000_00, 6_000_00, 3_000_00, 0, 24, 1_400_00), 0));
    const teams = rowsOf(await report(Q, 'team'));
    expect(pick(teams['north-a'])).toEqual(
      expected(targetOf('team', 'north-a', m), A(20_500_00, 20_500_00, 17_500_00, 10_000_00, 160, 7_500_00), 500_00),
    );
    // North B keeps Ben's M1–M2 sale and the cash it brought in M3 (his expense of M1 too); South A has his M3 sale.
    expect(pick(teams['north-b'])).toEqual(
      expected(targetOf('team', 'north-b', m), A(10_000_00, 10_000_00, 10_000_00, 5_000_00, 40, 6_000_00), 200_00),
    );
    expect(pick(teams['south-a'])).toEqual(
      expected(targetOf('team', 'south-a', m), A(13_000_00, 13_000_00, 13_000_00, 0, 100, 6_200_00), 400_00),
    );
    const regions = rowsOf(await report(Q, 'region'));
    expect(pick(regions.north)).toEqual(
      expected(targetOf('region', 'north', m), A(30_500_00, 30_500_00, 27_500_00, 15_000_00, 200, 13_500_00), 700_00),
    );
    expect(pick(regions.south)).toEqual(
      expected(targetOf('region', 'south', m), A(13_000_00, 13_000_00, 13_000_00, 0, 100, 6_200_00), 700_00),
    );
    const company = await report(Q, 'company');
    expect(pick(company.rows[0])).toEqual(
      expected(targetOf('company', 'company', m), A(43_500_00, 43_500_00, 40_500_00, 15_000_00, 300, 19_700_00), 1_400_00),
    );
    expect(company.rows[0].quotes).toEqual({ pipelineCount: 1, pipelineValue: 1_000_00, won: 1, lost: 0, winRateBp: 10_000 });
  });

  it('the year as of the end of M4, with its run-rate forecast', async () => {
    const asOf = lastDay(Y, monthOf(4));
    const days = (Date.UTC(Y + 1, 0, 1) - Date.UTC(Y, 0, 1)) / 86_400_000; // 365, or 366 in a leap year
    const elapsed = Math.round((Date.parse(`${asOf}T00:00:00Z`) - Date.parse(`${Y}-01-01T00:00:00Z`)) / 86_400_000) + 1;
    const body = await report(String(Y), 'company', `&asOf=${asOf}`);
    expect(body).toMatchObject({ periodDays: days, elapsedDays: elapsed });
    // Quarter + M4: delivered and invoiced −1 000.00, −4 units, margin −600.00, cash +7 500.00.
    expect(pick(body.rows[0])).toEqual(
      expected(COMPANY, A(43_500_00, 42_500_00, 39_500_00, 22_500_00, 296, 19_100_00), 1_400_00, { days, elapsed }),
    );
    const teams = rowsOf(await report(String(Y), 'team', `&asOf=${asOf}`));
    expect(pick(teams['south-a'])).toEqual(
      // South A holds Cleo's year and Ben's months from M3 on.
      expected(targetOf('team', 'south-a', [], true), A(13_000_00, 12_000_00, 12_000_00, 0, 96, 5_600_00), 400_00, { days, elapsed }),
    );
  });

  it('drills down from the company to a team and to a salesperson’s documents', async () => {
    const companyDrill = await ok(http().get(`/api/reports/sales-progress/company/company?period=${Q}`, analyst));
    expect(companyDrill.children.map((c: { nodeId: string }) => c.nodeId)).toEqual(['north', 'south']);
    const north = await ok(http().get(`/api/reports/sales-progress/region/north?period=${Q}`, analyst));
    expect(north.children.map((c: { nodeId: string }) => c.nodeId)).toEqual(['north-a', 'north-b']);
    const team = await ok(http().get(`/api/reports/sales-progress/team/north-b?period=${Q}`, manager));
    expect(team.row.actual).toMatchObject({ ordersBooked: 10_000_00, revenueInvoiced: 10_000_00, cashCollected: 5_000_00 });
    expect(team.children.map((c: { nodeId: string }) => c.nodeId)).toEqual(['sp-ben']);
    // The child row shows only what North B was credited (ADR 0212): Ben's sales made while in North B, so it equals the team's row.
    expect(team.children[0].actual).toEqual(team.row.actual);
    // The team's documents are only those credited to North B.
    expect(team.documents.map((d: { factId: string; amount: number }) => [d.factId.split(':')[0], d.amount])).toEqual([
      ['order', 10_000_00],
      ['delivery', 7_500_00],
      ['invoice', 7_500_00],
      ['delivery', 2_500_00],
      ['invoice', 2_500_00],
      ['payment', 5_000_00], // collected in M3, after Ben's transfer: credited where he made the sale
    ]);

    const own = await http().get(`/api/reports/sales-progress/salesperson/sp-dan?period=${P(2)}`, dan);
    expect(own.status).toBe(200);
    expect(own.body.row.actual).toMatchObject({ ordersBooked: 3_000_00, revenueInvoiced: 3_000_00 });
    expect(
      own.body.documents.map((d: { kind: string; amount: number; quantity: number; grossMargin: number; employeeId: string }) => [
        d.kind,
        d.employeeId,
        d.amount,
        d.quantity,
        d.grossMargin,
      ]),
    ).toEqual([
      ['booked', 'sp-dan', 3_000_00, 24, 1_400_00],
      ['delivered', 'sp-dan', 3_000_00, 24, 1_400_00],
      ['invoiced', 'sp-dan', 3_000_00, 24, 1_400_00],
    ]);
    const others = await http().get(`/api/reports/sales-progress/salesperson/sp-anna?period=${P(2)}`, dan);
    expect([others.status, others.body.code]).toEqual([403, 'OutOfScope']);
    const list = await http().get(`/api/reports/sales-progress?period=${P(2)}`, ben);
    expect(list.status).toBe(403);
    const unknown = await http().get(`/api/reports/sales-progress/team/nowhere?period=${P(2)}`, manager);
    expect([unknown.status, unknown.body.code]).toEqual([404, 'ProgressNodeNotFound']);
  });

  it('answers CSV with Accept: text/csv: a header and one row per entity, amounts in minor units', async () => {
    const res = await http().get(`/api/reports/sales-progress?period=${P(2)}&level=team`, manager, { accept: 'text/csv' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = (res.body as string).trim().split('\r\n');
    expect(lines[0]).toBe(
      'period,asOf,revenueBasis,level,nodeId,name,targetRevenue,targetQuantity,targetGrossMargin,ordersBooked,revenueDelivered,revenueInvoiced,cashCollected,revenue,quantity,grossMargin,' +
        'achievementRevenueBp,achievementQuantityBp,achievementGrossMarginBp,forecastRevenue,forecastQuantity,forecastGrossMargin,expenseBudget,expenseActual,expenseRemaining,expenseUsedBp,' +
        'pipelineCount,pipelineValue,quotesWon,quotesLost,winRateBp,plannedVisits,actualVisits',
    );
    // North A in M2: target 100 000.00 / 800 / 40 000.00, budget 2 000.00; O3 7 500.00 (60 units, margin 3 500.00), cash 10 000.00, Anna's 500.00 expense;
    // Anna's Q1 open (1 000.00) and Q2 won.
    expect(lines.slice(1)).toEqual([
      `${P(2)},${today},invoiced,team,north-a,North A,10000000,800,4000000,750000,750000,750000,1000000,750000,60,350000,750,750,875,750000,60,350000,200000,50000,150000,2500,1,100000,1,0,10000,0,0`,
      `${P(2)},${today},invoiced,team,north-b,North B,4000000,300,1600000,0,250000,250000,0,250000,10,150000,625,333,938,250000,10,150000,100000,0,100000,0,0,0,0,0,,0,0`,
      `${P(2)},${today},invoiced,team,south-a,South A,3000000,200,1200000,0,0,0,0,0,0,0,0,0,0,0,0,0,100000,0,100000,0,0,0,0,0,,0,0`,
    ]);
    const bad = await http().get(`/api/reports/sales-progress?period=${Y}-13&level=team`, manager);
    expect([bad.status, bad.body.errors?.[0]?.field]).toEqual([400, 'period']);
    const badLevel = await http().get(`/api/reports/sales-progress?period=${Y}&level=country`, manager);
    expect([badLevel.status, badLevel.body.errors?.[0]?.field]).toEqual([400, 'level']);
  });

  it('this month: planned against actual visits, quotes won and lost today', async () => {
    const month = today.slice(0, 7);
    const quarter = `${today.slice(0, 4)}-Q${Math.ceil(+today.slice(5, 7) / 3)}`;
    const plan = await ok(
      http().post(
        '/api/sales-plans',
        {
          period: month,
          customersToVisit: [ids.C1, ids.C2],
          plannedVisits: 3,
          expectedOrders: [{ customerId: ids.C1, amount: 5_000_00, quantity: 50 }],
          strategy: 'Grow Acme',
        },
        anna,
      ),
    );
    await ok(http().post(`/api/sales-plans/${plan.id}/approve`, {}, manager2));
    // Dan plans the quarter: it counts in the quarter report, not in a month.
    track(
      await ok(
        http().post(
          '/api/sales-plans',
          {
            period: quarter,
            customersToVisit: [ids.C2],
            plannedVisits: 6,
            expectedOrders: [{ productId: ids.P1, amount: 1_000_00, quantity: 10 }],
            strategy: 'Keep Birch',
          },
          dan,
        ),
      ),
    );
    await ok(http().post('/api/visits', { customerId: ids.C1, outcome: 'Demo' }, anna));
    await ok(http().post('/api/visits', { customerId: ids.C2, outcome: 'Intro' }, anna));
    track(await ok(http().post('/api/visits', { customerId: ids.C2, outcome: 'Reorder' }, dan)));
    // Q1 rejected today (lost); Q4 issued and accepted today (won); Q5 issued today, open (pipeline 500.00).
    track(await ok(http().post(`/api/quotes/${ids.Q1}/reject`, { reason: 'price' }, manager)));
    const q4 = await ok(
      http().post('/api/quotes', { customerId: ids.C1, salespersonId: 'sp-anna', lines: [{ productId: ids.P1, quantity: 3 }] }, manager),
    );
    track(await ok(http().post(`/api/quotes/${q4.id}/accept`, {}, manager)));
    track(
      await ok(
        http().post('/api/quotes', { customerId: ids.C2, salespersonId: 'sp-anna', lines: [{ productId: ids.P1, quantity: 5 }] }, manager),
      ),
    );

    const sp = rowsOf(await report(month, 'salesperson'));
    expect(sp['sp-anna'].visits).toEqual({ planned: 3, actual: 2 });
    expect(sp['sp-dan'].visits).toEqual({ planned: 0, actual: 1 });
    expect(sp['sp-anna'].quotes).toEqual({ pipelineCount: 1, pipelineValue: 500_00, won: 1, lost: 1, winRateBp: 5_000 });
    const teams = rowsOf(await report(month, 'team'));
    expect(teams['north-a'].visits).toEqual({ planned: 3, actual: 3 });
    const company = await report(month, 'company');
    expect(company.rows[0].visits).toEqual({ planned: 3, actual: 3 });
    const q = rowsOf(await report(quarter, 'salesperson'));
    expect(q['sp-dan'].visits).toEqual({ planned: 6, actual: 1 });
    expect(q['sp-anna'].visits).toEqual({ planned: 3, actual: 2 });
  });
});
