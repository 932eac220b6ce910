import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CoreModule, loadConfig, openEventStore, openReadStore, ProjectionsService } from '@salesline/core';
import { Logger } from 'nestjs-pino';
import { WebhookDispatcher } from '@salesline/audit';
import { allProjections, allUpcasters, contextModules } from '@salesline/composition';
import { runMain } from './cli';

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

runMain(main, 'start-up', { program: 'salesline-projector' });
