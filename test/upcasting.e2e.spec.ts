import { createServer } from 'node:http';
import { join } from 'node:path';
import { READ_STORE, ReadStore, SqliteEventStore } from '@salesline/core';
import { ADMIN_TOKEN, RunningApp, startInProcessApp, tokenFor } from './support/in-process-app';
import { openSse } from './support/sse';

/**
 * A settings event written before `creditReleaseValidityDays` and `allowConvertExpiredQuote` existed
 * (schemaVersion 1, whole settings object without them) is read as the current version on every
 * read path: loading state, projections and the audit index, the raw stream, the feed, SSE, webhooks.
 */
describe('Upcasting: a version-1 settings event reads as the current version everywhere', () => {
  let app: RunningApp;
  let auditor: string;
  let integration: string;
  const legacy = { quoteValidityDays: 45, overDeliveryToleranceBp: 0, maxDiscountBpByRole: { salesperson: 500, sales_manager: 1500 } };

  beforeAll(async () => {
    app = await startInProcessApp();
    auditor = await tokenFor(app.http, 'audrey', 'auditor');
    integration = await tokenFor(app.http, 'erp', 'integration');
  }, 60_000);
  afterAll(() => app.close());

  it('fills the keys the old event lacks with their defaults, and marks it version 2', async () => {
    const received: any[] = [];
    const receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        received.push(JSON.parse(body));
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/`;
    expect(
      (await app.http.post('/api/webhooks', { url, eventTypes: ['SalesSettingsChanged'], secret: 'sixteen-chars-secret' }, ADMIN_TOKEN))
        .status,
    ).toBe(201);

    // Written as an older release wrote it: straight into the file, schemaVersion 1, keys missing.
    const old = new SqliteEventStore(join(app.dataDir, 'events.db'));
    const { position } = await old.append(
      'settings-sales',
      [
        {
          type: 'SalesSettingsChanged',
          data: { settings: legacy, version: 1 },
          metadata: {
            actor: 'legacy-admin',
            correlationId: 'c-legacy',
            causationId: null,
            occurredAt: '2024-01-01T00:00:00.000Z',
            schemaVersion: 1,
          },
        },
      ],
      'no_stream',
    );
    expect(JSON.parse(JSON.stringify((await old.readStream('settings-sales'))[0].data)).settings.creditReleaseValidityDays).toBeUndefined(); // stored as written
    await old.close();
    const current = (e: any) => {
      expect(e.metadata.schemaVersion).toBe(2);
      expect(e.data.settings).toMatchObject({ ...legacy, creditReleaseValidityDays: 7, allowConvertExpiredQuote: false });
    };

    // Loading state: the settings a command would be given.
    const settings = await app.http.get('/api/settings/sales', ADMIN_TOKEN);
    expect(settings.body).toMatchObject({
      version: 1,
      settings: { quoteValidityDays: 45, creditReleaseValidityDays: 7, allowConvertExpiredQuote: false },
    });
    // The auditors' raw stream, the feed, SSE.
    current((await app.http.get('/api/streams/settings-sales', auditor)).body.events[0]);
    current((await app.http.get('/api/events?types=SalesSettingsChanged', integration)).body.events[0]);
    const sse = await openSse(`${app.baseUrl}/api/events/subscribe?types=SalesSettingsChanged`, { authorization: `Bearer ${integration}` });
    await sse.until((m) => m.length >= 1);
    current(JSON.parse(sse.messages[0].data!));
    sse.close();
    // Projections: the audit index holds the upcast data.
    const readStore = app.app.get<ReadStore>(READ_STORE);
    for (let i = 0; i < 100 && !(await readStore.get('audit_timeline', `actor:legacy-admin@${position}`)); i++)
      await new Promise((r) => setTimeout(r, 50));
    const entry = await readStore.get<any>('audit_timeline', `actor:legacy-admin@${position}`);
    expect(entry.schemaVersion).toBe(2);
    expect(entry.data.settings.creditReleaseValidityDays).toBe(7);
    // Webhooks.
    for (let i = 0; i < 100 && received.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    current(received[0]);
    // A new change folds from the upcast state and is written whole, as version 2.
    const changed = await app.http.request('PUT', '/api/settings/sales', { token: ADMIN_TOKEN, body: { overDeliveryToleranceBp: 200 } });
    expect(changed.body).toMatchObject({
      version: 2,
      settings: { quoteValidityDays: 45, creditReleaseValidityDays: 7, overDeliveryToleranceBp: 200 },
    });
    const raw = new SqliteEventStore(join(app.dataDir, 'events.db'));
    const stored = (await raw.readStream('settings-sales'))[1];
    await raw.close();
    expect(stored.metadata.schemaVersion).toBe(2);
    expect((stored.data as any).settings.creditReleaseValidityDays).toBe(7);
    await new Promise<void>((r) => receiver.close(() => r()));
  }, 60_000);
});
