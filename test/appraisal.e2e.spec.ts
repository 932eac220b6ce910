import { RunningApp, startInProcessApp, tokenFor } from './support/in-process-app';
import { callsAs } from './support/scenario';

/**
 * Conduct and appraisal end to end, over real HTTP and the real quote-to-cash endpoints, lived through the months.
 *
 * The clock: policies and schemes are not retroactive (ADR 0304, 0306) and sales plans are submitted before
 * their month, so the scenario runs on a fixed calendar with a faked clock (only `Date`; timers stay real): it
 * sets up in January 2025, records each month's facts at its end (back-dated to their business dates), and
 * appraises each month at the start of the next.
 *
 * Team North A (region North, manager m-nora): Olga (outstanding), Avi (average), Pete (poor).
 * Targets 2025, every month and salesperson: revenue 10 000.00, 100 units, gross margin 4 000.00 (annual ×12).
 * Product P1: list 100.00, standard cost 60.00 — orders at list price, margin 40 %. Revenue basis: invoiced.
 * Each month M (Feb, Mar, Apr): an order on day 3, delivered day 4, invoiced day 5, for
 *   Olga P1×110 = 11 000.00 (customer C1, paid in full day 20), Avi P1×80 = 8 000.00 (C2, 6 000.00 paid day 25),
 *   Pete P1×40 = 4 000.00 (C3, unpaid). Approved sales plans: 4 visits a month each.
 *   Visits: Olga 4, Avi 3, Pete 1. Feedback: Olga Feb 5+4, Mar 5, Apr 4; Avi Feb 4+3, Mar 4, Apr 4; Pete 2 each month.
 *   Meetings: Feb company + department; Mar 4 working days; Apr 5 working days.
 *     Avi late once in Feb and once in Mar; Pete late once in Feb, 3 of 4 in Mar, 5 of 5 in Apr.
 *   Apr: Pete tries to sell below the floor (price-override request, rejected); the manager records a serious
 *   violation citing it.
 *
 * Scheme (weights: target 40, margin 10, cash 10, visits 10, service 10, retention 5, attendance 10, discipline 5):
 *   target   linear 0 → 100.00 % : 0 → 100 points, capped       margin  bands ≥ 100 %: 100, ≥ 80 %: 60
 *   cash     bands ≥ 90 %: 100, ≥ 50 %: 50                       visits  linear 0 → 100 %: 0 → 100, capped
 *   service  linear 1.00 → 5.00 : 0 → 100, capped                retention bands ≥ 50 %: 100, ≥ 25 %: 50
 *   attendance bands 100 %: 100, ≥ 80 %: 50                      discipline bands 0: 100, 1: 40, 2+: 0
 *   reward (bonus 500.00) at 85 points or more; improvement plan below 50; year-end 60 % year achievement / 40 % months.
 * Total = Σ(weight × points) / Σ(weights measured), rounded half away from zero once.
 */
describe('Conduct and appraisal over HTTP, month by month', () => {
  let running: RunningApp;
  const tokens: Record<string, string> = {};
  const ids: Record<string, string> = {};
  const http = () => running.http;
  const at = (date: string) => jest.setSystemTime(new Date(`${date}T10:00:00.000Z`));
  const { post, get } = callsAs(http, tokens);

  const MONTHS = { feb: '2025-02', mar: '2025-03', apr: '2025-04' } as const;
  const PEOPLE = { olga: 'sp-olga', avi: 'sp-avi', pete: 'sp-pete' } as const;
  const fig = (n: number) => ({ revenue: 10_000_00 * n, quantity: 100 * n, grossMargin: 4_000_00 * n, expenseBudget: 1_000_00 * 12 * n });
  const explicit = (n: number) => ({
    kind: 'explicit',
    months: Array.from({ length: 12 }, () => ({ revenue: 10_000_00 * n, quantity: 100 * n, grossMargin: 4_000_00 * n })),
  });
  const annual = (n: number) => ({ ...fig(n * 12), expenseBudget: 1_000_00 * 12 * n });

  /** The month's sales of one salesperson: order day 3, delivered day 4, invoiced day 5, paid (if anything) on `paidOn`. */
  const sell = async (month: string, person: keyof typeof PEOPLE, customer: string, quantity: number, paid: number, paidOn: string) => {
    const order = await post('/api/orders', {
      customerId: ids[customer],
      salespersonId: PEOPLE[person],
      orderDate: `${month}-03`,
      lines: [{ productId: ids.P1, quantity }],
    });
    await post(`/api/orders/${order.id}/deliveries`, {
      billOfLading: `BOL-${person}-${month}`,
      carrier: 'DHL',
      deliveryDate: `${month}-04`,
      lines: [{ lineId: 'L1', quantity }],
    });
    const invoice = await post(`/api/orders/${order.id}/invoices`, { invoiceDate: `${month}-05` }, 'finance');
    await waitForAccount(ids[customer], invoice.invoiceId);
    if (paid > 0) await post(`/api/customers/${ids[customer]}/payments`, { amount: paid, receivedOn: `${month}-${paidOn}` }, 'finance');
  };
  /** The order-to-account process manager is asynchronous: wait until the account shows the invoice. */
  const waitForAccount = async (customerId: string, invoiceId: string) => {
    for (let i = 0; i < 400; i++) {
      const account = await http().get(`/api/receivables/${customerId}`, tokens.finance);
      if (account.status === 200 && JSON.stringify(account.body).includes(invoiceId)) return;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`invoice ${invoiceId} never reached the account of ${customerId}`);
  };
  const visits = async (month: string, person: keyof typeof PEOPLE, customer: string, count: number) => {
    for (let i = 1; i <= count; i++)
      await post('/api/visits', {
        employeeId: PEOPLE[person],
        customerId: ids[customer],
        visitedOn: `${month}-${String(6 + i).padStart(2, '0')}`,
        outcome: 'Visited',
      });
  };
  const feedback = (person: keyof typeof PEOPLE, customer: string, score: number, receivedOn: string) =>
    post('/api/service-feedback', { employeeId: PEOPLE[person], customerId: ids[customer], score, receivedOn, comment: `score ${score}` });
  /** A meeting with the team and each one's attendance; answers the cases each attendance opened. */
  const meeting = async (kind: string, scheduledFor: string, attendance: Record<keyof typeof PEOPLE, 'attended' | number>) => {
    const { id } = await post('/api/meetings', {
      kind,
      title: `${kind} ${scheduledFor}`,
      scheduledFor,
      startsAt: '08:30',
      attendees: Object.values(PEOPLE),
    });
    const opened: string[] = [];
    for (const [person, mark] of Object.entries(attendance) as [keyof typeof PEOPLE, 'attended' | number][]) {
      const body =
        mark === 'attended'
          ? { employeeId: PEOPLE[person], status: 'attended' }
          : { employeeId: PEOPLE[person], status: 'late', minutesLate: mark };
      opened.push(...(await post(`/api/meetings/${id}/attendance`, body)).casesOpened);
    }
    return { id, opened };
  };
  const run = (period: string, kind = 'monthly') => post('/api/appraisals/run', { period, kind });
  const appraisal = (person: keyof typeof PEOPLE, period: string) => get(`/api/appraisals/${PEOPLE[person]}-${period}`);
  /** Each item as [source, value, points], in the scheme's order. */
  const itemsOf = (doc: { items: { source: string; value: number | null; points: number | null }[] }) =>
    doc.items.map((i) => [i.source, i.value, i.points]);
  const items = (
    t: [number, number],
    m: [number, number],
    c: [number, number],
    v: [number, number],
    s: [number, number],
    r: [number | null, number | null],
    a: [number, number],
    d: [number, number],
  ) => [
    ['target_achievement', ...t],
    ['gross_margin_achievement', ...m],
    ['cash_collection', ...c],
    ['visits_vs_plan', ...v],
    ['service_feedback', ...s],
    ['retention', ...r],
    ['attendance', ...a],
    ['discipline', ...d],
  ];
  const totals = (result: { results: { employeeId: string; total: number; changed: boolean; revision: number }[] }) =>
    Object.fromEntries(result.results.map((r) => [r.employeeId, [r.total, r.revision, r.changed]]));

  beforeAll(async () => {
    jest.useFakeTimers({
      now: new Date('2025-01-06T09:00:00.000Z'),
      advanceTimers: true,
      doNotFake: [
        'nextTick',
        'setImmediate',
        'clearImmediate',
        'setInterval',
        'clearInterval',
        'setTimeout',
        'clearTimeout',
        'queueMicrotask',
        'hrtime',
        'performance',
      ],
    });
    // The scenario moves the clock over months: its people's tokens must outlive it (the default lifetime is 15 minutes).
    running = await startInProcessApp({ ACCESS_TOKEN_TTL_SECONDS: String(366 * 86_400) });
    tokens.manager = await tokenFor(running.http, 'm-nora', 'sales_manager');
    tokens.admin = await tokenFor(running.http, 'ada', 'admin_department');
    tokens.finance = await tokenFor(running.http, 'fiona', 'finance');
    for (const [name, id] of Object.entries(PEOPLE)) tokens[name] = await tokenFor(running.http, id, 'salesperson');

    // ── January: organization, targets, customers, product, policy, scheme, plans ──
    const from = '2025-01-06';
    await post('/api/regions', { regionId: 'north', name: 'North', managerId: 'm-nora', establishedOn: from });
    await post('/api/teams', { teamId: 'north-a', regionId: 'north', name: 'North A', managerId: 'm-nora', formedOn: from });
    for (const [name, id] of Object.entries(PEOPLE))
      await post('/api/employees', { employeeId: id, name: name[0].toUpperCase() + name.slice(1), teamId: 'north-a', hiredOn: from });
    await post('/api/targets/2025/company', annual(3), 'finance');
    await post('/api/targets/2025/assignments', { nodeKind: 'region', nodeId: 'north', ...annual(3), monthly: explicit(3) });
    await post('/api/targets/2025/assignments', { nodeKind: 'team', nodeId: 'north-a', ...annual(3), monthly: explicit(3) });
    for (const id of Object.values(PEOPLE))
      await post('/api/targets/2025/assignments', {
        nodeKind: 'salesperson',
        nodeId: id,
        parentId: 'north-a',
        ...annual(1),
        monthly: explicit(1),
      });
    await post('/api/targets/2025/finalize', {});
    for (const [key, owner] of [
      ['C1', 'sp-olga'],
      ['C2', 'sp-avi'],
      ['C3', 'sp-pete'],
    ])
      ids[key] = (
        await post(
          '/api/customers',
          {
            name: `Customer ${key}`,
            customerGroup: 'retail',
            territory: 'oslo',
            ownerId: owner,
            creditLimit: 10_000_000_00,
            paymentTermsDays: 90,
          },
          'finance',
        )
      ).id;
    ids.P1 = (await post('/api/products', { sku: 'P-100', name: 'Widget', unit: 'pcs', listPrice: 100_00, standardCost: 60_00 })).id;
    for (const [person, customer] of [
      ['olga', 'C1'],
      ['avi', 'C2'],
      ['pete', 'C3'],
    ] as const)
      for (const month of Object.values(MONTHS)) {
        const plan = await post(
          '/api/sales-plans',
          { period: month, customersToVisit: [ids[customer]], plannedVisits: 4, expectedOrders: [], strategy: 'Visit weekly' },
          person,
        );
        await post(`/api/sales-plans/${plan.id}/approve`, { comments: 'Good' });
      }
  }, 120_000);
  afterAll(async () => {
    await running?.close();
    jest.useRealTimers();
  });

  it('defines the discipline policy and the appraisal scheme with written standards (versioned)', async () => {
    const policy = await post('/api/discipline-policies', {
      rules: [
        {
          ruleId: 'late-3-in-month',
          when: { kind: 'lateness_count', window: 'calendar_month', countsAs: ['late', 'left_early'], atLeast: 3 },
          opens: 'investigation',
        },
        {
          ruleId: 'late-5-in-month',
          when: { kind: 'lateness_count', window: 'calendar_month', countsAs: ['late', 'left_early'], atLeast: 5 },
          opens: 'dismissal_review',
        },
        { ruleId: 'serious-violation', when: { kind: 'violation', severity: 'serious' }, opens: 'investigation' },
      ],
    });
    expect(policy.version).toBe(1);
    // The first version covers the whole back-dating window, so history entered as it happened is judged by it (ADR 0311);
    // a version cannot reach back before that window, nor start before the version it follows.
    const tooOld = await http().post(
      '/api/discipline-policies',
      { effectiveFrom: '2020-01-01', rules: [{ ruleId: 'x', when: { kind: 'violation', severity: 'any' }, opens: 'investigation' }] },
      tokens.manager,
    );
    expect([tooOld.status, tooOld.body.errors?.[0]?.field]).toEqual([400, 'effectiveFrom']);

    const bands = (...b: [number, number][]) => ({ kind: 'bands', bands: b.map(([atLeast, points]) => ({ atLeast, points })) });
    const linear = (from: number, to: number) => ({ kind: 'linear', from, to, pointsAtFrom: 0, pointsAtTo: 100, capped: true });
    const scheme = {
      items: [
        { itemId: 'target', name: 'Target achievement', weight: 40, source: 'target_achievement', standard: linear(0, 10000) },
        {
          itemId: 'margin',
          name: 'Gross margin',
          weight: 10,
          source: 'gross_margin_achievement',
          standard: bands([10000, 100], [8000, 60]),
        },
        { itemId: 'cash', name: 'Cash collection', weight: 10, source: 'cash_collection', standard: bands([9000, 100], [5000, 50]) },
        { itemId: 'visits', name: 'Customer visits', weight: 10, source: 'visits_vs_plan', standard: linear(0, 10000) },
        { itemId: 'service', name: 'Service feedback', weight: 10, source: 'service_feedback', standard: linear(100, 500) },
        { itemId: 'retention', name: 'Customer retention', weight: 5, source: 'retention', standard: bands([5000, 100], [2500, 50]) },
        { itemId: 'attendance', name: 'Punctuality', weight: 10, source: 'attendance', standard: bands([10000, 100], [8000, 50]) },
        { itemId: 'discipline', name: 'Discipline', weight: 5, source: 'discipline', standard: bands([0, 100], [1, 40], [2, 0]) },
      ],
      rewardAtOrAbove: 85,
      improvementPlanBelow: 50,
      reward: { kind: 'bonus', amount: 500_00 },
      yearEnd: { yearAchievementWeightBp: 6000, monthlyAverageWeightBp: 4000 },
    };
    const badWeights = await http().post(
      '/api/appraisal-schemes',
      { ...scheme, items: scheme.items.map((i) => ({ ...i, weight: i.itemId === 'target' ? 41 : i.weight })) },
      tokens.manager,
    );
    expect([badWeights.status, badWeights.body.code]).toEqual([422, 'WeightsMustSumTo100']);
    expect((await post('/api/appraisal-schemes', scheme)).version).toBe(1);
    const { current, versions } = await get('/api/appraisal-schemes', 'olga');
    expect(current).toBe(1);
    expect(versions[0]).toMatchObject({ version: 1, effectiveFrom: '2024-01-06', rewardAtOrAbove: 85 }); // the first version starts with the back-dating window (366 days before the faked today)
    expect(versions[0].items.find((i: { itemId: string }) => i.itemId === 'margin').standardText).toBe(
      'at least 100.00 %: 100 points; at least 80.00 %: 60 points; below 80.00 %: 0 points',
    );
    expect(versions[0].description).toHaveLength(10);
  });

  it('February: facts, then the monthly appraisal scored item by item, reviewed with reward and improvement plan', async () => {
    at('2025-02-28');
    await sell(MONTHS.feb, 'olga', 'C1', 110, 11_000_00, '20');
    await sell(MONTHS.feb, 'avi', 'C2', 80, 6_000_00, '25');
    await sell(MONTHS.feb, 'pete', 'C3', 40, 0, '');
    await visits(MONTHS.feb, 'olga', 'C1', 4);
    await visits(MONTHS.feb, 'avi', 'C2', 3);
    await visits(MONTHS.feb, 'pete', 'C3', 1);
    await feedback('olga', 'C1', 5, '2025-02-10');
    await feedback('olga', 'C1', 4, '2025-02-20');
    await feedback('avi', 'C2', 4, '2025-02-11');
    await feedback('avi', 'C2', 3, '2025-02-21');
    await feedback('pete', 'C3', 2, '2025-02-12');
    await meeting('company', '2025-02-06', { olga: 'attended', avi: 'attended', pete: 5 });
    await meeting('department', '2025-02-13', { olga: 'attended', avi: 10, pete: 'attended' });

    // Not before the month has ended.
    const early = await http().post('/api/appraisals/run', { period: '2025-03', kind: 'monthly' }, tokens.manager);
    expect([early.status, early.body.code]).toEqual([422, 'PeriodNotClosed']);

    at('2025-03-03');
    const result = await run(MONTHS.feb);
    expect(result).toMatchObject({ period: '2025-02', kind: 'monthly', asOf: '2025-02-28', schemeVersion: 1 });
    // Retention is not measurable in the first month (nobody bought in January): the other 95 weight points count.
    // Olga: 110 % → 100, margin 110 % → 100, cash 100 % → 100, visits 4/4 → 100, feedback 4.50 → 87.5 → 88, attendance 2/2 → 100, 0 marks → 100
    //       (4000 + 1000 + 1000 + 1000 + 880 + 1000 + 500) / 95 = 98.74 → 99
    // Avi:  80 % → 80, margin 80 % → 60, cash 6 000/8 000 = 75 % → 50, visits 3/4 → 75, feedback 3.50 → 62.5 → 63, attendance 1/2 (late once) → 0, 0 marks → 100
    //       (3200 + 600 + 500 + 750 + 630 + 0 + 500) / 95 = 65.05 → 65
    // Pete: 40 % → 40, margin 40 % → 0, cash 0 % → 0, visits 1/4 → 25, feedback 2.00 → 25, attendance 1/2 → 0, 0 marks → 100
    //       (1600 + 0 + 0 + 250 + 250 + 0 + 500) / 95 = 27.37 → 27
    expect(totals(result)).toEqual({ 'sp-avi': [65, 1, true], 'sp-olga': [99, 1, true], 'sp-pete': [27, 1, true] });
    const olga = await appraisal('olga', MONTHS.feb);
    expect(itemsOf(olga)).toEqual(
      items([11000, 100], [11000, 100], [10000, 100], [10000, 100], [450, 88], [null, null], [10000, 100], [0, 100]),
    );
    expect(olga).toMatchObject({ total: 99, outcome: 'reward', revision: 1, status: 'scored', asOf: '2025-02-28' });
    expect(olga.inputs).toEqual({
      target_achievement: 11000,
      gross_margin_achievement: 11000,
      cash_collection: 10000,
      visits_vs_plan: 10000,
      service_feedback: 450,
      retention: null,
      attendance: 10000,
      discipline: 0,
    });
    expect(itemsOf(await appraisal('avi', MONTHS.feb))).toEqual(
      items([8000, 80], [8000, 60], [7500, 50], [7500, 75], [350, 63], [null, null], [5000, 0], [0, 100]),
    );
    const pete = await appraisal('pete', MONTHS.feb);
    expect(itemsOf(pete)).toEqual(items([4000, 40], [4000, 0], [0, 0], [2500, 25], [200, 25], [null, null], [5000, 0], [0, 100]));
    expect(pete).toMatchObject({ total: 27, outcome: 'improvement_plan' });

    // Reviews: the outstanding one earns the bonus, the average one nothing, the poor one an improvement plan.
    const reward = await post(`/api/appraisals/sp-olga-${MONTHS.feb}/review`, { feedback: 'Outstanding month' });
    expect(reward).toMatchObject({ reward: { kind: 'bonus', amount: 500_00 }, improvementPlanId: null });
    expect(await post(`/api/appraisals/sp-avi-${MONTHS.feb}/review`, { feedback: 'Solid; be on time' })).toMatchObject({
      reward: null,
      improvementPlanId: null,
    });
    const noPlan = await http().post(`/api/appraisals/sp-pete-${MONTHS.feb}/review`, { feedback: 'Too little' }, tokens.manager);
    expect([noPlan.status, noPlan.body.code]).toEqual([422, 'ImprovementPlanRequired']);
    const planned = await post(`/api/appraisals/sp-pete-${MONTHS.feb}/review`, {
      feedback: 'Too little revenue, too late',
      improvementPlan: {
        goals: [{ description: 'Reach 80 % of target', measure: 'target achievement', target: '80 %' }, { description: 'Be on time' }],
        deadline: '2025-03-31',
      },
    });
    ids.plan = planned.improvementPlanId;
    expect(typeof ids.plan).toBe('string');
    // Only the appraised employee acknowledges, once reviewed.
    const notMine = await http().post(`/api/appraisals/sp-olga-${MONTHS.feb}/acknowledge`, {}, tokens.avi);
    expect([notMine.status, notMine.body.code]).toEqual([403, 'NotOwnAppraisal']);
    await post(`/api/appraisals/sp-olga-${MONTHS.feb}/acknowledge`, { comment: 'Thanks' }, 'olga');
    expect(await appraisal('olga', MONTHS.feb)).toMatchObject({
      status: 'acknowledged',
      rewardGranted: { kind: 'bonus', amount: 500_00, grantedOn: '2025-03-03' },
    });
    expect((await get(`/api/improvement-plans?employeeId=sp-pete`)).items).toEqual([
      expect.objectContaining({ planId: ids.plan, status: 'set', deadline: '2025-03-31', appraisalId: 'sp-pete-2025-02', overdue: null }),
    ]);
  });

  it('March: Pete is late three times — an investigation naming the three facts; the plan is flagged overdue, then reviewed', async () => {
    at('2025-03-28');
    await sell(MONTHS.mar, 'olga', 'C1', 110, 11_000_00, '20');
    await sell(MONTHS.mar, 'avi', 'C2', 80, 6_000_00, '25');
    await sell(MONTHS.mar, 'pete', 'C3', 40, 0, '');
    await visits(MONTHS.mar, 'olga', 'C1', 4);
    await visits(MONTHS.mar, 'avi', 'C2', 3);
    await visits(MONTHS.mar, 'pete', 'C3', 1);
    await feedback('olga', 'C1', 5, '2025-03-10');
    await feedback('avi', 'C2', 4, '2025-03-11');
    await feedback('pete', 'C3', 2, '2025-03-12');
    const days = [];
    days.push(await meeting('work_day', '2025-03-04', { olga: 'attended', avi: 7, pete: 12 }));
    days.push(await meeting('work_day', '2025-03-06', { olga: 'attended', avi: 'attended', pete: 20 }));
    days.push(await meeting('work_day', '2025-03-11', { olga: 'attended', avi: 'attended', pete: 'attended' }));
    days.push(await meeting('work_day', '2025-03-13', { olga: 'attended', avi: 'attended', pete: 9 }));
    expect(days.map((d) => d.opened.length)).toEqual([0, 0, 0, 1]);
    const cases = (await get('/api/disciplinary-cases?employeeId=sp-pete')).items;
    expect(cases).toEqual([
      expect.objectContaining({
        kind: 'investigation',
        ruleId: 'late-3-in-month',
        triggerKey: 'late-3-in-month@2025-03',
        policyVersion: 1,
        status: 'open',
        openedOn: '2025-03-13',
        triggeringFacts: [
          { factId: `${days[0].id}/sp-pete`, kind: 'late', occurredOn: '2025-03-04' },
          { factId: `${days[1].id}/sp-pete`, kind: 'late', occurredOn: '2025-03-06' },
          { factId: `${days[3].id}/sp-pete`, kind: 'late', occurredOn: '2025-03-13' },
        ],
      }),
    ]);
    ids.marchCase = cases[0].caseId;
    expect((await get('/api/disciplinary-cases?employeeId=sp-avi')).items).toEqual([]);

    at('2025-04-01');
    // Olga: everything at 100 (feedback 5.00, C1 bought in Feb and Mar → retention 100 %) → 100
    // Avi:  80, 60, 50, 75, feedback 4.00 → 75, retention 100 % → 100, attendance 3/4 = 75 % → 0, 0 marks → 100
    //       (3200 + 600 + 500 + 750 + 750 + 500 + 0 + 500) / 100 = 68
    // Pete: 40, 0, 0, 25, 25, retention 100 % → 100, attendance 1/4 → 0, 1 mark (the investigation) → 40
    //       (1600 + 0 + 0 + 250 + 250 + 500 + 0 + 200) / 100 = 28
    expect(totals(await run(MONTHS.mar))).toEqual({ 'sp-avi': [68, 1, true], 'sp-olga': [100, 1, true], 'sp-pete': [28, 1, true] });
    expect(itemsOf(await appraisal('olga', MONTHS.mar))).toEqual(
      items([11000, 100], [11000, 100], [10000, 100], [10000, 100], [500, 100], [10000, 100], [10000, 100], [0, 100]),
    );
    expect(itemsOf(await appraisal('avi', MONTHS.mar))).toEqual(
      items([8000, 80], [8000, 60], [7500, 50], [7500, 75], [400, 75], [10000, 100], [7500, 0], [0, 100]),
    );
    expect(itemsOf(await appraisal('pete', MONTHS.mar))).toEqual(
      items([4000, 40], [4000, 0], [0, 0], [2500, 25], [200, 25], [10000, 100], [2500, 0], [1, 40]),
    );

    // The plan's deadline (31 March) has passed without a review: flagged.
    expect((await get('/api/improvement-plans?overdue=true')).items).toEqual([
      expect.objectContaining({ planId: ids.plan, overdue: expect.objectContaining({ daysOverdue: 1 }) }),
    ]);
    const own = await http().post(`/api/improvement-plans/${ids.plan}/review`, { outcome: 'met', note: 'I did it' }, tokens.pete);
    expect(own.status).toBe(403);
    await post(`/api/improvement-plans/${ids.plan}/review`, { outcome: 'not_met', note: 'Still 40 % of target and late three times' });
    expect((await get('/api/improvement-plans?overdue=true')).items).toEqual([]);
    expect((await get('/api/improvement-plans?employeeId=sp-pete')).items[0]).toMatchObject({
      status: 'reviewed',
      outcome: 'not_met',
      reviewedOn: '2025-04-01',
    });
  });

  it('April: five late arrivals open a dismissal review; a below-floor attempt is evidence of a serious violation', async () => {
    at('2025-04-28');
    await sell(MONTHS.apr, 'olga', 'C1', 110, 11_000_00, '20');
    await sell(MONTHS.apr, 'avi', 'C2', 80, 6_000_00, '25');
    await sell(MONTHS.apr, 'pete', 'C3', 40, 0, '');
    await visits(MONTHS.apr, 'olga', 'C1', 4);
    await visits(MONTHS.apr, 'avi', 'C2', 3);
    await visits(MONTHS.apr, 'pete', 'C3', 1);
    await feedback('olga', 'C1', 4, '2025-04-10');
    await feedback('avi', 'C2', 4, '2025-04-11');
    await feedback('pete', 'C3', 2, '2025-04-12');
    const opened: number[] = [];
    for (const day of ['01', '03', '08', '10', '15'])
      opened.push((await meeting('work_day', `2025-04-${day}`, { olga: 'attended', avi: 'attended', pete: 15 })).opened.length);
    expect(opened).toEqual([0, 0, 1, 0, 1]);

    // An attempt to sell below the floor becomes a price-override request; the manager rejects it and records the violation.
    const cheap = await post('/api/orders', {
      customerId: ids.C3,
      salespersonId: 'sp-pete',
      orderDate: '2025-04-20',
      lines: [{ productId: ids.P1, quantity: 10, unitPrice: 50_00, overrideReason: 'to win the deal' }],
    });
    const overrideId = (await get(`/api/orders/${cheap.id}`)).overrides[0].overrideId;
    await post(`/api/price-overrides/${overrideId}/reject`, { reason: 'Below cost' });
    const wrongPerson = await http().post(
      '/api/violations',
      {
        employeeId: 'sp-avi',
        kind: 'unauthorized_price_cut',
        severity: 'serious',
        description: 'x',
        evidence: [{ kind: 'price_override_request', reference: overrideId }],
      },
      tokens.manager,
    );
    expect([wrongPerson.status, wrongPerson.body.code]).toEqual([422, 'EvidenceOfAnotherEmployee']);
    const violation = await post('/api/violations', {
      employeeId: 'sp-pete',
      kind: 'unauthorized_price_cut',
      severity: 'serious',
      description: 'Offered Widgets below standard cost to win a deal',
      evidence: [
        { kind: 'price_override_request', reference: overrideId, note: 'rejected by m-nora' },
        { kind: 'witness', reference: 'm-nora' },
      ],
      occurredOn: '2025-04-20',
    });
    expect(violation.casesOpened).toHaveLength(1);
    const cases = (await get('/api/disciplinary-cases?employeeId=sp-pete')).items;
    expect(
      cases.map((c: { triggerKey: string; kind: string; triggeringFacts: unknown[] }) => [c.triggerKey, c.kind, c.triggeringFacts.length]),
    ).toEqual([
      ['late-3-in-month@2025-03', 'investigation', 3],
      ['late-3-in-month@2025-04', 'investigation', 3],
      ['late-5-in-month@2025-04', 'dismissal_review', 5],
      [`serious-violation@${violation.id}`, 'investigation', 1],
    ]);
    ids.dismissalReview = cases[2].caseId;

    at('2025-05-02');
    // Olga: feedback 4.00 → 75, everything else 100: (10000 − 250) / 100 = 97.5 → 98 (half away from zero)
    // Avi:  as in March but on time every day: (6800 + 1000) / 100 = 78
    // Pete: 40, 0, 0, 25, 25, 100, attendance 0/5 → 0, 3 marks (2 lateness cases + the violation) → 0: 2600 / 100 = 26
    expect(totals(await run(MONTHS.apr))).toEqual({ 'sp-avi': [78, 1, true], 'sp-olga': [98, 1, true], 'sp-pete': [26, 1, true] });
    expect(itemsOf(await appraisal('olga', MONTHS.apr))).toEqual(
      items([11000, 100], [11000, 100], [10000, 100], [10000, 100], [400, 75], [10000, 100], [10000, 100], [0, 100]),
    );
    expect(itemsOf(await appraisal('pete', MONTHS.apr))).toEqual(
      items([4000, 40], [4000, 0], [0, 0], [2500, 25], [200, 25], [10000, 100], [0, 0], [3, 0]),
    );

    // The cases are decided: a warning for March, dismissal for the April review — which ends Pete's assignment.
    await post(`/api/disciplinary-cases/${ids.marchCase}/close`, { outcome: 'warning', note: 'Written warning' });
    const dismissed = await post(`/api/disciplinary-cases/${ids.dismissalReview}/close`, {
      outcome: 'dismissal',
      note: 'Late every working day after a warning',
    });
    expect(dismissed.dismissal).toEqual({ employeeId: 'sp-pete', leftOn: '2025-05-02' });
    expect(await get('/api/employees/sp-pete')).toMatchObject({ status: 'left', leftOn: '2025-05-02' });
    const again = await http().post(
      `/api/disciplinary-cases/${ids.dismissalReview}/close`,
      { outcome: 'dismissal', note: 'again' },
      tokens.manager,
    );
    expect([again.status, again.body.code]).toEqual([409, 'CaseAlreadyClosed']);
  });

  it('re-running a past period gives the same scores after later events; a fact back-dated into an unreviewed period revises it', async () => {
    at('2025-05-06');
    await post(`/api/customers/${ids.C3}/payments`, { amount: 4_000_00, receivedOn: '2025-05-05' }, 'finance'); // Pete's customer finally pays
    await feedback('olga', 'C1', 1, '2025-05-01'); // back-dated, but after every appraised period
    const first = { 'sp-avi': [65, 1, false], 'sp-olga': [99, 1, false], 'sp-pete': [27, 1, false] };
    expect(totals(await run(MONTHS.feb))).toEqual(first);
    expect(totals(await run(MONTHS.mar))).toEqual({ 'sp-avi': [68, 1, false], 'sp-olga': [100, 1, false], 'sp-pete': [28, 1, false] });
    // Feedback dated into April (unreviewed): Avi's April is re-scored as revision 2 — feedback 4.00 and 5.00 → 4.50 → 88: 7930 / 100 = 79.3 → 79.
    await feedback('avi', 'C2', 5, '2025-04-20');
    expect(totals(await run(MONTHS.apr))).toEqual({ 'sp-avi': [79, 2, true], 'sp-olga': [98, 1, false], 'sp-pete': [26, 1, false] });
    expect((await appraisal('avi', MONTHS.apr)).revisions.map((r: { total: number }) => r.total)).toEqual([78, 79]);
    // Feedback dated into reviewed February: Avi's feedback would be 4, 3, 5 → 4.00 → 75 points, (6180 − 630 + 750) / 95 = 66.3 → 66;
    // the score is final after the review, so the re-run is refused for Avi and listed; the others are unchanged.
    await feedback('avi', 'C2', 5, '2025-02-27');
    const refused = await run(MONTHS.feb);
    expect(refused.results.find((r: { employeeId: string }) => r.employeeId === 'sp-avi')).toMatchObject({
      scored: false,
      error: { code: 'AppraisalAlreadyReviewed', details: { scoredTotal: 65, rerunTotal: 66 } },
    });
    expect((await appraisal('avi', MONTHS.feb)).total).toBe(65);
  });

  it('reports the appraisal scores with ranks, trend, plans and discipline record; CSV; the scorecard', async () => {
    const report = await get(`/api/reports/appraisals?period=${MONTHS.apr}`);
    expect(report.rows.map((r: any) => [r.employeeId, r.appraisal.total, r.rankInTeam, r.rankInRegion, r.teamId])).toEqual([
      ['sp-olga', 98, { rank: 1, of: 3 }, { rank: 1, of: 3 }, 'north-a'],
      ['sp-avi', 79, { rank: 2, of: 3 }, { rank: 2, of: 3 }, 'north-a'],
      ['sp-pete', 26, { rank: 3, of: 3 }, { rank: 3, of: 3 }, 'north-a'],
    ]);
    expect(report.rows[0].trend).toEqual([
      { period: '2024-11', total: null },
      { period: '2024-12', total: null },
      { period: '2025-01', total: null },
      { period: '2025-02', total: 99 },
      { period: '2025-03', total: 100 },
      { period: '2025-04', total: 98 },
    ]);
    const csv = await http().get(`/api/reports/appraisals?period=${MONTHS.apr}`, tokens.manager, { accept: 'text/csv' });
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const lines = (csv.body as string).trim().split('\r\n');
    expect(lines).toHaveLength(4);
    const header = lines[0].split(',');
    expect(header.slice(0, 12)).toEqual([
      'period',
      'periodKind',
      'asOf',
      'employeeId',
      'name',
      'teamId',
      'regionId',
      'kind',
      'schemeVersion',
      'revision',
      'target_achievementValue',
      'target_achievementPoints',
    ]);
    const olga = Object.fromEntries(header.map((h, i) => [h, lines[1].split(',')[i]]));
    expect(olga).toMatchObject({
      employeeId: 'sp-olga',
      total: '98',
      rankInTeam: '1',
      teamSize: '3',
      service_feedbackValue: '400',
      service_feedbackPoints: '75',
    });

    const card = await get(`/api/employees/sp-pete/scorecard?period=${MONTHS.apr}`, 'manager');
    expect(card).toMatchObject({ period: '2025-04', employeeId: 'sp-pete', rankInTeam: { rank: 3, of: 3 }, openImprovementPlans: [] });
    expect(card.trend.slice(3).map((t: { total: number }) => t.total)).toEqual([27, 28, 26]);
    expect(card.discipline.cases.map((c: { outcome: string | null }) => c.outcome)).toEqual(['warning', null, 'dismissal', null]);
    expect(card.discipline.violations).toEqual([
      expect.objectContaining({ kind: 'unauthorized_price_cut', severity: 'serious', occurredOn: '2025-04-20' }),
    ]);
    expect(card.discipline.openCases).toBe(2);
    expect((await get(`/api/employees/sp-olga/scorecard?period=${MONTHS.feb}`, 'olga')).appraisal).toMatchObject({
      total: 99,
      status: 'acknowledged',
    });
  });

  it('year-end: the year’s target achievement weighed with the monthly results', async () => {
    at('2026-01-05');
    // Year achievement (revenue invoiced / annual target 120 000.00): Olga 33 000.00 → 27.50 % → 28 points, Avi 24 000.00 → 20, Pete 12 000.00 → 10.
    // Total = (Y × 6000 × n + Σ monthly × 4000) / (10000 × n), n = 3 months appraised (latest revisions):
    //   Olga (28 × 18000 + 297 × 4000) / 30000 = 56.4 → 56; Avi (20 × 18000 + 212 × 4000) / 30000 = 40.27 → 40;
    //   Pete (10 × 18000 + 81 × 4000) / 30000 = 16.8 → 17 (dismissed in May, employed in the year).
    const result = await run('2025', 'year_end');
    expect(totals(result)).toEqual({ 'sp-avi': [40, 1, true], 'sp-olga': [56, 1, true], 'sp-pete': [17, 1, true] });
    const olga = await get('/api/appraisals/sp-olga-2025');
    expect(olga).toMatchObject({ kind: 'year_end', inputs: { target_achievement: 2750 }, outcome: 'none' });
    expect(olga.yearEnd).toEqual({
      yearAchievementPoints: 28,
      monthlyTotals: [
        { period: '2025-02', total: 99 },
        { period: '2025-03', total: 100 },
        { period: '2025-04', total: 98 },
      ],
      monthlyAverage: 99,
      total: 56,
    });
    expect(totals(await run('2025', 'year_end'))).toEqual({
      'sp-avi': [40, 1, false],
      'sp-olga': [56, 1, false],
      'sp-pete': [17, 1, false],
    });
  });
});
