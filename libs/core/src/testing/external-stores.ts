import { randomBytes } from 'node:crypto';
/**
 * Gating for the suites that need a server we cannot have offline (EventStoreDB/KurrentDB,
 * MongoDB): a URL from the environment, else a container when a runtime exists (probed once by
 * global-setup.js), else the suite is skipped with a reason — never faked.
 */
export type ExternalStore = 'eventstoredb' | 'mongodb';

export type ExternalStoreGate = Readonly<{ enabled: true; url?: string } | { enabled: false; reason: string }>;

const URL_VARIABLE: Record<ExternalStore, string> = { eventstoredb: 'EVENTSTORE_URL', mongodb: 'MONGO_URL' };

export const externalStoreGate = (store: ExternalStore): ExternalStoreGate => {
  const variable = URL_VARIABLE[store];
  const url = process.env[variable];
  if (url) return { enabled: true, url };
  const runtime = process.env.CONTAINER_RUNTIME;
  if (runtime === 'available') return { enabled: true };
  const why = runtime?.startsWith('unavailable:')
    ? runtime.slice('unavailable:'.length)
    : 'not probed: run through jest, whose globalSetup probes it';
  if (process.env.REQUIRE_CONTAINERS === '1')
    throw new Error(`REQUIRE_CONTAINERS=1 but ${variable} is not set and no container runtime (${why})`);
  return { enabled: false, reason: `${variable} not set and no container runtime (${why})` };
};

export type RunningStore = Readonly<{ url: string; stop: () => Promise<void> }>;

const KURRENTDB_IMAGE = 'docker.kurrent.io/kurrent-latest/kurrentdb:latest';
const MONGO_IMAGE = 'mongo:7';
const HTTP_PORT = 2113;

/** The configured server, or a fresh container (testcontainers is loaded only then). */
export const provideExternalStore = async (store: ExternalStore, gate: ExternalStoreGate): Promise<RunningStore> => {
  if (!gate.enabled) throw new Error(`${store} is not available`);
  if (gate.url) return { url: gate.url, stop: async () => undefined };
  if (store === 'eventstoredb') {
    const { GenericContainer, Wait } = await import('testcontainers');
    const container = await new GenericContainer(KURRENTDB_IMAGE)
      .withEnvironment({ KURRENTDB_INSECURE: 'true' })
      .withExposedPorts(HTTP_PORT)
      .withWaitStrategy(Wait.forHttp('/health/live', HTTP_PORT).forStatusCodeMatching((status) => status >= 200 && status < 300))
      .withStartupTimeout(120_000)
      .start();
    return {
      url: `kurrentdb://${container.getHost()}:${container.getMappedPort(HTTP_PORT)}?tls=false`,
      stop: async () => void (await container.stop()),
    };
  }
  const { MongoDBContainer } = await import('@testcontainers/mongodb');
  const container = await new MongoDBContainer(MONGO_IMAGE).start();
  // A one-node replica set whose member name only resolves inside Docker: connect directly.
  return { url: `${container.getConnectionString()}/?directConnection=true`, stop: async () => void (await container.stop()) };
};

/**
 * PostgreSQL: a real server on every developer's and CI machine (not a container). The admin
 * connection is POSTGRES_URL, else postgres://postgres@127.0.0.1:5432/test; each suite creates a
 * database of its own on it and drops it afterwards, so runs never see each other's data.
 * Without a server (probed once by global-setup.js) the suites are skipped with the reason.
 */
export const POSTGRES_ADMIN_URL = process.env.POSTGRES_URL || 'postgres://postgres@127.0.0.1:5432/test';

export type PostgresGate = Readonly<{ enabled: true } | { enabled: false; reason: string }>;

export const postgresGate = (): PostgresGate => {
  const probe = process.env.POSTGRES_PROBE;
  if (probe === 'available') return { enabled: true };
  const reason = probe?.startsWith('unavailable:')
    ? probe.slice('unavailable:'.length)
    : 'PostgreSQL not probed: run through jest, whose globalSetup probes it';
  if (process.env.REQUIRE_POSTGRES === '1') throw new Error(`REQUIRE_POSTGRES=1 but ${reason}`);
  return { enabled: false, reason };
};

export type TestDatabase = Readonly<{ name: string; url: string; drop: () => Promise<void> }>;

/** A fresh, empty database for this run (named salesline_t_<epoch>_<random>; global-setup sweeps stale ones). */
export const createTestDatabase = async (): Promise<TestDatabase> => {
  const { Client } = await import('pg');
  const name = `salesline_t_${Math.floor(Date.now() / 1000)}_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: POSTGRES_ADMIN_URL, connectionTimeoutMillis: 5000 });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    drop: async () => {
      const client = new Client({ connectionString: POSTGRES_ADMIN_URL, connectionTimeoutMillis: 5000 });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
};
