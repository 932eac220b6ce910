import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DemoUser } from './demo-company';
import { writeDemoTokens } from './main';

/**
 * `npm run demo:tokens`: new tokens for the demo's users, from the running server (`SALESLINE_URL`, default
 * http://127.0.0.1:$PORT or 3000), as its bootstrap admin (ADMIN_TOKEN or DATA_DIR/admin-token), written over
 * DATA_DIR/demo-tokens.json. For signing in again after signing out (which revokes) or after a refresh token was used.
 */
async function main() {
  const dataDir = resolve(process.env.DATA_DIR || './data');
  const file = join(dataDir, 'demo-tokens.json');
  if (!existsSync(file)) throw new Error(`${file} does not exist: run npm run demo first`);
  const adminFile = join(dataDir, 'admin-token');
  const adminToken = process.env.ADMIN_TOKEN || (existsSync(adminFile) ? readFileSync(adminFile, 'utf8').trim() : '');
  if (!adminToken) throw new Error(`no admin token: set ADMIN_TOKEN or keep ${adminFile}`);
  const baseUrl = process.env.SALESLINE_URL || `http://127.0.0.1:${process.env.PORT || 3000}`;
  const users = JSON.parse(readFileSync(file, 'utf8')) as DemoUser[];
  const renewed: DemoUser[] = [];
  for (const user of users) {
    const res = await fetch(`${baseUrl}/api/auth/tokens`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ userId: user.userId, roles: user.roles }),
    });
    const body = (await res.json()) as { token?: string; refreshToken?: string; message?: string };
    if (res.status !== 201 || !body.token) throw new Error(`${user.userId}: ${res.status} ${body.message ?? ''}`);
    renewed.push({ ...user, token: body.token, ...(body.refreshToken ? { refreshToken: body.refreshToken } : {}) });
  }
  writeDemoTokens({ users: renewed }, dataDir);
  process.stdout.write(`new tokens for ${renewed.length} demo users written to ${file}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`salesline demo:tokens: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
