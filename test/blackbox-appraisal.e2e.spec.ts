import { addDays, daysBetween } from '@salesline/shared-kernel';
import { RunningApp, startInProcessApp, tokenFor } from './support/in-process-app';

/**
 * Black-box QA: conduct and appraisal over real HTTP with the REAL clock (no fake timers).
 *
 * The last three closed months M1, M2, M3 are recorded after the fact with back-dated business dates, then appraised.
 * The scenario runs twice, in two app instances: policy + scheme defined BEFORE the facts, and AFTER them; both must
 * judge the past months identically.
 *
 * Team north-a (region north, manager m-nora): Olga (outstanding), Avi (average), Pete (poor); hired 200 days ago.
 * Targets (every year touched by M1..M3), each salesperson every month: revenue 10 000.00, 100 units, margin 4 000.00.
 * Product P1: list 100.00, standard cost 60.00 → margin 40 %. Revenue basis: invoiced (default).
 * Every month: order day 3, delivered day 4, invoiced day 5:
 *   Olga C1 P1×110 = 11 000.00 (margin 4 400.00), paid in full day 20
 *   Avi  C2 P1×80  =  8 000.00 (margin 3 200.00), 6 000.00 paid day 25
 *   Pete C3 P1×40  =  4 000.00 (margin 1 600.00), unpaid
 * Visits: Olga 4, Avi 3, Pete 1 a month — but no sales plan can be submitted for a closed month (ADR 0206,
 *   SalesPlanPeriodClosed; probed separately below), so visits_vs_plan is null (not measured) in every month.
 * Feedback: M1 Olga 5+4, Avi 4+3, Pete 2; M2 Olga 5, Avi 4, Pete 2; M3 Olga 4, Avi 4, Pete 2.
 * Attendance:
 *   M1 company d6 (Olga ok, Avi ok, Pete late 5), department d13 (Olga ok, Avi late 10, Pete ok)
 *   M2 work days d4, d6, d11, d13: Olga ok; Avi late d4; Pete late d4, d6, d13 (3 → investigation)
 *   M3 work days d1, d3, d8, d10, d15: Olga, Avi ok; Pete late every day (3 → investigation, 5 → dismissal review)
 * M3 d20: Pete tries to sell below the floor (override request, rejected); serious violation citing it → investigation.
 *
 * Scheme: target 40 (linear 0→10000 bp, 0→100, capped), margin 10 (bands ≥10000:100, ≥8000:60),
 *   cash 10 (≥9000:100, ≥5000:50), visits 10 (linear 0→10000), service 10 (linear 100→500),
 *   retention 5 (≥5000:100, ≥2500:50), attendance 10 (≥10000:100, ≥8000:50), discipline 5 (0:100, 1:40, 2+:0).
 *   Reward (bonus 500.00) at ≥ 85; improvement plan below 50. Total = Σ(w×p)/Σ(w measured), half away from zero once.
 */
const today = new Date().toISOString().slice(0, 10);
const pad = (n: number) => String(n).padStart(2, '0');
const firstOfThisMonth = `${today.slice(0, 7)}-01`;
const monthBefore = (first: string) => `${addDays(first, -1).slice(0, 7)}-01`;
const M3first = monthBefore(firstOfThisMonth);
const M2first = monthBefore(M3first);
const M1first = monthBefore(M2first);
const MONTHS = [M1first.slice(0, 7), M2first.slice(0, 7), M3first.slice(0, 7)] as const;
const [M1, M2, M3] = MONTHS;
const d = (month: string, day: number) => `${month}-${pad(day)}`;
const YEARS = [...new Set(MONTHS.map((m) => +m.slice(0, 4)))];
const PEOPLE = { olga: 'sp-olga', avi: 'sp-avi', pete: 'sp-pete' } as const;
type Person = keyof typeof PEOPLE;

const SCHEME = (() => {
  const bands = (...b: [number, number][]) => ({ kind: 'bands', bands: b.map(([atLeast, points]) => ({ atLeast, points })) });
  const linear = (from: number, to: number) => ({ kind: 'linear', from, to, pointsAtFrom: 0, pointsAtTo: 100, capped: true });
  return {
    items: [
      { itemId: 'target', name: 'Target achievement', weight: 40, source: 'target_achievement', standard: linear(0, 10000) },
      { itemId: 'margin', name: 'Gross margin', weight: 10, source: 'gross_margin_achievement', standard: bands([10000, 100], [8000, 60]) },
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
})();
const POLICY = {
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
};

type Item = [number | null, number | null];
const items = (t: Item, m: Item, c: Item, v: Item, s: Item, r: Item, a: Item, di: Item) => [
  ['target_achievement', ...t],
  ['gross_margin_achievement', ...m],
  ['cash_collection', ...c],
  ['visits_vs_plan', ...v],
  ['service_feedback', ...s],
  ['retention', ...r],
  ['attendance', ...a],
  ['discipline', ...di],
];
const NONE: Item = [null, null];
/**
 * Hand calculation, item by item (value, points), then Σ(weight × points) / Σ(weights measured):
 * M1 (visits and retention unmeasured — nobody bought the month before M1 — measured weight 85):
 *   Olga 11000→100, 11000→100, 10000→100, 450→(350×100/400=87.5)→88, 2/2=10000→100, 0→100
 *        4000+1000+1000+880+1000+500 = 8380 / 85 = 98.59 → 99 (reward)
 *   Avi  8000→80, 8000→60, 6000/8000=7500→50, 350→62.5→63, 1/2=5000→0, 0→100
 *        3200+600+500+630+0+500 = 5430 / 85 = 63.88 → 64 (none)
 *   Pete 4000→40, 4000→0, 0→0, 200→25, 1/2=5000→0, 0→100
 *        1600+0+0+250+0+500 = 2350 / 85 = 27.65 → 28 (improvement plan)
 * M2 (retention measured: every customer bought in M1 and M2 → 10000 → 100; measured weight 90):
 *   Olga 4000+1000+1000+1000 (500→100)+500+1000+500 = 9000 / 90 = 100
 *   Avi  3200+600+500+750 (400→75)+500+0 (3/4=7500→0)+500 = 6050 / 90 = 67.22 → 67
 *   Pete 1600+0+0+250+500+0 (1/4=2500→0)+200 (1 case→40) = 2550 / 90 = 28.33 → 28
 * M3:
 *   Olga 4000+1000+1000+750 (400→75)+500+1000+500 = 8750 / 90 = 97.22 → 97
 *   Avi  3200+600+500+750+500+1000 (5/5)+500 = 7050 / 90 = 78.33 → 78
 *   Pete 1600+0+0+250+500+0 (0/5)+0 (2 lateness cases + 1 violation = 3 → 0) = 2350 / 90 = 26.11 → 26
 */
const EXPECTED: Record<string, Record<Person, { total: number; outcome: string; items: unknown[] }>> = {
  [M1]: {
    olga: {
      total: 99,
      outcome: 'reward',
      items: items([11000, 100], [11000, 100], [10000, 100], NONE, [450, 88], NONE, [10000, 100], [0, 100]),
    },
    avi: { total: 64, outcome: 'none', items: items([8000, 80], [8000, 60], [7500, 50], NONE, [350, 63], NONE, [5000, 0], [0, 100]) },
    pete: {
      total: 28,
      outcome: 'improvement_plan',
      items: items([4000, 40], [4000, 0], [0, 0], NONE, [200, 25], NONE, [5000, 0], [0, 100]),
    },
  },
  [M2]: {
    olga: {
      total: 100,
      outcome: 'reward',
      items: items([11000, 100], [11000, 100], [10000, 100], NONE, [500, 100], [10000, 100], [10000, 100], [0, 100]),
    },
    avi: {
      total: 67,
      outcome: 'none',
      items: items([8000, 80], [8000, 60], [7500, 50], NONE, [400, 75], [10000, 100], [7500, 0], [0, 100]),
    },
    pete: {
      total: 28,
      outcome: 'improvement_plan',
      items: items([4000, 40], [4000, 0], [0, 0], NONE, [200, 25], [10000, 100], [2500, 0], [1, 40]),
    },
  },
  [M3]: {
    olga: {
      total: 97,
      outcome: 'reward',
      items: items([11000, 100], [11000, 100], [10000, 100], NONE, [400, 75], [10000, 100], [10000, 100], [0, 100]),
    },
    avi: {
      total: 78,
      outcome: 'none',
      items: items([8000, 80], [8000, 60], [7500, 50], NONE, [400, 75], [10000, 100], [10000, 100], [0, 100]),
    },
    pete: {
      total: 26,
      outcome: 'improvement_plan',
      items: items([4000, 40], [4000, 0], [0, 0], NONE, [200, 25], [10000, 100], [0, 0], [3, 0]),
    },
  },
};

type Scenario = 'rules-first' | 'facts-first';

const harness = () => {
  const h = {
    running: undefined as unknown as RunningApp,
    tokens: {} as Record<string, string>,
    ids: {} as Record<string, string>,
    position: 0,
  };
  const track = (body: any) => {
    h.position = Math.max(h.position, body?.position ?? 0);
    return body;
  };
  const raw = (path: string, body: unknown, who = 'manager') => h.running.http.post(path, body, h.tokens[who]);
  const post = async (path: string, body: unknown, who = 'manager') => {
    const r = await raw(path, body, who);
    if (r.status !== 200 && r.status !== 201)
      throw new Error(`POST ${path} as ${who}: expected 200/201, got ${r.status}: ${JSON.stringify(r.body)}`);
    return track(r.body);
  };
  const get = async (path: string, who = 'manager') => {
    const r = await h.running.http.get(`${path}${path.includes('?') ? '&' : '?'}minPosition=${h.position}`, h.tokens[who]);
    if (r.status !== 200) throw new Error(`GET ${path}: ${r.status}: ${JSON.stringify(r.body)}`);
    return r.body;
  };
  const start = async (env: Record<string, string> = {}) => {
    h.running = await startInProcessApp(env);
    h.tokens.manager = await tokenFor(h.running.http, 'm-nora', 'sales_manager');
    h.tokens.finance = await tokenFor(h.running.http, 'fiona', 'finance');
    for (const [name, id] of Object.entries(PEOPLE)) h.tokens[name] = await tokenFor(h.running.http, id, 'salesperson');
  };
  return { h, raw, post, get, start };
};

const runScenario = (scenario: Scenario) =>
  describe(`Appraisal of back-dated months with the real clock (${scenario})`, () => {
    const { h, raw, post, get, start } = harness();
    const ids = h.ids;
    const cases: Record<string, string[]> = {}; // casesOpened per answer kind
    const openedByFacts: string[] = [];

    const waitForAccount = async (customerId: string, invoiceId: string) => {
      for (let i = 0; i < 400; i++) {
        const account = await h.running.http.get(`/api/receivables/${customerId}`, h.tokens.finance);
        if (account.status === 200 && JSON.stringify(account.body).includes(invoiceId)) return;
        await new Promise((r) => setTimeout(r, 25));
      }
      throw new Error(`invoice ${invoiceId} never reached the account of ${customerId}`);
    };
    const sell = async (month: string, person: Person, customer: string, quantity: number, paid: number, paidOn: number) => {
      const order = await post('/api/orders', {
        customerId: ids[customer],
        salespersonId: PEOPLE[person],
        orderDate: d(month, 3),
        lines: [{ productId: ids.P1, quantity }],
      });
      await post(`/api/orders/${order.id}/deliveries`, {
        billOfLading: `BOL-${person}-${month}`,
        carrier: 'DHL',
        deliveryDate: d(month, 4),
        lines: [{ lineId: 'L1', quantity }],
      });
      const invoice = await post(`/api/orders/${order.id}/invoices`, { invoiceDate: d(month, 5) }, 'finance');
      await waitForAccount(ids[customer], invoice.invoiceId);
      if (paid > 0) await post(`/api/customers/${ids[customer]}/payments`, { amount: paid, receivedOn: d(month, paidOn) }, 'finance');
    };
    const visits = async (month: string, person: Person, customer: string, count: number) => {
      for (let i = 1; i <= count; i++)
        await post('/api/visits', {
          employeeId: PEOPLE[person],
          customerId: ids[customer],
          visitedOn: d(month, 6 + i),
          outcome: 'Visited',
        });
    };
    const feedback = (person: Person, customer: string, score: number, receivedOn: string) =>
      post('/api/service-feedback', {
        employeeId: PEOPLE[person],
        customerId: ids[customer],
        score,
        receivedOn,
        comment: `score ${score}`,
      });
    const meeting = async (kind: string, scheduledFor: string, attendance: Record<Person, 'attended' | number>) => {
      const { id } = await post('/api/meetings', {
        kind,
        title: `${kind} ${scheduledFor}`,
        scheduledFor,
        startsAt: '08:30',
        attendees: Object.values(PEOPLE),
      });
      const opened: string[] = [];
      for (const [person, mark] of Object.entries(attendance) as [Person, 'attended' | number][]) {
        const body =
          mark === 'attended'
            ? { employeeId: PEOPLE[person], status: 'attended' }
            : { employeeId: PEOPLE[person], status: 'late', minutesLate: mark };
        opened.push(...(await post(`/api/meetings/${id}/attendance`, body)).casesOpened);
      }
      openedByFacts.push(...opened);
      return { id, opened };
    };
    const run = (period: string, kind = 'monthly') => post('/api/appraisals/run', { period, kind });
    const appraisal = (person: Person, period: string) => get(`/api/appraisals/${PEOPLE[person]}-${period}`);
    const itemsOf = (doc: { items: { source: string; value: number | null; points: number | null }[] }) =>
      doc.items.map((i) => [i.source, i.value, i.points]);
    const totals = (result: { results: { employeeId: string; total: number; changed: boolean; revision: number }[] }) =>
      Object.fromEntries(result.results.map((r) => [r.employeeId, [r.total, r.revision, r.changed]]));
    const expectedTotals = (month: string, revision: number, changed: boolean) =>
      Object.fromEntries((Object.keys(PEOPLE) as Person[]).map((p) => [PEOPLE[p], [EXPECTED[month][p].total, revision, changed]]));
    const defineRules = async () => {
      const policy = await post('/api/discipline-policies', POLICY);
      expect(policy.version).toBe(1);
      cases.policy = policy.casesOpened;
      expect((await post('/api/appraisal-schemes', SCHEME)).version).toBe(1);
    };
    const meetingIds: Record<string, string> = {};

    beforeAll(async () => {
      await start();
      const from = addDays(today, -200);
      await post('/api/regions', { regionId: 'north', name: 'North', managerId: 'm-nora', establishedOn: from });
      await post('/api/teams', { teamId: 'north-a', regionId: 'north', name: 'North A', managerId: 'm-nora', formedOn: from });
      for (const [name, id] of Object.entries(PEOPLE))
        await post('/api/employees', { employeeId: id, name: name[0].toUpperCase() + name.slice(1), teamId: 'north-a', hiredOn: from });
      const months = (n: number) => ({
        kind: 'explicit',
        months: Array.from({ length: 12 }, () => ({ revenue: 10_000_00 * n, quantity: 100 * n, grossMargin: 4_000_00 * n })),
      });
      const annual = (n: number) => ({
        revenue: 120_000_00 * n,
        quantity: 1_200 * n,
        grossMargin: 48_000_00 * n,
        expenseBudget: 12_000_00 * n,
      });
      for (const Y of YEARS) {
        await post(`/api/targets/${Y}/company`, annual(3), 'finance');
        await post(`/api/targets/${Y}/assignments`, { nodeKind: 'region', nodeId: 'north', ...annual(3), monthly: months(3) });
        await post(`/api/targets/${Y}/assignments`, { nodeKind: 'team', nodeId: 'north-a', ...annual(3), monthly: months(3) });
        for (const id of Object.values(PEOPLE))
          await post(`/api/targets/${Y}/assignments`, {
            nodeKind: 'salesperson',
            nodeId: id,
            parentId: 'north-a',
            ...annual(1),
            monthly: months(1),
          });
        await post(`/api/targets/${Y}/finalize`, {}, 'finance');
      }
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
      if (scenario === 'rules-first') await defineRules();
    }, 120_000);
    afterAll(async () => {
      await h.running?.close();
    });

    it('records the three past months as they happened (back-dated), each fact with its business date', async () => {
      for (const month of MONTHS) {
        await sell(month, 'olga', 'C1', 110, 11_000_00, 20);
        await sell(month, 'avi', 'C2', 80, 6_000_00, 25);
        await sell(month, 'pete', 'C3', 40, 0, 0);
        await visits(month, 'olga', 'C1', 4);
        await visits(month, 'avi', 'C2', 3);
        await visits(month, 'pete', 'C3', 1);
      }
      await feedback('olga', 'C1', 5, d(M1, 10));
      await feedback('olga', 'C1', 4, d(M1, 20));
      await feedback('avi', 'C2', 4, d(M1, 11));
      await feedback('avi', 'C2', 3, d(M1, 21));
      await feedback('pete', 'C3', 2, d(M1, 12));
      await feedback('olga', 'C1', 5, d(M2, 10));
      await feedback('avi', 'C2', 4, d(M2, 11));
      await feedback('pete', 'C3', 2, d(M2, 12));
      await feedback('olga', 'C1', 4, d(M3, 10));
      await feedback('avi', 'C2', 4, d(M3, 11));
      await feedback('pete', 'C3', 2, d(M3, 12));

      const m1 = [
        await meeting('company', d(M1, 6), { olga: 'attended', avi: 'attended', pete: 5 }),
        await meeting('department', d(M1, 13), { olga: 'attended', avi: 10, pete: 'attended' }),
      ];
      const m2 = [];
      m2.push(await meeting('work_day', d(M2, 4), { olga: 'attended', avi: 7, pete: 12 }));
      m2.push(await meeting('work_day', d(M2, 6), { olga: 'attended', avi: 'attended', pete: 20 }));
      m2.push(await meeting('work_day', d(M2, 11), { olga: 'attended', avi: 'attended', pete: 'attended' }));
      m2.push(await meeting('work_day', d(M2, 13), { olga: 'attended', avi: 'attended', pete: 9 }));
      const m3 = [];
      for (const day of [1, 3, 8, 10, 15]) m3.push(await meeting('work_day', d(M3, day), { olga: 'attended', avi: 'attended', pete: 15 }));
      m2.forEach((m, i) => (meetingIds[`m2-${i}`] = m.id));
      m3.forEach((m, i) => (meetingIds[`m3-${i}`] = m.id));
      const openings = [...m1, ...m2, ...m3].map((m) => m.opened.length);
      // Rules first: the 3rd lateness of M2 (d13), the 3rd of M3 (d8) and the 5th of M3 (d15) each open one case.
      expect(openings).toEqual(scenario === 'rules-first' ? [0, 0, 0, 0, 0, 1, 0, 0, 1, 0, 1] : Array(11).fill(0));

      // The below-floor attempt: an override request, rejected; the manager records a serious violation citing it.
      const cheap = await post('/api/orders', {
        customerId: ids.C3,
        salespersonId: 'sp-pete',
        orderDate: d(M3, 20),
        lines: [{ productId: ids.P1, quantity: 10, unitPrice: 50_00, overrideReason: 'to win the deal' }],
      });
      ids.override = (await get(`/api/orders/${cheap.id}`)).overrides[0].overrideId;
      await post(`/api/price-overrides/${ids.override}/reject`, { reason: 'Below cost' });
      const wrong = await raw('/api/violations', {
        employeeId: 'sp-avi',
        kind: 'unauthorized_price_cut',
        severity: 'serious',
        description: 'x',
        evidence: [{ kind: 'price_override_request', reference: ids.override }],
        occurredOn: d(M3, 20),
      });
      expect([wrong.status, wrong.body.code]).toEqual([422, 'EvidenceOfAnotherEmployee']);
      const violation = await post('/api/violations', {
        employeeId: 'sp-pete',
        kind: 'unauthorized_price_cut',
        severity: 'serious',
        description: 'Offered Widgets below standard cost to win a deal',
        evidence: [{ kind: 'price_override_request', reference: ids.override, note: 'rejected by m-nora' }],
        occurredOn: d(M3, 20),
      });
      ids.violation = violation.id;
      expect(violation.casesOpened).toHaveLength(scenario === 'rules-first' ? 1 : 0);
      if (scenario === 'rules-first') openedByFacts.push(...violation.casesOpened);
    }, 180_000);

    it('judges the past months by the discipline policy: cases name their triggering facts', async () => {
      if (scenario === 'facts-first') {
        await defineRules();
        // The first version covers the back-dating window and re-judges the history already recorded (ADR 0311).
        expect(cases.policy).toHaveLength(4);
      } else {
        expect(openedByFacts).toHaveLength(4);
      }
      const list = (await get('/api/disciplinary-cases?employeeId=sp-pete')).items as any[];
      const byKey = Object.fromEntries(list.map((c) => [c.triggerKey, c]));
      expect(Object.keys(byKey).sort()).toEqual(
        [`late-3-in-month@${M2}`, `late-3-in-month@${M3}`, `late-5-in-month@${M3}`, `serious-violation@${ids.violation}`].sort(),
      );
      expect(byKey[`late-3-in-month@${M2}`]).toMatchObject({
        kind: 'investigation',
        ruleId: 'late-3-in-month',
        policyVersion: 1,
        status: 'open',
        openedOn: d(M2, 13),
        triggeringFacts: [
          { factId: `${meetingIds['m2-0']}/sp-pete`, kind: 'late', occurredOn: d(M2, 4) },
          { factId: `${meetingIds['m2-1']}/sp-pete`, kind: 'late', occurredOn: d(M2, 6) },
          { factId: `${meetingIds['m2-3']}/sp-pete`, kind: 'late', occurredOn: d(M2, 13) },
        ],
      });
      expect(byKey[`late-3-in-month@${M3}`].triggeringFacts.map((f: any) => f.occurredOn)).toEqual([d(M3, 1), d(M3, 3), d(M3, 8)]);
      expect(byKey[`late-5-in-month@${M3}`]).toMatchObject({ kind: 'dismissal_review' });
      expect(byKey[`late-5-in-month@${M3}`].triggeringFacts.map((f: any) => f.occurredOn)).toEqual([
        d(M3, 1),
        d(M3, 3),
        d(M3, 8),
        d(M3, 10),
        d(M3, 15),
      ]);
      expect(byKey[`serious-violation@${ids.violation}`]).toMatchObject({
        kind: 'investigation',
        triggeringFacts: [expect.objectContaining({ factId: ids.violation, occurredOn: d(M3, 20) })],
      });
      ids.m2Case = byKey[`late-3-in-month@${M2}`].caseId;
      ids.dismissalReview = byKey[`late-5-in-month@${M3}`].caseId;
      // Avi was late once in M1 and once in M2: nothing opened.
      expect((await get('/api/disciplinary-cases?employeeId=sp-avi')).items).toEqual([]);
      // Defining the policy again (a second version, same rules) opens nothing twice.
      const v2 = await post('/api/discipline-policies', POLICY);
      expect([v2.version, v2.casesOpened]).toEqual([2, []]);
      expect((await get('/api/disciplinary-cases?employeeId=sp-pete')).items).toHaveLength(4);
    });

    it('the scheme has written standards and is in effect for the past months', async () => {
      const { current, versions } = await get('/api/appraisal-schemes');
      expect(current).toBe(1);
      expect(versions[0].effectiveFrom <= M1first).toBe(true);
      expect(versions[0].items.find((i: { itemId: string }) => i.itemId === 'margin').standardText).toBe(
        'at least 100.00 %: 100 points; at least 80.00 %: 60 points; below 80.00 %: 0 points',
      );
    });

    it('appraises each past month, every item and total as calculated by hand', async () => {
      for (const month of MONTHS) {
        const result = await run(month);
        expect(result).toMatchObject({ period: month, kind: 'monthly', schemeVersion: 1 });
        expect(totals(result)).toEqual(expectedTotals(month, 1, true));
        for (const person of Object.keys(PEOPLE) as Person[]) {
          const doc = await appraisal(person, month);
          expect([person, month, itemsOf(doc)]).toEqual([person, month, EXPECTED[month][person].items]);
          expect(doc).toMatchObject({
            total: EXPECTED[month][person].total,
            outcome: EXPECTED[month][person].outcome,
            revision: 1,
            status: 'scored',
            kind: 'monthly',
          });
          expect(doc.asOf).toBe(addDays(`${addDays(`${month}-28`, 7).slice(0, 7)}-01`, -1));
        }
      }
      // Re-running immediately: same scores, nothing written.
      for (const month of MONTHS) expect(totals(await run(month))).toEqual(expectedTotals(month, 1, false));
      // The current month and the current year have not ended.
      const open = await raw('/api/appraisals/run', { period: today.slice(0, 7), kind: 'monthly' });
      expect([open.status, open.body.code]).toEqual([422, 'PeriodNotClosed']);
      const year = await raw('/api/appraisals/run', { period: today.slice(0, 4), kind: 'year_end' });
      expect([year.status, year.body.code]).toEqual([422, 'PeriodNotClosed']);
    }, 60_000);

    it('reviews M1: a reward for the best, an improvement plan for the worst; acknowledgements', async () => {
      const reward = await post(`/api/appraisals/sp-olga-${M1}/review`, { feedback: 'Outstanding month' });
      expect(reward).toMatchObject({ reward: { kind: 'bonus', amount: 500_00 }, improvementPlanId: null });
      expect(await post(`/api/appraisals/sp-avi-${M1}/review`, { feedback: 'Solid; be on time' })).toMatchObject({
        reward: null,
        improvementPlanId: null,
      });
      const notWarranted = await raw(`/api/appraisals/sp-avi-${M2}/review`, {
        feedback: 'x',
        improvementPlan: { goals: [{ description: 'x' }], deadline: addDays(today, 30) },
      });
      expect([notWarranted.status, notWarranted.body.code]).toEqual([422, 'ImprovementPlanNotWarranted']);
      const noPlan = await raw(`/api/appraisals/sp-pete-${M1}/review`, { feedback: 'Too little' });
      expect([noPlan.status, noPlan.body.code]).toEqual([422, 'ImprovementPlanRequired']);
      const deadline = addDays(today, 30);
      const planned = await post(`/api/appraisals/sp-pete-${M1}/review`, {
        feedback: 'Too little revenue, too late',
        improvementPlan: {
          goals: [{ description: 'Reach 80 % of target', measure: 'target achievement', target: '80 %' }, { description: 'Be on time' }],
          deadline,
        },
      });
      ids.plan = planned.improvementPlanId;
      expect(typeof ids.plan).toBe('string');

      const notMine = await raw(`/api/appraisals/sp-olga-${M1}/acknowledge`, {}, 'avi');
      expect([notMine.status, notMine.body.code]).toEqual([403, 'NotOwnAppraisal']);
      const unreviewed = await raw(`/api/appraisals/sp-olga-${M2}/acknowledge`, {}, 'olga');
      expect([unreviewed.status, unreviewed.body.code]).toEqual([409, 'AppraisalNotReviewed']);
      for (const p of ['olga', 'avi', 'pete'] as Person[])
        await post(`/api/appraisals/${PEOPLE[p]}-${M1}/acknowledge`, { comment: 'Seen' }, p);
      expect(await appraisal('olga', M1)).toMatchObject({
        status: 'acknowledged',
        rewardGranted: { kind: 'bonus', amount: 500_00, grantedOn: today },
      });
      expect((await get('/api/improvement-plans?employeeId=sp-pete')).items).toEqual([
        expect.objectContaining({ planId: ids.plan, status: 'set', deadline, appraisalId: `sp-pete-${M1}`, overdue: null }),
      ]);
      // With the real clock the plan's deadline lies after today (the review is dated today): it cannot be reviewed yet, nor is it overdue.
      const early = await raw(`/api/improvement-plans/${ids.plan}/review`, { outcome: 'not_met', note: 'x' });
      expect([early.status, early.body.code]).toEqual([422, 'PlanReviewBeforeDeadline']);
      expect((await get('/api/improvement-plans?overdue=true')).items).toEqual([]);
    });

    it('closes cases: a warning for M2, dismissal for the M3 review, which ends the assignment', async () => {
      await post(`/api/disciplinary-cases/${ids.m2Case}/close`, { outcome: 'no_fault', note: 'Train strike (decided after the month)' });
      const dismissed = await post(`/api/disciplinary-cases/${ids.dismissalReview}/close`, {
        outcome: 'dismissal',
        note: 'Late every working day',
      });
      expect(dismissed.dismissal).toEqual({ employeeId: 'sp-pete', leftOn: today });
      expect(await get('/api/employees/sp-pete')).toMatchObject({ status: 'left', leftOn: today });
      const again = await raw(`/api/disciplinary-cases/${ids.dismissalReview}/close`, { outcome: 'dismissal', note: 'again' });
      expect([again.status, again.body.code]).toEqual([409, 'CaseAlreadyClosed']);
    });

    it('re-runs the closed months after later events: same scores; back-dated facts revise only unreviewed ones', async () => {
      // Later events, dated after the months: Pete's customer pays, Olga gets a bad score today, the M2 case was
      // cleared as no fault today (after M2's end, so M2 still counts it), Pete was dismissed today.
      await post(`/api/customers/${ids.C3}/payments`, { amount: 4_000_00, receivedOn: today }, 'finance');
      await feedback('olga', 'C1', 1, today);
      // A second scheme version (this month on, weights shifted) does not touch the closed months.
      const v2 = await post('/api/appraisal-schemes', {
        ...SCHEME,
        items: SCHEME.items.map((i) => ({ ...i, weight: i.itemId === 'target' ? 30 : i.itemId === 'discipline' ? 15 : i.weight })),
      });
      expect(v2.version).toBe(2);
      for (const month of MONTHS) {
        const again = await run(month);
        expect(again.schemeVersion).toBe(1);
        expect(totals(again)).toEqual(expectedTotals(month, 1, false));
      }
      expect(itemsOf(await appraisal('pete', M2))).toEqual(EXPECTED[M2].pete.items);

      // Back-dated into unreviewed M3: Avi's feedback 4 and 5 → 450 → 88: 7050 − 750 + 880 = 7180 / 90 = 79.78 → 80, revision 2.
      await feedback('avi', 'C2', 5, d(M3, 20));
      expect(totals(await run(M3))).toEqual({ 'sp-avi': [80, 2, true], 'sp-olga': [97, 1, false], 'sp-pete': [26, 1, false] });
      expect((await appraisal('avi', M3)).revisions.map((r: { total: number }) => r.total)).toEqual([78, 80]);
      // Back-dated into reviewed M1: Avi 4, 3, 5 → 400 → 75: 5430 − 630 + 750 = 5550 / 85 = 65.29 → 65; refused, the score stays 64.
      await feedback('avi', 'C2', 5, d(M1, 27));
      const refused = await run(M1);
      expect(refused.results.find((r: { employeeId: string }) => r.employeeId === 'sp-avi')).toMatchObject({
        scored: false,
        error: { code: 'AppraisalAlreadyReviewed', details: { scoredTotal: 64, rerunTotal: 65 } },
      });
      expect((await appraisal('avi', M1)).total).toBe(64);
      expect(totals({ results: refused.results.filter((r: { employeeId: string }) => r.employeeId !== 'sp-avi') })).toEqual({
        'sp-olga': [99, 1, false],
        'sp-pete': [28, 1, false],
      });
    }, 60_000);

    it('reports ranks, trend, open plans and discipline record; CSV; scorecard', async () => {
      const report = await get(`/api/reports/appraisals?period=${M3}`);
      expect(report.rows.map((r: any) => [r.employeeId, r.appraisal.total, r.rankInTeam, r.rankInRegion, r.teamId])).toEqual([
        ['sp-olga', 97, { rank: 1, of: 3 }, { rank: 1, of: 3 }, 'north-a'],
        ['sp-avi', 80, { rank: 2, of: 3 }, { rank: 2, of: 3 }, 'north-a'],
        ['sp-pete', 26, { rank: 3, of: 3 }, { rank: 3, of: 3 }, 'north-a'],
      ]);
      expect(report.rows[0].trend.slice(3)).toEqual([
        { period: M1, total: 99 },
        { period: M2, total: 100 },
        { period: M3, total: 97 },
      ]);
      expect(report.rows[0].trend.slice(0, 3).map((t: { total: number | null }) => t.total)).toEqual([null, null, null]);
      const csv = await h.running.http.get(`/api/reports/appraisals?period=${M3}&minPosition=${h.position}`, h.tokens.manager, {
        accept: 'text/csv',
      });
      expect(csv.headers.get('content-type')).toContain('text/csv');
      const lines = (csv.body as string).trim().split('\r\n');
      expect(lines).toHaveLength(4);
      const header = lines[0].split(',');
      const row = (i: number) => Object.fromEntries(header.map((col, j) => [col, lines[i].split(',')[j]]));
      expect(row(2)).toMatchObject({
        employeeId: 'sp-avi',
        total: '80',
        revision: '2',
        rankInTeam: '2',
        service_feedbackValue: '450',
        service_feedbackPoints: '88',
        visits_vs_planValue: '',
        visits_vs_planPoints: '',
      });

      const card = await get(`/api/employees/sp-pete/scorecard?period=${M3}`);
      expect(card).toMatchObject({ period: M3, employeeId: 'sp-pete', rankInTeam: { rank: 3, of: 3 } });
      expect(card.openImprovementPlans).toEqual([expect.objectContaining({ planId: ids.plan })]);
      expect(card.trend.slice(3).map((t: { total: number }) => t.total)).toEqual([28, 28, 26]);
      expect(card.discipline.violations).toEqual([
        expect.objectContaining({ kind: 'unauthorized_price_cut', severity: 'serious', occurredOn: d(M3, 20) }),
      ]);
      expect(card.discipline.openCases).toBe(2);
      const own = await get(`/api/employees/sp-olga/scorecard?period=${M1}`, 'olga');
      expect(own.appraisal).toMatchObject({ total: 99, status: 'acknowledged' });
      const other = await h.running.http.get(`/api/employees/sp-olga/scorecard?period=${M1}`, h.tokens.avi);
      expect(other.status).toBe(403);
    });
  });

runScenario('rules-first');
runScenario('facts-first');

/** The issue's "every fact carries its business date, settable within the back-dating window" for the remaining facts. */
/**
 * The year-end probe appraises the previous year, so its December must lie inside the back-dating window. The
 * default 366 days reach back to it on every day but those of December (after the 1st): there this app widens the
 * window just enough (at most 396 days), so the probe runs whatever today is. The other probes hold with either
 * window (the refused business date lies 400 days back).
 */
const PY = +today.slice(0, 4) - 1;
const YEAR_END_WINDOW_DAYS = Math.max(366, daysBetween(`${PY}-12-01`, today));

describe('Issue conformance probes (real clock)', () => {
  const { h, raw, post, start } = harness();
  const from = addDays(today, -200);
  beforeAll(async () => {
    await start({ BACKDATING_WINDOW_DAYS: String(YEAR_END_WINDOW_DAYS) });
    await post('/api/regions', { regionId: 'north', name: 'North', managerId: 'm-nora', establishedOn: from });
    await post('/api/teams', { teamId: 'north-a', regionId: 'north', name: 'North A', managerId: 'm-nora', formedOn: from });
    for (const [name, id] of Object.entries(PEOPLE))
      await post('/api/employees', { employeeId: id, name, teamId: 'north-a', hiredOn: from });
    h.ids.C1 = (
      await post(
        '/api/customers',
        {
          name: 'Customer C1',
          customerGroup: 'retail',
          territory: 'oslo',
          ownerId: 'sp-olga',
          creditLimit: 1_000_000_00,
          paymentTermsDays: 30,
        },
        'finance',
      )
    ).id;
  }, 60_000);
  afterAll(() => h.running?.close());

  it('an absence a manager approved beforehand can be recorded for a past meeting (excused absence of a back-dated month)', async () => {
    await post('/api/discipline-policies', POLICY);
    const { id } = await post('/api/meetings', {
      kind: 'department',
      title: 'Past meeting',
      scheduledFor: d(M2, 14),
      startsAt: '08:30',
      attendees: ['sp-avi', 'sp-olga'],
    });
    // The manager approved Avi's absence before the meeting; the approval is entered now with its own business date.
    const excusal = await raw(`/api/meetings/${id}/excusals`, {
      employeeId: 'sp-avi',
      reason: 'Trade fair, approved on the 10th',
      approvedOn: d(M2, 10),
    });
    expect(excusal.status).toBe(200);
    const late = await raw(`/api/meetings/${id}/excusals`, { employeeId: 'sp-olga', reason: 'Approved on the day', approvedOn: d(M2, 14) });
    expect([late.status, late.body.code]).toEqual([422, 'ExcusalTooLate']);
  });

  it('a future meeting can be excused (its effect on an appraisal cannot be observed with the real clock)', async () => {
    const { id } = await post('/api/meetings', {
      kind: 'department',
      title: 'Next week',
      scheduledFor: addDays(today, 7),
      startsAt: '08:30',
      attendees: ['sp-avi'],
    });
    const excusal = await raw(`/api/meetings/${id}/excusals`, { employeeId: 'sp-avi', reason: 'Trade fair' });
    expect(excusal.status).toBe(200);
    const early = await raw(`/api/meetings/${id}/attendance`, { employeeId: 'sp-avi', status: 'missed' });
    expect([early.status, early.body.code]).toEqual([422, 'AttendanceBeforeMeeting']);
  });

  it('left early counts with late arrivals; an unexcused absence does not count towards lateness', async () => {
    const marks: [number, object][] = [
      [2, { status: 'late', minutesLate: 10 }],
      [3, { status: 'missed' }],
      [4, { status: 'late', minutesLate: 3 }],
      [5, { status: 'left_early', minutesEarly: 30 }],
    ];
    const opened: number[] = [];
    for (const [day, mark] of marks) {
      const { id } = await post('/api/meetings', {
        kind: 'work_day',
        title: `Day ${day}`,
        scheduledFor: d(M1, day),
        startsAt: '08:30',
        attendees: ['sp-olga'],
      });
      opened.push((await post(`/api/meetings/${id}/attendance`, { employeeId: 'sp-olga', ...mark })).casesOpened.length);
    }
    expect(opened).toEqual([0, 0, 0, 1]);
  });

  it('refuses business dates in the future and before the back-dating window', async () => {
    const future = await raw('/api/service-feedback', {
      employeeId: 'sp-olga',
      customerId: h.ids.C1,
      score: 4,
      receivedOn: addDays(today, 1),
    });
    expect(future.status).toBeGreaterThanOrEqual(400);
    const tooOld = await raw('/api/visits', {
      employeeId: 'sp-olga',
      customerId: h.ids.C1,
      visitedOn: addDays(today, -400),
      outcome: 'Visited',
    });
    expect(tooOld.status).toBeGreaterThanOrEqual(400);
    const futureMeetingAttendance = await raw('/api/violations', {
      employeeId: 'sp-olga',
      kind: 'other',
      severity: 'minor',
      description: 'x',
      evidence: [{ kind: 'witness', reference: 'm-nora' }],
      occurredOn: addDays(today, 2),
    });
    expect([
      future.status,
      future.body.code,
      tooOld.status,
      tooOld.body.code,
      futureMeetingAttendance.status,
      futureMeetingAttendance.body.code,
    ]).toEqual([400, 'ValidationFailed', 400, 'ValidationFailed', 400, 'ValidationFailed']);
  });

  it('the sales plan of a past month can be recorded, so visits are measured against it', async () => {
    const plan = await raw(
      '/api/sales-plans',
      { period: M3, customersToVisit: [h.ids.C1], plannedVisits: 4, expectedOrders: [], strategy: 'Visit weekly', submittedOn: d(M3, 1) },
      'olga',
    );
    expect([plan.status, plan.body?.code]).toEqual([201, undefined]);
    const afterTheMonth = await raw(
      '/api/sales-plans',
      { period: M2, customersToVisit: [h.ids.C1], plannedVisits: 4, expectedOrders: [], strategy: 'Too late' },
      'olga',
    );
    expect([afterTheMonth.status, afterTheMonth.body.code]).toEqual([422, 'SalesPlanPeriodClosed']);
  });

  it('an improvement plan can be set with a deadline already passed and reviewed after it (a back-dated month)', async () => {
    // The review and the plan review carry their business dates, so a past month's plan runs its course as it happened.
    const pastDeadline = await raw('/api/appraisal-schemes', SCHEME);
    expect(pastDeadline.status).toBe(201);
    // Pete: one meeting in M2, late → attendance 0 → 0 points; discipline 0 → 100: (0 + 500) / 15 = 33.3 → 33 (improvement plan).
    const { id } = await post('/api/meetings', {
      kind: 'work_day',
      title: 'Work day',
      scheduledFor: d(M2, 2),
      startsAt: '08:30',
      attendees: ['sp-pete'],
    });
    await post(`/api/meetings/${id}/attendance`, { employeeId: 'sp-pete', status: 'late', minutesLate: 5 });
    const runM2 = await post('/api/appraisals/run', { period: M2, kind: 'monthly', employeeIds: ['sp-pete'] });
    expect(runM2.results[0]).toMatchObject({ employeeId: 'sp-pete', scored: true, total: 33, outcome: 'improvement_plan' });
    const review = await raw(`/api/appraisals/sp-pete-${M2}/review`, {
      feedback: 'Late',
      improvementPlan: { goals: [{ description: 'Be on time' }], deadline: d(M3, 28) },
      reviewedOn: d(M3, 2),
    });
    expect([review.status, review.body?.code]).toEqual([200, undefined]);
    const planId = review.body.improvementPlanId;
    const early = await raw(`/api/improvement-plans/${planId}/review`, { outcome: 'met', note: 'early', reviewedOn: d(M3, 20) });
    expect([early.status, early.body.code]).toEqual([422, 'PlanReviewBeforeDeadline']);
    const reviewed = await raw(`/api/improvement-plans/${planId}/review`, {
      outcome: 'not_met',
      note: 'Still late',
      reviewedOn: d(M3, 28),
    });
    expect(reviewed.status).toBe(200);
  });

  it("a past month's lateness case cleared as no fault BEFORE the month is first appraised (observed behaviour; see report)", async () => {
    // Olga in M1 (probe app): late d2, missed d3, late d4, left early d5 → attendance 0/4 → 0 points; one case (crossed d5).
    // Nothing else is measurable (no targets this year here, no feedback, no plan, nobody bought).
    // The case can only be opened today and closed today (closedOn ≥ openedOn), i.e. after M1's end, so its
    // no-fault outcome never counts for M1: discipline 1 → 40: (0 × 10 + 40 × 5) / 15 = 13.3 → 13.
    // (Had the outcome counted: discipline 0 → 100: 500 / 15 = 33.3 → 33.)
    const [c] = (await h.running.http.get(`/api/disciplinary-cases?employeeId=sp-olga&minPosition=${h.position}`, h.tokens.manager)).body
      .items;
    await post(`/api/disciplinary-cases/${c.caseId}/close`, { outcome: 'no_fault', note: 'Roadworks; not her fault' });
    const run = await post('/api/appraisals/run', { period: M1, kind: 'monthly', employeeIds: ['sp-olga'] });
    expect(run.results).toEqual([expect.objectContaining({ employeeId: 'sp-olga', total: 13 })]);
    const doc = (await h.running.http.get(`/api/appraisals/sp-olga-${M1}?minPosition=${h.position}`, h.tokens.manager)).body;
    expect(doc.inputs).toMatchObject({ attendance: 0, discipline: 1, target_achievement: null, service_feedback: null });
  });

  /**
   * Year-end of the previous year (its December inside this app's back-dating window, see YEAR_END_WINDOW_DAYS).
   * Region south / team south-a / sp-yara from PY-12-01. Targets PY: annual 120 000.00 (10 000.00 a month).
   * December: P1×150 = 15 000.00 (margin 6 000.00), invoiced and paid in full in December; feedback 5; one meeting on time.
   * Monthly December: target 15000 → 100, margin 15000 → 100, cash 10000 → 100, visits null, service 500 → 100,
   *   retention null (nothing bought in November), attendance 10000 → 100, discipline 0 → 100 → 8500 / 85 = 100 (reward).
   * Year-end: year achievement 15 000.00 / 120 000.00 = 1250 bp → linear 12.5 → 13 points;
   *   n = 1 month: (13 × 6000 × 1 + 100 × 4000) / (10000 × 1) = 47.8 → 48 (improvement plan).
   */
  it('a year-end appraisal weighs the year’s target achievement and the monthly results', async () => {
    const start = `${PY}-12-01`;
    await post('/api/regions', { regionId: 'south', name: 'South', managerId: 'm-nora', establishedOn: start });
    await post('/api/teams', { teamId: 'south-a', regionId: 'south', name: 'South A', managerId: 'm-nora', formedOn: start });
    await post('/api/employees', { employeeId: 'sp-yara', name: 'Yara', teamId: 'south-a', hiredOn: start });
    h.tokens.yara = await tokenFor(h.running.http, 'sp-yara', 'salesperson');
    const annual = { revenue: 120_000_00, quantity: 1_200, grossMargin: 48_000_00, expenseBudget: 12_000_00 };
    const monthly = {
      kind: 'explicit',
      months: Array.from({ length: 12 }, () => ({ revenue: 10_000_00, quantity: 100, grossMargin: 4_000_00 })),
    };
    await post(`/api/targets/${PY}/company`, annual, 'finance');
    await post(`/api/targets/${PY}/assignments`, { nodeKind: 'region', nodeId: 'south', ...annual, monthly });
    await post(`/api/targets/${PY}/assignments`, { nodeKind: 'team', nodeId: 'south-a', ...annual, monthly });
    await post(`/api/targets/${PY}/assignments`, { nodeKind: 'salesperson', nodeId: 'sp-yara', parentId: 'south-a', ...annual, monthly });
    await post(`/api/targets/${PY}/finalize`, {}, 'finance');
    const customer = (
      await post(
        '/api/customers',
        {
          name: 'Customer Y',
          customerGroup: 'retail',
          territory: 'bergen',
          ownerId: 'sp-yara',
          creditLimit: 1_000_000_00,
          paymentTermsDays: 30,
        },
        'finance',
      )
    ).id;
    const product = (await post('/api/products', { sku: 'P-200', name: 'Gadget', unit: 'pcs', listPrice: 100_00, standardCost: 60_00 })).id;
    const order = await post('/api/orders', {
      customerId: customer,
      salespersonId: 'sp-yara',
      orderDate: `${PY}-12-03`,
      lines: [{ productId: product, quantity: 150 }],
    });
    await post(`/api/orders/${order.id}/deliveries`, {
      billOfLading: 'BOL-Y',
      carrier: 'DHL',
      deliveryDate: `${PY}-12-04`,
      lines: [{ lineId: 'L1', quantity: 150 }],
    });
    const invoice = await post(`/api/orders/${order.id}/invoices`, { invoiceDate: `${PY}-12-05` }, 'finance');
    for (let i = 0; i < 400; i++) {
      const account = await h.running.http.get(`/api/receivables/${customer}`, h.tokens.finance);
      if (account.status === 200 && JSON.stringify(account.body).includes(invoice.invoiceId)) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    await post(`/api/customers/${customer}/payments`, { amount: 15_000_00, receivedOn: `${PY}-12-20` }, 'finance');
    await post('/api/service-feedback', { employeeId: 'sp-yara', customerId: customer, score: 5, receivedOn: `${PY}-12-10` });
    const { id } = await post('/api/meetings', {
      kind: 'company',
      title: 'Year kick-off',
      scheduledFor: `${PY}-12-08`,
      startsAt: '09:00',
      attendees: ['sp-yara'],
    });
    await post(`/api/meetings/${id}/attendance`, { employeeId: 'sp-yara', status: 'attended' });

    const dec = await post('/api/appraisals/run', { period: `${PY}-12`, kind: 'monthly', employeeIds: ['sp-yara'] });
    expect(dec.results).toEqual([expect.objectContaining({ employeeId: 'sp-yara', total: 100, outcome: 'reward', revision: 1 })]);
    const year = await post('/api/appraisals/run', { period: String(PY), kind: 'year_end', employeeIds: ['sp-yara'] });
    expect(year.results).toEqual([expect.objectContaining({ employeeId: 'sp-yara', total: 48, outcome: 'improvement_plan', revision: 1 })]);
    const doc = (await h.running.http.get(`/api/appraisals/sp-yara-${PY}?minPosition=${h.position}`, h.tokens.manager)).body;
    expect(doc).toMatchObject({ kind: 'year_end', inputs: { target_achievement: 1250 } });
    expect(doc.yearEnd).toEqual({
      yearAchievementPoints: 13,
      monthlyTotals: [{ period: `${PY}-12`, total: 100 }],
      monthlyAverage: 100,
      total: 48,
    });
    const again = await post('/api/appraisals/run', { period: String(PY), kind: 'year_end', employeeIds: ['sp-yara'] });
    expect(again.results).toEqual([expect.objectContaining({ total: 48, revision: 1, changed: false })]);
  }, 60_000);
});
