import { createServer, IncomingHttpHeaders, request as httpRequest, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { EVENT_STORE, EventStore } from '@salesline/core';
import { generateDemo } from '@salesline/demo/demo-company';
import { HttpClient, httpClient } from './support/http';
import { ADMIN_TOKEN, RunningApp, startInProcessApp, tokenFor } from './support/in-process-app';
import { OpenApiDocument, operationsOf } from './support/openapi-walk';

/**
 * Idempotency-Key, found by behaviour: a whole demo year (every kind of write the business makes)
 * goes through a proxy that sends each accepted POST a second time with the same key and body. The
 * operation honours the key when the retry gets the same answer (status, id, position) and appends
 * nothing (no event carries the retry's correlation id). The OpenAPI document must declare the
 * header on exactly those operations.
 */
type Seen = { honoured: boolean; example: string };

/** POST operations a demo year does not make, and why the suite cannot tell whether they honour a key. */
const NOT_WALKED: Record<string, string> = {};

/**
 * The writes a demo year does not make, each once, through the proxy (which retries every accepted one).
 * A step that is refused is left to the coverage check, which names it.
 */
const theRest = async (p: HttpClient, app: RunningApp): Promise<void> => {
  const [hr, mgr, fin, sp, integration] = [
    await tokenFor(app.http, 'x-hr', 'admin_department'),
    await tokenFor(app.http, 'x-mgr', 'sales_manager'),
    await tokenFor(app.http, 'x-fin', 'finance'),
    await tokenFor(app.http, 'x-sp', 'salesperson'),
    await tokenFor(app.http, 'x-int', 'integration'),
  ];
  const admin = ADMIN_TOKEN;
  const post = async (path: string, body: unknown, token: string): Promise<any> => {
    const res = await p.post(path, body, token);
    if (process.env.IDEMPOTENCY_DEBUG && res.status >= 300) console.log(path, res.status, JSON.stringify(res.body));
    return res.body ?? {};
  };
  const bare = async (path: string, token: string): Promise<any> => (await p.request('POST', path, { token })).body ?? {};
  const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
  const year = new Date().getUTCFullYear() + 1;

  // The organization, dated back so that changes can follow assignments.
  await post('/api/regions', { regionId: 'x-r', name: 'X region', managerId: 'x-mgr', establishedOn: day(-200) }, hr);
  await post('/api/regions', { regionId: 'x-r2', name: 'X closing', managerId: 'x-mgr' }, hr);
  await post('/api/regions/x-r2/close', {}, hr);
  await post('/api/regions/x-r/branches', { branchId: 'x-b', name: 'X branch', city: 'Oslo' }, hr);
  await post('/api/regions/x-r/branches/x-b/close', {}, hr);
  await post('/api/regions/x-r/agents', { agentId: 'x-a', name: 'X agent', commissionBp: 500 }, hr);
  await post('/api/regions/x-r/agents/x-a/end', { reason: 'contract ended' }, hr);
  for (const teamId of ['x-t', 'x-t2'])
    await post('/api/teams', { teamId, regionId: 'x-r', name: `Team ${teamId}`, managerId: 'x-mgr', formedOn: day(-200) }, hr);
  for (const employeeId of ['x-sp', 'x-sp2'])
    await post('/api/employees', { employeeId, name: `Person ${employeeId}`, teamId: 'x-t', hiredOn: day(-150) }, hr);
  for (const territory of ['x-north', 'x-south', 'x-east', 'x-west'])
    await post('/api/employees/x-sp/territories', { territory, assignedOn: day(-120) }, hr);
  const objection = (territory: string, raisedOn?: string) =>
    post('/api/territory-objections', { employeeId: 'x-sp', territory, reason: 'too far', ...(raisedOn ? { raisedOn } : {}) }, sp);
  await bare(`/api/territory-objections/${(await objection('x-north')).id}/withdraw`, sp);
  const resolved = (await objection('x-south')).id;
  await post(`/api/territory-objections/${resolved}/resolve`, { decision: 'objection_upheld', note: 'agreed' }, mgr);
  // An objection no manager answers in time goes up to the administration department.
  const escalated = (await objection('x-west', day(-60))).id;
  await bare('/api/territory-objections/escalate', integration);
  await post(`/api/territory-objections/${escalated}/decision`, { decision: 'support_assigned', note: 'a colleague helps' }, hr);
  await post('/api/employees/x-sp/territories/x-east/unassign', {}, hr);
  await post('/api/employees/x-sp2/transfer', { toTeamId: 'x-t2' }, hr);
  await post('/api/employees/x-sp2/leave', { reason: 'resigned' }, hr);
  await post('/api/teams/x-t2/manager', { managerId: 'x-mgr2' }, hr);
  await post('/api/teams/x-t2/disband', {}, hr);
  await post('/api/regions/x-r/manager', { managerId: 'x-mgr' }, hr);

  // Customers, products, price lists.
  const newCustomer = async (name: string, creditLimit: number, registeredOn = day(0)): Promise<string> =>
    (
      await post(
        '/api/customers',
        { name, customerGroup: 'x', territory: 'x-south', ownerId: 'x-sp', creditLimit, paymentTermsDays: 30, registeredOn },
        fin,
      )
    ).id;
  const customer = await newCustomer('X AS', 10_000_000);
  const tight = await newCustomer('X tight', 100);
  const payer = await newCustomer('X payer', 10_000_000);
  await post(`/api/customers/${customer}/credit-limit`, { creditLimit: 20_000_000, reason: 'grown' }, fin);
  await post(`/api/customers/${customer}/block`, { reason: 'overdue' }, fin);
  await post(`/api/customers/${customer}/unblock`, { reason: 'paid' }, fin);
  const newProduct = async (sku: string): Promise<string> =>
    (await post('/api/products', { sku, name: `Product ${sku}`, unit: 'pcs', listPrice: 10_00, standardCost: 6_00 }, mgr)).id;
  const product = await newProduct('X-1');
  const old = await newProduct('X-2');
  await post(`/api/products/${product}/price`, { listPrice: 11_00 }, mgr);
  await post(`/api/products/${product}/cost`, { standardCost: 6_50 }, fin);
  await post(`/api/products/${old}/discontinue`, { reason: 'replaced' }, mgr);
  const items = (unitPrice: number) => [{ productId: product, breaks: [{ minQuantity: 1, unitPrice }] }];
  const scope = { kind: 'customer', customerId: customer };
  const priceList = (await post('/api/price-lists', { name: 'X prices', scope, validFrom: day(0), items: items(10_80) }, mgr)).id;
  await post(`/api/price-lists/${priceList}/items`, { items: items(10_70) }, mgr);
  await post(`/api/price-lists/${priceList}/close`, {}, mgr);

  // Quotes.
  const quote = (await post('/api/quotes', { customerId: customer, lines: [{ productId: product, quantity: 2 }] }, sp)).id;
  await post(`/api/quotes/${quote}/revise`, { lines: [{ productId: product, quantity: 3 }] }, sp);
  const cheap = { customerId: customer, lines: [{ productId: product, quantity: 1, unitPrice: 10_00, overrideReason: 'match a rival' }] };
  for (const verdict of ['approve', 'reject']) {
    const q = (await post('/api/quotes', cheap, sp)).id;
    const overrideId = (await p.get(`/api/quotes/${q}`, sp)).body?.overrides?.[0]?.overrideId;
    await post(`/api/quotes/${q}/price-overrides/${overrideId}/${verdict}`, { reason: 'decided' }, mgr);
  }
  // A sweep that finds something to do: a quote dated back whose validity has run out.
  const lapsing = await newCustomer('X lapsing', 10_000_000, day(-100));
  const stale = { customerId: lapsing, quoteDate: day(-40), validUntil: day(-10), lines: [{ productId: product, quantity: 1 }] };
  await post('/api/quotes', stale, sp);
  await bare('/api/quotes/expire', integration);

  // Orders, deliveries, invoices, returns, money.
  const place = async (body: Record<string, unknown>) => (await post('/api/orders', body, sp)).id as string;
  const line = (quantity: number) => [{ lineId: 'l1', productId: product, quantity }];
  await post(`/api/orders/${await place({ customerId: customer, lines: line(5) })}/cancel`, { reason: 'changed mind' }, sp);
  for (const verdict of ['approve', 'reject']) {
    const o = await place(cheap);
    const overrideId = (await p.get(`/api/orders/${o}`, mgr)).body?.overrides?.[0]?.overrideId;
    await post(`/api/price-overrides/${overrideId}/${verdict}`, { reason: 'decided' }, mgr);
  }
  await post(`/api/orders/${await place({ customerId: tight, lines: line(5) })}/release-credit-hold`, { reason: 'known customer' }, fin);
  const invoiced = async (quantity: number, bill: string, buyer = customer) => {
    const o = await place({ customerId: buyer, lines: line(quantity) });
    await post(`/api/orders/${o}/deliveries`, { billOfLading: bill, carrier: 'DHL', lines: [{ lineId: 'l1', quantity }] }, sp);
    return { order: o, invoice: (await post(`/api/orders/${o}/invoices`, {}, fin)).invoiceId as string };
  };
  const first = await invoiced(4, 'XB-1');
  const returned = (await post('/api/returns', { orderId: first.order, reason: 'damaged', lines: [{ lineId: 'l1', quantity: 1 }] }, sp)).id;
  await post(`/api/returns/${returned}/refuse`, { reason: 'not damaged' }, mgr);
  await post(`/api/invoices/${first.invoice}/refusals`, { reason: 'wrong price' }, fin);
  await post(`/api/invoices/${first.invoice}/settle-dispute`, { outcome: 'customer_pays' }, fin);
  const second = await invoiced(2, 'XB-2');
  await post(`/api/invoices/${second.invoice}/write-off`, { reason: 'uncollectable' }, fin);
  const deposit = (await post(`/api/customers/${customer}/deposits`, { amount: 5_00 }, fin)).id;
  await post(`/api/customers/${customer}/deposits/${deposit}/refund`, {}, fin);
  // Money received before the invoice it pays stays unallocated until finance allocates it.
  const payment = (await post(`/api/customers/${payer}/payments`, { amount: 3_00 }, fin)).id;
  const third = await invoiced(1, 'XB-3', payer);
  await post(
    `/api/customers/${payer}/allocations`,
    { invoiceId: third.invoice, amount: 3_00, sourceId: payment, sourceKind: 'payment' },
    fin,
  );

  // Targets and expenses.
  const target = { revenue: 1_000_00, quantity: 100, grossMargin: 400_00, expenseBudget: 10_00 };
  await post(`/api/targets/${year}/company`, target, fin);
  await post(`/api/targets/${year}/assignments`, { ...target, nodeKind: 'region', nodeId: 'x-r', monthly: { kind: 'even' } }, mgr);
  const team = { ...target, nodeKind: 'team', nodeId: 'x-t', parentId: 'x-r', monthly: { kind: 'even' } };
  await post(`/api/targets/${year}/assignments`, team, mgr);
  await post(`/api/targets/${year}/assignments/withdraw`, { nodeKind: 'team', nodeId: 'x-t' }, mgr);
  await post(`/api/targets/${year}/finalize`, {}, fin);
  const revised = (nodeKind: string, nodeId: string) => ({ nodeKind, nodeId, target: { ...target, revenue: 900_00 } });
  await post(
    `/api/targets/${year}/revisions`,
    { reason: 'market', changes: [revised('company', 'company'), revised('region', 'x-r')] },
    fin,
  );
  const expense = (await post('/api/sales-expenses', { employeeId: 'x-sp', amount: 12_00, category: 'travel' }, sp)).id;
  await post(`/api/sales-expenses/${expense}/reverse`, { reason: 'duplicate' }, mgr);

  // Conduct, discipline, appraisal follow-up.
  const meeting = async (scheduledFor: string) =>
    (await post('/api/meetings', { kind: 'department', title: 'Weekly', scheduledFor, startsAt: '09:00', attendees: ['x-sp'] }, mgr)).id;
  await post(`/api/meetings/${await meeting(day(1))}/excusals`, { employeeId: 'x-sp', reason: 'ill' }, mgr);
  const attended = await meeting(day(0));
  await post(`/api/meetings/${attended}/attendance`, { employeeId: 'x-sp', status: 'attended' }, mgr);
  const correction = { employeeId: 'x-sp', status: 'late', minutesLate: 5, reason: 'clock' };
  await post(`/api/meetings/${attended}/attendance-corrections`, correction, mgr);
  await post(`/api/meetings/${await meeting(day(0))}/cancel`, { reason: 'holiday' }, mgr);
  const evidence = [{ kind: 'document', reference: 'memo-1' }];
  const violation = { employeeId: 'x-sp', kind: 'deceiving_customers', severity: 'serious', description: 'promised too much', evidence };
  const opened = (await post('/api/violations', violation, mgr)).casesOpened?.[0];
  if (opened) await post(`/api/disciplinary-cases/${opened}/close`, { outcome: 'warning', note: 'written warning' }, mgr);
  // An improvement plan: two violations in last month leave discipline as x-sp's only measured item at 0 points
  // (no target, sales or feedback), below the demo scheme's threshold; the plan is reviewed at its deadline.
  const now = new Date();
  const lastMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 15)).toISOString().slice(0, 10);
  for (const description of ['late report', 'late again'])
    await post('/api/violations', { ...violation, kind: 'other', severity: 'minor', description, occurredOn: lastMonth }, mgr);
  const period = lastMonth.slice(0, 7);
  await post('/api/appraisals/run', { period, kind: 'monthly', employeeIds: ['x-sp'] }, mgr);
  const planned = await post(
    `/api/appraisals/x-sp-${period}/review`,
    { feedback: 'Two violations', reviewedOn: day(-3), improvementPlan: { goals: [{ description: 'No violations' }], deadline: day(-1) } },
    mgr,
  );
  if (planned.improvementPlanId)
    await post(`/api/improvement-plans/${planned.improvementPlanId}/review`, { outcome: 'met', note: 'No violations since' }, mgr);
  // Webhooks and credentials (the admin token is rotated last).
  const secret = 'x-secret-0123456789abcdef';
  const hook = (await post('/api/webhooks', { url: 'http://127.0.0.1:9/hook', eventTypes: ['OrderPlaced'], secret }, admin)).id;
  // A webhook to a dead address parks after its one attempt (WEBHOOK_MAX_ATTEMPTS=1), and can then be replayed.
  for (let i = 0; i < 100 && (await p.get(`/api/webhooks/${hook}`, admin)).body?.status !== 'parked'; i++)
    await new Promise((resolve) => setTimeout(resolve, 100));
  await bare(`/api/webhooks/${hook}/replay`, admin);
  await post('/api/auth/api-keys', { userId: 'x-int2', roles: ['integration'] }, admin);
  const pair = await post('/api/auth/tokens', { userId: 'x-old', roles: ['analyst'] }, admin);
  await post('/api/auth/refresh', { refreshToken: pair.refreshToken }, admin);
  await bare(`/api/auth/tokens/${pair.tokenId}/revoke`, admin);
  await bare('/api/auth/users/x-old/revoke-all', admin);
  await bare('/api/auth/admin-token/rotate', admin);
};

const forward = (
  target: string,
  method: string,
  path: string,
  headers: IncomingHttpHeaders,
  body: Buffer,
): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> =>
  new Promise((resolve, reject) => {
    const { host: _host, connection: _connection, ...rest } = headers;
    const req = httpRequest(`${target}${path}`, { method, headers: rest }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });

const parse = (body: Buffer): any => {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return body.toString('utf8');
  }
};

describe('Idempotency-Key: declared in the OpenAPI document exactly where the server honours it', () => {
  let app: RunningApp;
  let proxy: Server;
  let doc: OpenApiDocument;
  let events: EventStore;
  const seen = new Map<string, Seen>();
  /** The first refusal of an operation, to tell why a step did not reach it. */
  const refused = new Map<string, string>();

  beforeAll(async () => {
    // Webhooks give up at once, so that one can be parked and replayed.
    app = await startInProcessApp({ WEBHOOK_MAX_ATTEMPTS: '1', WEBHOOK_RETRY_BASE_MS: '1', WEBHOOK_TIMEOUT_MS: '200' });
    doc = (await app.http.get('/docs-json')).body;
    events = app.app.get<EventStore>(EVENT_STORE);
    const posts = operationsOf(doc)
      .filter((op) => op.method === 'POST')
      .map((op) => ({ op, pattern: new RegExp(`^${op.path.replace(/\{[^}]+\}/g, '[^/]+')}$`) }));
    let n = 0;
    proxy = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', async () => {
        try {
          const body = Buffer.concat(chunks);
          const path = req.url ?? '/';
          const headers = { ...req.headers };
          const match = req.method === 'POST' ? posts.find((p) => p.pattern.test(path.replace(/\?.*$/, ''))) : undefined;
          if (match && !headers['idempotency-key']) headers['idempotency-key'] = `probe-${++n}`;
          const first = await forward(app.baseUrl, req.method!, path, headers, body);
          if (match && (first.status < 200 || first.status >= 300) && !refused.has(match.op.operationId))
            refused.set(match.op.operationId, `${path} → ${first.status} ${first.body.toString('utf8').slice(0, 300)}`);
          if (match && first.status >= 200 && first.status < 300) {
            const retryId = `retry-${++n}`;
            const head = await events.headPosition();
            const again = await forward(app.baseUrl, 'POST', path, { ...headers, 'x-correlation-id': retryId }, body);
            const wrote = (await events.readAll({ afterPosition: head, maxCount: 10_000 })).some(
              (e) => e.metadata.correlationId === retryId,
            );
            const [a, b] = [parse(first.body), parse(again.body)];
            // The same answer; its position (a read-your-writes token) may only cover more, never less.
            const same =
              again.status === first.status &&
              (typeof a === 'object' && a !== null && typeof a.position === 'number'
                ? JSON.stringify({ ...a, position: 0 }) === JSON.stringify({ ...b, position: 0 }) && b.position >= a.position
                : JSON.stringify(a) === JSON.stringify(b));
            const operationId = match.op.operationId;
            const before = seen.get(operationId);
            seen.set(operationId, {
              honoured: (before?.honoured ?? true) && same && !wrote,
              example:
                before?.example ??
                `${path} → ${first.status} ${JSON.stringify(a)}, again → ${again.status} ${JSON.stringify(b)}${wrote ? ' and wrote' : ''}`,
            });
          }
          const { connection: _c, 'keep-alive': _k, 'transfer-encoding': _t, ...answer } = first.headers;
          res.writeHead(first.status, { ...answer, 'content-length': String(first.body.length) });
          res.end(first.body);
        } catch (err) {
          res.writeHead(502);
          res.end(String(err));
        }
      });
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    await generateDemo(proxyUrl, ADMIN_TOKEN, { seed: 7, size: { salespeoplePerTeam: 1, customers: 6, products: 3, months: 2 } });
    await theRest(httpClient(proxyUrl), app);
  }, 600_000);
  afterAll(async () => {
    await new Promise((resolve) => proxy?.close(resolve));
    await app?.close();
  });

  const declares = (operationId: string): boolean => {
    const op = operationsOf(doc).find((o) => o.operationId === operationId)!;
    return op.parameters.some((p) => p.in === 'header' && p.name.toLowerCase() === 'idempotency-key');
  };

  it('walks every POST operation (or says why not)', () => {
    const missing = operationsOf(doc)
      .filter((op) => op.method === 'POST' && !seen.has(op.operationId) && !(op.operationId in NOT_WALKED))
      .map((op) => `${op.operationId} (${refused.get(op.operationId) ?? op.path})`);
    expect(missing).toEqual([]);
  });

  it('declares Idempotency-Key exactly on the operations that honour it', () => {
    const wrong = [...seen.entries()]
      .filter(([operationId, s]) => declares(operationId) !== s.honoured)
      .map(([operationId, s]) => `${operationId}: ${s.honoured ? 'honours the key, undeclared' : 'declared, not honoured'} (${s.example})`);
    expect(wrong).toEqual([]);
  });
});
