import { Presets, SingleBar } from 'cli-progress';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';

/** What the rebuild thread (rebuild-worker.ts) tells this one. */
export type RebuildMessage =
  | Readonly<{ position: number; head: number }>
  | Readonly<{ done: { position: number; events: number; projections: string[] } }>
  | Readonly<{ usage: string[] }>
  | Readonly<{ failed: string }>;

/**
 * The rebuild thread's heap: a batch job whose memory must not grow with the log. A hard limit lets V8 keep
 * favouring speed (`--optimize-for-size`, which this replaces, doubled the rebuild's CPU, most of it collecting)
 * and still collect before the process grows; what the thread holds is two batches and the loaded code.
 * REBUILD_HEAP_MB raises it for read models whose documents are very large.
 */
const HEAP_MB = Number(process.env.REBUILD_HEAP_MB) || 128;

/**
 * Its young generation: V8 sizes it from the old generation's limit, which for 128 MB leaves it small, so a batch's
 * events and documents (a few MB, dead by the next batch) were promoted and collected again with the old generation.
 * 64 MB holds them until they die: a fifth of the thread's time went to collecting, a little over a tenth with it
 * (CPU profile of a 200k-event rebuild).
 */
const YOUNG_MB = 64;

/**
 * `npm run projections:rebuild -- <name…|all>`: replays the whole log, in one streaming pass for every named
 * projection, into shadow collections and swaps them in. The API keeps serving the old documents meanwhile; its
 * runner notices the moved checkpoint and carries on from it. The work runs on a worker thread with a bounded heap
 * (rebuild-worker.ts); this thread draws the progress bar, and loads none of the application.
 */
function main() {
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
  let started = 0;
  let done = false;
  let peakRss = 0;
  const sample = () => {
    const rss = Math.round(process.memoryUsage().rss / 1e6);
    peakRss = Math.max(peakRss, rss);
    return rss;
  };
  const worker = new Worker(join(__dirname, 'rebuild-worker.js'), {
    resourceLimits: { maxOldGenerationSizeMb: HEAP_MB, maxYoungGenerationSizeMb: YOUNG_MB },
  });
  worker.on('message', (message: RebuildMessage) => {
    if ('usage' in message) {
      process.stderr.write(`usage: npm run projections:rebuild -- <name|all>   (projections: ${message.usage.join(', ')})\n`);
      process.exit(2);
    } else if ('failed' in message) {
      process.stderr.write(`salesline: ${message.failed}\n`);
      process.exit(1);
    } else if ('done' in message) {
      done = true;
      bar.stop();
      const ms = Date.now() - started;
      // The kernel's high-water mark of this process (resourceUsage().maxRSS, in KiB; every thread): the true peak, not a sample.
      peakRss = Math.max(peakRss, Math.round((process.resourceUsage().maxRSS * 1024) / 1e6));
      const { events, position, projections } = message.done;
      for (const name of projections) process.stdout.write(`rebuilt ${name}: ${events} events up to position ${position} in ${ms} ms\n`);
      process.stdout.write(
        `read ${events} events once for ${projections.length} projection(s) in ${ms} ms (${Math.round(events / Math.max(ms / 1000, 0.001))} events/s), peak rss ${peakRss} MB\n`,
      );
      void worker.terminate();
    } else if (started === 0) {
      // The bar counts log positions, from the first one the thread reports (the stores are open).
      started = Date.now();
      bar.start(Math.max(message.head, 1), 0, { rate: 0, rss: sample() });
    } else {
      bar.setTotal(Math.max(message.head, 1));
      bar.update(message.position, { rate: Math.round(message.position / Math.max((Date.now() - started) / 1000, 0.001)), rss: sample() });
    }
  });
  worker.on('error', (err) => {
    process.stderr.write(`salesline: rebuild failed: ${err.message}\n`);
    process.exit(1);
  });
  worker.on('exit', () => {
    if (!done) {
      process.stderr.write('salesline: rebuild failed: the rebuild thread stopped before the end\n');
      process.exit(1);
    }
  });
  worker.postMessage(process.argv.slice(2));
}

main();
