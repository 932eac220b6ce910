import { ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { httpClient } from './http';

export const ROOT = join(__dirname, '..', '..');
export const API_MAIN = join(ROOT, 'dist/apps/api/src/main.js');
export const REBUILD_MAIN = join(ROOT, 'dist/apps/projector/src/rebuild.js');

/** Builds dist/ once per run (the same `npm run build` that `npm start` does). */
export const ensureBuilt = (): void => {
  const marker = join(ROOT, 'dist/.built-by-tests');
  if (existsSync(marker) && existsSync(API_MAIN) && Date.now() - statSync(marker).mtimeMs < 60_000) return;
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'pipe' });
  execFileSync('touch', [marker]);
};

export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });

export type ServerProcess = { child: ChildProcess; baseUrl: string; output: () => string; exited: Promise<number | null> };

/** Starts the built API as its own OS process, the way `npm start` runs it. */
export const startServer = async (env: Record<string, string>): Promise<ServerProcess> => {
  const port = env.PORT ?? String(await freePort());
  const child = spawn(process.execPath, [API_MAIN], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn', ...env, PORT: port },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d.toString()));
  child.stderr!.on('data', (d) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const baseUrl = `http://127.0.0.1:${port}`;
  const http = httpClient(baseUrl);
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) break;
    try {
      if ((await http.get('/health')).status === 200) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) throw new Error(`server did not start: ${output}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return { child, baseUrl, output: () => output, exited };
};

/**
 * Runs a built script to its end. Asynchronous on purpose: while it runs, this process keeps serving its
 * sockets, so a keep-alive connection the server closes meanwhile is noticed, not reused ("other side closed").
 */
export const runNode = (script: string, args: string[], env: Record<string, string>): Promise<{ status: number | null; output: string }> =>
  new Promise((resolve) => {
    execFile(process.execPath, [script, ...args], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env } }, (err, stdout, stderr) => {
      if (!err) resolve({ status: 0, output: stdout });
      else resolve({ status: typeof err.code === 'number' ? err.code : null, output: `${stdout}${stderr}` });
    });
  });
