import { Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { CausingEvent, causationIdOf, ProcessManagerRegistry, ReportingProcessManager } from '@salesline/core';
import { AppraisalReviewed } from '../domain/appraisal';
import { ExecutePerformanceCommand } from './performance-commands';
import { processRequest } from './performance-facts';

export type PlanSet = { planId: string; position: number } | null;

/**
 * The plan a review names is set on its own stream `improvement-plan-<planId>` (ADR 0309). Setting the same plan
 * again is a no-op in the decider, so the inline run and the subscription's run agree.
 */
@Injectable()
export class ImprovementPlanFollowUp extends ReportingProcessManager<PlanSet> {
  readonly name = 'improvement-plan-follow-up';
  readonly handles = ['AppraisalReviewed'] satisfies AppraisalReviewed['type'][];

  constructor(
    private readonly commandBus: CommandBus,
    registry: ProcessManagerRegistry,
  ) {
    super(registry);
  }

  async reactAndReport(event: CausingEvent): Promise<PlanSet> {
    if (event.type !== 'AppraisalReviewed') return null;
    const { appraisalId, improvementPlan } = (event as AppraisalReviewed).data;
    if (!improvementPlan) return null;
    const causationId = causationIdOf(event, `review:${appraisalId}`);
    const result = await this.commandBus.execute(
      new ExecutePerformanceCommand(
        {
          kind: 'improvement-plan',
          id: improvementPlan.planId,
          command: { type: 'SetImprovementPlan', data: { planId: improvementPlan.planId }, fromAppraisal: appraisalId },
        },
        processRequest({ correlationId: event.metadata?.correlationId, causationId }),
      ),
    );
    return { planId: improvementPlan.planId, position: result.position };
  }
}
