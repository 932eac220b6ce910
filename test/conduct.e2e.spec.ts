import { addDays } from '@salesline/shared-kernel';
import { ADMIN_TOKEN, RunningApp, startInProcessApp, tokenFor } from './support/in-process-app';

/**
 * Conduct and appraisal at the HTTP edge: bad bodies answer 400 naming the field, wrong roles 403, unknown
 * entities 404 — never a 500 — and every route is in the OpenAPI document with its body and error codes.
 */
describe('Conduct and appraisal: HTTP edge', () => {
  let running: RunningApp;
  let manager: string;
  let anna: string;
  let finance: string;
  const today = new Date().toISOString().slice(0, 10);
  const http = () => running.http;
  const ok = async (res: Promise<{ status: number; body: any }>) => {
    const r = await res;
    if (r.status !== 200 && r.status !== 201) throw new Error(`expected 200/201, got ${r.status}: ${JSON.stringify(r.body)}`);
    return r.body;
  };
  let meetingId: string;

  beforeAll(async () => {
    running = await startInProcessApp();
    manager = await tokenFor(running.http, 'm-nora', 'sales_manager');
    finance = await tokenFor(running.http, 'fiona', 'finance');
    anna = await tokenFor(running.http, 'sp-anna', 'salesperson');
    await tokenFor(running.http, 'sp-ben', 'salesperson');
    const from = addDays(today, -30);
    await ok(http().post('/api/regions', { regionId: 'north', name: 'North', managerId: 'm-nora', establishedOn: from }, manager));
    await ok(
      http().post('/api/teams', { teamId: 'north-a', regionId: 'north', name: 'North A', managerId: 'm-nora', formedOn: from }, manager),
    );
    await ok(http().post('/api/employees', { employeeId: 'sp-anna', name: 'Anna Berg', teamId: 'north-a', hiredOn: from }, manager));
    await ok(http().post('/api/employees', { employeeId: 'sp-ben', name: 'Ben Dahl', teamId: 'north-a', hiredOn: from }, manager));
    meetingId = (
      await ok(
        http().post(
          '/api/meetings',
          { kind: 'company', title: 'All hands', scheduledFor: today, startsAt: '09:00', attendees: ['sp-anna', 'sp-ben'] },
          manager,
        ),
      )
    ).id;
  }, 60_000);
  afterAll(() => running.close());

  it('answers bad bodies with 400s naming the field, never a 500', async () => {
    const item = {
      itemId: 'target',
      name: 'Target',
      weight: 100,
      source: 'target_achievement',
      standard: { kind: 'bands', bands: [{ atLeast: 0, points: 100 }] },
    };
    const scheme = {
      items: [item],
      rewardAtOrAbove: 85,
      improvementPlanBelow: 50,
      reward: { kind: 'bonus', amount: 100 },
      yearEnd: { yearAchievementWeightBp: 6000, monthlyAverageWeightBp: 4000 },
    };
    const cases: Array<[string, unknown, string]> = [
      ['/api/service-feedback', { employeeId: 'sp-anna', customerId: 'c-1', score: 6 }, 'score'],
      ['/api/service-feedback', { employeeId: 'sp-anna', customerId: 'c-1', score: 4.5 }, 'score'],
      ['/api/service-feedback', { employeeId: '../x', customerId: 'c-1', score: 4 }, 'employeeId'],
      ['/api/service-feedback', { employeeId: 'sp-anna', customerId: 'c-1', score: 4, receivedOn: '2026-02-30x' }, 'receivedOn'],
      ['/api/service-feedback', { employeeId: 'sp-anna', customerId: 'c-1', score: 4, receivedOn: addDays(today, 1) }, 'receivedOn'],
      ['/api/service-feedback', { employeeId: 'sp-anna', customerId: 'c-1', score: 4, extra: true }, 'extra'],
      ['/api/meetings', { kind: 'party', title: 'x', scheduledFor: today, startsAt: '09:00', attendees: ['sp-anna'] }, 'kind'],
      ['/api/meetings', { kind: 'company', title: 'x', scheduledFor: today, startsAt: '9am', attendees: ['sp-anna'] }, 'startsAt'],
      ['/api/meetings', { kind: 'company', title: 'x', scheduledFor: today, startsAt: '09:00', attendees: [] }, 'attendees'],
      ['/api/meetings', { kind: 'company', title: '', scheduledFor: today, startsAt: '09:00', attendees: ['sp-anna'] }, 'title'],
      [
        '/api/meetings',
        { kind: 'company', title: 'x', scheduledFor: addDays(today, -400), startsAt: '09:00', attendees: ['sp-anna'] },
        'scheduledFor',
      ],
      [`/api/meetings/${meetingId}/attendance`, { employeeId: 'sp-anna', status: 'asleep' }, 'status'],
      [`/api/meetings/${meetingId}/attendance`, { employeeId: 'sp-anna', status: 'late', minutesLate: 0 }, 'minutesLate'],
      [`/api/meetings/${meetingId}/attendance-corrections`, { employeeId: 'sp-anna', status: 'attended' }, 'reason'],
      [`/api/meetings/${meetingId}/excusals`, { employeeId: 'sp-anna' }, 'reason'],
      [
        '/api/violations',
        { employeeId: 'sp-anna', kind: 'theft', severity: 'minor', description: 'x', evidence: [{ kind: 'witness', reference: 'w' }] },
        'kind',
      ],
      ['/api/violations', { employeeId: 'sp-anna', kind: 'other', severity: 'minor', description: 'x', evidence: [] }, 'evidence'],
      [
        '/api/violations',
        { employeeId: 'sp-anna', kind: 'other', severity: 'minor', description: 'x', evidence: [{ kind: 'rumour', reference: 'w' }] },
        'evidence.0.kind',
      ],
      [
        '/api/violations',
        { employeeId: 'sp-anna', kind: 'other', severity: 'huge', description: 'x', evidence: [{ kind: 'witness', reference: 'w' }] },
        'severity',
      ],
      ['/api/discipline-policies', { rules: [] }, 'rules'],
      ['/api/discipline-policies', { rules: [{ ruleId: 'r1', opens: 'investigation' }] }, 'rules.0.when'],
      [
        '/api/discipline-policies',
        { rules: [{ ruleId: 'r1', when: { kind: 'lateness_count', atLeast: 0 }, opens: 'investigation' }] },
        'rules.0.when.atLeast',
      ],
      [
        '/api/discipline-policies',
        { rules: [{ ruleId: 'r1', when: { kind: 'violation', severity: 'any' }, opens: 'firing' }] },
        'rules.0.opens',
      ],
      [
        '/api/discipline-policies',
        { effectiveFrom: 'tomorrow', rules: [{ ruleId: 'r1', when: { kind: 'violation', severity: 'any' }, opens: 'investigation' }] },
        'effectiveFrom',
      ],
      ['/api/disciplinary-cases/some-case/close', { outcome: 'pardon', note: 'x' }, 'outcome'],
      ['/api/disciplinary-cases/some-case/close', { outcome: 'warning', note: '' }, 'note'],
      ['/api/appraisal-schemes', { ...scheme, items: [{ ...item, weight: 0 }] }, 'items.0.weight'],
      ['/api/appraisal-schemes', { ...scheme, items: [{ ...item, source: 'charm' }] }, 'items.0.source'],
      [
        '/api/appraisal-schemes',
        { ...scheme, items: [{ ...item, standard: { kind: 'bands', bands: [{ atLeast: 0, points: 101 }] } }] },
        'items.0.standard.bands.0.points',
      ],
      ['/api/appraisal-schemes', { ...scheme, reward: undefined }, 'reward'],
      [
        '/api/appraisal-schemes',
        { ...scheme, yearEnd: { yearAchievementWeightBp: -1, monthlyAverageWeightBp: 4000 } },
        'yearEnd.yearAchievementWeightBp',
      ],
      ['/api/appraisals/run', { period: '2025-13', kind: 'monthly' }, 'period'],
      ['/api/appraisals/run', { period: '2025', kind: 'monthly' }, 'period'],
      ['/api/appraisals/run', { period: '2025-03', kind: 'weekly' }, 'kind'],
      ['/api/appraisals/run', { period: '2025-03', kind: 'monthly', employeeIds: ['a b'] }, 'employeeIds'],
      ['/api/appraisals/sp-anna-2025-03/review', { feedback: '' }, 'feedback'],
      [
        '/api/appraisals/sp-anna-2025-03/review',
        { feedback: 'x', improvementPlan: { goals: [], deadline: '2025-06-30' } },
        'improvementPlan.goals',
      ],
      [
        '/api/appraisals/sp-anna-2025-03/review',
        { feedback: 'x', improvementPlan: { goals: [{ description: 'x' }], deadline: 'soon' } },
        'improvementPlan.deadline',
      ],
      ['/api/appraisals/sp-anna-2025-03/acknowledge', { comment: 5 }, 'comment'],
      ['/api/improvement-plans/some-plan/review', { outcome: 'maybe', note: 'x' }, 'outcome'],
      ['/api/improvement-plans/some-plan/review', { outcome: 'met' }, 'note'],
    ];
    for (const [path, body, field] of cases) {
      const res = await http().post(path, body, ADMIN_TOKEN);
      expect([path, field, res.status]).toEqual([path, field, 400]);
      expect([path, res.body.errors.map((e: { field: string }) => e.field)]).toEqual([path, expect.arrayContaining([field])]);
    }
    for (const path of [
      '/api/reports/appraisals',
      '/api/reports/appraisals?period=2025-13',
      '/api/employees/sp-anna/scorecard?period=x',
      '/api/improvement-plans?overdue=yes',
    ]) {
      const res = await http().get(path, ADMIN_TOKEN);
      expect([path, res.status]).toEqual([path, 400]);
    }
    expect((await http().post('/api/meetings/..%2F..%2Fx/attendance', { employeeId: 'sp-anna', status: 'attended' }, manager)).status).toBe(
      400,
    );
  });

  it('answers 403 for wrong roles and for oneself', async () => {
    const feedback = { employeeId: 'sp-anna', customerId: 'c-1', score: 4 };
    const forbidden: Array<[string, unknown, string]> = [
      ['/api/service-feedback', feedback, anna],
      ['/api/service-feedback', feedback, finance],
      ['/api/meetings', { kind: 'company', title: 'x', scheduledFor: today, startsAt: '09:00', attendees: ['sp-anna'] }, anna],
      [`/api/meetings/${meetingId}/attendance`, { employeeId: 'sp-ben', status: 'attended' }, anna],
      [`/api/meetings/${meetingId}/excusals`, { employeeId: 'sp-ben', reason: 'x' }, finance],
      [
        '/api/violations',
        { employeeId: 'sp-ben', kind: 'other', severity: 'minor', description: 'x', evidence: [{ kind: 'witness', reference: 'w' }] },
        anna,
      ],
      [
        '/api/discipline-policies',
        { rules: [{ ruleId: 'r1', when: { kind: 'violation', severity: 'any' }, opens: 'investigation' }] },
        anna,
      ],
      ['/api/disciplinary-cases/some-case/close', { outcome: 'warning', note: 'x' }, finance],
      [
        '/api/appraisal-schemes',
        {
          items: [],
          rewardAtOrAbove: 1,
          improvementPlanBelow: 1,
          reward: { kind: 'x' },
          yearEnd: { yearAchievementWeightBp: 0, monthlyAverageWeightBp: 10000 },
        },
        anna,
      ],
      ['/api/appraisals/run', { period: '2025-03', kind: 'monthly' }, anna],
      ['/api/appraisals/sp-anna-2025-03/review', { feedback: 'x' }, anna],
      ['/api/appraisals/sp-anna-2025-03/acknowledge', {}, manager],
      ['/api/improvement-plans/some-plan/review', { outcome: 'met', note: 'x' }, anna],
    ];
    for (const [path, body, token] of forbidden) {
      const res = await http().post(path, body, token);
      expect([path, res.status]).toEqual([path, 403]);
    }
    // A manager never records facts about themselves; a salesperson reads only their own scorecard and plans.
    const self = await http().post('/api/service-feedback', { employeeId: 'm-nora', customerId: 'c-1', score: 4 }, manager);
    expect([self.status, self.body.code]).toEqual([403, 'CannotRecordOwnConduct']);
    const other = await http().get('/api/employees/sp-ben/scorecard?period=2025-03', anna);
    expect([other.status, other.body.code]).toEqual([403, 'OutOfScope']);
    expect((await http().get('/api/reports/appraisals?period=2025-03', anna)).status).toBe(403);
  });

  it('answers 404 for unknown meetings, cases, appraisals, plans, employees and evidence', async () => {
    const notFound: Array<[string, unknown, string]> = [
      ['/api/meetings/nope/attendance', { employeeId: 'sp-anna', status: 'attended' }, 'MeetingNotFound'],
      ['/api/meetings/nope/attendance-corrections', { employeeId: 'sp-anna', status: 'attended', reason: 'x' }, 'MeetingNotFound'],
      ['/api/meetings/nope/excusals', { employeeId: 'sp-anna', reason: 'x' }, 'MeetingNotFound'],
      ['/api/disciplinary-cases/nope/close', { outcome: 'warning', note: 'x' }, 'CaseNotFound'],
      ['/api/appraisals/nope/review', { feedback: 'x' }, 'AppraisalNotScored'],
      ['/api/improvement-plans/nope/review', { outcome: 'met', note: 'x' }, 'PlanNotFound'],
      ['/api/service-feedback', { employeeId: 'sp-nobody', customerId: 'c-1', score: 4 }, 'EmployeeNotFound'],
      [
        '/api/violations',
        { employeeId: 'sp-nobody', kind: 'other', severity: 'minor', description: 'x', evidence: [{ kind: 'witness', reference: 'w' }] },
        'EmployeeNotFound',
      ],
      [
        '/api/violations',
        {
          employeeId: 'sp-anna',
          kind: 'unauthorized_price_cut',
          severity: 'minor',
          description: 'x',
          evidence: [{ kind: 'price_override_request', reference: 'po-nope' }],
        },
        'EvidenceNotFound',
      ],
      ['/api/appraisals/run', { period: '2025-03', kind: 'monthly' }, 'SchemeNotFound'],
    ];
    for (const [path, body, code] of notFound) {
      const res = await http().post(path, body, manager);
      expect([path, res.status, res.body.code]).toEqual([path, 404, code]);
    }
    for (const path of [
      '/api/meetings/nope',
      '/api/disciplinary-cases/nope',
      '/api/appraisals/nope',
      '/api/employees/sp-anna/scorecard?period=2025-03',
    ]) {
      expect([path, (await http().get(path, manager)).status]).toEqual([path, 404]);
    }
  });

  it('records attendance once per attendee, from the meeting day on, only for attendees', async () => {
    const first = await ok(
      http().post(`/api/meetings/${meetingId}/attendance`, { employeeId: 'sp-anna', status: 'late', minutesLate: 10 }, manager),
    );
    expect(first).toMatchObject({ id: meetingId, employeeId: 'sp-anna', casesOpened: [] });
    const twice = await http().post(`/api/meetings/${meetingId}/attendance`, { employeeId: 'sp-anna', status: 'attended' }, manager);
    expect([twice.status, twice.body.code]).toEqual([409, 'AttendanceAlreadyRecorded']);
    const stranger = await http().post(`/api/meetings/${meetingId}/attendance`, { employeeId: 'sp-cleo', status: 'attended' }, manager);
    expect([stranger.status, stranger.body.code]).toEqual([422, 'NotAnAttendee']);
    const future = await ok(
      http().post(
        '/api/meetings',
        { kind: 'department', title: 'Next', scheduledFor: addDays(today, 7), startsAt: '09:00', attendees: ['sp-anna'] },
        manager,
      ),
    );
    const early = await http().post(`/api/meetings/${future.id}/attendance`, { employeeId: 'sp-anna', status: 'attended' }, manager);
    expect([early.status, early.body.code]).toEqual([422, 'AttendanceBeforeMeeting']);
    await ok(http().post(`/api/meetings/${future.id}/excusals`, { employeeId: 'sp-anna', reason: 'Trade fair' }, manager));
    const corrected = await ok(
      http().post(
        `/api/meetings/${meetingId}/attendance-corrections`,
        { employeeId: 'sp-anna', status: 'attended', reason: 'Clock was wrong' },
        manager,
      ),
    );
    const doc = await ok(http().get(`/api/meetings/${meetingId}?minPosition=${corrected.position}`, manager));
    expect(doc.attendance['sp-anna']).toEqual({ status: 'attended', minutesLate: null, minutesEarly: null, excused: false });
  });

  it('documents every route in OpenAPI with its body and error codes', async () => {
    const doc = (await http().get('/docs-json')).body;
    const posts = [
      '/api/service-feedback',
      '/api/meetings',
      '/api/meetings/{id}/excusals',
      '/api/meetings/{id}/attendance',
      '/api/meetings/{id}/attendance-corrections',
      '/api/violations',
      '/api/discipline-policies',
      '/api/disciplinary-cases/{id}/close',
      '/api/appraisal-schemes',
      '/api/appraisals/run',
      '/api/appraisals/{id}/review',
      '/api/appraisals/{id}/acknowledge',
      '/api/improvement-plans/{id}/review',
    ];
    for (const path of posts) {
      const op = doc.paths[path]?.post;
      expect([path, op !== undefined]).toEqual([path, true]);
      expect([path, Object.keys(op.responses).some((s) => s.startsWith('4'))]).toEqual([path, true]);
      expect([path, typeof op.requestBody?.content?.['application/json']?.schema?.$ref]).toEqual([path, 'string']);
    }
    for (const path of [
      '/api/reports/appraisals',
      '/api/employees/{id}/scorecard',
      '/api/improvement-plans',
      '/api/appraisal-schemes',
      '/api/disciplinary-cases',
      '/api/appraisals/{id}',
    ])
      expect([path, doc.paths[path]?.get !== undefined]).toEqual([path, true]);
  });
});
