import 'reflect-metadata';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { INestApplication } from '@nestjs/common';
import { AppConfig, ConfigError, EVENT_STORE, EventStore, loadConfig, TokenService } from '@salesline/core';
import { Presets, SingleBar } from 'cli-progress';
import { createApp } from '@salesline/api/create-app';
import { DemoSummary, generateDemo } from './demo-company';

/** `npm run demo -- [--seed N] [--scale N] [--concurrency N]`: builds the demo year into DATA_DIR (default ./data) through the real API, in-process. */
const argValue = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`);
  if (i >= 0) return process.argv[i + 1];
  const inline = process.argv.find((a) => a.startsWith(`--${name}=`));
  return inline?.slice(name.length + 3);
};

export const demoNotice = (summary: DemoSummary, dataDir: string, seconds: number) => {
  const lines = [
    `Demo company (seed ${summary.seed}, scale ${summary.scale}) recorded ${summary.from} … ${summary.to} in ${seconds.toFixed(1)} s, up to position ${summary.lastPosition}.`,
    `  ${Object.entries(summary.counts)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
    Object.keys(summary.refusals).length
      ? `  refused by the business rules (part of the story): ${Object.entries(summary.refusals)
          .map(([k, v]) => `${k} ×${v}`)
          .join(', ')}`
      : '',
    `  sign in to the dashboard with a token from ${join(dataDir, 'demo-tokens.json')}`,
  ];
  return lines.filter(Boolean).join('\n');
};

/** Writes the demo users' tokens next to the admin token, for signing in to the dashboard. */
export const writeDemoTokens = (summary: Pick<DemoSummary, 'users'>, dataDir: string) =>
  writeFileSync(
    join(dataDir, 'demo-tokens.json'),
    JSON.stringify(
      summary.users.map(({ userId, name, roles, token, refreshToken }) => ({
        userId,
        name,
        roles,
        token,
        ...(refreshToken ? { refreshToken } : {}),
      })),
      null,
      2,
    ),
    { mode: 0o600 },
  );

const progressBar = () =>
  new SingleBar(
    { format: 'demo year [{bar}] {percentage}% | {value}/{total} steps | {duration}s', hideCursor: true },
    Presets.shades_classic,
  );

/** Runs the demo against a listening app; the bar shows the steps of the year. */
const runDemo = async (app: INestApplication, config: AppConfig, { seed, scale, concurrency }: DemoArgs) => {
  const { port } = app.getHttpServer().address() as { port: number };
  const bar = progressBar();
  bar.start(1, 0);
  const started = Date.now();
  try {
    const summary = await generateDemo(`http://127.0.0.1:${port}`, app.get(TokenService).adminToken, {
      seed,
      scale,
      concurrency,
      onProgress: (done, total) => {
        bar.setTotal(total);
        bar.update(done);
      },
    });
    bar.stop();
    writeDemoTokens(summary, config.dataDir);
    process.stdout.write(`${demoNotice(summary, config.dataDir, (Date.now() - started) / 1000)}\n`);
  } finally {
    bar.stop();
  }
};

type DemoArgs = { seed: number; scale: number; concurrency: number };

const demoArgs = (): DemoArgs => {
  const seed = Number(argValue('seed') ?? 1);
  const scale = Number(argValue('scale') ?? 1);
  const concurrency = Number(argValue('concurrency') ?? 8);
  if (!Number.isInteger(seed) || !Number.isInteger(scale) || scale < 1 || !Number.isInteger(concurrency) || concurrency < 1)
    throw new ConfigError('--seed must be an integer, --scale and --concurrency positive integers');
  return { seed, scale, concurrency };
};

/** `npm start -- --demo`: builds the demo year through the running server when its event log is empty; otherwise says why not. */
export const buildDemoIfEmpty = async (app: INestApplication, config: AppConfig) => {
  const head = await app.get<EventStore>(EVENT_STORE).headPosition();
  if (head > 0) {
    process.stdout.write(`--demo: ${config.dataDir} already holds ${head} events; the demo is only built into an empty data folder\n`);
    return;
  }
  await runDemo(app, config, demoArgs());
};

async function main() {
  const args = demoArgs();
  // The in-process server listens on 127.0.0.1 only, for the demo alone: no rate limit to wait on.
  const config = loadConfig({ ...process.env, PORT: '0', LOG_LEVEL: process.env.LOG_LEVEL ?? 'error', RATE_LIMIT: 'off' });
  if (existsSync(join(config.dataDir, 'events.db')))
    throw new ConfigError(
      `${config.dataDir} already holds an event log; the demo builds a company into an empty data folder (set DATA_DIR, or remove the folder)`,
    );
  const app = await createApp(config);
  await app.listen(0, '127.0.0.1');
  try {
    await runDemo(app, config, args);
  } finally {
    await app.close();
  }
}

if (require.main === module)
  main().catch((err: unknown) => {
    process.stderr.write(
      `salesline demo: ${err instanceof ConfigError ? err.message : err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    process.exit(1);
  });
