import 'reflect-metadata';
import { ConfigError, loadConfig } from '@salesline/core';
import { adminTokenNotice, createApp } from './create-app';

// The demo generator and its progress bar load only with --demo: they are not needed to serve.
type DemoModule = typeof import('@salesline/demo/main');

/** The API (and, in the embedded default, the projections) in one process. */
async function main() {
  const config = loadConfig();
  const app = await createApp(config);
  await app.listen(config.port, config.host);
  const notice = adminTokenNotice(app, config);
  if (notice) process.stdout.write(`${notice}\n`);
  process.stdout.write(
    `Salesline listening on http://localhost:${config.port} (events: ${config.eventStore.kind}, read models: ${config.readStore.kind}, data: ${config.dataDir}); API docs at /docs\n`,
  );
  // `npm start -- --demo`: on an empty data folder, record the demo company through this very server.
  if (process.argv.includes('--demo')) await (require('@salesline/demo/main') as DemoModule).buildDemoIfEmpty(app, config);
}

main().catch((err: unknown) => {
  // One clear line for configuration and store problems; a stack only for the unexpected.
  const message =
    err instanceof ConfigError
      ? `configuration error: ${err.message}`
      : `start-up failed: ${err instanceof Error ? err.message : String(err)}`;
  process.stderr.write(`salesline: ${message}\n`);
  if (!(err instanceof ConfigError) && process.env.LOG_LEVEL === 'debug' && err instanceof Error) process.stderr.write(`${err.stack}\n`);
  process.exit(1);
});
