import { Module } from '@nestjs/common';
import { OrganizationModule } from '@salesline/organization';
import { SalesReadModelsModule } from '@salesline/sales';
import { TargetsModule } from '@salesline/targets';
import { AppraisalMeasurement } from './application/appraisal-measurement';
import { AppraisalReports } from './application/appraisal-reports';
import { AppraisalRunner } from './application/appraisal-runner';
import { DisciplineProcess } from './application/discipline-process';
import { DismissalFollowUp } from './application/dismissal-follow-up';
import { ImprovementPlanFollowUp } from './application/improvement-plan-follow-up';
import { PerformanceCommandHandler } from './application/performance-commands';
import { PerformanceFacts } from './application/performance-facts';
import { AppraisalReportsController } from './http/appraisal-reports.controller';
import { AppraisalsController } from './http/appraisals.controller';
import { ConductController } from './http/conduct.controller';
import { DisciplineController } from './http/discipline.controller';

/** Conduct and appraisal: feedback, meetings, violations, discipline, appraisal schemes and runs, improvement plans, scorecards. */
@Module({
  imports: [OrganizationModule, TargetsModule, SalesReadModelsModule],
  controllers: [ConductController, DisciplineController, AppraisalsController, AppraisalReportsController],
  providers: [
    PerformanceFacts,
    PerformanceCommandHandler,
    DisciplineProcess,
    DismissalFollowUp,
    ImprovementPlanFollowUp,
    AppraisalMeasurement,
    AppraisalRunner,
    AppraisalReports,
  ],
})
export class PerformanceModule {}
