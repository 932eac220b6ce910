import { EVENT_STORE, EventStore } from '@salesline/core';
import { ADMIN_TOKEN, RunningApp, startInProcessApp } from './support/in-process-app';

/**
 * Every write path in the OpenAPI document gets bad and malicious bodies: the answer is always a
 * 4xx with a code, never a 500, and never a write (the log's head does not move).
 */
describe('Robustness of every write path', () => {
  let app: RunningApp;
  beforeAll(async () => {
    app = await startInProcessApp();
  });
  afterAll(() => app.close());

  const hostile: unknown[] = [
    {},
    [],
    'text',
    42,
    null,
    { __proto__: { admin: true }, constructor: { prototype: { polluted: true } } },
    { amount: -1, quantity: 1.5, lines: 'all', customerId: '../etc/passwd', reason: '' },
    { amount: Number.MAX_SAFE_INTEGER * 4, lines: [{ productId: 'x'.repeat(5000), quantity: 1e308 }] },
    { lines: [null, 1, 'x', { lineId: { $gt: '' } }], customerId: { $ne: null } },
    { orderDate: '2026-02-30', receivedOn: '9999-99-99', period: 'yesterday', year: 'MMXXVI' },
  ];

  const fill = (path: string) => path.replace(/\{[^}]+\}/g, 'does-not-exist');

  it('never answers 500 and never writes for hostile bodies', async () => {
    const doc = (await app.http.get('/docs-json')).body;
    const writes = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([path, ops]) =>
      Object.keys(ops)
        .filter((m) => ['post', 'put', 'patch'].includes(m))
        .map((method) => ({
          path,
          method: method.toUpperCase(),
          takesBody: (ops[method] as { requestBody?: unknown }).requestBody !== undefined,
        })),
    );
    expect(writes.length).toBeGreaterThan(40);
    const head = () => app.app.get<EventStore>(EVENT_STORE).headPosition();
    const before = await head();
    const failures: string[] = [];
    for (const { path, method, takesBody } of writes) {
      if (path === '/api/auth/tokens' || path === '/api/auth/admin-token/rotate') continue;
      for (const [i, body] of hostile.entries()) {
        // An empty object (or one whose only keys are prototype tricks) is a valid no-op for an all-optional body.
        const emptyLike = i === 0 || i === 5;
        const res = await app.http.request(method, fill(path), { token: ADMIN_TOKEN, rawBody: JSON.stringify(body) });
        // A sweep without a body (e.g. expire quotes) may run; anything that takes a body must refuse these.
        const refused = res.status >= 400 && res.status < 500 && typeof res.body?.code === 'string';
        if (res.status >= 500 || (takesBody && !refused && !(emptyLike && res.status < 300))) {
          failures.push(`${method} ${path} ${JSON.stringify(body).slice(0, 60)} → ${res.status} ${JSON.stringify(res.body).slice(0, 120)}`);
        }
      }
      const garbage = await app.http.request(method, fill(path), { token: ADMIN_TOKEN, rawBody: '{"unterminated": ' });
      if (garbage.status !== 400) failures.push(`${method} ${path} invalid JSON → ${garbage.status}`);
    }
    expect(failures).toEqual([]);
    expect(await head()).toBe(before);
  }, 120_000);
});
