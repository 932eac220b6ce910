import { defineProjection, writtenBy } from '@salesline/core';
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
  documentation: {
    document: 'WebhookDoc',
    context: 'audit',
    summary:
      'One document per webhook: URL, event types, encrypted secret, status and dead letters. Delivery progress is the checkpoint `webhook:<id>`.',
    meanings: {
      id: 'The webhook id.',
      url: 'URL receiving one signed POST per event.',
      eventTypes: "Event types delivered (['*']: all).",
      encryptedSecret: 'The HMAC secret, encrypted at rest.',
      status: '`active`, or `parked` after repeated failures.',
      registeredBy: 'The admin who registered it.',
      registeredOn: 'Business date of registration.',
      'deadLetter.position': 'Position of the parked event.',
      'deadLetter.eventId': 'Id of the parked event.',
      'deadLetter.eventType': 'Type of the parked event.',
      'deadLetter.stream': 'Stream of the parked event.',
      'deadLetter.attempts': 'Delivery attempts made.',
      'deadLetter.lastError': 'The last delivery error.',
      'deadLetter.parkedAt': 'When delivery was parked.',
      'parkings[].replayedBy': 'Who replayed it (null while parked).',
      'parkings[].replayedOn': 'When it was replayed.',
      'parkings[].position': 'Position of the parked event.',
      'parkings[].eventId': 'Id of the parked event.',
      'parkings[].eventType': 'Type of the parked event.',
      'parkings[].stream': 'Stream of the parked event.',
      'parkings[].attempts': 'Delivery attempts made.',
      'parkings[].lastError': 'The last delivery error.',
      'parkings[].parkedAt': 'When delivery was parked.',
    },
    sources: {
      ...writtenBy(['WebhookRegistered'], ['id', 'url', 'eventTypes', 'encryptedSecret', 'registeredBy', 'registeredOn']),
      status: ['WebhookRegistered', 'WebhookParked', 'WebhookReplayed'],
      ...writtenBy(
        ['WebhookParked', 'WebhookReplayed'],
        [
          'deadLetter',
          'deadLetter.position',
          'deadLetter.eventId',
          'deadLetter.eventType',
          'deadLetter.stream',
          'deadLetter.attempts',
          'deadLetter.lastError',
          'deadLetter.parkedAt',
        ],
      ),
      ...writtenBy(
        ['WebhookParked'],
        [
          'parkings',
          'parkings[].position',
          'parkings[].eventId',
          'parkings[].eventType',
          'parkings[].stream',
          'parkings[].attempts',
          'parkings[].lastError',
          'parkings[].parkedAt',
        ],
      ),
      ...writtenBy(['WebhookReplayed'], ['parkings[].replayedBy', 'parkings[].replayedOn']),
    },
  },
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
