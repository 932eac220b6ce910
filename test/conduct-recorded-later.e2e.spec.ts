import { addDays } from '@salesline/shared-kernel';
import { RunningApp, startInProcessApp, tokenFor } from './support/in-process-app';

/**
 * With the real clock, as a company would start: last month's facts are entered after the fact
 * (back-dated), the policy and the scheme are defined afterwards without dates, and last month
 * is still judged and appraised by them (ADR 0311).
 */
describe('Last month recorded after the fact, with the real clock', () => {
  let app: RunningApp;
  let manager: string;
  const today = new Date().toISOString().slice(0, 10);
  const firstOfThisMonth = `${today.slice(0, 7)}-01`;
  const lastMonthEnd = addDays(firstOfThisMonth, -1);
  const lastMonth = lastMonthEnd.slice(0, 7);
  const day = (n: number) => `${lastMonth}-${String(n).padStart(2, '0')}`;
  const post = async (path: string, body: unknown) => {
    const res = await app.http.post(path, body, manager);
    if (res.status >= 300) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };

  beforeAll(async () => {
    app = await startInProcessApp();
    manager = await tokenFor(app.http, 'm-nora', 'sales_manager');
    const since = addDays(today, -200);
    await post('/api/regions', { regionId: 'north', name: 'North', managerId: 'm-nora', establishedOn: since });
    await post('/api/teams', { teamId: 'north-a', regionId: 'north', name: 'North A', managerId: 'm-nora', formedOn: since });
    await post('/api/employees', { employeeId: 'sp-pete', name: 'Pete', teamId: 'north-a', hiredOn: since });
  });
  afterAll(() => app.close());

  it('opens the case for three late arrivals entered before the policy existed, and appraises last month', async () => {
    for (const n of [3, 10, 17]) {
      const { id } = await post('/api/meetings', {
        kind: 'department',
        title: `Weekly ${n}`,
        scheduledFor: day(n),
        startsAt: '08:30',
        attendees: ['sp-pete'],
      });
      const answer = await post(`/api/meetings/${id}/attendance`, { employeeId: 'sp-pete', status: 'late', minutesLate: 20 });
      expect(answer.casesOpened).toEqual([]);
    }
    const policy = await post('/api/discipline-policies', {
      rules: [
        {
          ruleId: 'late-3-in-month',
          when: { kind: 'lateness_count', window: 'calendar_month', countsAs: ['late', 'left_early'], atLeast: 3 },
          opens: 'investigation',
        },
      ],
    });
    expect(policy.casesOpened).toHaveLength(1);
    const cases = (await app.http.get(`/api/disciplinary-cases?employeeId=sp-pete&minPosition=${policy.position}`, manager)).body.items;
    expect(cases).toEqual([expect.objectContaining({ kind: 'investigation', ruleId: 'late-3-in-month' })]);
    expect(cases[0].triggeringFacts).toHaveLength(3);

    await post('/api/appraisal-schemes', {
      items: [
        {
          itemId: 'target',
          name: 'Target achievement',
          weight: 20,
          source: 'target_achievement',
          standard: { kind: 'linear', from: 0, to: 10000, pointsAtFrom: 0, pointsAtTo: 100, capped: true },
        },
        {
          itemId: 'attendance',
          name: 'Punctuality',
          weight: 40,
          source: 'attendance',
          standard: {
            kind: 'bands',
            bands: [
              { atLeast: 10000, points: 100 },
              { atLeast: 8000, points: 50 },
            ],
          },
        },
        {
          itemId: 'discipline',
          name: 'Discipline',
          weight: 40,
          source: 'discipline',
          standard: {
            kind: 'bands',
            bands: [
              { atLeast: 0, points: 100 },
              { atLeast: 1, points: 40 },
              { atLeast: 2, points: 0 },
            ],
          },
        },
      ],
      rewardAtOrAbove: 90,
      improvementPlanBelow: 50,
      reward: { kind: 'recognition' },
      yearEnd: { yearAchievementWeightBp: 6000, monthlyAverageWeightBp: 4000 },
    });
    const run = await post('/api/appraisals/run', { period: lastMonth, kind: 'monthly' });
    const pete = run.results.find((r: { employeeId: string }) => r.employeeId === 'sp-pete');

    // No target was set, so target achievement is not measured and the other 80 weight points count:
    // punctuality 0/3 on time → 0 points; discipline: one case → 40 points; (0 × 40 + 40 × 40) / 80 = 20.
    expect(pete).toMatchObject({ scored: true, total: 20, outcome: 'improvement_plan' });
    const again = await post('/api/appraisals/run', { period: lastMonth, kind: 'monthly' });
    expect(again.results.find((r: { employeeId: string }) => r.employeeId === 'sp-pete')).toMatchObject({ total: 20, changed: false });
  });
});
