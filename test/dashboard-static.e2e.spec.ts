import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startInProcessApp } from './support/in-process-app';

/** The API serves the dashboard's files at `/` when they are built, starts without them, and never lets them shadow the API. */
describe('Dashboard files served by the API', () => {
  const dirs: string[] = [];
  const folder = (withIndex: boolean) => {
    const dir = mkdtempSync(join(tmpdir(), 'salesline-web-'));
    if (withIndex) writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Salesline</title>');
    dirs.push(dir);
    return dir;
  };
  const withWebDir = async (dir: string, check: (baseUrl: string) => Promise<void>) => {
    process.env.WEB_DIR = dir;
    const running = await startInProcessApp();
    try {
      await check(running.baseUrl);
    } finally {
      delete process.env.WEB_DIR;
      await running.close();
    }
  };
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('serves index.html at / and leaves /api, /docs and /health to the API', () =>
    withWebDir(folder(true), async (baseUrl) => {
      const page = await fetch(`${baseUrl}/`);
      expect([page.status, await page.text()]).toEqual([200, '<!doctype html><title>Salesline</title>']);
      expect((await fetch(`${baseUrl}/api/customers`)).status).toBe(401);
      expect((await fetch(`${baseUrl}/health/live`)).status).toBe(200);
      expect((await fetch(`${baseUrl}/docs-json`)).status).toBe(200);
      expect((await fetch(`${baseUrl}/nothing-here.js`)).status).toBe(404);
    }));

  it('starts without a dashboard build: / is a 404 and the API answers', () =>
    withWebDir(folder(false), async (baseUrl) => {
      expect((await fetch(`${baseUrl}/`)).status).toBe(404);
      expect((await fetch(`${baseUrl}/health/live`)).status).toBe(200);
    }));
});
