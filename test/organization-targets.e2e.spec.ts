import { addDays } from '@salesline/shared-kernel';
import { RunningApp, startInProcessApp, tokenFor } from './support/in-process-app';

/**
 * The sales organization, the target cascade, sales expenses, sales plans and visits over real HTTP.
 * (Sales progress itself: sales-progress.e2e.spec.ts.)
 */
describe('Organization, targets, expenses and plans over HTTP', () => {
  let running: RunningApp;
  let manager: string;
  let manager2: string;
  let adminDept: string;
  let scheduler: string;
  let finance: string;
  let anna: string;
  let ben: string;
  const today = new Date().toISOString().slice(0, 10);
  const year = +today.slice(0, 4);
  const month = today.slice(0, 7);
  const even = [833, 833, 833, 833, 833, 833, 833, 833, 834, 834, 834, 834];
  const http = () => running.http;

  beforeAll(async () => {
    running = await startInProcessApp();
    manager = await tokenFor(running.http, 'm-nora', 'sales_manager');
    manager2 = await tokenFor(running.http, 'm-olaf', 'sales_manager');
    adminDept = await tokenFor(running.http, 'ad-1', 'admin_department');
    scheduler = await tokenFor(running.http, 'scheduler', 'integration');
    finance = await tokenFor(running.http, 'fiona', 'finance');
    anna = await tokenFor(running.http, 'sp-anna', 'salesperson');
    ben = await tokenFor(running.http, 'sp-ben', 'salesperson');
  });
  afterAll(() => running.close());

  const ok = async (res: Promise<{ status: number; body: any }>, status = [200, 201]) => {
    const r = await res;
    if (!status.includes(r.status)) throw new Error(`expected ${status.join('/')}, got ${r.status}: ${JSON.stringify(r.body)}`);
    return r.body;
  };

  describe('the organization', () => {
    it('establishes regions with branches and agents, forms teams, changes managers', async () => {
      expect(await ok(http().post('/api/regions', { regionId: 'north', name: 'North', managerId: 'm-nora' }, manager))).toMatchObject({
        id: 'north',
      });
      await ok(http().post('/api/regions', { regionId: 'south', name: 'South' }, adminDept));
      const branch = await ok(http().post('/api/regions/north/branches', { branchId: 'oslo-1', name: 'Oslo city', city: 'Oslo' }, manager));
      expect(branch.branchId).toBe('oslo-1');
      // A sales manager changes only the regions they lead (ADR 0019): the administration department staffs the south.
      const notHers = await http().post('/api/regions/south/manager', { managerId: 'm-nora' }, manager);
      expect([notHers.status, notHers.body.code]).toEqual([403, 'OutOfScope']);
      await ok(http().post('/api/regions/south/agents', { agentId: 'agent-x', name: 'Nordic Trading', commissionBp: 500 }, adminDept));
      await ok(http().post('/api/regions/south/manager', { managerId: 'm-olaf' }, adminDept));
      await ok(http().post('/api/teams', { teamId: 'north-a', regionId: 'north', name: 'North A', managerId: 'm-nora' }, manager));
      const last = await ok(
        http().post('/api/teams', { teamId: 'south-a', regionId: 'south', name: 'South A', managerId: 'm-olaf' }, manager2),
      );

      const south = await ok(http().get(`/api/regions/south?minPosition=${last.position}`, manager));
      expect(south).toMatchObject({
        regionId: 'south',
        managerId: 'm-olaf',
        status: 'active',
        agents: [{ agentId: 'agent-x', commissionBp: 500, endedOn: null }],
      });
      expect(south).not.toHaveProperty('_position');
      const teams = await ok(http().get(`/api/teams?regionId=north&minPosition=${last.position}`, anna));
      expect(teams.items.map((t: { teamId: string }) => t.teamId)).toEqual(['north-a']);
    });

    it('refuses bad input naming the field, unknown regions, salespeople changing the structure', async () => {
      const bad = await http().post('/api/regions', { regionId: 'no spaces', name: '' }, manager);
      expect(bad.status).toBe(400);
      expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['name', 'regionId']);
      const unknown = await http().post('/api/teams', { teamId: 'x-a', regionId: 'nowhere', name: 'X', managerId: 'm-nora' }, manager);
      expect([unknown.status, unknown.body.code]).toEqual([404, 'RegionNotFound']);
      const role = await http().post('/api/regions', { name: 'East' }, anna);
      expect(role.status).toBe(403);
      const future = await http().post('/api/regions', { name: 'East', establishedOn: addDays(today, 1) }, manager);
      expect([future.status, future.body.errors?.[0]?.field]).toEqual([400, 'establishedOn']);
    });

    it('hires salespeople, assigns territories, and keeps the dated history', async () => {
      await ok(
        http().post(
          '/api/employees',
          { employeeId: 'sp-anna', name: 'Anna Berg', teamId: 'north-a', hiredOn: addDays(today, -30) },
          manager,
        ),
      );
      await ok(
        http().post(
          '/api/employees',
          { employeeId: 'sp-ben', name: 'Ben Dahl', teamId: 'north-a', hiredOn: addDays(today, -30) },
          adminDept,
        ),
      );
      await ok(http().post('/api/employees/sp-anna/territories', { territory: 'oslo', assignedOn: addDays(today, -20) }, manager));
      const res = await ok(
        http().post('/api/employees/sp-anna/territories', { territory: 'bergen', assignedOn: addDays(today, -20) }, manager),
      );
      const emp = await ok(http().get(`/api/employees/sp-anna?minPosition=${res.position}`, anna));
      expect(emp).toMatchObject({
        employeeId: 'sp-anna',
        status: 'active',
        teamId: 'north-a',
        regionId: 'north',
        managerId: 'm-nora',
        history: [{ teamId: 'north-a', regionId: 'north', managerId: 'm-nora', from: addDays(today, -30), until: null }],
        currentTerritories: ['bergen', 'oslo'],
      });
      const again = await http().post('/api/employees', { employeeId: 'sp-anna', name: 'Anna Berg', teamId: 'north-a' }, manager);
      expect([again.status, again.body.code]).toEqual([409, 'EmployeeAlreadyHired']);
      const noTeam = await http().post('/api/employees', { employeeId: 'sp-x', name: 'X', teamId: 'nope' }, manager);
      expect([noTeam.status, noTeam.body.code]).toEqual([404, 'TeamNotFound']);
    });

    it('refuses to disband a team with members or close a region with teams', async () => {
      const disband = await http().post('/api/teams/north-a/disband', {}, manager);
      expect([disband.status, disband.body.code]).toEqual([409, 'TeamHasMembers']);
      const close = await http().post('/api/regions/north/close', {}, manager);
      expect([close.status, close.body.code]).toEqual([409, 'RegionHasActiveTeams']);
    });

    it('lets a salesperson object to a territory; the manager resolves it', async () => {
      const raised = await ok(
        http().post('/api/territory-objections', { employeeId: 'sp-anna', territory: 'bergen', reason: 'Two hours from home' }, anna),
      );
      const other = await http().post('/api/territory-objections', { employeeId: 'sp-anna', territory: 'oslo', reason: 'x' }, ben);
      expect([other.status, other.body.code]).toEqual([403, 'OutOfScope']); // the permission table: a salesperson acts as themselves
      const notMine = await http().post('/api/territory-objections', { employeeId: 'sp-ben', territory: 'oslo', reason: 'x' }, ben);
      expect([notMine.status, notMine.body.code]).toEqual([422, 'TerritoryNotAssigned']);
      const early = await http().post(
        `/api/territory-objections/${raised.id}/decision`,
        { decision: 'territory_reduced', note: 'x' },
        adminDept,
      );
      expect([early.status, early.body.code]).toEqual([409, 'TerritoryDisputeNotEscalated']);
      const resolved = await ok(
        http().post(
          `/api/territory-objections/${raised.id}/resolve`,
          { decision: 'objection_upheld', note: 'Bergen goes to Ben' },
          manager,
        ),
      );
      const doc = await ok(http().get(`/api/territory-objections/${raised.id}?minPosition=${resolved.position}`, manager));
      expect(doc).toMatchObject({
        status: 'resolved',
        territory: 'bergen',
        raisedOn: today,
        escalationDueOn: addDays(today, 10),
        resolution: { decision: 'objection_upheld', resolvedBy: 'm-nora' },
      });
      const sweepNow = await ok(http().post('/api/territory-objections/escalate', {}, scheduler));
      expect(sweepNow.escalated).toEqual([]);
    });

    it('escalates an objection unresolved after the configured days; the administrative department decides', async () => {
      // An objection raised 11 days ago, entered with its business date.
      const old = await ok(
        http().post(
          '/api/territory-objections',
          { employeeId: 'sp-anna', territory: 'oslo', reason: 'Too far', raisedOn: addDays(today, -11) },
          anna,
        ),
      );
      const forbidden = await http().post('/api/territory-objections/escalate', {}, manager);
      expect(forbidden.status).toBe(403);
      const sweep = await ok(http().post('/api/territory-objections/escalate', {}, scheduler));
      expect(sweep.escalated).toEqual([old.id]);
      expect((await ok(http().post('/api/territory-objections/escalate', {}, adminDept))).escalated).toEqual([]);
      const late = await http().post(
        `/api/territory-objections/${old.id}/resolve`,
        { decision: 'objection_rejected', note: 'no' },
        manager,
      );
      expect([late.status, late.body.code]).toEqual([409, 'TerritoryDisputeAlreadyEscalated']);
      const byManager = await http().post(
        `/api/territory-objections/${old.id}/decision`,
        { decision: 'territory_reduced', note: 'x' },
        manager,
      );
      expect(byManager.status).toBe(403);
      const decided = await ok(
        http().post(
          `/api/territory-objections/${old.id}/decision`,
          { decision: 'territory_reassigned', note: 'Oslo goes to Ben' },
          adminDept,
        ),
      );
      const doc = await ok(http().get(`/api/territory-objections/${old.id}?minPosition=${decided.position}`, adminDept));
      expect(doc).toMatchObject({
        status: 'decided',
        // dated by the day it fell due (raised 11 days ago, 10 days to escalate), not the day the sweep ran
        escalatedOn: addDays(today, -1),
        escalationDueOn: addDays(today, -1),
        administrativeDecision: { decision: 'territory_reassigned', decidedBy: 'ad-1' },
      });
      const badDecision = await http().post(`/api/territory-objections/${old.id}/decision`, { decision: 'shrug', note: 'x' }, adminDept);
      expect([badDecision.status, badDecision.body.errors?.[0]?.field]).toEqual([400, 'decision']);
    });

    it('transfers to another region (territories released) and records leaving', async () => {
      await ok(
        http().post(
          '/api/employees',
          { employeeId: 'sp-cleo', name: 'Cleo Eng', teamId: 'north-a', hiredOn: addDays(today, -10) },
          manager,
        ),
      );
      await ok(http().post('/api/employees/sp-cleo/territories', { territory: 'tromso', assignedOn: addDays(today, -10) }, manager));
      await ok(http().post('/api/employees/sp-cleo/transfer', { toTeamId: 'south-a', effectiveOn: addDays(today, -5) }, manager));
      const left = await ok(http().post('/api/employees/sp-cleo/leave', { reason: 'resigned', leftOn: addDays(today, 14) }, manager));
      const cleo = await ok(http().get(`/api/employees/sp-cleo?minPosition=${left.position}`, manager));
      expect(cleo).toMatchObject({
        status: 'left',
        leftOn: addDays(today, 14),
        history: [
          { teamId: 'north-a', regionId: 'north', from: addDays(today, -10), until: addDays(today, -5) },
          { teamId: 'south-a', regionId: 'south', managerId: 'm-olaf', from: addDays(today, -5), until: addDays(today, 15) },
        ],
        territories: [{ territory: 'tromso', from: addDays(today, -10), until: addDays(today, -5) }],
      });
      const sameTeam = await http().post('/api/employees/sp-ben/transfer', { toTeamId: 'north-a' }, manager);
      expect([sameTeam.status, sameTeam.body.code]).toEqual([422, 'TransferToSameTeam']);
      const list = await ok(http().get(`/api/employees?teamId=north-a&status=active&minPosition=${left.position}`, manager));
      expect(list.items.map((e: { employeeId: string }) => e.employeeId)).toEqual(['sp-anna', 'sp-ben']);
      const byRegion = await ok(http().get('/api/employees?regionId=south', manager));
      expect(byRegion.total).toBe(0); // Cleo has left: no current region
    });
  });

  describe('targets', () => {
    const figures = (revenue: number, quantity: number, grossMargin: number, expenseBudget: number) => ({
      revenue,
      quantity,
      grossMargin,
      expenseBudget,
    });
    const assign = (nodeKind: string, nodeId: string, f: ReturnType<typeof figures>, extra: Record<string, unknown> = {}) =>
      http().post(
        `/api/targets/${year}/assignments`,
        { nodeKind, nodeId, ...f, monthly: { kind: 'percent', bp: even }, ...extra },
        manager,
      );

    it('sets the company target and cascades it, never above the parent while drafting', async () => {
      await ok(http().post(`/api/targets/${year}/company`, figures(1200_000_00, 1200, 360_000_00, 24_000_00), finance));
      await ok(assign('region', 'north', figures(1200_000_00, 1200, 360_000_00, 24_000_00)));
      await ok(assign('team', 'north-a', figures(1200_000_00, 1200, 360_000_00, 24_000_00)));
      await ok(assign('salesperson', 'sp-anna', figures(700_000_00, 700, 210_000_00, 12_000_00)));
      const over = await assign('salesperson', 'sp-ben', figures(600_000_00, 500, 150_000_00, 12_000_00));
      expect(over.status).toBe(422);
      expect(over.body).toMatchObject({
        code: 'TargetExceedsParent',
        details: { nodeKind: 'team', nodeId: 'north-a', measure: 'revenue', target: 1200_000_00, allocated: 1300_000_00 },
      });
      const wrongParent = await assign('salesperson', 'sp-ben', figures(500_000_00, 500, 150_000_00, 12_000_00), { parentId: 'south-a' });
      expect([wrongParent.status, wrongParent.body.code]).toEqual([422, 'TargetParentMismatch']);
      const badMonths = await http().post(
        `/api/targets/${year}/assignments`,
        { nodeKind: 'salesperson', nodeId: 'sp-ben', ...figures(1, 1, 1, 1), monthly: { kind: 'percent', bp: [1] } },
        manager,
      );
      expect([badMonths.status, badMonths.body.errors?.[0]?.field]).toEqual([400, 'monthly.bp']);
      const asSalesperson = await http().post(
        `/api/targets/${year}/assignments`,
        { nodeKind: 'salesperson', nodeId: 'sp-ben', ...figures(1, 1, 1, 1), monthly: { kind: 'percent', bp: even } },
        anna,
      );
      expect(asSalesperson.status).toBe(403);
    });

    it('finalizes only a cascade that adds up exactly', async () => {
      await ok(assign('salesperson', 'sp-ben', figures(400_000_00, 400, 120_000_00, 10_000_00)));
      const incomplete = await http().post(`/api/targets/${year}/finalize`, {}, manager);
      expect(incomplete.status).toBe(422);
      expect(incomplete.body).toMatchObject({
        code: 'TargetCascadeIncomplete',
        details: { nodeKind: 'team', nodeId: 'north-a', measure: 'revenue', target: 1200_000_00, allocated: 1200_000_00 - 100_000_00 },
      });
      await ok(assign('salesperson', 'sp-ben', figures(500_000_00, 500, 150_000_00, 12_000_00)));
      const done = await ok(http().post(`/api/targets/${year}/finalize`, {}, finance));
      const plan = await ok(http().get(`/api/targets/${year}?minPosition=${done.position}`, anna));
      expect(plan).toMatchObject({
        year,
        status: 'finalized',
        finalizedOn: today,
        company: { revenue: 1200_000_00, allocated: { revenue: 1200_000_00 }, gaps: [] },
      });
      const ben = plan.nodes.find((n: { nodeId: string }) => n.nodeId === 'sp-ben');
      expect(ben).toMatchObject({ nodeKind: 'salesperson', parentKind: 'team', parentId: 'north-a', allocated: null });
      expect(ben.months.map((m: { revenue: number }) => m.revenue).reduce((a: number, b: number) => a + b, 0)).toBe(500_000_00);
      const direct = await assign('salesperson', 'sp-ben', figures(1, 1, 1, 1));
      expect([direct.status, direct.body.code]).toEqual([409, 'TargetPlanAlreadyFinalized']);
    });

    it('revises with a reason, keeping the plan balanced, visible in history', async () => {
      const unbalanced = await http().post(
        `/api/targets/${year}/revisions`,
        {
          reason: 'Ben raised',
          changes: [{ nodeKind: 'salesperson', nodeId: 'sp-ben', target: figures(600_000_00, 500, 150_000_00, 12_000_00) }],
        },
        manager,
      );
      expect([unbalanced.status, unbalanced.body.code]).toEqual([422, 'TargetRevisionUnbalanced']);
      const moved = await ok(
        http().post(
          `/api/targets/${year}/revisions`,
          {
            reason: 'Budget moved from Anna to Ben',
            changes: [
              { nodeKind: 'salesperson', nodeId: 'sp-anna', target: figures(700_000_00, 700, 210_000_00, 10_000_00) },
              { nodeKind: 'salesperson', nodeId: 'sp-ben', target: figures(500_000_00, 500, 150_000_00, 14_000_00) },
            ],
          },
          manager,
        ),
      );
      expect(moved.revisionId).toEqual(expect.any(String));
      const plan = await ok(http().get(`/api/targets/${year}?minPosition=${moved.position}`, manager));
      expect(
        plan.revisions.map((r: { nodeId: string; reason: string; before: { expenseBudget: number }; after: { expenseBudget: number } }) => [
          r.nodeId,
          r.reason,
          r.before.expenseBudget,
          r.after.expenseBudget,
        ]),
      ).toEqual([
        ['sp-anna', 'Budget moved from Anna to Ben', 12_000_00, 10_000_00],
        ['sp-ben', 'Budget moved from Anna to Ben', 12_000_00, 14_000_00],
      ]);
      expect(plan.history.map((h: { type: string }) => h.type)).toEqual([
        'CompanyTargetSet',
        'TargetAssigned',
        'TargetAssigned',
        'TargetAssigned',
        'TargetAssigned',
        'TargetAssigned',
        'TargetPlanFinalized',
        'TargetRevised',
        'TargetRevised',
      ]);
      const noReason = await http().post(`/api/targets/${year}/revisions`, { reason: '', changes: [] }, manager);
      expect(noReason.status).toBe(400);
      expect((await http().get(`/api/targets/1999`, manager)).status).toBe(404);
      expect((await http().get(`/api/targets/abc`, manager)).body.errors).toEqual([{ field: 'year', reason: 'must be a calendar year' }]);
    });
    it('derives the figures a revision leaves out from the parent, and spreads a revised node by seasonal months', async () => {
      // north-a: 1 200 000.00 revenue, 1200 units, margin 360 000.00 (30 %), budget 24 000.00 (2 %).
      const revised = await ok(
        http().post(
          `/api/targets/${year}/revisions`,
          {
            reason: 'Ben takes over the autumn accounts',
            changes: [
              { nodeKind: 'salesperson', nodeId: 'sp-anna', target: { revenue: 600_000_00, expenseBudget: 10_000_00 } },
              {
                nodeKind: 'salesperson',
                nodeId: 'sp-ben',
                target: {
                  revenue: 600_000_00,
                  expenseBudget: 14_000_00,
                  monthly: { kind: 'seasonal', weights: [0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1] },
                },
              },
            ],
          },
          manager,
        ),
      );
      const plan = await ok(http().get(`/api/targets/${year}?minPosition=${revised.position}`, manager));
      const node = (id: string) => plan.nodes.find((n: { nodeId: string }) => n.nodeId === id);
      // Quantity and margin left out: 600 units and 180 000.00 each; the budgets given stay.
      expect(node('sp-anna')).toMatchObject({ revenue: 600_000_00, quantity: 600, grossMargin: 180_000_00, expenseBudget: 10_000_00 });
      expect(node('sp-ben')).toMatchObject({ revenue: 600_000_00, quantity: 600, grossMargin: 180_000_00, expenseBudget: 14_000_00 });
      expect(node('sp-ben').monthly).toEqual({ kind: 'seasonal', weights: [0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1] });
      expect(node('sp-ben').months.map((m: { revenue: number; quantity: number }) => [m.revenue, m.quantity])).toEqual([
        ...Array(6).fill([0, 0]),
        ...Array(6).fill([100_000_00, 100]),
      ]);
      expect(node('north-a').gaps).toEqual([]);
      const companyShort = await http().post(
        `/api/targets/${year}/revisions`,
        { reason: 'company', changes: [{ nodeKind: 'company', nodeId: 'company', target: { revenue: 1200_000_00 } }] },
        manager,
      );
      expect([companyShort.status, companyShort.body.code, companyShort.body.details?.measure]).toEqual([
        422,
        'InvalidTargetFigure',
        'quantity',
      ]);
    });
  });

  describe('sales expenses, plans and visits', () => {
    it('records expenses against the budget (warning when over) and reverses them', async () => {
      const own = await ok(
        http().post('/api/sales-expenses', { employeeId: 'sp-anna', amount: 9_000_00, category: 'travel', note: 'Trip north' }, anna),
      );
      expect(own.overBudget).toEqual([]);
      const over = await ok(
        http().post('/api/sales-expenses', { employeeId: 'sp-anna', amount: 2_000_00, category: 'entertainment' }, manager),
      );
      expect(over.overBudget).toEqual(['person']);
      const forOther = await http().post('/api/sales-expenses', { employeeId: 'sp-ben', amount: 1_00, category: 'travel' }, anna);
      expect([forOther.status, forOther.body.code]).toEqual([403, 'OutOfScope']); // the permission table: a salesperson's own
      const noRegion = await http().post('/api/sales-expenses', { amount: 1_00, category: 'travel' }, manager);
      expect([noRegion.status, noRegion.body.errors?.[0]?.field]).toEqual([400, 'regionId']);
      const reversed = await ok(http().post(`/api/sales-expenses/${over.id}/reverse`, { reason: 'private dinner' }, finance));
      const list = await ok(http().get(`/api/sales-expenses?year=${year}&employeeId=sp-anna&minPosition=${reversed.position}`, finance));
      expect(list).toMatchObject({ total: 2, spent: 9_000_00 });
      expect(
        list.items.map((e: { amount: number; regionId: string; reversed: boolean }) => [e.amount, e.regionId, e.reversed]).sort(),
      ).toEqual([
        [2_000_00, 'north', true],
        [9_000_00, 'north', false],
      ]);
      const twice = await http().post(`/api/sales-expenses/${over.id}/reverse`, { reason: 'again' }, finance);
      expect([twice.status, twice.body.code]).toEqual([409, 'SalesExpenseAlreadyReversed']);
    });

    it('takes a salesperson’s plan, returned with comments, resubmitted as version 2 and approved', async () => {
      const plan = {
        period: month,
        customersToVisit: ['c-1', 'c-2'],
        plannedVisits: 5,
        expectedOrders: [{ customerId: 'c-1', amount: 5_000_00, quantity: 10 }],
        strategy: 'Upsell c-1',
      };
      const v1 = await ok(http().post('/api/sales-plans', plan, anna));
      expect(v1.version).toBe(1);
      const busy = await http().post('/api/sales-plans', plan, anna);
      expect([busy.status, busy.body.code]).toEqual([409, 'SalesPlanAwaitingReview']);
      const noComments = await http().post(`/api/sales-plans/${v1.id}/return`, { comments: '' }, manager);
      expect(noComments.status).toBe(400);
      await ok(http().post(`/api/sales-plans/${v1.id}/return`, { comments: 'Visit c-3 too' }, manager));
      const v2 = await ok(http().post('/api/sales-plans', { ...plan, customersToVisit: ['c-1', 'c-2', 'c-3'], plannedVisits: 6 }, anna));
      expect(v2).toMatchObject({ id: v1.id, version: 2 });
      // Only a manager who leads Anna reviews her plan (ADR 0019).
      const notHers = await http().post(`/api/sales-plans/${v1.id}/approve`, { comments: 'Good' }, manager2);
      expect([notHers.status, notHers.body.code]).toEqual([403, 'OutOfScope']);
      const approved = await ok(http().post(`/api/sales-plans/${v1.id}/approve`, { comments: 'Good' }, manager));
      const doc = await ok(http().get(`/api/sales-plans/${v1.id}?minPosition=${approved.position}`, anna));
      expect(doc).toMatchObject({ status: 'approved', version: 2, plannedVisits: 6, approval: { approvedBy: 'm-nora' } });
      expect(doc.versions.map((v: { version: number; review: { outcome: string } }) => [v.version, v.review.outcome])).toEqual([
        [1, 'returned'],
        [2, 'approved'],
      ]);
      const notMine = await http().get(`/api/sales-plans/${v1.id}`, ben);
      expect([notMine.status, notMine.body.code]).toEqual([403, 'OutOfScope']);
      const closed = await http().post('/api/sales-plans', { ...plan, period: `${year - 1}-01` }, anna);
      expect([closed.status, closed.body.code]).toEqual([422, 'SalesPlanPeriodClosed']);
      const tooFew = await http().post('/api/sales-plans', { ...plan, plannedVisits: 1 }, ben);
      expect([tooFew.status, tooFew.body.code]).toEqual([422, 'PlannedVisitsTooFew']);
    });

    it('records visits of one’s own, or by a manager', async () => {
      const own = await ok(http().post('/api/visits', { customerId: 'c-1', outcome: 'Demo' }, anna));
      expect(own.employeeId).toBe('sp-anna');
      await ok(
        http().post('/api/visits', { customerId: 'c-2', outcome: 'Intro', employeeId: 'sp-anna', visitedOn: addDays(today, -1) }, manager),
      );
      const other = await http().post('/api/visits', { customerId: 'c-2', outcome: 'x', employeeId: 'sp-anna' }, ben);
      expect([other.status, other.body.code]).toEqual([403, 'OutOfScope']); // the permission table: a salesperson's own
      const unknown = await http().post('/api/visits', { customerId: 'c-2', outcome: 'x', employeeId: 'sp-nobody' }, manager);
      expect([unknown.status, unknown.body.code]).toEqual([404, 'EmployeeNotFound']);
      const list = await ok(http().get(`/api/visits?employeeId=sp-anna&from=${addDays(today, -1)}&minPosition=${own.position}`, manager));
      expect(list.total).toBe(2);
    });
  });

  it('follows the (unassigned) child of a drill-down to what its parent was credited but no child (ADR 0216)', async () => {
    // North's own expense, spent by no one: under north it is the (unassigned) child, followable by its href.
    const spent = await ok(http().post('/api/sales-expenses', { regionId: 'north', amount: 321_00, category: 'trade_show' }, manager));
    const north = await ok(http().get(`/api/reports/sales-progress/region/north?period=${month}&minPosition=${spent.position}`, finance));
    const child = north.children.find((c: { nodeId: string }) => c.nodeId === '(unassigned)');
    expect(child).toMatchObject({ level: 'team', href: '/api/reports/sales-progress/region/north/unassigned', target: null });
    const followed = await ok(http().get(`${child.href}?period=${month}`, finance));
    expect(followed.parent).toEqual({ level: 'region', nodeId: 'north' });
    const { href: _href, ...sameRow } = child;
    expect(followed.row).toEqual(sameRow);
    // By spender, adding up to the row: the region's own 321.00 (and any expense of someone in no team that day).
    expect(followed.children.find((c: { nodeId: string }) => c.nodeId === '(no spender)')).toMatchObject({
      level: 'salesperson',
      name: 'The region’s own expenses',
      expenses: { actual: 321_00 },
    });
    expect(followed.children.reduce((sum: number, c: { expenses: { actual: number } }) => sum + c.expenses.actual, 0)).toBe(
      followed.row.expenses.actual,
    );
    expect(followed.documents).toEqual([]);
    // The company's: everything credited to people without an assignment that day (here nothing), with the same measures.
    const company = await ok(http().get(`/api/reports/sales-progress/company/company/unassigned?period=${month}`, finance));
    expect(company).toMatchObject({ parent: { level: 'company', nodeId: 'company' }, row: { nodeId: '(unassigned)', level: 'region' } });
    expect(company.row.actual).toEqual({
      ordersBooked: 0,
      revenueDelivered: 0,
      revenueInvoiced: 0,
      cashCollected: 0,
      revenue: 0,
      quantity: 0,
      grossMargin: 0,
    });
    const csv = await http().get(`${child.href}?period=${month}`, finance, { accept: 'text/csv' });
    expect([csv.status, (csv.body as string).trim().split('\r\n')[1].split(',').slice(3, 5)]).toEqual([200, ['team', '(unassigned)']]);
    const team = await http().get(`/api/reports/sales-progress/team/north-a/unassigned?period=${month}`, finance);
    expect([team.status, team.body.errors?.[0]?.field]).toEqual([400, 'level']);
    expect((await http().get(`/api/reports/sales-progress/region/nowhere/unassigned?period=${month}`, finance)).body.code).toBe(
      'ProgressNodeNotFound',
    );
    expect((await http().get(`${child.href}?period=${month}`, anna)).status).toBe(403);
  });

  it('documents every new endpoint in OpenAPI', async () => {
    const doc = (await http().get('/docs-json')).body;
    for (const path of [
      '/api/regions',
      '/api/teams',
      '/api/employees',
      '/api/employees/{id}/territories',
      '/api/employees/{id}/transfer',
      '/api/territory-objections',
      '/api/territory-objections/escalate',
      '/api/targets/{year}/company',
      '/api/targets/{year}/assignments',
      '/api/targets/{year}/finalize',
      '/api/targets/{year}/revisions',
      '/api/sales-expenses',
      '/api/sales-plans',
      '/api/visits',
      '/api/reports/sales-progress',
      '/api/reports/sales-progress/{level}/{id}',
      '/api/reports/sales-progress/{level}/{id}/unassigned',
    ])
      expect(Object.keys(doc.paths)).toContain(path);
  });
});
