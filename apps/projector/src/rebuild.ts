import 'reflect-metadata';
import { SingleBar, Presets } from 'cli-progress';
import { ConfigError, loadConfig, openEventStore, openReadStore, rebuildProjection } from '@salesline/core';
import { allProjections, allUpcasters } from '../../api/src/composition';

/**
 * `npm run projections:rebuild -- <name>`: replays the whole log into a shadow collection and
 * swaps it in. The API keeps serving the old documents meanwhile; its runner notices the moved
 * checkpoint and carries on from it.
 */
async function main() {
  const names = process.argv.slice(2);
  const known = allProjections.map((p) => p.name);
  if (names.length === 0 || names.some((n) => n !== 'all' && !known.includes(n))) {
    process.stderr.write(`usage: npm run projections:rebuild -- <name|all>   (projections: ${known.join(', ')})\n`);
    process.exit(2);
  }
  const selected = names.includes('all') ? allProjections : allProjections.filter((p) => names.includes(p.name));
  const config = loadConfig();
  const eventStore = await openEventStore(config, allUpcasters);
  const readStore = await openReadStore(config);
  try {
    for (const projection of selected) {
      const bar = new SingleBar({ format: `${projection.name} [{bar}] {percentage}% | position {value}/{total}`, clearOnComplete: false }, Presets.shades_classic);
      bar.start(Math.max(await eventStore.headPosition(), 1), 0);
      const started = Date.now();
      const result = await rebuildProjection(eventStore, readStore, projection, (position, head) => {
        bar.setTotal(Math.max(head, 1));
        bar.update(position);
      });
      bar.stop();
      process.stdout.write(`rebuilt ${projection.name}: ${result.events} events up to position ${result.position} in ${Date.now() - started} ms\n`);
    }
  } finally {
    await eventStore.close();
    await readStore.close();
  }
}

main().catch((err: unknown) => {
  const message = err instanceof ConfigError ? `configuration error: ${err.message}` : `rebuild failed: ${err instanceof Error ? err.message : String(err)}`;
  process.stderr.write(`salesline: ${message}\n`);
  process.exit(1);
});
