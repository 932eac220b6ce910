import { MongoClient } from 'mongodb';
import { uniqueSuffix } from '../../testing/contract-suite';
import { externalStoreGate, provideExternalStore, RunningStore } from '../../testing/external-stores';
import { describeReadStoreContract } from '../read-store.contract';
import { MongoDbReadStore, MongoDbReadStoreOptions } from './mongodb-read-store';

// MONGO_URL (e.g. mongodb://localhost:27017/?replicaSet=rs0), else a mongo:7 replica-set container, else skipped.
const gate = externalStoreGate('mongodb');
let server: RunningStore | undefined;
const databases: string[] = [];

/** Each suite run writes to a database of its own, dropped afterwards. */
const openStore = async (options: MongoDbReadStoreOptions) => {
  const dbName = `salesline_contract_${uniqueSuffix()}`;
  databases.push(dbName);
  return MongoDbReadStore.connect(server!.url, { ...options, dbName });
};

if (gate.enabled) {
  beforeAll(async () => {
    server = await provideExternalStore('mongodb', gate);
  }, 180_000);
  afterAll(async () => {
    if (server) {
      const client = await MongoClient.connect(server.url);
      for (const name of databases) await client.db(name).dropDatabase();
      await client.close();
    }
    await server?.stop();
  }, 60_000);

  // Transactions where the server has them (a replica set), and the guarded path without.
  describeReadStoreContract('MongoDB (transactions when supported)', () => openStore({}));
  describeReadStoreContract('MongoDB (no transactions: position-guarded writes)', () => openStore({ transactions: false }));
} else {
  describeReadStoreContract('MongoDB', () => openStore({}), gate.reason);
}
