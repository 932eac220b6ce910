import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, openEventStore, openReadStore, SqliteReadStore, verifyProjections } from '@salesline/core';
import { allProjections } from '@salesline/composition';
import { runMain } from './cli';

/**
 * `npm run projections:verify [-- <name>…]`: rebuilds every read model into a scratch store and
 * compares it with the live one, printing each difference. Exit code 1 when any differs.
 */
async function main() {
  const names = process.argv.slice(2);
  const selected = names.length ? allProjections.filter((p) => names.includes(p.name)) : allProjections;
  const config = loadConfig();
  const events = await openEventStore(config);
  const live = await openReadStore(config);
  const scratchDir = mkdtempSync(join(tmpdir(), 'salesline-verify-'));
  const scratch = new SqliteReadStore(join(scratchDir, 'scratch.db'));
  let differences = 0;
  try {
    for (const report of await verifyProjections(events, live, scratch, selected)) {
      differences += report.differences.length;
      const skipped = report.skippedAhead ? `, ${report.skippedAhead} moved on while verifying` : '';
      process.stdout.write(
        `${report.differences.length ? 'DIFFERS' : 'ok     '} ${report.projection}: ${report.documents} documents at position ${report.checkpoint}${skipped}\n`,
      );
      for (const d of report.differences) process.stdout.write(`  ${d.kind} ${d.id}: ${d.detail}\n`);
    }
  } finally {
    await scratch.close();
    await events.close();
    await live.close();
    rmSync(scratchDir, { recursive: true, force: true });
  }
  process.stdout.write(differences ? `${differences} difference(s)\n` : 'every read model matches its rebuild\n');
  process.exit(differences ? 1 : 0);
}

runMain(main, 'verify', { exitCode: 2 });
