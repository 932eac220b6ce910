import { jsonEvent, KurrentDBClient } from '@kurrent/kurrentdb-client';
import { describeOrSkip, uniqueSuffix } from '../../testing/contract-suite';
import { externalStoreGate, provideExternalStore, RunningStore } from '../../testing/external-stores';
import { describeEventStoreContract } from '../event-store.contract';
import { NewEvent } from '../event-store.port';
import { chainHash, GENESIS_HASH } from '../hash-chain';
import { EventStoreDbEventStore } from './eventstoredb-event-store';

// EVENTSTORE_URL (e.g. kurrentdb://localhost:2113?tls=false), else a KurrentDB container, else skipped.
const gate = externalStoreGate('eventstoredb');
let server: RunningStore | undefined;

if (gate.enabled) {
  beforeAll(async () => {
    server = await provideExternalStore('eventstoredb', gate);
  }, 180_000);
  afterAll(async () => {
    await server?.stop();
  }, 60_000);
}

describeEventStoreContract('EventStoreDB', async () => EventStoreDbEventStore.connect(server!.url), gate.enabled ? undefined : gate.reason);

// On EventStoreDB the hash chain travels in the metadata (ADR 0010): one chain per stream, in `metadata.chain`.
describeOrSkip('EventStoreDB hash chain in the metadata', gate.enabled ? undefined : gate.reason, () => {
  const event = (type: string, data: unknown): NewEvent => ({
    type,
    data,
    metadata: { actor: 'fiona', correlationId: 'c-1', causationId: null, occurredAt: '2025-01-01T00:00:00.000Z', schemaVersion: 1 },
  });

  it('stores each link in the metadata, hides it from readers, and names an event appended behind the store with a made-up link', async () => {
    const store = await EventStoreDbEventStore.connect(server!.url);
    const client = KurrentDBClient.connectionString(server!.url);
    const stream = `chained-${uniqueSuffix()}`;
    try {
      await store.append(stream, [event('OrderPlaced', { total: 1 }), event('OrderInvoiced', { amount: 1 })], 'no_stream');
      const raw: Array<{ id: string; revision: number; type: string; data: unknown; metadata: Record<string, unknown> }> = [];
      for await (const resolved of client.readStream(stream)) {
        const e = resolved.event!;
        raw.push({ id: e.id, revision: Number(e.revision), type: e.type, data: e.data, metadata: e.metadata as Record<string, unknown> });
      }
      let previous = GENESIS_HASH;
      for (const e of raw) {
        const { chain, ...metadata } = e.metadata as { chain: { hash: string; previousHash: string } };
        const hash = chainHash(
          {
            id: e.id,
            streamName: stream,
            revision: e.revision,
            type: e.type,
            dataJson: JSON.stringify(e.data),
            metadataJson: JSON.stringify(metadata),
          },
          previous,
        );
        expect(chain).toEqual({ hash, previousHash: previous });
        previous = hash;
      }
      expect((await store.readStream(stream)).map((e) => e.metadata)).toEqual([
        expect.not.objectContaining({ chain: expect.anything() }),
        expect.not.objectContaining({ chain: expect.anything() }),
      ]);
      expect(await store.verifyIntegrity()).toMatchObject({ ok: true });

      await client.appendToStream(stream, [
        jsonEvent({
          type: 'OrderCancelled',
          data: {},
          metadata: { ...raw[1].metadata, chain: { hash: 'f'.repeat(64), previousHash: previous } },
        }),
      ]);
      expect(await store.verifyIntegrity()).toMatchObject({
        ok: false,
        firstMismatch: { problem: 'content_altered', streamName: stream, revision: 2 },
      });
    } finally {
      await client.dispose();
    }
  });
});
