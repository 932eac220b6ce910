import Database from 'better-sqlite3';
import { join } from 'node:path';
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
      metadata: { actor: 'fiona', correlationId: 'corr-e2e-1', causationId: null, schemaVersion: 1, occurredAt: expect.any(String) },
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
