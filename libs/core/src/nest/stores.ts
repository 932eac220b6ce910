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

/** The configured event store: the embedded SQLite file, or EventStoreDB/KurrentDB for scale-out. */
export const openEventStore = async (config: AppConfig, upcasters: readonly Upcaster[] = []): Promise<EventStore> => {
  const registry = new UpcasterRegistry(upcasters);
  if (config.eventStore.kind === 'sqlite') return new UpcastingEventStore(new SqliteEventStore(join(config.dataDir, 'events.db')), registry);
  const { EventStoreDbEventStore } = require('../event-store/eventstoredb/eventstoredb-event-store') as EventStoreDbModule;
  return new UpcastingEventStore(await EventStoreDbEventStore.connect(config.eventStore.url), registry);
};

/** The configured read store: SQLite beside the events, or MongoDB for scale-out. */
export const openReadStore = async (config: AppConfig): Promise<ReadStore> => {
  if (config.readStore.kind === 'sqlite') return new SqliteReadStore(join(config.dataDir, 'read-models.db'));
  const { MongoDbReadStore } = require('../read-store/mongodb/mongodb-read-store') as MongoDbModule;
  return MongoDbReadStore.connect(config.readStore.url);
};
