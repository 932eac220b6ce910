import { defineProjection } from '@salesline/core';
import { assertNever } from '@salesline/shared-kernel';
import { DeadLetter, WebhookEvent } from '../domain/webhook';

/** The registered webhooks, what they receive, and their dead letters (without the secret's plaintext). */
export type WebhookDoc = {
  id: string;
  url: string;
  eventTypes: string[];
  encryptedSecret: string;
  status: 'active' | 'parked';
  registeredBy: string;
  registeredOn: string;
  /** The event delivery is parked on (null while active). */
  deadLetter: DeadLetter | null;
  /** Every parking so far, the current one last, with when it was replayed. */
  parkings: Array<DeadLetter & { replayedBy: string | null; replayedOn: string | null }>;
};

export const webhooksProjection = defineProjection<WebhookEvent>()({
  name: 'webhooks',
  collection: 'webhooks',
  handles: ['WebhookRegistered', 'WebhookParked', 'WebhookReplayed'],
  documentIds: (event) => [event.data.webhookId],
  evolve: (doc: WebhookDoc | null, event): WebhookDoc | null => {
    switch (event.type) {
      case 'WebhookRegistered':
        return {
          id: event.data.webhookId,
          url: event.data.url,
          eventTypes: event.data.eventTypes,
          encryptedSecret: event.data.encryptedSecret,
          status: 'active',
          registeredBy: event.data.registeredBy,
          registeredOn: event.data.registeredOn,
          deadLetter: null,
          parkings: [],
        };
      case 'WebhookParked':
        if (!doc) return null;
        return {
          ...doc,
          status: 'parked',
          deadLetter: event.data.deadLetter,
          parkings: [...doc.parkings, { ...event.data.deadLetter, replayedBy: null, replayedOn: null }],
        };
      case 'WebhookReplayed':
        if (!doc) return null;
        return {
          ...doc,
          status: 'active',
          deadLetter: null,
          parkings: doc.parkings.map((p, i) =>
            i === doc.parkings.length - 1 ? { ...p, replayedBy: event.data.replayedBy, replayedOn: event.data.replayedOn } : p,
          ),
        };
      default:
        return assertNever(event);
    }
  },
});
