import { Command, conflict, Decider, DomainEvent, forbidden, hasAnyRole, ruleViolation } from '@salesline/shared-kernel';

/**
 * A webhook subscription: where to deliver which events, and whether delivery is running or
 * parked on an event that failed too often. Delivery progress itself is a checkpoint, not an event.
 */
export const webhookStream = (webhookId: string) => `webhook-${webhookId}`;

/** The event a parked webhook stopped on, with what went wrong. */
export type DeadLetter = Readonly<{
  position: number;
  eventId: string;
  eventType: string;
  stream: string;
  attempts: number;
  lastError: string;
  parkedAt: string;
}>;

export type WebhookRegistered = DomainEvent<
  'WebhookRegistered',
  {
    webhookId: string;
    url: string;
    /** Event types delivered; ['*'] for every event. */
    eventTypes: string[];
    /** The signing secret, encrypted with the deployment's key (never in clear in the log). */
    encryptedSecret: string;
    registeredBy: string;
    registeredOn: string;
  }
>;
export type WebhookParked = DomainEvent<'WebhookParked', { webhookId: string; deadLetter: DeadLetter; parkedOn: string }>;
export type WebhookReplayed = DomainEvent<
  'WebhookReplayed',
  { webhookId: string; fromPosition: number; replayedBy: string; replayedOn: string }
>;
export type WebhookEvent = WebhookRegistered | WebhookParked | WebhookReplayed;

export type RegisterWebhook = Command<'RegisterWebhook', { webhookId: string; url: string; eventTypes: string[]; encryptedSecret: string }>;
export type ParkWebhook = Command<'ParkWebhook', { deadLetter: DeadLetter }>;
export type ReplayWebhook = Command<'ReplayWebhook', Record<string, never>>;
export type WebhookCommand = RegisterWebhook | ParkWebhook | ReplayWebhook;

export type WebhookState = Readonly<{
  status: 'none' | 'active' | 'parked';
  webhookId: string | null;
  deadLetter: DeadLetter | null;
}>;

const EVENT_TYPE = /^(\*|[A-Za-z][A-Za-z0-9_.-]{0,100})$/;

const validUrl = (url: string): boolean => {
  try {
    const parsed = new URL(url);
    return (parsed.protocol === 'http:' || parsed.protocol === 'https:') && !parsed.username && !parsed.password;
  } catch {
    return false;
  }
};

export const webhookDecider: Decider<WebhookState, WebhookCommand, WebhookEvent> = {
  initialState: () => ({ status: 'none', webhookId: null, deadLetter: null }),
  decide: (command, state) => {
    const { actor, today } = command.context;
    switch (command.type) {
      case 'RegisterWebhook': {
        if (!hasAnyRole(actor, 'admin')) throw forbidden('WebhookRegistrationForbidden', 'Only an admin may register webhooks');
        if (state.status !== 'none') throw conflict('WebhookAlreadyRegistered', `webhook ${command.data.webhookId} is already registered`);
        if (!validUrl(command.data.url))
          throw ruleViolation('InvalidWebhookUrl', 'url must be an http(s) URL without credentials', { field: 'url' });
        const types = command.data.eventTypes;
        if (types.length === 0 || !types.every((t) => EVENT_TYPE.test(t))) {
          throw ruleViolation('InvalidEventTypes', "eventTypes must list event type names, or '*' for all", { field: 'eventTypes' });
        }
        return [
          {
            type: 'WebhookRegistered',
            data: { ...command.data, eventTypes: [...new Set(types)], registeredBy: actor.userId, registeredOn: today },
          },
        ];
      }
      case 'ParkWebhook':
        // Parking twice on the same event (a redelivered failure) changes nothing.
        if (state.status !== 'active') return [];
        return [{ type: 'WebhookParked', data: { webhookId: state.webhookId!, deadLetter: command.data.deadLetter, parkedOn: today } }];
      case 'ReplayWebhook':
        if (!hasAnyRole(actor, 'admin')) throw forbidden('WebhookReplayForbidden', 'Only an admin may replay a webhook');
        if (state.status !== 'parked') throw conflict('WebhookNotParked', 'Only a parked webhook can be replayed');
        return [
          {
            type: 'WebhookReplayed',
            data: { webhookId: state.webhookId!, fromPosition: state.deadLetter!.position, replayedBy: actor.userId, replayedOn: today },
          },
        ];
    }
  },
  evolve: (state, event) => {
    switch (event.type) {
      case 'WebhookRegistered':
        return { status: 'active', webhookId: event.data.webhookId, deadLetter: null };
      case 'WebhookParked':
        return { ...state, status: 'parked', deadLetter: event.data.deadLetter };
      case 'WebhookReplayed':
        return { ...state, status: 'active', deadLetter: null };
    }
  },
};
