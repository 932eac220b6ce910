import catalog from './event-schemas.json';

type Schema = Record<string, any>;
type CatalogFile = { metadata: Schema; events: Record<string, { category: string; data: Schema }> };
const CATALOG = catalog as unknown as CatalogFile;

/** Every event type in the catalog, with its stream category. */
export const catalogedEventTypes = (): Record<string, string> =>
  Object.fromEntries(Object.entries(CATALOG.events).map(([type, { category }]) => [type, category]));

/** Streams with fixed names (no id part). */
const FIXED_STREAMS = new Set(['settings-sales', 'settings-organization', 'settings-targets']);

/** A plausible value for a schema: consts and enums as given, required fields only, first of a union. */
export const sampleOf = (schema: Schema | undefined, field = 'value'): unknown => {
  if (!schema) return null;
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum)) return schema.enum[0];
  if (Array.isArray(schema.anyOf)) return sampleOf(schema.anyOf[0], field);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'string':
      return /On$|Date$|^date$|From$|Until$/.test(field)
        ? '2025-03-14'
        : /At$/.test(field)
          ? '2025-03-14T10:00:00.000Z'
          : /Id$/.test(field) || field === 'id'
            ? `${field.replace(/Id$/, '')}-1`
            : field;
    case 'number':
    case 'integer':
      return 1;
    case 'boolean':
      return false;
    case 'null':
      return null;
    case 'array':
      return schema.items ? [sampleOf(schema.items, field.replace(/s$/, ''))] : [];
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const key of schema.required ?? []) out[key] = sampleOf(schema.properties?.[key], key);
      return out;
    }
    default:
      return null;
  }
};

const pascal = (category: string) => category.replace(/(^|-)([a-z])/g, (_, __, c: string) => c.toUpperCase());

/**
 * The AsyncAPI 3 document of the event catalog: one channel per stream category, one message
 * per event type whose payload is the feed entry (the same over SSE, the feed and webhooks),
 * with the data and metadata schemas generated from the deciders' TypeScript types.
 */
export const buildAsyncApiDocument = (serverHost = 'localhost:3000') => {
  const channels: Record<string, unknown> = {};
  const operations: Record<string, unknown> = {};
  const messages: Record<string, unknown> = {};
  const byCategory = new Map<string, string[]>();
  for (const [type, { category }] of Object.entries(CATALOG.events)) byCategory.set(category, [...(byCategory.get(category) ?? []), type]);

  for (const [type, { category, data }] of Object.entries(CATALOG.events)) {
    const stream = FIXED_STREAMS.has(category) ? category : `${category}-1`;
    messages[type] = {
      name: type,
      title: type,
      summary: `${type} on ${FIXED_STREAMS.has(category) ? category : `${category}-{id}`}`,
      contentType: 'application/json',
      payload: {
        type: 'object',
        required: ['position', 'id', 'stream', 'revision', 'type', 'data', 'metadata', 'recordedAt'],
        properties: {
          position: { type: 'integer', description: 'Global position in the log (SSE id:, feed cursor)' },
          id: { type: 'string', description: 'Event id: the idempotency id consumers deduplicate by' },
          stream: { type: 'string' },
          revision: { type: 'integer', description: '0-based revision within the stream' },
          type: { type: 'string', const: type },
          data,
          metadata: { $ref: '#/components/schemas/EventMetadata' },
          recordedAt: { type: 'string', format: 'date-time' },
        },
      },
      examples: [
        {
          name: `${type}Example`,
          payload: {
            position: 42,
            id: '0190f1e2-7a3b-7c4d-8e5f-0123456789ab',
            stream,
            revision: 0,
            type,
            data: sampleOf(data, 'data'),
            metadata: {
              actor: 'sp-anna',
              correlationId: 'c0ffee00-0000-4000-8000-000000000001',
              causationId: null,
              occurredAt: '2025-03-14T10:00:00.000Z',
              schemaVersion: 1,
            },
            recordedAt: '2025-03-14T10:00:00.012Z',
          },
        },
      ],
    };
  }
  for (const [category, types] of [...byCategory].sort(([a], [b]) => a.localeCompare(b))) {
    const fixed = FIXED_STREAMS.has(category);
    channels[category] = {
      address: fixed ? category : `${category}-{id}`,
      title: `${category} streams`,
      ...(fixed ? {} : { parameters: { id: { description: `The id of the ${category}` } } }),
      messages: Object.fromEntries(types.sort().map((t) => [t, { $ref: `#/components/messages/${t}` }])),
    };
    operations[`receive${pascal(category)}Events`] = {
      action: 'receive',
      channel: { $ref: `#/channels/${category}` },
      summary: `Events of ${category} streams, from GET /api/events/subscribe (SSE), GET /api/events or a webhook`,
      messages: types.map((t) => ({ $ref: `#/channels/${category}/messages/${t}` })),
    };
  }
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Salesline events',
      version: '1.0.0',
      description:
        'Every event Salesline appends, by stream category. Consumers read them as server-sent events from `GET /api/events/subscribe` ' +
        '(role integration; `id:` is the global position, resume with Last-Event-ID), page them with `GET /api/events?after=`, or receive them ' +
        'as webhooks (POST, `X-Salesline-Signature: sha256=HMAC(secret, "<X-Salesline-Timestamp>.<body>")`, `Idempotency-Key` = event id). ' +
        'Delivery is at least once and in log order: deduplicate by `id`.',
    },
    defaultContentType: 'application/json',
    servers: {
      salesline: {
        host: serverHost,
        protocol: 'http',
        pathname: '/api/events/subscribe',
        description: 'Server-sent events (Authorization: Bearer <token with role integration>)',
      },
    },
    channels,
    operations,
    components: { messages, schemas: { EventMetadata: CATALOG.metadata } },
  };
};
