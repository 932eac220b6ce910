import { ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { httpClient } from './http';

export const ROOT = join(__dirname, '..', '..');
export const API_MAIN = join(ROOT, 'dist/apps/api/src/main.js');
export const REBUILD_MAIN = join(ROOT, 'dist/apps/projector/src/rebuild.js');
export const PROJECTOR_MAIN = join(ROOT, 'dist/apps/projector/src/main.js');

const sleepSync = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/**
 * Builds dist/ once per run (the same `npm run build` that `npm start` does), unless the run says it
 * has built it already (`SALESLINE_DIST_BUILT=1`, as .ci/run does). Test files in other
 * jest workers may ask at the same moment: a lock directory makes them wait for one build.
 */
export const ensureBuilt = (): void => {
  // CI builds once before the tests (and lints the OpenAPI document of that build): reuse it.
  if (process.env.SALESLINE_DIST_BUILT === '1' && existsSync(API_MAIN)) return;
  const marker = join(ROOT, 'dist/.built-by-tests');
  const lock = join(ROOT, 'dist/.build-lock');
  const fresh = () => existsSync(marker) && existsSync(API_MAIN) && Date.now() - statSync(marker).mtimeMs < 60_000;
  mkdirSync(join(ROOT, 'dist'), { recursive: true });
  for (;;) {
    if (fresh()) return;
    try {
      mkdirSync(lock);
      break;
    } catch {
      // Another worker builds; a lock older than 5 minutes belongs to a run that was killed.
      if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > 300_000) rmSync(lock, { recursive: true, force: true });
      sleepSync(250);
    }
  }
  try {
    if (fresh()) return;
    execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'pipe' });
    execFileSync('touch', [marker]);
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
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
export type BackgroundProcess = Omit<ServerProcess, 'baseUrl'>;

/** Starts a built entry point as its own OS process, collecting its output. */
const spawnBuilt = (main: string, env: Record<string, string>): BackgroundProcess => {
  const child = spawn(process.execPath, [main], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d.toString()));
  child.stderr!.on('data', (d) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
};

/** Starts the built projector (apps/projector) as its own OS process. */
export const startProjector = (env: Record<string, string>): BackgroundProcess => spawnBuilt(PROJECTOR_MAIN, env);

/** Starts the built API as its own OS process, the way `npm start` runs it. */
export const startServer = async (env: Record<string, string>): Promise<ServerProcess> => {
  const port = env.PORT ?? String(await freePort());
  const { child, output, exited } = spawnBuilt(API_MAIN, { ...env, PORT: port });
  const baseUrl = `http://127.0.0.1:${port}`;
  const http = httpClient(baseUrl);
  const deadline = Date.now() + 60_000; // generous: CI machines are shared
  for (;;) {
    if (child.exitCode !== null) break;
    try {
      if ((await http.get('/health')).status === 200) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL'); // not left running behind a failed test
      throw new Error(`server did not start: ${output()}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { child, baseUrl, output, exited };
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
