/**
 * Jest global setup (runs once, in the parent process, untransformed): probes for a container
 * runtime so the EventStoreDB/MongoDB suites can decide quickly whether to start containers,
 * and for the PostgreSQL server the PostgreSQL suites create their databases on.
 * The answers reach the test workers through the environment, which they inherit:
 *   CONTAINER_RUNTIME = 'available' | 'unavailable:<reason>' | 'not-needed'
 *   POSTGRES_PROBE    = 'available' | 'unavailable:<reason>'
 * REQUIRE_CONTAINERS=1 turns a missing runtime into a failure (for machines that have Docker);
 * REQUIRE_POSTGRES=1 does the same for PostgreSQL (CI).
 */
const PROBE_TIMEOUT_MS = 5000;

const probeContainerRuntime = async () => {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${PROBE_TIMEOUT_MS} ms`)), PROBE_TIMEOUT_MS);
    timer.unref();
  });
  try {
    const { getContainerRuntimeClient } = require('testcontainers');
    await Promise.race([getContainerRuntimeClient(), timeout]);
    return 'available';
  } catch (err) {
    const reason = String((err && err.message) || err).split('\n')[0];
    return `unavailable:${reason}`;
  } finally {
    clearTimeout(timer);
  }
};

/** The admin connection the PostgreSQL suites create their per-run databases with. */
const POSTGRES_ADMIN_URL = process.env.POSTGRES_URL || 'postgres://postgres@127.0.0.1:5432/test';
/** Databases created by test runs: salesline_t_<epoch seconds>_<random>. */
const TEST_DATABASE = /^salesline_t_(\d+)_[0-9a-f]+$/;
const STALE_AFTER_SECONDS = 6 * 3600;

/** Connects once; on the way, drops databases left behind by runs that were killed hours ago. */
const probePostgres = async () => {
  const { Client } = require('pg');
  const client = new Client({ connectionString: POSTGRES_ADMIN_URL, connectionTimeoutMillis: 3000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const { rows } = await client.query("SELECT datname FROM pg_database WHERE datname LIKE 'salesline_t_%'");
    const now = Date.now() / 1000;
    for (const { datname } of rows) {
      const match = TEST_DATABASE.exec(datname);
      if (match && now - Number(match[1]) > STALE_AFTER_SECONDS) {
        await client.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`).catch(() => undefined);
      }
    }
    return 'available';
  } catch (err) {
    const reason = String((err && err.message) || err).split('\n')[0];
    return `unavailable:no PostgreSQL at ${POSTGRES_ADMIN_URL.replace(/\/\/[^@/]*@/, '//')} (${reason})`;
  } finally {
    await client.end().catch(() => undefined);
  }
};

module.exports = async () => {
  if (!process.env.POSTGRES_PROBE) process.env.POSTGRES_PROBE = await probePostgres();
  if (process.env.REQUIRE_POSTGRES === '1' && process.env.POSTGRES_PROBE.startsWith('unavailable:')) {
    throw new Error(`REQUIRE_POSTGRES=1 but ${process.env.POSTGRES_PROBE.slice('unavailable:'.length)}`);
  }
  if (process.env.CONTAINER_RUNTIME) return; // already probed (watch mode) or set by hand
  const everyStoreHasUrl = Boolean(process.env.EVENTSTORE_URL && process.env.MONGO_URL);
  process.env.CONTAINER_RUNTIME = everyStoreHasUrl ? 'not-needed' : await probeContainerRuntime();
  if (process.env.REQUIRE_CONTAINERS === '1' && process.env.CONTAINER_RUNTIME.startsWith('unavailable:')) {
    throw new Error(`REQUIRE_CONTAINERS=1 but no container runtime: ${process.env.CONTAINER_RUNTIME.slice('unavailable:'.length)}`);
  }
};
