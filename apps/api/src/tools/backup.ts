import { backupDataDir, loadConfig } from '@salesline/core';

/** `npm run backup -- <dir>`: online backup of DATA_DIR's stores (SQLite backup API) while the server runs. */
const target = process.argv[2];
if (!target) {
  process.stderr.write('usage: npm run backup -- <empty or new folder>\n');
  process.exit(2);
}
backupDataDir(loadConfig().dataDir, target)
  .then((m) => process.stdout.write(`backed up ${m.files.join(', ')} (log head ${m.headPosition}) into ${target}\n`))
  .catch((err: unknown) => {
    process.stderr.write(`backup failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
