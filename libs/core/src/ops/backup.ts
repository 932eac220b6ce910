import Database from 'better-sqlite3';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** What a backup folder holds, besides the files. */
export type BackupManifest = { createdAt: string; headPosition: number; files: string[] };

const STORES = ['read-models.db', 'events.db'] as const;
const SECRETS = ['token-secret', 'admin-token'] as const;

/**
 * Online backup of the embedded stores with SQLite's backup API, while the server runs. The read
 * models are copied first and the log last, so the copy's read models are never ahead of its log
 * (they catch up on start). The token secret and admin token are copied too (mode 600), so
 * issued tokens stay valid after a restore.
 */
export const backupDataDir = async (dataDir: string, target: string): Promise<BackupManifest> => {
  if (!existsSync(join(dataDir, 'events.db'))) throw new Error(`no events.db in ${dataDir}`);
  mkdirSync(target, { recursive: true });
  if (readdirSync(target).length > 0) throw new Error(`${target} is not empty`);
  const files: string[] = [];
  for (const file of STORES) {
    const source = join(dataDir, file);
    if (!existsSync(source)) continue;
    const db = new Database(source, { readonly: true, fileMustExist: true });
    try {
      db.pragma('busy_timeout = 5000');
      await db.backup(join(target, file));
    } finally {
      db.close();
    }
    files.push(file);
  }
  for (const file of SECRETS) {
    if (!existsSync(join(dataDir, file))) continue;
    copyFileSync(join(dataDir, file), join(target, file));
    files.push(file);
  }
  const events = new Database(join(target, 'events.db'), { readonly: true });
  const head = (events.prepare('SELECT COALESCE(MAX(position), 0) AS head FROM events').get() as { head: number }).head;
  events.close();
  const manifest: BackupManifest = { createdAt: new Date().toISOString(), headPosition: head, files };
  writeFileSync(join(target, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
};

/** Restores a backup into an empty (or new) data folder; refuses to overwrite a store. */
export const restoreDataDir = (backup: string, dataDir: string): BackupManifest => {
  const manifest = JSON.parse(readFileSync(join(backup, 'manifest.json'), 'utf8')) as BackupManifest;
  mkdirSync(dataDir, { recursive: true });
  for (const file of STORES) {
    if (existsSync(join(dataDir, file))) throw new Error(`${join(dataDir, file)} exists: restore into an empty folder`);
  }
  for (const file of manifest.files) copyFileSync(join(backup, file), join(dataDir, file));
  const check = new Database(join(dataDir, 'events.db'), { readonly: true });
  const integrity = check.pragma('integrity_check', { simple: true });
  check.close();
  if (integrity !== 'ok') throw new Error(`restored events.db fails its integrity check: ${String(integrity)}`);
  return manifest;
};
