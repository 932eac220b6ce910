import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Role, ROLES } from '@salesline/shared-kernel';
import { permissionTable } from '@salesline/api/permissions';
import { matrixRows, renderSecurityDoc } from '@salesline/api/security-matrix';
import { ADMIN_TOKEN, RunningApp, startInProcessApp, tokenFor } from './support/in-process-app';
import { OpenApiDocument } from './support/openapi-walk';

/**
 * Walks every operation of the OpenAPI document × every role × own/other object over HTTP and
 * checks each answer is what the matrix (docs/security.md, generated from the permission table)
 * says. Probes never write: a body always carries an unknown field (400 after the guards), a
 * bodyless write gets a body (400 BodyNotAllowed after the guards), so an allowed call is
 * answered by validation and a refused one by the guard (403 RoleRequired or OutOfScope).
 */
const GUARD_CODES = ['RoleRequired', 'OutOfScope', 'NoPermissionDeclared'];
const PROBE = { matrixProbe: true };

describe('Authorization: every operation × role × own/other object, as docs/security.md says', () => {
  let app: RunningApp;
  let doc: OpenApiDocument;
  const tokens = {} as Record<Role, string>;
  const ids = { own: {} as Record<string, string>, other: {} as Record<string, string> };
  const userOf: Record<Role, string> = {
    salesperson: 'sp-own',
    sales_manager: 'mgr-own',
    finance: 'fin',
    admin_department: 'hr',
    auditor: 'aud',
    analyst: 'ana',
    integration: 'int',
    admin: 'admin',
  };

  const ok = async (res: Promise<{ status: number; body: any }>) => {
    const r = await res;
    if (r.status >= 300) throw new Error(`seed failed: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };

  beforeAll(async () => {
    app = await startInProcessApp();
    doc = (await app.http.get('/docs-json')).body;
    for (const role of ROLES) tokens[role] = role === 'admin' ? ADMIN_TOKEN : await tokenFor(app.http, userOf[role], role);
    const spOther = await tokenFor(app.http, 'sp-other', 'salesperson');
    const mgrOther = await tokenFor(app.http, 'mgr-other', 'sales_manager');
    const hr = tokens.admin_department;
    // The organization stands since before last month, so that last month's appraisal scores both salespeople.
    const since = new Date(Date.now() - 70 * 86_400_000).toISOString().slice(0, 10);
    const lastMonth = new Date(new Date().getUTCFullYear(), new Date().getUTCMonth() - 1, 15).toISOString().slice(0, 7);
    // sp-own is led by mgr-own (team and region); sp-other by mgr-other.
    for (const [suffix, manager] of [
      ['own', 'mgr-own'],
      ['other', 'mgr-other'],
    ]) {
      await ok(
        app.http.post('/api/regions', { regionId: `r-${suffix}`, name: `Region ${suffix}`, managerId: manager, establishedOn: since }, hr),
      );
      await ok(
        app.http.post(
          '/api/teams',
          { teamId: `t-${suffix}`, regionId: `r-${suffix}`, name: `Team ${suffix}`, managerId: manager, formedOn: since },
          hr,
        ),
      );
      await ok(
        app.http.post('/api/employees', { employeeId: `sp-${suffix}`, name: `SP ${suffix}`, teamId: `t-${suffix}`, hiredOn: since }, hr),
      );
    }
    const product = (
      await ok(
        app.http.post(
          '/api/products',
          { sku: 'MX-1', name: 'Widget', unit: 'pcs', listPrice: 10_00, standardCost: 6_00 },
          tokens.sales_manager,
        ),
      )
    ).id;
    for (const [who, token] of [
      ['own', tokens.salesperson],
      ['other', spOther],
    ] as const) {
      const side = ids[who];
      side.customer = (
        await ok(
          app.http.post(
            '/api/customers',
            {
              name: `Customer ${who}`,
              customerGroup: 'wholesale',
              territory: 'north',
              ownerId: `sp-${who}`,
              creditLimit: 1_000_000,
              paymentTermsDays: 30,
            },
            tokens.finance,
          ),
        )
      ).id;
      side.quote = (
        await ok(app.http.post('/api/quotes', { customerId: side.customer, lines: [{ productId: product, quantity: 1 }] }, token))
      ).id;
      // The order holds a price override (approved by the side's manager), an invoice and a return of what was delivered;
      // its second line stays open, so it stays in the backlog.
      side.order = (
        await ok(
          app.http.post(
            '/api/orders',
            {
              customerId: side.customer,
              lines: [
                { productId: product, quantity: 2 },
                { productId: product, quantity: 1, unitPrice: 9_99 },
              ],
            },
            token,
          ),
        )
      ).id;
      const manager = who === 'own' ? tokens.sales_manager : mgrOther;
      side.override = (await ok(app.http.get(`/api/orders/${side.order}`, token))).overrides[0]?.overrideId;
      await ok(app.http.post(`/api/price-overrides/${side.override}/approve`, { reason: 'Volume' }, manager));
      await ok(
        app.http.post(
          `/api/orders/${side.order}/deliveries`,
          { billOfLading: `BOL-${who}`, carrier: 'DHL', lines: [{ lineId: 'L1', quantity: 2 }] },
          token,
        ),
      );
      side.invoice = (await ok(app.http.post(`/api/orders/${side.order}/invoices`, {}, tokens.finance))).invoiceId;
      side.return = (
        await ok(app.http.post('/api/returns', { orderId: side.order, reason: 'Damaged', lines: [{ lineId: 'L1', quantity: 1 }] }, token))
      ).id;
    }
    // HR documents: a serious violation of each salesperson opens a disciplinary case.
    const serious = { ruleId: 'serious-violation', when: { kind: 'violation', severity: 'serious' }, opens: 'investigation' };
    await ok(app.http.post('/api/discipline-policies', { rules: [serious] }, hr));
    for (const who of ['own', 'other'] as const) {
      const violation = await ok(
        app.http.post(
          '/api/violations',
          {
            employeeId: `sp-${who}`,
            kind: 'other',
            severity: 'serious',
            description: 'Shared a price list',
            evidence: [{ kind: 'witness', reference: 'hr' }],
          },
          hr,
        ),
      );
      ids[who].case = violation.casesOpened[0];
      if (!ids[who].case) throw new Error(`seed failed: no case opened for sp-${who}`);
    }
    // Conduct, plans, expenses and objections of each salesperson: a meeting they attend, a sales plan they submit,
    // an expense they spend and an objection to a territory they hold.
    const thisMonth = new Date().toISOString().slice(0, 7);
    const nextWeek = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
    for (const [who, token] of [
      ['own', tokens.salesperson],
      ['other', spOther],
    ] as const) {
      const side = ids[who];
      side.meeting = (
        await ok(
          app.http.post(
            '/api/meetings',
            { kind: 'department', title: `Meeting ${who}`, scheduledFor: nextWeek, startsAt: '08:30', attendees: [`sp-${who}`] },
            hr,
          ),
        )
      ).id;
      side.salesPlan = (
        await ok(
          app.http.post(
            '/api/sales-plans',
            {
              period: thisMonth,
              customersToVisit: [side.customer],
              plannedVisits: 5,
              expectedOrders: [{ customerId: side.customer, amount: 5_000_00, quantity: 10 }],
              strategy: 'Upsell',
            },
            token,
          ),
        )
      ).id;
      side.expense = (
        await ok(app.http.post('/api/sales-expenses', { employeeId: `sp-${who}`, amount: 100_00, category: 'travel' }, token))
      ).id;
      await ok(app.http.post(`/api/employees/sp-${who}/territories`, { territory: `terr-${who}` }, hr));
      side.objection = (
        await ok(
          app.http.post('/api/territory-objections', { employeeId: `sp-${who}`, territory: `terr-${who}`, reason: 'Too far' }, token),
        )
      ).id;
    }
    // Last month's appraisal of each salesperson (no visits: an improvement plan), reviewed by their manager.
    await ok(
      app.http.post(
        '/api/appraisal-schemes',
        {
          items: [
            {
              itemId: 'visits',
              name: 'Visits',
              weight: 100,
              measure: { kind: 'visit_count' },
              standard: { kind: 'bands', bands: [{ atLeast: 1, points: 100 }] },
            },
          ],
          rewardAtOrAbove: 85,
          improvementPlanBelow: 50,
          improvementPlanDeadlineDays: 30,
          reward: { kind: 'bonus', amount: 100_00 },
          yearEnd: { yearAchievementWeightBp: 0, monthlyAverageWeightBp: 10000 },
        },
        hr,
      ),
    );
    await ok(app.http.post('/api/appraisals/run', { period: lastMonth, kind: 'monthly' }, hr));
    for (const [who, manager] of [
      ['own', tokens.sales_manager],
      ['other', mgrOther],
    ] as const) {
      ids[who].appraisal = `sp-${who}-${lastMonth}`;
      ids[who].plan = (
        await ok(
          app.http.post(
            `/api/appraisals/${ids[who].appraisal}/review`,
            { feedback: 'No visits', improvementPlan: { goals: [{ description: 'Visit customers' }] } },
            manager,
          ),
        )
      ).improvementPlanId;
    }
  }, 120_000);
  afterAll(() => app?.close());

  it('docs/security.md is the matrix of the permission table', () => {
    const written = readFileSync(join(__dirname, '..', 'docs', 'security.md'), 'utf8');
    expect(written).toBe(renderSecurityDoc(doc as never, permissionTable));
  });

  it('declares a permission for every operation that needs a token', () => {
    const missing = matrixRows(doc as never, permissionTable).filter((r) => r.permission && !permissionTable[r.operationId]);
    expect(missing.map((r) => `${r.method} ${r.path}`)).toEqual([]);
  });

  it('answers every operation × role × own/other object exactly as the matrix says', async () => {
    const mismatches: string[] = [];
    for (const row of matrixRows(doc as never, permissionTable)) {
      if (!row.permission) continue;
      const op = doc.paths[row.path][row.method.toLowerCase()];
      const objects = row.permission.scope?.objects ?? [];
      const kindOf = (from: string) => {
        const object = objects.find((o) => o.from === from);
        const kinds: Record<string, string> = {
          customers: 'customer',
          quotes: 'quote',
          order_board: 'order',
          appraisal_scores: 'appraisal',
          perf_improvement_plans: 'plan',
          perf_disciplinary_cases: 'case',
          perf_meetings: 'meeting',
          sales_plans: 'salesPlan',
          sales_expenses: 'expense',
          org_territory_objections: 'objection',
        };
        // A child document of an order (a return, an override, an invoice) is addressed by its own id.
        const via: Record<string, string> = { 'return:': 'return', 'override:': 'override', '': 'invoice' };
        if (object?.via) return via[object.via.key('')];
        if (object && !kinds[object.collection]) throw new Error(`no seeded ${object.collection} to walk`);
        return object ? kinds[object.collection] : null;
      };
      const scope = row.permission.scope;
      // An operation that addresses someone's object, name, list filter or unit is walked on both sides.
      const addressesOwner = Boolean(
        objects.length || scope?.bodyOwners || scope?.list?.param || scope?.unit || scope?.subject || scope?.units,
      );
      for (const side of addressesOwner ? (['own', 'other'] as const) : (['own'] as const)) {
        const path = row.path.replace(/\{([^}]+)\}/g, (_, name: string) => {
          if (scope?.unit?.levelParam === name) return 'salesperson';
          if (scope?.unit?.idParam === name || scope?.subject === `param:${name}`) return `sp-${side}`;
          const kind = kindOf(`param:${name}`);
          if (kind) return ids[side][kind];
          // A region or team addressed by path (scope.units): the side's own.
          if (scope?.units && name === 'id' && row.path.startsWith('/api/regions/')) return `r-${side}`;
          if (scope?.units && name === 'id' && row.path.startsWith('/api/teams/')) return `t-${side}`;
          return 'does-not-exist';
        });
        const takesBody = op.requestBody !== undefined;
        let body: Record<string, unknown> | undefined;
        if (takesBody) {
          body = { ...PROBE };
          for (const object of objects.filter((o) => o.from.startsWith('body:')))
            body[object.from.slice(5)] = ids[side][kindOf(object.from)!];
          if (scope?.bodyOwners || scope?.units)
            Object.assign(body, {
              ownerId: `sp-${side}`,
              salespersonId: `sp-${side}`,
              employeeId: `sp-${side}`,
              employeeIds: [`sp-${side}`],
              attendees: [`sp-${side}`],
              regionId: `r-${side}`,
              teamId: `t-${side}`,
              nodeKind: 'salesperson',
              nodeId: `sp-${side}`,
              changes: [{ nodeKind: 'salesperson', nodeId: `sp-${side}` }],
            });
        } else if (row.method !== 'GET') body = { ...PROBE };
        for (const role of ROLES) {
          if (row.operationId === 'AuthController_rotateAdminToken' && role === 'admin' && !body) continue;
          let query = '';
          const listParam = scope?.list?.param;
          if (listParam) query = `?${listParam}=sp-${side}`;
          const res = await app.http.request(row.method, `${path}${query}`, { token: tokens[role], body });
          const cell = row.cells[role];
          const refusedByGuard = res.status === 403 && GUARD_CODES.includes(res.body?.code);
          // Out of scope: a salesperson on anything not theirs; a sales manager on what they do not lead.
          const expectRefused = cell === '—' || (side === 'other' && (cell === '✓ own' || cell === '✓ team'));
          if (res.status === 401 || res.status >= 500 || expectRefused !== refusedByGuard) {
            mismatches.push(`${row.method} ${path}${query} as ${role} (${side}; matrix ${cell}) → ${res.status} ${res.body?.code ?? ''}`);
          }
        }
      }
    }
    expect(mismatches).toEqual([]);
  }, 180_000);

  it("narrows a salesperson's lists to their own, and refuses a colleague's filter", async () => {
    const mine = await app.http.get('/api/customers', tokens.salesperson);
    expect(mine.status).toBe(200);
    expect(mine.body.items.map((c: { ownerId: string }) => c.ownerId)).toEqual(['sp-own']);
    const quotes = await app.http.get('/api/quotes', tokens.salesperson);
    expect(quotes.body.items.every((q: { salespersonId: string }) => q.salespersonId === 'sp-own')).toBe(true);
    const orders = await app.http.get('/api/orders', tokens.salesperson);
    expect(orders.body.items.length).toBeGreaterThan(0);
    expect(orders.body.items.every((o: { salespersonId: string }) => o.salespersonId === 'sp-own')).toBe(true);
    expect((await app.http.get('/api/orders?salespersonId=sp-other', tokens.salesperson)).body.code).toBe('OutOfScope');
  });

  it("narrows a sales manager's lists and receivables to the salespeople they lead", async () => {
    const manager = tokens.sales_manager;
    const customers = await app.http.get('/api/customers', manager);
    expect(customers.status).toBe(200);
    expect(customers.body.items.map((c: { ownerId: string }) => c.ownerId)).toEqual(['sp-own']);
    expect(customers.body.total).toBe(1);
    const quotes = await app.http.get('/api/quotes', manager);
    expect(quotes.body.items.map((q: { id: string }) => q.id)).toEqual([ids.own.quote]);
    const orders = await app.http.get('/api/orders', manager);
    expect(orders.body.items.map((o: { id: string }) => o.id)).toEqual([ids.own.order]);
    expect((await app.http.get('/api/orders?salespersonId=sp-own', manager)).body.items).toHaveLength(1);
    expect((await app.http.get('/api/quotes?salespersonId=sp-other', manager)).body.code).toBe('OutOfScope');
    const receivables = await app.http.get('/api/receivables?includeInactive=true', manager);
    expect(receivables.status).toBe(200);
    expect(receivables.body.items.map((r: { customerId: string }) => r.customerId)).toEqual([ids.own.customer]);
    const backlog = await app.http.get('/api/reports/backlog', manager);
    expect(backlog.body.items.flatMap((p: { orders: { orderId: string }[] }) => p.orders.map((o) => o.orderId))).toEqual([ids.own.order]);
    const ownBacklog = await app.http.get('/api/reports/backlog', tokens.salesperson);
    expect(ownBacklog.body.items.flatMap((p: { orders: { orderId: string }[] }) => p.orders.map((o) => o.orderId))).toEqual([
      ids.own.order,
    ]);
    const companyBacklog = await app.http.get('/api/reports/backlog', tokens.analyst);
    expect(companyBacklog.body.items.flatMap((p: { orders: { orderId: string }[] }) => p.orders.map((o) => o.orderId)).sort()).toEqual(
      [ids.own.order, ids.other.order].sort(),
    );
    // Finance and auditors keep the whole company.
    const all = await app.http.get('/api/receivables?includeInactive=true', tokens.auditor);
    expect(all.body.items.map((r: { customerId: string }) => r.customerId).sort()).toEqual([ids.own.customer, ids.other.customer].sort());
    expect((await app.http.get('/api/customers', tokens.finance)).body.total).toBe(2);
  });

  it("gives a sales manager the appraisals, scorecards and plans of the salespeople they lead; a salesperson their own; readers everyone's", async () => {
    const period = ids.own.appraisal.slice('sp-own-'.length);
    const rowsOf = async (token: string) =>
      ((await app.http.get(`/api/reports/appraisals?period=${period}`, token)).body.rows as { employeeId: string }[]).map(
        (r) => r.employeeId,
      );
    const plansOf = async (token: string, query = '') =>
      ((await app.http.get(`/api/improvement-plans${query}`, token)).body.items as { employeeId: string }[]).map((p) => p.employeeId);
    // Given two salespeople appraised last month, each led by their own manager,
    // then a manager's report holds their own people, ranked in the company all the same.
    const report = await app.http.get(`/api/reports/appraisals?period=${period}`, tokens.sales_manager);
    expect(report.body.rows).toEqual([expect.objectContaining({ employeeId: 'sp-own', rankInCompany: { rank: 1, of: 2 } })]);
    expect((await rowsOf(tokens.analyst)).sort()).toEqual(['sp-other', 'sp-own']);
    expect((await rowsOf(tokens.admin_department)).sort()).toEqual(['sp-other', 'sp-own']);
    // Improvement plans: a manager's and a salesperson's lists are narrowed; a colleague's filter is refused.
    expect(await plansOf(tokens.sales_manager)).toEqual(['sp-own']);
    expect(await plansOf(tokens.salesperson)).toEqual(['sp-own']);
    expect((await plansOf(tokens.auditor)).sort()).toEqual(['sp-other', 'sp-own']);
    expect((await app.http.get('/api/improvement-plans?employeeId=sp-other', tokens.sales_manager)).body.code).toBe('OutOfScope');
    expect((await app.http.get('/api/improvement-plans?employeeId=sp-other', tokens.salesperson)).body.code).toBe('OutOfScope');
    // One appraisal, one scorecard, a review and a plan review: within reach or OutOfScope.
    const status = async (res: Promise<{ status: number; body: any }>) => {
      const r = await res;
      return r.status === 200 ? 200 : `${r.status} ${r.body.code}`;
    };
    expect(await status(app.http.get(`/api/appraisals/${ids.own.appraisal}`, tokens.sales_manager))).toBe(200);
    expect(await status(app.http.get(`/api/appraisals/${ids.other.appraisal}`, tokens.sales_manager))).toBe('403 OutOfScope');
    expect(await status(app.http.get(`/api/appraisals/${ids.other.appraisal}`, tokens.salesperson))).toBe('403 OutOfScope');
    expect(await status(app.http.get(`/api/appraisals/${ids.other.appraisal}`, tokens.analyst))).toBe(200);
    expect(await status(app.http.get(`/api/employees/sp-own/scorecard?period=${period}`, tokens.sales_manager))).toBe(200);
    expect(await status(app.http.get(`/api/employees/sp-other/scorecard?period=${period}`, tokens.sales_manager))).toBe('403 OutOfScope');
    expect(await status(app.http.get(`/api/employees/sp-other/scorecard?period=${period}`, tokens.salesperson))).toBe('403 OutOfScope');
    expect(await status(app.http.get(`/api/employees/sp-other/scorecard?period=${period}`, tokens.auditor))).toBe(200);
    const head = async (): Promise<number> => (await app.http.get('/api/events?limit=1', tokens.integration)).body.head;
    const before = await head();
    const review = app.http.post(`/api/improvement-plans/${ids.other.plan}/review`, { outcome: 'met', note: 'ok' }, tokens.sales_manager);
    expect(await status(review)).toBe('403 OutOfScope');
    const rerun = app.http.post('/api/appraisals/run', { period, kind: 'monthly', employeeIds: ['sp-other'] }, tokens.sales_manager);
    expect(await status(rerun)).toBe('403 OutOfScope');
    expect(await head()).toBe(before);
  });

  it("runs a sales manager's appraisal over the salespeople they lead, and answers only theirs; HR runs the company", async () => {
    const period = ids.own.appraisal.slice('sp-own-'.length);
    const employeesIn = (run: { body: { results: { employeeId: string }[] } }) => run.body.results.map((r) => r.employeeId).sort();
    // Given two salespeople, each led by their own manager, appraised last month:
    const managers = await app.http.post('/api/appraisals/run', { period, kind: 'monthly' }, tokens.sales_manager);
    expect(managers.status).toBe(200);
    expect(employeesIn(managers)).toEqual(['sp-own']);
    const hr = await app.http.post('/api/appraisals/run', { period, kind: 'monthly' }, tokens.admin_department);
    expect(employeesIn(hr)).toEqual(['sp-other', 'sp-own']);
    const named = await app.http.post(
      '/api/appraisals/run',
      { period, kind: 'monthly', employeeIds: ['sp-own', 'sp-other'] },
      tokens.sales_manager,
    );
    expect([named.status, named.body.code]).toEqual([403, 'OutOfScope']);
  });

  it('lets a sales manager schedule and cancel only the meetings of people they lead; HR any', async () => {
    const nextWeek = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
    const meeting = (attendees: string[]) => ({
      kind: 'department',
      title: 'Weekly',
      scheduledFor: nextWeek,
      startsAt: '09:00',
      attendees,
    });
    const head = async (): Promise<number> => (await app.http.get('/api/events?limit=1', tokens.integration)).body.head;
    const before = await head();
    // One attendee out of reach is enough to refuse the whole meeting, and nothing is written.
    const mixed = await app.http.post('/api/meetings', meeting(['sp-own', 'sp-other']), tokens.sales_manager);
    expect([mixed.status, mixed.body.code]).toEqual([403, 'OutOfScope']);
    expect(await head()).toBe(before);
    const both = await ok(app.http.post('/api/meetings', meeting(['sp-own', 'sp-other']), tokens.admin_department));
    const cancelBoth = await app.http.post(`/api/meetings/${both.id}/cancel`, { reason: 'not mine' }, tokens.sales_manager);
    expect([cancelBoth.status, cancelBoth.body.code]).toEqual([403, 'OutOfScope']);
    const mine = await ok(app.http.post('/api/meetings', meeting(['sp-own']), tokens.sales_manager));
    expect((await app.http.post(`/api/meetings/${mine.id}/cancel`, { reason: 'moved' }, tokens.sales_manager)).status).toBe(200);
    // Attendance of the HR meeting: the manager records their own salesperson's, not the other's.
    const other = await app.http.post(
      `/api/meetings/${both.id}/excusals`,
      { employeeId: 'sp-other', reason: 'Customer visit' },
      tokens.sales_manager,
    );
    expect([other.status, other.body.code]).toEqual([403, 'OutOfScope']);
    expect(
      (await app.http.post(`/api/meetings/${both.id}/excusals`, { employeeId: 'sp-own', reason: 'Customer visit' }, tokens.sales_manager))
        .status,
    ).toBe(200);
  });

  it("refuses a sales manager another region's manager, teams, people and targets", async () => {
    // Given mgr-own leads region r-own and team t-own, and mgr-other r-other and t-other:
    const refused = async (path: string, body: Record<string, unknown>) => {
      const res = await app.http.post(path, body, tokens.sales_manager);
      return [res.status, res.body.code];
    };
    expect(await refused('/api/regions/r-other/manager', { managerId: 'mgr-own' })).toEqual([403, 'OutOfScope']);
    expect(await refused('/api/teams/t-other/manager', { managerId: 'mgr-own' })).toEqual([403, 'OutOfScope']);
    expect(await refused('/api/teams', { regionId: 'r-other', name: 'Mine now', managerId: 'mgr-own' })).toEqual([403, 'OutOfScope']);
    expect(await refused('/api/employees/sp-other/transfer', { toTeamId: 't-own' })).toEqual([403, 'OutOfScope']);
    expect(await refused('/api/employees', { employeeId: 'sp-new', name: 'New', teamId: 't-other' })).toEqual([403, 'OutOfScope']);
    const year = new Date().getUTCFullYear();
    expect(
      await refused(`/api/targets/${year}/assignments`, { nodeKind: 'team', nodeId: 't-other', revenue: 1, monthly: { kind: 'even' } }),
    ).toEqual([403, 'OutOfScope']);
    expect(
      await refused(`/api/targets/${year}/revisions`, {
        reason: 'Move budget',
        changes: [
          { nodeKind: 'team', nodeId: 't-own', target: { revenue: 2 } },
          { nodeKind: 'team', nodeId: 't-other', target: { revenue: 0 } },
        ],
      }),
    ).toEqual([403, 'OutOfScope']);
    expect(await refused('/api/sales-expenses', { regionId: 'r-other', amount: 100, category: 'travel' })).toEqual([403, 'OutOfScope']);
  });

  it("gives a sales manager the expenses of the salespeople they lead and the own expenses of regions they manage; finance everyone's", async () => {
    // Given each salesperson's expense (seeded) and each region's own expense, r-own managed by mgr-own, r-other by another:
    for (const regionId of ['r-own', 'r-other'])
      await ok(app.http.post('/api/sales-expenses', { regionId, amount: 40_00, category: 'advertising' }, tokens.finance));
    const year = new Date().getUTCFullYear();
    type Expense = { ownerId: string; employeeId: string | null; regionId: string; amount: number; reversed: boolean };
    const list = async (token: string, filter = '') => {
      const res = await app.http.get(`/api/sales-expenses?year=${year}&limit=1000${filter}`, token);
      expect(res.status).toBe(200);
      return res.body as { items: Expense[]; total: number; spent: number };
    };
    const owners = (items: Expense[]) => [...new Set(items.map((e) => e.ownerId))].sort();
    const spentOf = (items: Expense[]) => items.filter((e) => !e.reversed).reduce((sum, e) => sum + e.amount, 0);
    const everyone = await list(tokens.finance);
    expect(owners(everyone.items)).toEqual(['region:r-other', 'region:r-own', 'sp-other', 'sp-own']);
    expect(owners((await list(tokens.auditor)).items)).toEqual(owners(everyone.items));
    // The manager's list, its count and its spent total hold only what they reach.
    const mine = await list(tokens.sales_manager);
    expect(owners(mine.items)).toEqual(['region:r-own', 'sp-own']);
    const reached = everyone.items.filter((e) => e.ownerId === 'sp-own' || e.ownerId === 'region:r-own');
    expect(mine.total).toBe(reached.length);
    expect(mine.spent).toBe(spentOf(reached));
    expect(mine.spent).toBeLessThan(everyone.spent);
    // Filtering by their own region or salesperson narrows further; naming another's is refused.
    expect(owners((await list(tokens.sales_manager, '&regionId=r-own')).items)).toEqual(['region:r-own', 'sp-own']);
    expect(owners((await list(tokens.sales_manager, '&employeeId=sp-own')).items)).toEqual(['sp-own']);
    for (const filter of ['&regionId=r-other', '&employeeId=sp-other']) {
      const res = await app.http.get(`/api/sales-expenses?year=${year}${filter}`, tokens.sales_manager);
      expect([res.status, res.body.code]).toEqual([403, 'OutOfScope']);
    }
  });

  it("gives a sales manager the violations and disciplinary cases of the salespeople they lead; HR and auditors everyone's", async () => {
    const employeesOf = async (path: string, token: string) =>
      ((await app.http.get(path, token)).body.items as { employeeId: string }[]).map((i) => i.employeeId).sort();
    // Given a serious violation and its case for each salesperson, each led by their own manager:
    expect(await employeesOf('/api/violations', tokens.sales_manager)).toEqual(['sp-own']);
    expect(await employeesOf('/api/disciplinary-cases', tokens.sales_manager)).toEqual(['sp-own']);
    expect(await employeesOf('/api/violations', tokens.admin_department)).toEqual(['sp-other', 'sp-own']);
    expect(await employeesOf('/api/disciplinary-cases', tokens.auditor)).toEqual(['sp-other', 'sp-own']);
    expect((await app.http.get('/api/violations?employeeId=sp-other', tokens.sales_manager)).body.code).toBe('OutOfScope');
    expect((await app.http.get(`/api/disciplinary-cases/${ids.own.case}`, tokens.sales_manager)).status).toBe(200);
    expect((await app.http.get(`/api/disciplinary-cases/${ids.other.case}`, tokens.sales_manager)).body.code).toBe('OutOfScope');
    const close = await app.http.post(
      `/api/disciplinary-cases/${ids.other.case}/close`,
      { outcome: 'warning', note: 'not mine to close' },
      tokens.sales_manager,
    );
    expect([close.status, close.body.code]).toEqual([403, 'OutOfScope']);
  });

  it("gives a sales manager the sales progress of the teams and regions they lead, not the company's", async () => {
    const period = new Date().toISOString().slice(0, 7);
    const manager = tokens.sales_manager;
    const read = async (path: string, token = manager) => {
      const res = await app.http.get(`/api/reports/sales-progress${path}${path.includes('?') ? '&' : '?'}period=${period}`, token);
      return res.status === 200 ? 200 : `${res.status} ${res.body.code}`;
    };
    expect(await read('/team/t-own')).toBe(200);
    expect(await read('/region/r-own')).toBe(200);
    expect(await read('/salesperson/sp-own')).toBe(200);
    expect(await read('/team/t-other')).toBe('403 OutOfScope');
    expect(await read('/region/r-other')).toBe('403 OutOfScope');
    expect(await read('/company/company')).toBe('403 OutOfScope');
    expect(await read('?level=team')).toBe('403 OutOfScope');
    expect(await read('/team/t-other', tokens.salesperson)).toBe('403 OutOfScope');
    expect(await read('/team/t-other', tokens.analyst)).toBe(200);
    expect(await read('?level=team', tokens.analyst)).toBe(200);
  });

  it("refuses an order or a customer in a colleague's name, and long payment terms from a salesperson", async () => {
    const order = await app.http.post(
      '/api/orders',
      { customerId: ids.own.customer, salespersonId: 'sp-other', lines: [{ productId: 'p', quantity: 1 }] },
      tokens.salesperson,
    );
    expect([order.status, order.body.code]).toEqual([403, 'OutOfScope']);
    const split = await app.http.post(
      '/api/orders',
      {
        customerId: ids.own.customer,
        salesCredit: [
          { salespersonId: 'sp-own', shareBp: 5000 },
          { salespersonId: 'sp-other', shareBp: 5000 },
        ],
        lines: [{ productId: 'p', quantity: 1 }],
      },
      tokens.salesperson,
    );
    expect([split.status, split.body.code]).toEqual([403, 'OutOfScope']);
    const colleagueCustomer = await app.http.post(
      '/api/orders',
      { customerId: ids.other.customer, lines: [{ productId: 'p', quantity: 1 }] },
      tokens.salesperson,
    );
    expect([colleagueCustomer.status, colleagueCustomer.body.code]).toEqual([403, 'OutOfScope']);
    const customer = {
      name: 'Net 90 GmbH',
      customerGroup: 'wholesale',
      territory: 'north',
      ownerId: 'sp-own',
      creditLimit: 0,
      paymentTermsDays: 90,
    };
    expect((await app.http.post('/api/customers', customer, tokens.salesperson)).body.code).toBe('PaymentTermsChangeNotPermitted');
    expect(
      (await app.http.post('/api/customers', { ...customer, paymentTermsDays: 30, ownerId: 'sp-other' }, tokens.salesperson)).body.code,
    ).toBe('OutOfScope');
    // A manager changes only what the salespeople they lead own.
    expect((await app.http.post(`/api/customers/${ids.other.customer}/block`, { reason: 'overdue' }, tokens.sales_manager)).body.code).toBe(
      'OutOfScope',
    );
    expect((await app.http.post(`/api/customers/${ids.own.customer}/block`, { reason: 'overdue' }, tokens.sales_manager)).status).toBe(200);
  });
  it('lets a sales manager decide the returns, price overrides and invoice disputes of the salespeople they lead; finance any invoice', async () => {
    const answer = async (res: Promise<{ status: number; body: any }>) => {
      const r = await res;
      return r.status === 403 ? `403 ${r.body.code}` : r.status;
    };
    const manager = tokens.sales_manager;
    // Given each salesperson's order with an approved override, an invoice and a requested return,
    // then a manager is refused those of a salesperson they do not lead, by the return's, override's or invoice's own id,
    expect(await answer(app.http.post(`/api/returns/${ids.other.return}/accept`, {}, manager))).toBe('403 OutOfScope');
    expect(await answer(app.http.post(`/api/returns/${ids.other.return}/refuse`, { reason: 'No' }, manager))).toBe('403 OutOfScope');
    expect(await answer(app.http.post(`/api/returns/${ids.other.return}/receive`, {}, manager))).toBe('403 OutOfScope');
    expect(await answer(app.http.post(`/api/price-overrides/${ids.other.override}/reject`, { reason: 'No' }, manager))).toBe(
      '403 OutOfScope',
    );
    expect(await answer(app.http.post(`/api/invoices/${ids.other.invoice}/refusals`, { reason: 'Damaged' }, manager))).toBe(
      '403 OutOfScope',
    );
    // and decides those of the salesperson they lead (an override already approved is no longer pending: 409 past the guard);
    expect(await answer(app.http.post(`/api/returns/${ids.own.return}/accept`, {}, manager))).toBe(200);
    expect(await answer(app.http.post(`/api/price-overrides/${ids.own.override}/reject`, { reason: 'No' }, manager))).toBe(409);
    expect(await answer(app.http.post(`/api/invoices/${ids.own.invoice}/refusals`, { reason: 'Damaged' }, manager))).toBe(201);
    // finance disputes any invoice; a return or invoice nobody knows is the handler's 404.
    expect(await answer(app.http.post(`/api/invoices/${ids.other.invoice}/refusals`, { reason: 'Damaged' }, tokens.finance))).toBe(201);
    expect(await answer(app.http.post('/api/returns/no-such-return/accept', {}, manager))).toBe(404);
    expect(await answer(app.http.post('/api/invoices/no-such-invoice/refusals', { reason: 'x' }, manager))).toBe(404);
  });
  it("gives a salesperson their own visits and territory objections, a manager those (and the meetings) of the people they lead; readers everyone's", async () => {
    const answer = async (res: Promise<{ status: number; body: any }>) => {
      const r = await res;
      return r.status === 403 ? `403 ${r.body.code}` : r.status;
    };
    const objections = async (token: string) =>
      (await ok(app.http.get('/api/territory-objections', token))).items.map((o: { employeeId: string }) => o.employeeId).sort();
    // Given each salesperson's objection, meeting and visit,
    for (const who of ['own', 'other'] as const)
      await ok(
        app.http.post('/api/visits', { employeeId: `sp-${who}`, customerId: ids[who].customer, outcome: 'Demo done' }, tokens.admin),
      );
    // a salesperson and a manager list their own people's objections and visits; the auditor everyone's.
    expect(await objections(tokens.salesperson)).toEqual(['sp-own']);
    expect(await objections(tokens.sales_manager)).toEqual(['sp-own']);
    expect(await objections(tokens.auditor)).toEqual(['sp-other', 'sp-own']);
    const visits = async (token: string) =>
      (await ok(app.http.get('/api/visits', token))).items.map((v: { employeeId: string }) => v.employeeId).sort();
    expect(await visits(tokens.salesperson)).toEqual(['sp-own']);
    expect(await visits(tokens.sales_manager)).toEqual(['sp-own']);
    expect(await visits(tokens.analyst)).toEqual(['sp-other', 'sp-own']);
    expect(await answer(app.http.get('/api/visits?employeeId=sp-other', tokens.sales_manager))).toBe('403 OutOfScope');
    // One objection or meeting of someone else is out of scope; the own one is read.
    expect(await answer(app.http.get(`/api/territory-objections/${ids.other.objection}`, tokens.salesperson))).toBe('403 OutOfScope');
    expect(await answer(app.http.get(`/api/territory-objections/${ids.other.objection}`, tokens.sales_manager))).toBe('403 OutOfScope');
    expect(await answer(app.http.get(`/api/territory-objections/${ids.own.objection}`, tokens.sales_manager))).toBe(200);
    expect(await answer(app.http.get(`/api/meetings/${ids.other.meeting}`, tokens.sales_manager))).toBe('403 OutOfScope');
    expect(await answer(app.http.get(`/api/meetings/${ids.own.meeting}`, tokens.sales_manager))).toBe(200);
    expect(await answer(app.http.get(`/api/meetings/${ids.other.meeting}`, tokens.auditor))).toBe(200);
  });
  it('refuses a sales manager naming more than 200 distinct people in one request, before looking any up', async () => {
    const crowd = Array.from({ length: 201 }, (_, i) => `sp-${i}`);
    const run = await app.http.post(
      '/api/appraisals/run',
      { period: '2020-01', kind: 'monthly', employeeIds: crowd },
      tokens.sales_manager,
    );
    expect([run.status, run.body.code, run.body.errors?.[0]?.field]).toEqual([400, 'ValidationFailed', 'employeeIds']);
    const meeting = { kind: 'department', title: 'All hands', scheduledFor: '2030-01-07', startsAt: '08:30', attendees: crowd };
    expect((await app.http.post('/api/meetings', meeting, tokens.sales_manager)).body.errors?.[0]?.field).toBe('attendees');
  });
});
