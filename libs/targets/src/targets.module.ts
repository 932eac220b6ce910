import { TargetsSettingsController } from './http/targets-settings.controller';
import { Logger, Module } from '@nestjs/common';
import { APP_CONFIG, AppConfig, ReadWorker } from '@salesline/core';
import { OrganizationModule } from '@salesline/organization';
import { join } from 'node:path';
import { SALES_PROGRESS_WORKER, SalesProgressQuery } from './application/sales-progress.query';
import { TargetsCommandHandler } from './application/targets-commands';
import { TargetsFacts } from './application/targets-facts';
import { SalesExpensesController } from './http/sales-expenses.controller';
import { SalesPlansController } from './http/sales-plans.controller';
import { SalesProgressController } from './http/sales-progress.controller';
import { TargetsController } from './http/targets.controller';

/** Targets and budgets, sales expenses, sales plans and the sales-progress report. */
@Module({
  imports: [OrganizationModule],
  controllers: [TargetsController, SalesExpensesController, SalesPlansController, SalesProgressController, TargetsSettingsController],
  providers: [
    TargetsCommandHandler,
    TargetsFacts,
    SalesProgressQuery,
    {
      // The reports run in a worker thread on the embedded read models (null under jest's TypeScript: in process).
      provide: SALES_PROGRESS_WORKER,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => {
        if (config.readStore.kind !== 'sqlite') return null;
        const worker = ReadWorker.start(join(__dirname, 'application', 'sales-progress.worker.js'), {
          readModelsFile: join(config.dataDir, 'read-models.db'),
        });
        if (worker) new Logger('TargetsModule').log('sales-progress reports run in a worker thread');
        return worker;
      },
    },
  ],
  exports: [SalesProgressQuery],
})
export class TargetsModule {}
