import 'reflect-metadata';
import { parentPort } from 'node:worker_threads';
import { ConfigError, loadConfig, openEventStore, openReadStore, rebuildProjections } from '@salesline/core';
import { allProjections, allUpcasters } from '@salesline/composition';
import type { RebuildMessage } from './rebuild';

/**
 * The rebuild itself, on the worker thread `npm run projections:rebuild` starts (rebuild.ts): replays the whole log,
 * in one streaming pass for every named projection, into shadow collections and swaps them in, and tells the main
 * thread where it is after each batch.
 */
const post = (message: RebuildMessage) => parentPort!.postMessage(message);

async function rebuild(names: readonly string[]) {
  const known = allProjections.map((p) => p.name);
  if (names.length === 0 || names.some((n) => n !== 'all' && !known.includes(n))) return post({ usage: known });
  const selected = names.includes('all') ? allProjections : allProjections.filter((p) => names.includes(p.name));
  const config = loadConfig();
  const eventStore = await openEventStore(config, allUpcasters);
  const readStore = await openReadStore(config);
  try {
    post({ position: 0, head: await eventStore.headPosition() });
    const result = await rebuildProjections(eventStore, readStore, selected, (position, head) => post({ position, head }));
    post({ done: { ...result, projections: selected.map((p) => p.name) } });
  } finally {
    await eventStore.close();
    await readStore.close();
  }
}

parentPort!.once('message', (names: string[]) => {
  rebuild(names).catch((err: unknown) =>
    post({
      failed:
        err instanceof ConfigError
          ? `configuration error: ${err.message}`
          : `rebuild failed: ${err instanceof Error ? err.message : String(err)}`,
    }),
  );
});
