import { INestApplication } from '@nestjs/common';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@salesline/core';
import { createApp } from '@salesline/api/create-app';
import { HttpClient, httpClient } from './http';

export const ADMIN_TOKEN = 'e2e-admin-token-0123456789abcdef';

export type RunningApp = { app: INestApplication; baseUrl: string; http: HttpClient; dataDir: string; close: () => Promise<void> };

/** The real application on a real HTTP port over SQLite files in a fresh temp folder. */
export const startInProcessApp = async (env: Record<string, string> = {}): Promise<RunningApp> => {
  const dataDir = env.DATA_DIR ?? mkdtempSync(join(tmpdir(), 'salesline-e2e-'));
  // Scenarios fake the calendar months ahead: their tokens live for years unless a suite sets a TTL;
  // rate limits are off unless a suite turns them on (the fuzz suites send thousands of requests).
  const config = loadConfig({
    DATA_DIR: dataDir,
    ADMIN_TOKEN,
    LOG_LEVEL: 'silent',
    PORT: '0',
    ACCESS_TOKEN_TTL_SECONDS: String(5 * 365 * 86_400),
    RATE_LIMIT: 'off',
    ...env,
  });
  const app = await createApp(config);
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  const baseUrl = `http://127.0.0.1:${address.port}`;
  return {
    app,
    baseUrl,
    http: httpClient(baseUrl),
    dataDir,
    close: async () => {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
};

/** Issues a token for a user with roles, as the bootstrap admin. */
export const tokenFor = async (http: HttpClient, userId: string, ...roles: string[]): Promise<string> => {
  const res = await http.post('/api/auth/tokens', { userId, roles }, ADMIN_TOKEN);
  if (res.status !== 201) throw new Error(`token for ${userId}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.token;
};
