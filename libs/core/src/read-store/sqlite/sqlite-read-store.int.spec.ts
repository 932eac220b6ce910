import { join } from 'node:path';
import { makeTempDir, uniqueSuffix } from '../../testing/contract-suite';
import { describeReadStoreContract } from '../read-store.contract';
import { SqliteReadStore } from './sqlite-read-store';

const temp = makeTempDir('sqlite-read-store');
afterAll(() => temp.remove());

describeReadStoreContract('SQLite read store', async () => new SqliteReadStore(join(temp.path, `read-models-${uniqueSuffix()}.db`)));
