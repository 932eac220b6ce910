import { RunningApp, startInProcessApp, tokenFor } from './support/in-process-app';
import { callsAs } from './support/scenario';

/**
 * A sales director's own standards, end to end over HTTP (ADR 0313, 0212, 0213): a scripted sales team's February
 * is appraised with a scheme written from the director's words — raw attendance counts, booked achievement, visits —
 * and every item, total and rank is compared with a hand calculation; every drill-down is summed.
 *
 * Organization (set up in January 2026, faked clock): region north (north-a: Ana, Ben; north-b: Cleo), region south
 * (south-a: Dan, Eve). Ben moves from north-a to north-b on 16 February.
 * Targets 2026 (even months, only revenue given — quantity, margin and budget derived from the parent's ratios):
 * company 600 000.00 / 6 000 units / margin 240 000.00 / budget 60 000.00; each salesperson 120 000.00 a year →
 * 10 000.00 a month.
 * Standards ("2026-v1"):
 *   Punctuality (30): "late arrivals, early departures and absences in the month: 0 → 100 points, 1–2 → 70, 3–4 → 40, 5 or more → 0"
 *   Booked sales (50): orders booked against the month's target, from 50 % (0 points) to 120 % (100 points), in proportion, capped
 *   Visits (20): customer visits in the month: 8 or more → 100, 6–7 → 75, 4–5 → 50, 1–3 → 20, none → 0
 *   Reward (bonus 300.00) at 85 or more; improvement plan below 50, due 60 days after the review.
 * February (P1 at 100.00):
 *   Ana  booked 12 000.00 → 120.00 % → 100; on time every day → 0 → 100; 8 visits → 100        → 10000 / 100 = 100
 *   Ben  booked 5 000.00 (10 Feb, north-a) + 4 000.00 (20 Feb, north-b) → 90.00 % → 57.14 → 57;
 *        late once, left early once → 2 → 70; 6 visits → 75                                    → 6450 / 100 = 64.5 → 65
 *   Cleo booked 9 500.00 → 95.00 % → 64.29 → 64; late 3 times + an unexcused absence → 4 → 40; 4 visits → 50 → 5400 → 54
 *   Dan  booked 8 300.00 → 83.00 % → 47.14 → 47; late once, an absence excused beforehand (not counted) → 1 → 70;
 *        9 visits → 100                                                                          → 6450 → 65 (tied with Ben)
 *   Eve  booked 9 000.00 → 57; late every working day → 5 → 0; 1 visit → 20                     → 3250 → 32.5 → 33
 * Ranks (standard competition): company Ana 1, Ben 2, Dan 2, Cleo 4, Eve 5 of 5.
 */
jest.setTimeout(120_000); // many writes per step; the machine is shared

describe('Appraisal with a director’s scheme: raw attendance counts, booked achievement, visits — and drill-downs that add up', () => {
  let running: RunningApp;
  const tokens: Record<string, string> = {};
  const customers: Record<string, string> = {};
  let product = '';
  const http = () => running.http;
  const at = (date: string) => jest.setSystemTime(new Date(`${date}T10:00:00.000Z`));
  const { ok, post, get } = callsAs(http, tokens);

  const PEOPLE = { ana: 'sp-ana', ben: 'sp-ben', cleo: 'sp-cleo', dan: 'sp-dan', eve: 'sp-eve' } as const;
  type Person = keyof typeof PEOPLE;
  const TEAM: Record<Person, string> = { ana: 'north-a', ben: 'north-a', cleo: 'north-b', dan: 'south-a', eve: 'south-a' };
  const bands = (...b: [number, number][]) => ({ kind: 'bands', bands: b.map(([atLeast, points]) => ({ atLeast, points })) });
  const SCHEME = {
    name: '2026-v1',
    improvementPlanDeadlineDays: 60,
    items: [
      {
        itemId: 'punctuality',
        name: 'Punctuality',
        weight: 30,
        measure: { kind: 'attendance_count', kinds: ['late', 'left_early', 'absent'] },
        standard: bands([0, 100], [1, 70], [3, 40], [5, 0]),
      },
      {
        itemId: 'booked',
        name: 'Booked sales',
        weight: 50,
        measure: { kind: 'target_achievement', basis: 'booked' },
        standard: { kind: 'linear', from: 5000, to: 12000, pointsAtFrom: 0, pointsAtTo: 100, capped: true },
      },
      // A measure without parameters may be named by its kind alone.
      {
        itemId: 'visits',
        name: 'Customer visits',
        weight: 20,
        measure: 'visit_count',
        standard: bands([1, 20], [4, 50], [6, 75], [8, 100]),
      },
    ],
    rewardAtOrAbove: 85,
    improvementPlanBelow: 50,
    reward: { kind: 'bonus', amount: 300_00 },
    yearEnd: { yearAchievementWeightBp: 0, monthlyAverageWeightBp: 10000 },
  };
  /** Each item as [itemId, value, points]. */
  const itemsOf = (doc: { items: { itemId: string; value: number | null; points: number | null }[] }) =>
    doc.items.map((i) => [i.itemId, i.value, i.points]);
  const HAND: Record<Person, { items: [string, number, number][]; total: number }> = {
    ana: {
      items: [
        ['punctuality', 0, 100],
        ['booked', 12000, 100],
        ['visits', 8, 100],
      ],
      total: 100,
    },
    ben: {
      items: [
        ['punctuality', 2, 70],
        ['booked', 9000, 57],
        ['visits', 6, 75],
      ],
      total: 65,
    },
    cleo: {
      items: [
        ['punctuality', 4, 40],
        ['booked', 9500, 64],
        ['visits', 4, 50],
      ],
      total: 54,
    },
    dan: {
      items: [
        ['punctuality', 1, 70],
        ['booked', 8300, 47],
        ['visits', 9, 100],
      ],
      total: 65,
    },
    eve: {
      items: [
        ['punctuality', 5, 0],
        ['booked', 9000, 57],
        ['visits', 1, 20],
      ],
      total: 33,
    },
  };

  const order = (person: Person, orderDate: string, quantity: number) =>
    post('/api/orders', {
      customerId: customers[person],
      salespersonId: PEOPLE[person],
      orderDate,
      lines: [{ productId: product, quantity }],
    });
  const visits = async (person: Person, count: number, firstDay = 2) => {
    for (let i = 0; i < count; i++)
      await post('/api/visits', {
        employeeId: PEOPLE[person],
        customerId: customers[person],
        visitedOn: `2026-02-${String(firstDay + i).padStart(2, '0')}`,
        outcome: 'Visited',
      });
  };
  type Mark = 'attended' | 'late' | 'left_early' | 'missed';
  const meeting = async (kind: string, scheduledFor: string, marks: Partial<Record<Person, Mark>>, excused: Person[] = []) => {
    const attendees = (Object.keys(marks) as Person[]).map((p) => PEOPLE[p]);
    const { id } = await post('/api/meetings', { kind, title: `${kind} ${scheduledFor}`, scheduledFor, startsAt: '08:30', attendees });
    for (const person of excused)
      await post(`/api/meetings/${id}/excusals`, { employeeId: PEOPLE[person], reason: 'Trade fair, approved', approvedOn: '2026-02-01' });
    for (const [person, status] of Object.entries(marks) as [Person, Mark][]) {
      const body = status === 'late' ? { status, minutesLate: 12 } : status === 'left_early' ? { status, minutesEarly: 30 } : { status };
      await post(`/api/meetings/${id}/attendance`, { employeeId: PEOPLE[person], ...body });
    }
  };

  beforeAll(async () => {
    jest.useFakeTimers({
      now: new Date('2026-01-05T09:00:00.000Z'),
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
    running = await startInProcessApp();
    tokens.manager = await tokenFor(running.http, 'm-nora', 'sales_manager');
    tokens.finance = await tokenFor(running.http, 'fiona', 'finance');
    tokens.analyst = await tokenFor(running.http, 'alex', 'analyst');
    for (const [name, id] of Object.entries(PEOPLE)) tokens[name] = await tokenFor(running.http, id, 'salesperson');

    const from = '2026-01-05';
    await post('/api/regions', { regionId: 'north', name: 'North', managerId: 'm-nora', establishedOn: from });
    await post('/api/regions', { regionId: 'south', name: 'South', managerId: 'm-nora', establishedOn: from });
    for (const [teamId, regionId] of [
      ['north-a', 'north'],
      ['north-b', 'north'],
      ['south-a', 'south'],
    ])
      await post('/api/teams', { teamId, regionId, name: teamId, managerId: 'm-nora', formedOn: from });
    for (const [name, id] of Object.entries(PEOPLE) as [Person, string][])
      await post('/api/employees', { employeeId: id, name, teamId: TEAM[name], hiredOn: from });

    // Targets: only revenue below the company, even months; quantity, margin and budget follow the parent's ratios.
    await post(
      '/api/targets/2026/company',
      { revenue: 600_000_00, quantity: 6_000, grossMargin: 240_000_00, expenseBudget: 60_000_00 },
      'finance',
    );
    const even = { kind: 'even' };
    await post('/api/targets/2026/assignments', { nodeKind: 'region', nodeId: 'north', revenue: 360_000_00, monthly: even });
    await post('/api/targets/2026/assignments', { nodeKind: 'region', nodeId: 'south', revenue: 240_000_00, monthly: even });
    await post('/api/targets/2026/assignments', {
      nodeKind: 'team',
      nodeId: 'north-a',
      parentId: 'north',
      revenue: 240_000_00,
      monthly: even,
    });
    await post('/api/targets/2026/assignments', {
      nodeKind: 'team',
      nodeId: 'north-b',
      parentId: 'north',
      revenue: 120_000_00,
      monthly: even,
    });
    await post('/api/targets/2026/assignments', {
      nodeKind: 'team',
      nodeId: 'south-a',
      parentId: 'south',
      revenue: 240_000_00,
      monthly: even,
    });
    for (const [name, id] of Object.entries(PEOPLE) as [Person, string][])
      await post('/api/targets/2026/assignments', {
        nodeKind: 'salesperson',
        nodeId: id,
        parentId: TEAM[name],
        revenue: 120_000_00,
        monthly: even,
      });
    await post('/api/targets/2026/finalize', {});

    for (const name of Object.keys(PEOPLE) as Person[])
      customers[name] = (
        await post(
          '/api/customers',
          {
            name: `Customer of ${name}`,
            customerGroup: 'retail',
            territory: 'oslo',
            ownerId: PEOPLE[name],
            creditLimit: 10_000_000_00,
            paymentTermsDays: 60,
          },
          'finance',
        )
      ).id;
    product = (await post('/api/products', { sku: 'P-1', name: 'Widget', unit: 'pcs', listPrice: 100_00, standardCost: 60_00 })).id;
    await post('/api/discipline-policies', {
      rules: [
        {
          ruleId: 'late-3-in-month',
          when: { kind: 'lateness_count', window: 'calendar_month', countsAs: ['late', 'left_early'], atLeast: 3 },
          opens: 'investigation',
        },
      ],
    });
    // Ben moves to north-b from 16 February (dated ahead).
    await post(`/api/employees/${PEOPLE.ben}/transfer`, { toTeamId: 'north-b', effectiveOn: '2026-02-16' });
  }, 180_000);
  afterAll(async () => {
    await running?.close();
    jest.useRealTimers();
  });

  it('lists the measures a scheme may use, with what each counts, from which events, as of when', async () => {
    const { items } = await get('/api/appraisal-measures', 'ana');
    const attendance = items.find((m: { kind: string }) => m.kind === 'attendance_count');
    expect(attendance).toMatchObject({
      unit: 'count',
      asOf: expect.stringContaining('period end'),
      fromEvents: expect.arrayContaining(['AttendanceRecorded', 'MeetingMissed']),
    });
    expect(attendance.parameters.map((p: { name: string; default: string }) => [p.name, p.default])).toEqual([
      ['kinds', 'all'],
      ['excusedAbsences', 'excluded'],
      ['meetingKinds', 'all'],
    ]);
    expect(items.map((m: { kind: string }) => m.kind)).toEqual(
      expect.arrayContaining([
        'target_achievement',
        'gross_margin_achievement',
        'cash_collection',
        'visits_vs_plan',
        'service_feedback',
        'retention',
        'violation_count',
        'disciplinary_case_count',
      ]),
    );
    expect(items.find((m: { kind: string }) => m.kind === 'target_achievement').parameters[0]).toMatchObject({
      name: 'basis',
      values: ['booked', 'delivered', 'invoiced', 'collected'],
    });
  });

  it('defines the scheme from the director’s words: the measure and the standard in words, the plan deadline and reward rule', async () => {
    const bad = await http().post(
      '/api/appraisal-schemes',
      { ...SCHEME, items: [{ ...SCHEME.items[0], weight: 100, measure: { kind: 'attendance_count', kinds: ['asleep'] } }] },
      tokens.manager,
    );
    expect([bad.status, bad.body.errors?.[0]?.field]).toEqual([400, 'items.0.measure.kinds']);
    const wrongParameter = await http().post(
      '/api/appraisal-schemes',
      { ...SCHEME, items: [{ ...SCHEME.items[0], weight: 100, measure: { kind: 'retention', basis: 'booked' } }] },
      tokens.manager,
    );
    expect([wrongParameter.status, wrongParameter.body.code]).toEqual([422, 'InvalidMeasure']);
    expect(await post('/api/appraisal-schemes', SCHEME)).toMatchObject({ version: 1, name: '2026-v1' });
    const { versions } = await get('/api/appraisal-schemes', 'ana');
    const [v1] = versions;
    expect(v1).toMatchObject({ version: 1, name: '2026-v1', improvementPlanDeadlineDays: 60 });
    expect(v1.items[0].writtenStandard).toBe(
      'Punctuality: late arrivals, early departures and absences at meetings and working days in the period, counted (absences excused beforehand not counted); ' +
        '0: 100 points; 1 to 2: 70 points; 3 to 4: 40 points; 5 or more: 0 points.',
    );
    expect(v1.items[1].measureText).toBe('orders booked in the period against the period’s revenue target, as a percentage');
    expect(v1.items[2].standardText).toBe(
      'below 1: 0 points; 1 to 3: 20 points; 4 to 5: 50 points; 6 to 7: 75 points; 8 or more: 100 points',
    );
    expect(v1.description.at(-2)).toBe(
      'A total of 85 points or more earns bonus of 300.00, granted at the review; below 50 points the review sets an improvement plan due 60 days after the review.',
    );
  });

  it('derives targets from the parent and spreads them evenly: exact integer months', async () => {
    const plan = await get('/api/targets/2026');
    const text = JSON.stringify(plan);
    expect(text).toContain('"nodeId":"north-a"');
    const progress = await get('/api/reports/sales-progress?period=2026-02&level=salesperson', 'analyst');
    const ana = progress.rows.find((r: { nodeId: string }) => r.nodeId === PEOPLE.ana);
    // 120 000.00 × 6 000 / 600 000.00 = 1 200 units, margin 40 % = 48 000.00, budget 12 000.00 a year; even months.
    expect(ana.target).toEqual({ revenue: 10_000_00, quantity: 100, grossMargin: 4_000_00, expenseBudget: 1_000_00 });
  });

  it('February: every item, total and rank as calculated by hand; the run names cases opened and implied outcomes', async () => {
    at('2026-02-27');
    await order('ana', '2026-02-03', 120);
    await order('ben', '2026-02-10', 50);
    await order('ben', '2026-02-20', 40);
    await order('cleo', '2026-02-12', 95);
    await order('dan', '2026-02-05', 83);
    await order('eve', '2026-02-06', 90);
    await visits('ana', 8);
    await visits('ben', 6);
    await visits('cleo', 4);
    await visits('dan', 9);
    await visits('eve', 1);
    await meeting('work_day', '2026-02-02', { ana: 'attended', ben: 'late', cleo: 'late', dan: 'attended', eve: 'late' });
    await meeting('work_day', '2026-02-03', { ana: 'attended', ben: 'attended', cleo: 'late', dan: 'late', eve: 'late' });
    await meeting('work_day', '2026-02-04', { ana: 'attended', ben: 'left_early', cleo: 'late', dan: 'attended', eve: 'late' });
    await meeting('work_day', '2026-02-05', { ana: 'attended', ben: 'attended', cleo: 'attended', dan: 'missed', eve: 'late' }, ['dan']);
    await meeting('work_day', '2026-02-06', { ana: 'attended', ben: 'attended', cleo: 'attended', dan: 'attended', eve: 'late' });
    await meeting('department', '2026-02-11', { ana: 'attended', ben: 'attended', cleo: 'missed', dan: 'attended', eve: 'attended' });

    at('2026-03-02');
    const run = await post('/api/appraisals/run', { period: '2026-02', kind: 'monthly' });
    expect(run).toMatchObject({ period: '2026-02', schemeVersion: 1, schemeName: '2026-v1' });
    const result = (p: Person) => run.results.find((r: { employeeId: string }) => r.employeeId === PEOPLE[p]);
    for (const person of Object.keys(PEOPLE) as Person[]) {
      expect([person, result(person).total]).toEqual([person, HAND[person].total]);
      const doc = await get(`/api/appraisals/${PEOPLE[person]}-2026-02`);
      expect([person, itemsOf(doc)]).toEqual([person, HAND[person].items]);
    }
    expect(result('ana').implied).toMatchObject({ outcome: 'reward', reward: { kind: 'bonus', amount: 300_00 } });
    expect(result('eve').implied).toMatchObject({ outcome: 'improvement_plan', improvementPlan: { deadlineDaysAfterReview: 60 } });
    expect(result('ben').implied).toMatchObject({ outcome: 'none', reward: null, improvementPlan: null });
    expect(result('cleo').casesOpened).toEqual([
      expect.objectContaining({ kind: 'investigation', ruleId: 'late-3-in-month', reachedOn: '2026-02-04', standing: 'open' }),
    ]);
    expect(result('eve').casesOpened).toEqual([
      expect.objectContaining({ kind: 'investigation', ruleId: 'late-3-in-month', reachedOn: '2026-02-04' }),
    ]);
    expect(result('ana').casesOpened).toEqual([]);

    const report = await get('/api/reports/appraisals?period=2026-02');
    expect(report.ranking).toContain('1, 2, 2, 4');
    const ranks = Object.fromEntries(
      report.rows.map((r: any) => [
        r.employeeId,
        [r.appraisal.total, r.teamId, r.rankInTeam, r.rankInRegion, r.rankInCompany, r.ties.company],
      ]),
    );
    expect(ranks).toEqual({
      'sp-ana': [100, 'north-a', { rank: 1, of: 1 }, { rank: 1, of: 3 }, { rank: 1, of: 5 }, []],
      'sp-ben': [65, 'north-b', { rank: 1, of: 2 }, { rank: 2, of: 3 }, { rank: 2, of: 5 }, ['sp-dan']],
      'sp-dan': [65, 'south-a', { rank: 1, of: 2 }, { rank: 1, of: 2 }, { rank: 2, of: 5 }, ['sp-ben']],
      'sp-cleo': [54, 'north-b', { rank: 2, of: 2 }, { rank: 3, of: 3 }, { rank: 4, of: 5 }, []],
      'sp-eve': [33, 'south-a', { rank: 2, of: 2 }, { rank: 2, of: 2 }, { rank: 5, of: 5 }, []],
    });

    // The booked achievement scored is the sales-progress report's, on the booked basis, for each salesperson's own target.
    const booked = await get('/api/reports/sales-progress?period=2026-02&level=salesperson&basis=booked', 'analyst');
    for (const person of Object.keys(PEOPLE) as Person[])
      expect([person, booked.rows.find((r: { nodeId: string }) => r.nodeId === PEOPLE[person]).achievementBp.revenue]).toEqual([
        person,
        HAND[person].items[1][1],
      ]);

    // The scorecard shows what was counted, in words; internal fields stay out unless asked for.
    const card = await get(`/api/employees/${PEOPLE.cleo}/scorecard?period=2026-02`, 'cleo');
    expect(card.appraisal.items[0]).toMatchObject({
      name: 'Punctuality',
      value: 4,
      points: 40,
      writtenStandard: expect.stringContaining('late arrivals, early departures'),
    });
    expect(card.rankInCompany).toEqual({ rank: 4, of: 5 });
    expect(card.appraisal).not.toHaveProperty('_position');
    expect(await get(`/api/appraisals/${PEOPLE.cleo}-2026-02?internal=true`)).toHaveProperty('_position');
  });

  it('reviews with the scheme’s deadline; a re-run says what changed item by item, and a reviewed one is refused with the item difference', async () => {
    const eve = await post(`/api/appraisals/${PEOPLE.eve}-2026-02/review`, {
      feedback: 'Be on time',
      improvementPlan: { goals: [{ description: 'No late arrival in March' }] },
    });
    expect((await get(`/api/improvement-plans?employeeId=${PEOPLE.eve}`)).items).toEqual([
      expect.objectContaining({ planId: eve.improvementPlanId, deadline: '2026-05-01' }),
    ]);
    expect((await post(`/api/appraisals/${PEOPLE.ana}-2026-02/review`, { feedback: 'Excellent' })).reward).toEqual({
      kind: 'bonus',
      amount: 300_00,
    });

    at('2026-03-03');
    await post('/api/visits', { employeeId: PEOPLE.ben, customerId: customers.ben, visitedOn: '2026-02-25', outcome: 'Late entry' });
    await post('/api/visits', { employeeId: PEOPLE.ben, customerId: customers.ben, visitedOn: '2026-02-26', outcome: 'Late entry' });
    await meeting('work_day', '2026-02-26', { ana: 'late' });
    const rerun = await post('/api/appraisals/run', { period: '2026-02', kind: 'monthly' });
    const ben = rerun.results.find((r: { employeeId: string }) => r.employeeId === PEOPLE.ben);
    // Ben: 8 visits → 100 points: (2100 + 2850 + 2000) / 100 = 69.5 → 70, revision 2.
    expect(ben).toMatchObject({
      scored: true,
      total: 70,
      revision: 2,
      changed: true,
      changes: [{ itemId: 'visits', source: 'visit_count', before: { value: 6, points: 75 }, after: { value: 8, points: 100 } }],
    });
    const ana = rerun.results.find((r: { employeeId: string }) => r.employeeId === PEOPLE.ana);
    expect(ana).toMatchObject({
      scored: false,
      error: {
        code: 'AppraisalAlreadyReviewed',
        details: {
          scoredTotal: 100,
          rerunTotal: 91,
          changes: [{ itemId: 'punctuality', before: { value: 0, points: 100 }, after: { value: 1, points: 70 } }],
        },
      },
    });
    expect(rerun.results.find((r: { employeeId: string }) => r.employeeId === PEOPLE.cleo)).toMatchObject({ changed: false, changes: [] });
  });

  it('every drill-down adds up: children show only what was credited to their parent, with their share of the target', async () => {
    const drill = (level: string, id: string, period: string) =>
      get(`/api/reports/sales-progress/${level}/${id}?period=${period}`, 'analyst');
    const FIGURES = ['ordersBooked', 'revenueDelivered', 'revenueInvoiced', 'cashCollected', 'revenue', 'quantity', 'grossMargin'] as const;
    for (const period of ['2026-02', '2026-Q1', '2026'])
      for (const [level, id] of [
        ['company', 'company'],
        ['region', 'north'],
        ['region', 'south'],
        ['team', 'north-a'],
        ['team', 'north-b'],
        ['team', 'south-a'],
      ]) {
        const { row, children } = await drill(level, id, period);
        for (const figure of FIGURES) {
          const sum = children.reduce((s: number, c: { actual: Record<string, number> }) => s + c.actual[figure], 0);
          expect([period, id, figure, sum]).toEqual([period, id, figure, row.actual[figure]]);
        }
        const expenses = children.reduce((s: number, c: { expenses: { actual: number } }) => s + c.expenses.actual, 0);
        expect([period, id, 'expenses', expenses]).toEqual([period, id, 'expenses', row.expenses.actual]);
        const visitsSum = children.reduce((s: number, c: { visits: { actual: number } }) => s + c.visits.actual, 0);
        expect([period, id, 'visits', visitsSum]).toEqual([period, id, 'visits', row.visits.actual]);
        // The plan is balanced and even: the children's shares of the target add up to the parent's target.
        for (const measure of ['revenue', 'quantity', 'grossMargin', 'expenseBudget']) {
          const targets = children.reduce((s: number, c: { target: Record<string, number> | null }) => s + (c.target?.[measure] ?? 0), 0);
          expect([period, id, measure, targets]).toEqual([period, id, measure, row.target[measure]]);
        }
      }
    // February, north-a: Ana 12 000.00 and Ben's 5 000.00 booked before his move on the 16th. His February target
    // (10 000.00) follows him by days, without a revision (ADR 0215): 15 of 28 in north-a → 5 357.14 (largest
    // remainder), 13 in north-b → 4 642.86; the teams' targets move with it and still add up to the region's.
    const northA = await drill('team', 'north-a', '2026-02');
    expect(northA.children.map((c: any) => [c.nodeId, c.actual.ordersBooked, c.target.revenue])).toEqual([
      ['sp-ana', 12_000_00, 10_000_00],
      ['sp-ben', 5_000_00, 5_357_14],
    ]);
    expect(northA.row.target.revenue).toBe(15_357_14);
    const northB = await drill('team', 'north-b', '2026-02');
    expect(northB.children.map((c: any) => [c.nodeId, c.actual.ordersBooked, c.target.revenue])).toEqual([
      ['sp-ben', 4_000_00, 4_642_86],
      ['sp-cleo', 9_500_00, 10_000_00],
    ]);
    expect(northB.row.target.revenue).toBe(14_642_86);
    // From March Ben's whole month is north-b's.
    const northBMarch = await drill('team', 'north-b', '2026-03');
    expect(northBMarch.children.map((c: any) => [c.nodeId, c.target.revenue])).toEqual([
      ['sp-ben', 10_000_00],
      ['sp-cleo', 10_000_00],
    ]);
    const north = await drill('region', 'north', '2026-02');
    expect(north.children.map((c: any) => [c.nodeId, c.actual.ordersBooked])).toEqual([
      ['north-a', 17_000_00],
      ['north-b', 13_500_00],
    ]);
    expect(north.row.actual.ordersBooked).toBe(30_500_00);
  });

  it('documents valid examples: the monthly percent example adds up to 10000 bp', async () => {
    const doc = await ok(http().get('/docs-json', tokens.manager));
    const bp = doc.components.schemas.MonthlyDistributionBody.properties.bp.example;
    expect(bp.reduce((a: number, b: number) => a + b, 0)).toBe(10_000);
    // The scheme body built from the documented examples is accepted as it stands (only dated after version 1).
    const exampleOf = (schema: any): unknown => {
      if (schema.example !== undefined) return schema.example;
      if (schema.$ref) return exampleOf(doc.components.schemas[schema.$ref.split('/').pop()]);
      if (schema.allOf) return Object.assign({}, ...schema.allOf.map(exampleOf));
      if (schema.properties)
        return Object.fromEntries(
          Object.entries(schema.properties).flatMap(([k, v]) => (exampleOf(v) === undefined ? [] : [[k, exampleOf(v)]])),
        );
      return undefined;
    };
    const example = exampleOf(doc.components.schemas.DefineAppraisalSchemeBody) as Record<string, unknown>;
    expect(await post('/api/appraisal-schemes', { ...example, effectiveFrom: '2026-04-01' })).toMatchObject({ version: 2 });
  });
});
