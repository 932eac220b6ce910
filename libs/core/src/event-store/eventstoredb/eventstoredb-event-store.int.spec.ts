import { externalStoreGate, provideExternalStore, RunningStore } from '../../testing/external-stores';
import { describeEventStoreContract } from '../event-store.contract';
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
