import { EVENT_STORE, EventStore } from '@salesline/core';
import { acme } from './support/fixtures';
import { ADMIN_TOKEN, RunningApp, startInProcessApp } from './support/in-process-app';

/** The hostile shapes a careless or malicious client sends, each answered with its named code and no write. */
describe('Hostile request shapes', () => {
  let app: RunningApp;
  let head: () => Promise<number>;
  beforeAll(async () => {
    app = await startInProcessApp();
    head = () => app.app.get<EventStore>(EVENT_STORE).headPosition();
  });
  afterAll(() => app.close());

  const send = (
    method: string,
    path: string,
    body: string | undefined,
    headers: Record<string, string> = { 'content-type': 'application/json' },
  ) => app.http.request(method, path, { token: ADMIN_TOKEN, rawBody: body, headers });

  it('refuses a compressed or non-JSON body with 415 before reading it', async () => {
    const before = await head();
    for (const encoding of ['gzip', 'deflate', 'br']) {
      const res = await send('POST', '/api/customers', JSON.stringify(acme), {
        'content-type': 'application/json',
        'content-encoding': encoding,
      });
      expect([res.status, res.body.code]).toEqual([415, 'UnsupportedContentEncoding']);
    }
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/xml']) {
      const res = await send('POST', '/api/customers', JSON.stringify(acme), { 'content-type': type });
      expect([res.status, res.body.code]).toEqual([415, 'UnsupportedMediaType']);
    }
    expect(await head()).toBe(before);
  });

  it('refuses deep nesting, prototype keys, blank strings and arrays of arrays with 400 naming the field', async () => {
    const before = await head();
    const deep = '{"a":'.repeat(3000) + '1' + '}'.repeat(3000);
    expect((await send('POST', '/api/customers', deep)).body.code).toBe('BodyTooDeep');
    const proto = await send('POST', '/api/customers', JSON.stringify(acme).replace('{', '{"__proto__":{"admin":true},'));
    expect([proto.status, proto.body.errors]).toEqual([400, [{ field: '__proto__', reason: 'is a reserved key and not allowed' }]]);
    const blank = await send('POST', '/api/customers', JSON.stringify({ ...acme, name: ' \t\u00a0' }));
    expect([blank.status, blank.body.errors]).toEqual([400, [{ field: 'name', reason: 'must not be blank' }]]);
    const nested = await send(
      'POST',
      '/api/price-lists',
      JSON.stringify({ name: 'L', scope: { kind: 'group', customerGroup: 'g' }, validFrom: '2026-01-01', items: [[]] }),
    );
    expect([nested.status, nested.body.errors]).toEqual([400, [{ field: 'items[0]', reason: 'must be an object' }]]);
    const noScope = await send('POST', '/api/price-lists', JSON.stringify({ name: 'L', validFrom: '2026-01-01', items: [] }));
    expect(noScope.status).toBe(400);
    expect(noScope.body.errors).toContainEqual({ field: 'scope', reason: 'is required and must be an object' });
    expect(await head()).toBe(before);
  });

  it('refuses a body on a route that takes none, and an offset beyond any collection', async () => {
    const before = await head();
    const sweep = await send('POST', '/api/quotes/expire', '{"before":"2026-01-01"}');
    expect([sweep.status, sweep.body.code]).toEqual([400, 'BodyNotAllowed']);
    const page = await app.http.get('/api/customers?offset=1e20', ADMIN_TOKEN);
    expect([page.status, page.body.errors[0].field]).toEqual([400, 'offset']);
    expect(await head()).toBe(before);
  });
});
