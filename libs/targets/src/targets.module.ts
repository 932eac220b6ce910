import { TargetsSettingsController } from './http/targets-settings.controller';
import { Module } from '@nestjs/common';
import { OrganizationModule } from '@salesline/organization';
import { SalesProgressQuery } from './application/sales-progress.query';
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
  providers: [TargetsCommandHandler, TargetsFacts, SalesProgressQuery],
  exports: [SalesProgressQuery],
})
export class TargetsModule {}
