import { execSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { Row } from './report';

const git = (cmd: string) => {
  try {
    return execSync(`git ${cmd}`, { stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
  } catch {
    return 'unknown';
  }
};

/** docs/benchmarks.md: the machine, the date, the commit, and every figure with its reference and ratio. */
export const writeBenchmarksDoc = (input: { rows: Row[]; machine: string; seconds: number; quick: boolean }): string => {
  // Compiled to dist/bench/: the repository's docs/ is two folders up.
  const file = join(__dirname, '..', '..', 'docs', 'benchmarks.md');
  const commit = `${git('rev-parse --short HEAD')}${git('status --porcelain') ? ' (with uncommitted changes)' : ''}`;
  const sections = [...new Set(input.rows.map((r) => r.section))];
  const table = (section: string) =>
    [
      '| what | measured | reference (same run) | ratio | goal |',
      '|---|---:|---|---:|---|',
      ...input.rows
        .filter((r) => r.section === section)
        .map((r) => `| ${r.what.trim()} | ${r.value} | ${r.reference} | ${r.ratio} | ${r.goal} |`),
    ].join('\n');
  const text = `# Benchmarks

Written by \`npm run bench\` (bench/run.ts${input.quick ? ', BENCH_QUICK=1' : ''}) in ${Math.round(input.seconds)} s.

- machine: ${input.machine}
- date: ${new Date().toISOString()}
- commit: ${commit}
- load average when written (1, 5, 15 min): ${loadavg()
    .map((l) => l.toFixed(2))
    .join(', ')} on ${input.machine.split(' ')[0]} cores
- durability: SQLite WAL with \`synchronous=FULL\` for the events (an acknowledged append is fsynced)
- HTTP load: autocannon in the same process as the server but on a worker thread of its own (the server
  keeps its event loop, as in a deployment), bounded duration; the bare NestJS endpoints are measured the
  same way, so the ratios compare like with like.

The machine is shared: absolute figures move from run to run; read the ratios, which compare
with a reference measured in the same run.

${sections.map((s) => `## ${s}\n\n${table(s)}`).join('\n\n')}

## Reading the figures

- **appends**: raw better-sqlite3 is one fsynced transaction per row, the limit of the disk.
  Single appends pay that fsync each; with 64 in flight, group commit writes the appends that
  arrive together in one transaction, so one fsync covers many. The Emmett line reads
  "Salesline is N× faster than emmett-sqlite at single durable appends".
- **account**: an account stream with N events (one credit reservation per past order). A load
  reads the latest snapshot and the events after it (at most 100), so its cost follows the
  size of the state, not the length of the past. The first load folds the whole stream once,
  linearly, and stores the snapshot.
- **rebuild**: \`npm run projections:rebuild -- all\` (its built entry point) run as its own
  process on a log of 1M events: every projection from one streaming pass, compared with a raw
  paged read of the same log; the memory figure is that process's own peak (the kernel's
  high-water mark), not the benchmark's.
- **http**: the API runs on Fastify (\`@nestjs/platform-fastify\`, ADR 0032); each figure of the real API is measured on
  Fastify and on Express (\`HTTP_PLATFORM=express\`) in the same run, and the goals are read on Fastify. The references stay the
  bare NestJS endpoints on Express (the framework ceiling the goals were set against); the same bare endpoints on Fastify are
  measured beside them. CPU is the server thread's own (the kernel's count for it) per answer: steadier than req/s here.
- **orders**: placing an order for a customer whose account already has N events.
- **start**: the built API, as its own process, starting on a long log with empty read models (after an
  upgrade adding a projection, or a deleted read-model file), against the same API on an empty data folder:
  it listens at once, reports the catch-up on \`/health\`, and its own peak memory stays flat while it catches up.
`;
  // Sections written elsewhere between their markers are kept as they are: the reports (\`npm run bench:reports\`)
  // and the HTTP platform decision (Express or Fastify, with the figures it rests on).
  const previous = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const kept = ['platform', 'reports']
    .map((name) => {
      const begin = previous.indexOf(`<!-- ${name}:begin`);
      const end = previous.indexOf(`<!-- ${name}:end -->`);
      return begin >= 0 && end > begin ? `\n${previous.slice(begin, end + `<!-- ${name}:end -->`.length)}\n` : '';
    })
    .join('');
  writeFileSync(file, text + kept);
  return file;
};
