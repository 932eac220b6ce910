import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ConfigError, CoreModule, loadConfig, openEventStore, openReadStore, ProjectionsService } from '@salesline/core';
import { Logger } from 'nestjs-pino';
import { WebhookDispatcher } from '@salesline/audit';
import { allProjections, allUpcasters, contextModules } from '@salesline/composition';

@Module({})
class ProjectorModule {}

/** Scale-out mode: projections and process managers run here; the API runs with PROJECTIONS=off. */
async function main() {
  const config = loadConfig();
  const eventStore = await openEventStore(config, allUpcasters);
  const readStore = await openReadStore(config);
  const app = await NestFactory.createApplicationContext(
    {
      module: ProjectorModule,
      // The contexts bring their process managers (their controllers are not served here).
      imports: [
        CoreModule.forRoot({
          config: { ...config, projectionsInProcess: false },
          eventStore,
          readStore,
          projections: allProjections,
          http: false,
        }),
        ...contextModules,
      ],
    },
    { bufferLogs: true },
  );
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  app.get(ProjectionsService).startAll();
  app.get(WebhookDispatcher, { strict: false }).start();
}

main().catch((err: unknown) => {
  const message =
    err instanceof ConfigError
      ? `configuration error: ${err.message}`
      : `start-up failed: ${err instanceof Error ? err.message : String(err)}`;
  process.stderr.write(`salesline-projector: ${message}\n`);
  process.exit(1);
});
