import 'reflect-metadata';
import { SingleBar, Presets } from 'cli-progress';
import { ConfigError, favourHeapSize, loadConfig, openEventStore, openReadStore, rebuildProjections } from '@salesline/core';
import { allProjections, allUpcasters } from '@salesline/composition';

/**
 * `npm run projections:rebuild -- <name…|all>`: replays the whole log, in one streaming pass for
 * every named projection, into shadow collections and swaps them in. The API keeps serving the old documents meanwhile; its runner notices the moved
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
  // A batch job whose memory must not grow with the log: V8 favours heap size over speed (as the API does during catch-up).
  favourHeapSize(true);
  const config = loadConfig();
  const eventStore = await openEventStore(config, allUpcasters);
  const readStore = await openReadStore(config);
  try {
    // One pass over the log for every selected projection; the bar counts log positions.
    const bar = new SingleBar(
      {
        format: `rebuild [{bar}] {percentage}% | position {value}/{total} | {rate} events/s | ETA {eta_formatted} | rss {rss} MB`,
        clearOnComplete: false,
        etaBuffer: 50,
        fps: 5,
        noTTYOutput: true,
        notTTYSchedule: 2000,
      },
      Presets.shades_classic,
    );
    const started = Date.now();
    let peakRss = 0;
    const sample = () => {
      const rss = Math.round(process.memoryUsage().rss / 1e6);
      peakRss = Math.max(peakRss, rss);
      return rss;
    };
    bar.start(Math.max(await eventStore.headPosition(), 1), 0, { rate: 0, rss: sample() });
    const result = await rebuildProjections(eventStore, readStore, selected, (position, head) => {
      bar.setTotal(Math.max(head, 1));
      bar.update(position, { rate: Math.round(position / Math.max((Date.now() - started) / 1000, 0.001)), rss: sample() });
    });
    bar.stop();
    const ms = Date.now() - started;
    // The kernel's high-water mark of this process (resourceUsage().maxRSS, in KiB): the true peak, not a sample.
    peakRss = Math.max(peakRss, Math.round((process.resourceUsage().maxRSS * 1024) / 1e6));
    for (const projection of selected)
      process.stdout.write(`rebuilt ${projection.name}: ${result.events} events up to position ${result.position} in ${ms} ms\n`);
    process.stdout.write(
      `read ${result.events} events once for ${selected.length} projection(s) in ${ms} ms (${Math.round(result.events / Math.max(ms / 1000, 0.001))} events/s), peak rss ${peakRss} MB\n`,
    );
  } finally {
    await eventStore.close();
    await readStore.close();
  }
}

main().catch((err: unknown) => {
  const message =
    err instanceof ConfigError
      ? `configuration error: ${err.message}`
      : `rebuild failed: ${err instanceof Error ? err.message : String(err)}`;
  process.stderr.write(`salesline: ${message}\n`);
  process.exit(1);
});
