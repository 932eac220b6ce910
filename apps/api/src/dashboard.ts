import { INestApplication } from '@nestjs/common';
import express from 'express';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * Where the dashboard build lives: `WEB_DIR`, or `dist/web` next to the compiled API (dist/apps/api/src → dist/web)
 * or next to its sources (apps/api/src → dist/web) when run from TypeScript.
 */
export const dashboardDir = (env: NodeJS.ProcessEnv = process.env): string | null =>
  [env.WEB_DIR, resolve(__dirname, '../../../web'), resolve(__dirname, '../../../dist/web')].find((dir) => dir && existsSync(join(dir, 'index.html'))) ?? null;

/** Serves the dashboard's static files at `/` when it has been built; without a build the API starts all the same. */
export const serveDashboard = (app: INestApplication, dir = dashboardDir()): string | null => {
  if (!dir) return null;
  app.use(express.static(dir, { index: 'index.html', fallthrough: true, maxAge: '1h', setHeaders: (res, path) => path.endsWith('.html') && res.setHeader('Cache-Control', 'no-cache') }));
  return dir;
};
