import { ADMIN_TOKEN, RunningApp, startInProcessApp, tokenFor } from './support/in-process-app';

describe('Versioned company settings', () => {
  let app: RunningApp;
  beforeAll(async () => {
    app = await startInProcessApp();
  });
  afterAll(() => app.close());

  it.each([
    ['sales', { overDeliveryToleranceBp: 500, quoteValidityDays: 14 }, 'SalesSettingsChanged'],
    ['organization', { territoryEscalationDays: 5 }, 'OrganizationSettingsChanged'],
    ['targets', { revenueBasis: 'delivered' }, 'TargetsSettingsChanged'],
  ])('%s: admin changes them as a versioned event; others may not; bad values are refused', async (group, changes, eventType) => {
    const { http } = app;
    const before = (await http.get(`/api/settings/${group}`, ADMIN_TOKEN)).body;
    expect(before.version).toBe(0);
    const manager = await tokenFor(http, `mgr-${group}`, 'sales_manager');
    expect((await http.request('PUT', `/api/settings/${group}`, { token: manager, body: changes })).status).toBe(403);
    const changed = await http.request('PUT', `/api/settings/${group}`, { token: ADMIN_TOKEN, body: changes });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ version: 1, settings: changes });
    const same = await http.request('PUT', `/api/settings/${group}`, { token: ADMIN_TOKEN, body: changes });
    expect(same.body.version).toBe(1);
    const bad = await http.request('PUT', `/api/settings/${group}`, { token: ADMIN_TOKEN, body: { nonsense: true } });
    expect(bad.status).toBe(400);
    const stream = await http.get(`/api/streams/settings-${group}`, ADMIN_TOKEN);
    expect(stream.body.events.map((e: { type: string }) => e.type)).toEqual([eventType]);
  });
});
