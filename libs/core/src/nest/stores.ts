import { join } from 'node:path';
import type { AppConfig } from '../config/config';
import { EventStore } from '../event-store/event-store.port';
import { SqliteEventStore } from '../event-store/sqlite/sqlite-event-store';
import { Upcaster, UpcasterRegistry, UpcastingEventStore } from '../event-store/upcasting';
import { ReadStore } from '../read-store/read-store.port';
import { SqliteReadStore } from '../read-store/sqlite/sqlite-read-store';

// The scale-out adapters load their client libraries only when configured (faster embedded start).
type EventStoreDbModule = typeof import('../event-store/eventstoredb/eventstoredb-event-store');
type MongoDbModule = typeof import('../read-store/mongodb/mongodb-read-store');
type PostgresEventStoreModule = typeof import('../event-store/postgres/postgres-event-store');
type PostgresReadStoreModule = typeof import('../read-store/postgres/postgres-read-store');

/** The configured event store: the embedded SQLite file, or PostgreSQL or EventStoreDB/KurrentDB for scale-out; every read path upcasts. */
export const openEventStore = async (config: AppConfig, upcasters: readonly Upcaster[] = []): Promise<EventStore> => {
  const registry = new UpcasterRegistry(upcasters);
  if (config.eventStore.kind === 'sqlite')
    return new UpcastingEventStore(new SqliteEventStore(join(config.dataDir, 'events.db')), registry);
  if (config.eventStore.kind === 'postgres') {
    const { PostgresEventStore } = require('../event-store/postgres/postgres-event-store') as PostgresEventStoreModule;
    return new UpcastingEventStore(await PostgresEventStore.connect(config.eventStore.url), registry);
  }
  const { EventStoreDbEventStore } = require('../event-store/eventstoredb/eventstoredb-event-store') as EventStoreDbModule;
  return new UpcastingEventStore(await EventStoreDbEventStore.connect(config.eventStore.url), registry);
};

/** The configured read store: SQLite beside the events, or PostgreSQL or MongoDB for scale-out. */
export const openReadStore = async (config: AppConfig): Promise<ReadStore> => {
  if (config.readStore.kind === 'sqlite') return new SqliteReadStore(join(config.dataDir, 'read-models.db'));
  if (config.readStore.kind === 'postgres') {
    const { PostgresReadStore } = require('../read-store/postgres/postgres-read-store') as PostgresReadStoreModule;
    return PostgresReadStore.connect(config.readStore.url);
  }
  const { MongoDbReadStore } = require('../read-store/mongodb/mongodb-read-store') as MongoDbModule;
  return MongoDbReadStore.connect(config.readStore.url);
};
