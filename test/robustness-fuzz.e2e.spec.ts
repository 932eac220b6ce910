import fc from 'fast-check';
import { EVENT_STORE, EventStore, MAX_BODY_DEPTH } from '@salesline/core';
import { ADMIN_TOKEN, RunningApp, startInProcessApp, tokenFor } from './support/in-process-app';
import { bodyFields, exampleOf, OpenApiDocument, Operation, operationsOf, resolve, setAt } from './support/openapi-walk';

/**
 * A property-based fuzz suite driven by the served OpenAPI document: every operation gets random
 * and malformed bodies, headers, path segments and query strings. For every request: no 5xx, an
 * answer within the time limit, and a refused request appends nothing (no event carries its
 * correlation id, and the log grows only by effects of requests that were accepted).
 */
const ANSWER_WITHIN_MS = 5_000;
const RANDOM_RUNS = Number(process.env.FUZZ_RUNS ?? 1000);

type FuzzRequest = {
  method: string;
  path: string;
  query?: string;
  headers?: Record<string, string>;
  body?: string;
  /** The request must be refused (4xx), whatever the operation. */
  mustRefuse?: string;
};

const deepNest = (levels: number): string => '{"a":'.repeat(levels) + '1' + '}'.repeat(levels);
const deepArray = (levels: number): string => '['.repeat(levels) + ']'.repeat(levels);

const hostileSegments = [
  'does-not-exist',
  'x'.repeat(300),
  '..%2F..%2Fetc%2Fpasswd',
  '%00',
  '%F0%9F%92%A5',
  'a%20b',
  '__proto__',
  'constructor',
  '1e20',
  '-1',
];
const hostileQueryValues = [
  '1e20',
  '-1',
  '0',
  '1.5',
  'NaN',
  'Infinity',
  '',
  'x'.repeat(2000),
  '%00',
  '9007199254740993',
  '0000-01',
  '2026-02-30',
  '[object Object]',
];

describe('Fuzzing every operation from the OpenAPI document', () => {
  let app: RunningApp;
  let doc: OpenApiDocument;
  let operations: Operation[];
  let events: EventStore;
  let salesToken: string;
  const accepted = new Set<string>();
  let counter = 0;

  beforeAll(async () => {
    app = await startInProcessApp({ RATE_LIMIT: 'off' });
    doc = (await app.http.get('/docs-json')).body;
    operations = operationsOf(doc);
    events = app.app.get<EventStore>(EVENT_STORE);
    salesToken = await tokenFor(app.http, 'fuzz-sp', 'salesperson');
    const head = await events.headPosition();
    for (const e of await events.readAll({ afterPosition: 0, maxCount: head })) accepted.add(e.metadata.correlationId);
  }, 60_000);
  afterAll(() => app?.close());

  const failures: string[] = [];

  /** Sends one request and checks the three promises; returns the status. */
  const check = async (request: FuzzRequest): Promise<number> => {
    const correlationId = `fuzz-${++counter}`;
    const before = await events.headPosition();
    const url = `${app.baseUrl}${request.path}${request.query ? `?${request.query}` : ''}`;
    const label = `${request.method} ${request.path}${request.query ? `?${request.query.slice(0, 60)}` : ''} ${JSON.stringify(request.headers ?? {}).slice(0, 80)} ${(request.body ?? '').slice(0, 80)}`;
    let status: number;
    let text = '';
    try {
      const stop = new AbortController();
      const res = await fetch(url, {
        method: request.method,
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'x-correlation-id': correlationId, ...(request.headers ?? {}) },
        body: request.body,
        signal: AbortSignal.any([stop.signal, AbortSignal.timeout(ANSWER_WITHIN_MS)]),
      });
      status = res.status;
      // A server-sent event stream answers with its headers and then stays open: its status is the answer.
      if (res.headers.get('content-type')?.startsWith('text/event-stream')) stop.abort();
      else text = await res.text();
    } catch (err) {
      failures.push(`${label} → no answer: ${String(err)}`);
      return 0;
    }
    if (status >= 500) failures.push(`${label} → ${status} ${text.slice(0, 160)}`);
    if (status < 400) {
      accepted.add(correlationId);
      // A client-chosen correlation id (or one the server replaced) is what its events carry.
      const after = await events.headPosition();
      if (after > before)
        for (const e of await events.readAll({ afterPosition: before, maxCount: after - before })) accepted.add(e.metadata.correlationId);
      if (request.mustRefuse) failures.push(`${label} → ${status}, expected a refusal: ${request.mustRefuse}`);
      return status;
    }
    const after = await events.headPosition();
    if (after !== before) {
      const appended = await events.readAll({ afterPosition: before, maxCount: after - before });
      const foreign = appended.filter((e) => !accepted.has(e.metadata.correlationId));
      if (foreign.length > 0) failures.push(`${label} → ${status} but appended ${foreign.map((e) => e.type).join(', ')}`);
    }
    try {
      const body = JSON.parse(text) as { code?: unknown };
      if (typeof body.code !== 'string') failures.push(`${label} → ${status} without a code`);
    } catch {
      failures.push(`${label} → ${status} with a non-JSON answer ${text.slice(0, 80)}`);
    }
    return status;
  };

  const fill = (path: string, segment = 'does-not-exist') => path.replace(/\{[^}]+\}/g, segment);
  const json = { 'content-type': 'application/json' };
  const exampleBody = (op: Operation) => exampleOf(doc, op.body);
  const takesBody = (op: Operation) => op.body !== undefined;

  beforeEach(() => {
    failures.length = 0;
  });

  it('refuses the known hostile shapes on every operation and never writes for them', async () => {
    expect(operations.length).toBeGreaterThan(100);
    for (const op of operations) {
      if (op.path === '/api/auth/tokens' && op.method === 'POST') continue; // admin-only; issuing is its purpose
      const path = fill(op.path);
      const base = { method: op.method, path };
      if (!takesBody(op)) {
        if (op.method !== 'GET') {
          await check({ ...base, headers: json, body: '{"unexpected":true}', mustRefuse: 'a body on a route that takes none' });
        }
        continue;
      }
      const valid = JSON.stringify(exampleBody(op));
      await check({ ...base, headers: json, body: deepNest(3000), mustRefuse: 'JSON nested 3,000 levels' });
      await check({ ...base, headers: json, body: deepArray(MAX_BODY_DEPTH + 1), mustRefuse: 'arrays nested too deep' });
      for (const encoding of ['gzip', 'deflate', 'br']) {
        await check({
          ...base,
          headers: { ...json, 'content-encoding': encoding },
          body: valid,
          mustRefuse: `Content-Encoding ${encoding} on a plain body`,
        });
      }
      for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/xml', 'multipart/form-data; boundary=x']) {
        await check({ ...base, headers: { 'content-type': type }, body: valid, mustRefuse: `content type ${type}` });
      }
      await check({ ...base, headers: json, body: valid.replace(/^\{/, '{"__proto__":{"admin":true},'), mustRefuse: '__proto__ key' });
      await check({
        ...base,
        headers: json,
        body: valid.replace(/^\{/, '{"constructor":{"prototype":{"x":1}},'),
        mustRefuse: 'constructor key',
      });
      await check({ ...base, headers: json, body: '{"unterminated": ', mustRefuse: 'invalid JSON' });
      await check({ ...base, headers: json, body: '"text"', mustRefuse: 'a JSON string as body' });
      for (const field of bodyFields(doc, op.body)) {
        const example = exampleBody(op);
        const s = field.schema;
        if (s.type === 'string') {
          await check({
            ...base,
            headers: json,
            body: JSON.stringify(setAt(example, field.path, ' \t ')),
            mustRefuse: `blank ${field.path.join('.')}`,
          });
          if (/period/i.test(field.path[field.path.length - 1])) {
            await check({
              ...base,
              headers: json,
              body: JSON.stringify(setAt(example, field.path, '0000-01')),
              mustRefuse: `period 0000-01 in ${field.path.join('.')}`,
            });
          }
        }
        const items = resolve(doc, s.items);
        if (s.type === 'array' && (items.properties || items.$ref)) {
          await check({
            ...base,
            headers: json,
            body: JSON.stringify(setAt(example, field.path, [[]])),
            mustRefuse: `arrays of arrays in ${field.path.join('.')}`,
          });
          await check({
            ...base,
            headers: json,
            body: JSON.stringify(setAt(example, field.path, [[exampleOf(doc, s.items)]])),
            mustRefuse: `arrays of arrays in ${field.path.join('.')}`,
          });
        }
        if (resolve(doc, s).properties && field.path.length === 1 && (resolve(doc, op.body).required ?? []).includes(field.path[0])) {
          const without = { ...(example as Record<string, unknown>) };
          delete without[field.path[0]];
          await check({ ...base, headers: json, body: JSON.stringify(without), mustRefuse: `required ${field.path[0]} missing` });
        }
      }
    }
    for (const op of operations.filter((o) => o.parameters.some((p) => p.name === 'offset'))) {
      await check({ method: op.method, path: fill(op.path), query: 'offset=1e20', mustRefuse: 'offset=1e20' });
    }
    expect(failures).toEqual([]);
  }, 240_000);

  it('answers random and malformed requests to every operation with no 5xx, in time, and without refused writes', async () => {
    const segment = fc.oneof(fc.constantFrom(...hostileSegments), fc.stringMatching(/^[A-Za-z0-9_-]{1,70}$/));
    const jsonValue = fc.jsonValue({ maxDepth: 4 });
    const header = fc.oneof(
      fc.constant({}),
      fc.record({
        'content-type': fc.constantFrom(
          'application/json',
          'text/plain',
          'application/json; charset=latin1',
          'application/json; charset=utf-7',
          'application/vnd.api+json',
          '',
        ),
      }),
      fc.record({ 'content-encoding': fc.constantFrom('gzip', 'deflate', 'br', 'identity', 'x-unknown') }),
      fc.record({
        'idempotency-key': fc.oneof(
          fc.string({ maxLength: 300 }).filter((s) => /^[\x20-\x7e]*$/.test(s)),
          fc.uuid(),
        ),
      }),
      fc.record({ 'x-correlation-id': fc.constantFrom('x'.repeat(500), 'bad id with spaces', '<script>', 'ok-id') }),
      fc.record({ 'x-causation-id': fc.constantFrom('x'.repeat(500), 'semi;colon', 'cause-1') }),
    );
    const requestFor = (op: Operation) =>
      fc.record({
        segment,
        headers: header,
        body: op.body
          ? fc.oneof(
              // near-valid: one field of the example replaced by something random
              fc
                .tuple(fc.constantFrom(...(bodyFields(doc, op.body).map((f) => f.path) as string[][]).concat([[]])), jsonValue)
                .map(([p, v]) => JSON.stringify(p.length === 0 ? v : setAt(exampleOf(doc, op.body), p, v))),
              jsonValue.map((v) => JSON.stringify(v)),
              fc.constantFrom(
                deepNest(200),
                deepArray(40),
                '{"__proto__":{"a":1}}',
                '[[[]]]',
                '{"items":[[1,2]]}',
                '',
                'null',
                '{',
                '\u0000',
              ),
            )
          : op.method === 'GET'
            ? fc.constant(undefined)
            : fc.option(fc.constantFrom('{"x":1}', '[]', '"text"', deepNest(100)), { nil: undefined }),
        query: fc.option(
          fc
            .array(
              fc.tuple(
                fc.constantFrom(
                  ...op.parameters.filter((p) => p.in === 'query').map((p) => p.name),
                  'offset',
                  'limit',
                  'unknown',
                  '__proto__',
                ),
                fc.oneof(fc.constantFrom(...hostileQueryValues), fc.string({ maxLength: 20 })),
              ),
              { maxLength: 3 },
            )
            .map((pairs) => pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&')),
          { nil: undefined },
        ),
      });
    // Issuing tokens and rotating the admin token are what admins do; the rest is fair game.
    const writesOnly = operations.filter((o) => !['/api/auth/tokens', '/api/auth/admin-token/rotate'].includes(o.path));
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...writesOnly).chain((op) => requestFor(op).map((r) => ({ op, r }))),
        fc.boolean(),
        async ({ op, r }, asSalesperson) => {
          const headers: Record<string, string> = {
            ...(r.body !== undefined ? { 'content-type': 'application/json' } : {}),
            ...(r.headers as Record<string, string>),
          };
          if (asSalesperson) headers.authorization = `Bearer ${salesToken}`;
          await check({ method: op.method, path: fill(op.path, r.segment), query: r.query, headers, body: r.body });
          return true;
        },
      ),
      { numRuns: RANDOM_RUNS, interruptAfterTimeLimit: 90_000 },
    );
    expect(failures).toEqual([]);
  }, 180_000);
});
