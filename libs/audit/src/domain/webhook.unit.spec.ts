import { commandOf, deciderSpec } from '@salesline/shared-kernel/testing';
import { backoffMs } from '../application/webhook-dispatcher';
import { DeadLetter, WebhookCommand, webhookDecider, WebhookEvent } from './webhook';

const spec = deciderSpec(webhookDecider);
const admin = { roles: ['admin' as const], userId: 'root', today: '2026-03-01' };
const register = (over: Partial<{ url: string; eventTypes: string[] }> = {}, ctx: Parameters<typeof commandOf>[2] = admin) =>
  commandOf<WebhookCommand>(
    'RegisterWebhook',
    { webhookId: 'w1', url: 'https://erp.example.com/in', eventTypes: ['OrderPlaced'], encryptedSecret: 'v1.x', ...over },
    ctx,
  );
const registered: WebhookEvent = {
  type: 'WebhookRegistered',
  data: {
    webhookId: 'w1',
    url: 'https://erp.example.com/in',
    eventTypes: ['OrderPlaced'],
    encryptedSecret: 'v1.x',
    registeredBy: 'root',
    registeredOn: '2026-03-01',
  },
};
const letter: DeadLetter = {
  position: 7,
  eventId: 'e7',
  eventType: 'OrderPlaced',
  stream: 'order-1',
  attempts: 8,
  lastError: 'HTTP 503',
  parkedAt: '2026-03-01T10:00:00.000Z',
};
const parked: WebhookEvent = { type: 'WebhookParked', data: { webhookId: 'w1', deadLetter: letter, parkedOn: '2026-03-01' } };

describe('Webhook subscription', () => {
  it('an admin registers one for http(s) URLs and named event types', () => {
    spec.given().when(register()).then([registered]);
    spec
      .given()
      .when(register({ url: 'file:///etc/passwd' }))
      .thenThrows('InvalidWebhookUrl', 'rule');
    spec
      .given()
      .when(register({ url: 'https://user:pw@x.example' }))
      .thenThrows('InvalidWebhookUrl', 'rule');
    spec
      .given()
      .when(register({ eventTypes: ['no spaces'] }))
      .thenThrows('InvalidEventTypes', 'rule');
    spec
      .given()
      .when(register({}, { roles: ['integration'], userId: 'erp' }))
      .thenThrows('WebhookRegistrationForbidden', 'forbidden');
    spec.given(registered).when(register()).thenThrows('WebhookAlreadyRegistered', 'conflict');
  });

  it('parks on a dead letter once, and only a parked webhook is replayed, from the dead letter', () => {
    spec
      .given(registered)
      .when(commandOf<WebhookCommand>('ParkWebhook', { deadLetter: letter }, admin))
      .then([parked]);
    spec
      .given(registered, parked)
      .when(commandOf<WebhookCommand>('ParkWebhook', { deadLetter: letter }, admin))
      .then([]);
    spec
      .given(registered)
      .when(commandOf<WebhookCommand>('ReplayWebhook', {}, admin))
      .thenThrows('WebhookNotParked', 'conflict');
    spec
      .given(registered, parked)
      .when(commandOf<WebhookCommand>('ReplayWebhook', {}, admin))
      .then([{ type: 'WebhookReplayed', data: { webhookId: 'w1', fromPosition: 7, replayedBy: 'root', replayedOn: '2026-03-01' } }]);
  });

  it('backs off exponentially, capped', () => {
    expect([1, 2, 3, 4].map((n) => backoffMs(1000, n))).toEqual([1000, 2000, 4000, 8000]);
    expect(backoffMs(1000, 30)).toBe(600_000);
  });
});
