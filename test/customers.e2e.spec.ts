import Database from 'better-sqlite3';
import { join } from 'node:path';
import { SqliteEventStore } from '@salesline/core';
import { ADMIN_TOKEN, RunningApp, startInProcessApp, tokenFor } from './support/in-process-app';
import { acme } from './support/fixtures';

describe('Customers over HTTP (embedded SQLite)', () => {
  let running: RunningApp;
  let finance: string;
  let salesperson: string;
  let auditor: string;

  beforeAll(async () => {
    running = await startInProcessApp();
    finance = await tokenFor(running.http, 'fiona', 'finance');
    salesperson = await tokenFor(running.http, 'sp-anna', 'salesperson');
    auditor = await tokenFor(running.http, 'audrey', 'auditor');
  });
  afterAll(() => running.close());

  it('registers a customer, reads it back at the returned position, and lists it by group, territory and owner', async () => {
    const created = await running.http.post('/api/customers', acme, finance);
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ id: expect.any(String), position: expect.any(Number) });
    const { id, position } = created.body;

    const read = await running.http.get(`/api/customers/${id}?minPosition=${position}`, salesperson);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ id, ...acme, status: 'active' });

    const list = await running.http.get(
      `/api/customers?group=wholesale&territory=north&owner=sp-anna&minPosition=${position}`,
      salesperson,
    );
    expect(list.status).toBe(200);
    expect(list.body.items.map((c: { id: string }) => c.id)).toContain(id);
    const none = await running.http.get(`/api/customers?group=retail&minPosition=${position}`, salesperson);
    expect(none.body.items.map((c: { id: string }) => c.id)).not.toContain(id);
  });

  it('records the authenticated actor and the correlation id on every event, visible to auditors', async () => {
    const created = await running.http.post('/api/customers', acme, finance, { 'x-correlation-id': 'corr-e2e-1' });
    const stream = await running.http.get(`/api/streams/customer-${created.body.id}`, auditor);
    expect(stream.status).toBe(200);
    expect(stream.body.events).toHaveLength(1);
    expect(stream.body.events[0]).toMatchObject({
      type: 'CustomerRegistered',
      revision: 0,
      position: created.body.position,
      metadata: { actor: 'fiona', correlationId: 'corr-e2e-1', causationId: null, schemaVersion: 2, occurredAt: expect.any(String) },
    });
    // Also in the SQLite file itself, in plain columns.
    const db = new Database(join(running.dataDir, 'events.db'), { readonly: true });
    const row = db.prepare('SELECT actor, correlation_id, type FROM events WHERE stream_name = ?').get(`customer-${created.body.id}`);
    db.close();
    expect(row).toEqual({ actor: 'fiona', correlation_id: 'corr-e2e-1', type: 'CustomerRegistered' });
    // Not everyone may read raw streams.
    expect((await running.http.get(`/api/streams/customer-${created.body.id}`, salesperson)).status).toBe(403);
  });

  it('never takes the actor from the body', async () => {
    const res = await running.http.post('/api/customers', { ...acme, actor: 'mallory' }, finance);
    expect(res.status).toBe(400);
    expect(res.body.errors).toContainEqual({ field: 'actor', reason: 'property actor should not exist' });
  });

  it('answers a retried create with the same Idempotency-Key with the first answer and appends nothing', async () => {
    const headers = { 'idempotency-key': 'create-acme-once' };
    const first = await running.http.post('/api/customers', acme, finance, headers);
    const second = await running.http.post('/api/customers', acme, finance, headers);
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body).toEqual(first.body);
    const stream = await running.http.get(`/api/streams/customer-${first.body.id}`, auditor);
    expect(stream.body.events).toHaveLength(1);
    const different = await running.http.post('/api/customers', { ...acme, name: 'Other' }, finance, headers);
    expect(different.status).toBe(422);
    expect(different.body.code).toBe('IdempotencyKeyReused');
  });

  it('makes concurrent retries with one Idempotency-Key create exactly one customer', async () => {
    const headers = { 'idempotency-key': 'race-key' };
    const answers = await Promise.all(Array.from({ length: 8 }, () => running.http.post('/api/customers', acme, finance, headers)));
    expect(new Set(answers.map((a) => a.status))).toEqual(new Set([201]));
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
    const stream = await running.http.get(`/api/streams/customer-${answers[0].body.id}`, auditor);
    expect(stream.body.events).toHaveLength(1);
  });

  it('never lands two concurrent conflicting changes on the same revision', async () => {
    const { body } = await running.http.post('/api/customers', acme, finance);
    // Ten blocks race; the customer can be blocked only once.
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) => running.http.post(`/api/customers/${body.id}/block`, { reason: `race ${i}` }, finance)),
    );
    expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
    for (const a of answers.filter((x) => x.status !== 200)) expect([409]).toContain(a.status);
    const stream = await running.http.get(`/api/streams/customer-${body.id}`, auditor);
    expect(stream.body.events.map((e: { type: string }) => e.type)).toEqual(['CustomerRegistered', 'CustomerBlocked']);
  });

  it('keeps credit with finance: a salesperson can neither grant nor change a limit', async () => {
    const granted = await running.http.post('/api/customers', acme, salesperson);
    expect(granted.status).toBe(403);
    expect(granted.body.code).toBe('CreditLimitChangeNotPermitted');
    const cash = await running.http.post('/api/customers', { ...acme, creditLimit: 0 }, salesperson);
    expect(cash.status).toBe(201);
    const change = await running.http.post(`/api/customers/${cash.body.id}/credit-limit`, { creditLimit: 1, reason: 'x' }, salesperson);
    expect(change.status).toBe(403);
    const ok = await running.http.post(`/api/customers/${cash.body.id}/credit-limit`, { creditLimit: 90_000, reason: 'review' }, finance);
    expect(ok.status).toBe(200);
    const read = await running.http.get(`/api/customers/${cash.body.id}?minPosition=${ok.body.position}`, salesperson);
    expect(read.body.creditLimit).toBe(90_000);
  });

  it('blocks and unblocks, and changes details', async () => {
    const { body } = await running.http.post('/api/customers', acme, finance);
    const blocked = await running.http.post(`/api/customers/${body.id}/block`, { reason: 'overdue' }, finance);
    expect((await running.http.get(`/api/customers/${body.id}?minPosition=${blocked.body.position}`, finance)).body).toMatchObject({
      status: 'blocked',
      blockedReason: 'overdue',
    });
    expect((await running.http.post(`/api/customers/${body.id}/block`, { reason: 'again' }, finance)).body.code).toBe(
      'CustomerAlreadyBlocked',
    );
    const unblocked = await running.http.post(`/api/customers/${body.id}/unblock`, { reason: 'paid' }, finance);
    expect(unblocked.status).toBe(200);
    const changed = await running.http.patch(`/api/customers/${body.id}`, { territory: 'south' }, salesperson);
    expect(changed.status).toBe(200);
    const read = await running.http.get(`/api/customers/${body.id}?minPosition=${changed.body.position}`, finance);
    expect(read.body).toMatchObject({ status: 'active', territory: 'south', blockedReason: null });
  });

  it('dates credit-limit changes, blocks, unblocks and detail changes on their business day (today when none is given)', async () => {
    const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);
    const today = daysAgo(0);
    const { body } = await running.http.post('/api/customers', { ...acme, registeredOn: daysAgo(40) }, finance);
    const steps = [
      () =>
        running.http.post(
          `/api/customers/${body.id}/credit-limit`,
          { creditLimit: 90_000, reason: 'review', changedOn: daysAgo(30) },
          finance,
        ),
      () => running.http.post(`/api/customers/${body.id}/block`, { reason: 'overdue', blockedOn: daysAgo(20) }, finance),
      () => running.http.post(`/api/customers/${body.id}/unblock`, { reason: 'paid', unblockedOn: daysAgo(10) }, finance),
      () => running.http.patch(`/api/customers/${body.id}`, { territory: 'south', changedOn: daysAgo(5) }, finance),
      () => running.http.post(`/api/customers/${body.id}/credit-limit`, { creditLimit: 80_000, reason: 'review' }, finance),
    ];
    for (const step of steps) expect((await step()).status).toBe(200);
    const stream = await running.http.get(`/api/streams/customer-${body.id}`, auditor);
    expect(stream.body.events.map((e: { type: string; data: Record<string, unknown> }) => [e.type, e.data])).toEqual([
      ['CustomerRegistered', expect.objectContaining({ registeredOn: daysAgo(40) })],
      ['CreditLimitChanged', expect.objectContaining({ creditLimit: 90_000, changedOn: daysAgo(30) })],
      ['CustomerBlocked', expect.objectContaining({ blockedOn: daysAgo(20) })],
      ['CustomerUnblocked', expect.objectContaining({ unblockedOn: daysAgo(10) })],
      ['CustomerDetailsChanged', { customerId: body.id, changes: { territory: 'south' }, changedOn: daysAgo(5) }],
      ['CreditLimitChanged', expect.objectContaining({ creditLimit: 80_000, changedOn: today })],
    ]);
    // the dates are business dates: in the back-dating window, never in the future; nothing is written otherwise
    const future = await running.http.post(`/api/customers/${body.id}/block`, { reason: 'x', blockedOn: '2999-01-01' }, finance);
    expect(future.status).toBe(400);
    expect(future.body.errors[0].field).toBe('blockedOn');
    const tooOld = await running.http.post(
      `/api/customers/${body.id}/credit-limit`,
      { creditLimit: 1, reason: 'x', changedOn: daysAgo(4000) },
      finance,
    );
    expect(tooOld.status).toBe(400);
    expect(tooOld.body.errors[0].field).toBe('changedOn');
    expect((await running.http.patch(`/api/customers/${body.id}`, { name: 'X', changedOn: '2026-02-31' }, finance)).status).toBe(400);
    expect((await running.http.get(`/api/streams/customer-${body.id}`, auditor)).body.events).toHaveLength(6);
  });

  it('reads customer events written before they carried a business date with the day they were recorded', async () => {
    const { body } = await running.http.post('/api/customers', acme, finance);
    // written as an older release wrote them: schema version 1, no date in the data
    const old = new SqliteEventStore(join(running.dataDir, 'events.db'));
    const metadata = {
      actor: 'legacy',
      correlationId: 'c-legacy',
      causationId: null,
      occurredAt: '2026-01-07T22:30:00.000Z',
      schemaVersion: 1,
    };
    await old.append(
      `customer-${body.id}`,
      [
        {
          type: 'CreditLimitChanged',
          data: { customerId: body.id, previousCreditLimit: 500_000, creditLimit: 1_000, reason: 'old' },
          metadata,
        },
        { type: 'CustomerBlocked', data: { customerId: body.id, reason: 'old block' }, metadata },
      ],
      0,
    );
    await old.close();
    const stream = await running.http.get(`/api/streams/customer-${body.id}`, auditor);
    expect(
      stream.body.events.slice(1).map((e: { data: unknown; metadata: { schemaVersion: number } }) => [e.data, e.metadata.schemaVersion]),
    ).toEqual([
      [expect.objectContaining({ creditLimit: 1_000, changedOn: '2026-01-07' }), 2],
      [expect.objectContaining({ reason: 'old block', blockedOn: '2026-01-07' }), 2],
    ]);
    // the stream still folds: the customer is blocked, and unblocking it appends after the old events
    const unblocked = await running.http.post(`/api/customers/${body.id}/unblock`, { reason: 'paid' }, finance);
    expect(unblocked.status).toBe(200);
    const read = await running.http.get(`/api/customers/${body.id}?minPosition=${unblocked.body.position}`, finance);
    expect(read.body).toMatchObject({ creditLimit: 1_000, status: 'active', blockedOn: null });
  });

  describe('bad input gets a clear answer, never a 500', () => {
    it('names each invalid field', async () => {
      const res = await running.http.post('/api/customers', { ...acme, creditLimit: 10.5, paymentTermsDays: -1, name: '' }, finance);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('ValidationFailed');
      const fields = res.body.errors.map((e: { field: string }) => e.field);
      expect(fields).toEqual(expect.arrayContaining(['creditLimit', 'paymentTermsDays', 'name']));
    });

    it('refuses missing fields, wrong types, unknown fields, bad JSON and non-object bodies', async () => {
      expect((await running.http.post('/api/customers', {}, finance)).status).toBe(400);
      expect((await running.http.post('/api/customers', { ...acme, creditLimit: '500' }, finance)).status).toBe(400);
      const badJson = await running.http.request('POST', '/api/customers', { token: finance, rawBody: '{"name": ' });
      expect(badJson.status).toBe(400);
      expect(badJson.body.code).toBe('InvalidJson');
      expect((await running.http.request('POST', '/api/customers', { token: finance, rawBody: '[1,2]' })).status).toBe(400);
      expect((await running.http.request('POST', '/api/customers', { token: finance, rawBody: '"x"' })).status).toBe(400);
      const proto = await running.http.request('POST', '/api/customers', {
        token: finance,
        rawBody: JSON.stringify(acme).replace('{', '{"__proto__":{"admin":true},'),
      });
      expect([201, 400]).toContain(proto.status);
    });

    it('refuses business dates outside the back-dating window or in the future', async () => {
      const future = await running.http.post('/api/customers', { ...acme, registeredOn: '2999-01-01' }, finance);
      expect(future.status).toBe(400);
      expect(future.body.errors[0].field).toBe('registeredOn');
      const invalid = await running.http.post('/api/customers', { ...acme, registeredOn: '2026-02-31' }, finance);
      expect(invalid.status).toBe(400);
    });

    it('answers 404 for an unknown customer and 400 for an id that is not an id', async () => {
      const missing = await running.http.get('/api/customers/does-not-exist', finance);
      expect(missing.status).toBe(404);
      expect(missing.body.code).toBe('CustomerNotFound');
      expect((await running.http.post('/api/customers/nope/block', { reason: 'x' }, finance)).status).toBe(404);
      expect((await running.http.get('/api/customers/bad%20id', finance)).status).toBe(400);
      expect((await running.http.get('/api/customers?minPosition=-1', finance)).status).toBe(400);
      expect((await running.http.get('/api/customers?minPosition=999999999', finance)).status).toBe(400);
    });

    it('needs a valid bearer token on every /api route, and the right role', async () => {
      expect((await running.http.get('/api/customers')).status).toBe(401);
      expect((await running.http.get('/api/customers', 'forged-token')).status).toBe(401);
      expect((await running.http.post('/api/auth/tokens', { userId: 'x', roles: ['admin'] }, finance)).status).toBe(403);
      expect((await running.http.post('/api/auth/tokens', { userId: 'x', roles: ['emperor'] }, ADMIN_TOKEN)).status).toBe(400);
    });
  });

  it('serves health, liveness and the OpenAPI document without a token', async () => {
    const health = await running.http.get('/health');
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ status: 'ok', info: { eventStore: { status: 'up' }, readStore: { status: 'up' } } });
    expect((await running.http.get('/health/live')).status).toBe(200);
    const openapi = await running.http.get('/docs-json');
    expect(openapi.status).toBe(200);
    expect(Object.keys(openapi.body.paths)).toEqual(
      expect.arrayContaining(['/api/customers', '/api/customers/{id}', '/api/streams/{stream}']),
    );
    expect((await running.http.get('/docs')).status).toBe(200);
  });
});

describe('Customer owners are employees on the date, when an organization is kept (ADR 0114)', () => {
  let running: RunningApp;
  let finance: string;
  let manager: string;
  const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);

  beforeAll(async () => {
    running = await startInProcessApp();
    finance = await tokenFor(running.http, 'fiona', 'finance');
    manager = await tokenFor(running.http, 'm-nora', 'sales_manager');
    const post = async (path: string, body: unknown) => {
      const res = await running.http.post(path, body, ADMIN_TOKEN);
      if (![200, 201].includes(res.status)) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
    };
    await post('/api/regions', { regionId: 'north', name: 'North', managerId: 'm-nora', establishedOn: daysAgo(300) });
    await post('/api/teams', { teamId: 'north-a', regionId: 'north', name: 'North A', managerId: 'm-nora', formedOn: daysAgo(300) });
    await post('/api/employees', { employeeId: 'sp-anna', name: 'Anna', teamId: 'north-a', hiredOn: daysAgo(200) });
    await post('/api/employees', { employeeId: 'sp-ben', name: 'Ben', teamId: 'north-a', hiredOn: daysAgo(50) });
    await post('/api/employees/sp-anna/leave', { reason: 'resigned', leftOn: daysAgo(100) });
  }, 60_000);
  afterAll(() => running.close());

  it('refuses an owner not yet hired or already gone on the registration date, and one who is no employee at all', async () => {
    const register = (ownerId: string, registeredOn: string) =>
      running.http.post('/api/customers', { ...acme, ownerId, registeredOn }, finance);
    const left = await register('sp-anna', daysAgo(10));
    expect(left.status).toBe(422);
    expect(left.body).toMatchObject({ code: 'OwnerNotEmployedOnDate', details: { ownerId: 'sp-anna', standing: 'left' } });
    const notYet = await register('sp-ben', daysAgo(60));
    expect(notYet.status).toBe(422);
    expect(notYet.body).toMatchObject({ code: 'OwnerNotEmployedOnDate', details: { ownerId: 'sp-ben', standing: 'not_yet_hired' } });
    expect((await register('sp-nobody', daysAgo(10))).body.code).toBe('UnknownEmployee');
    // history entered after the fact: Anna owned customers while she was employed
    expect((await register('sp-anna', daysAgo(150))).status).toBe(201);
    expect((await register('sp-ben', daysAgo(10))).status).toBe(201);
  });

  it('keeps a customer whose owner has left; the next hand-over must name an employee on its date', async () => {
    const { body } = await running.http.post('/api/customers', { ...acme, ownerId: 'sp-anna', registeredOn: daysAgo(150) }, finance);
    expect(body.id).toEqual(expect.any(String));
    // the customer stays: its other details still change, and so do its limit and its block
    expect((await running.http.patch(`/api/customers/${body.id}`, { name: 'Acme AG' }, manager)).status).toBe(200);
    expect(
      (await running.http.post(`/api/customers/${body.id}/credit-limit`, { creditLimit: 1_000, reason: 'review' }, finance)).status,
    ).toBe(200);
    const beforeBen = await running.http.patch(`/api/customers/${body.id}`, { ownerId: 'sp-ben', changedOn: daysAgo(70) }, manager);
    expect(beforeBen.status).toBe(422);
    expect(beforeBen.body).toMatchObject({ code: 'OwnerNotEmployedOnDate', details: { standing: 'not_yet_hired' } });
    const handOver = await running.http.patch(`/api/customers/${body.id}`, { ownerId: 'sp-ben', changedOn: daysAgo(40) }, manager);
    expect(handOver.status).toBe(200);
    const read = await running.http.get(`/api/customers/${body.id}?minPosition=${handOver.body.position}`, manager);
    expect(read.body).toMatchObject({ name: 'Acme AG', ownerId: 'sp-ben', creditLimit: 1_000 });
    const toLeaver = await running.http.patch(`/api/customers/${body.id}`, { ownerId: 'sp-anna' }, manager);
    expect(toLeaver.status).toBe(422);
    expect(toLeaver.body).toMatchObject({ code: 'OwnerNotEmployedOnDate', details: { ownerId: 'sp-anna', standing: 'left' } });
  });

  it('credits an order only to a salesperson employed on the order date, the leaving owner taken by default included', async () => {
    const product = await running.http.post(
      '/api/products',
      { sku: 'OWN-1', name: 'Valve', unit: 'pcs', listPrice: 1_000, standardCost: 500 },
      manager,
    );
    expect(product.status).toBe(201);
    const customer = await running.http.post('/api/customers', { ...acme, ownerId: 'sp-anna', registeredOn: daysAgo(150) }, finance);
    const order = (orderDate: string, salespersonId?: string) =>
      running.http.post(
        '/api/orders',
        {
          customerId: customer.body.id,
          orderDate,
          ...(salespersonId ? { salespersonId } : {}),
          lines: [{ productId: product.body.id, quantity: 1 }],
        },
        manager,
      );
    const byLeaver = await order(daysAgo(10));
    expect(byLeaver.status).toBe(422);
    expect(byLeaver.body).toMatchObject({ code: 'SalespersonNotEmployedOnOrderDate', details: { salespersonId: 'sp-anna' } });
    expect((await order(daysAgo(60), 'sp-ben')).body.code).toBe('SalespersonNotEmployedOnOrderDate');
    expect((await order(daysAgo(10), 'sp-nobody')).body.code).toBe('UnknownSalesperson');
    // while she was employed, and through a colleague since
    expect((await order(daysAgo(120))).status).toBe(201);
    expect((await order(daysAgo(10), 'sp-ben')).status).toBe(201);
  });
});
