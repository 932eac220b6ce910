/**
 * Jest global setup (runs once, in the parent process, untransformed): probes for a container
 * runtime so the EventStoreDB/MongoDB suites can decide quickly whether to start containers.
 * The answer reaches the test workers through the environment, which they inherit:
 *   CONTAINER_RUNTIME = 'available' | 'unavailable:<reason>' | 'not-needed'
 * REQUIRE_CONTAINERS=1 turns a missing runtime into a failure (for machines that have Docker).
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

module.exports = async () => {
  if (process.env.CONTAINER_RUNTIME) return; // already probed (watch mode) or set by hand
  const everyStoreHasUrl = Boolean(process.env.EVENTSTORE_URL && process.env.MONGO_URL);
  process.env.CONTAINER_RUNTIME = everyStoreHasUrl ? 'not-needed' : await probeContainerRuntime();
  if (process.env.REQUIRE_CONTAINERS === '1' && process.env.CONTAINER_RUNTIME.startsWith('unavailable:')) {
    throw new Error(
      `REQUIRE_CONTAINERS=1 but no container runtime: ${process.env.CONTAINER_RUNTIME.slice('unavailable:'.length)}`,
    );
  }
};
