import Database from 'better-sqlite3';
import { join } from 'node:path';
import { makeTempDir, uniqueSuffix } from '../../testing/contract-suite';
import { describeReadStoreContract } from '../read-store.contract';
import { SqliteReadStore } from './sqlite-read-store';

const temp = makeTempDir('sqlite-read-store');
afterAll(() => temp.remove());

describeReadStoreContract('SQLite read store', async () => new SqliteReadStore(join(temp.path, `read-models-${uniqueSuffix()}.db`)));

describe('SQLite read store: a file from before projection versions', () => {
  it('opens with its checkpoints and documents as they were, every projection at version 1', async () => {
    const file = join(temp.path, `before-versions-${uniqueSuffix()}.db`);
    const old = new Database(file);
    old.exec('CREATE TABLE projection_checkpoints (projection TEXT PRIMARY KEY, position INTEGER NOT NULL)');
    old.exec("INSERT INTO projection_checkpoints VALUES ('order_board', 42)");
    old.exec('CREATE TABLE rm_order_board (id TEXT PRIMARY KEY, doc TEXT NOT NULL, position INTEGER NOT NULL)');
    old.exec(`INSERT INTO rm_order_board VALUES ('o-1', '{"id":"o-1","_position":42}', 42)`);
    old.close();

    const store = new SqliteReadStore(file);
    try {
      expect(await store.getCheckpoint('order_board')).toBe(42);
      expect(await store.getProjectionVersion('order_board')).toBe(1);
      expect(await store.find('order_board')).toEqual([{ id: 'o-1', _position: 42 }]);
      await store.resetProjection('order_board', 'order_board', 2);
      expect(await store.getProjectionVersion('order_board')).toBe(2);
    } finally {
      await store.close();
    }
    // A second connection to the upgraded file (a worker thread, the projector) finds the column there.
    const again = new SqliteReadStore(file);
    try {
      expect(await again.getProjectionVersion('order_board')).toBe(2);
    } finally {
      await again.close();
    }
  });
});
