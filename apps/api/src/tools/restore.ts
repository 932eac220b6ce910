import { loadConfig, restoreDataDir } from '@salesline/core';

/** `npm run restore -- <backup folder> [data folder]`: restores a backup into an empty data folder (default DATA_DIR). */
const [backup, dataDir = loadConfig().dataDir] = process.argv.slice(2);
if (!backup) {
  process.stderr.write('usage: npm run restore -- <backup folder> [data folder, default DATA_DIR]\n');
  process.exit(2);
}
try {
  const m = restoreDataDir(backup, dataDir);
  process.stdout.write(`restored ${m.files.join(', ')} (log head ${m.headPosition}, taken ${m.createdAt}) into ${dataDir}\n`);
} catch (err) {
  process.stderr.write(`restore failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}
