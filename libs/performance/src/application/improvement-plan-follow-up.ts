import { Injectable, OnModuleInit } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ProcessManager, ProcessManagerRegistry } from '@salesline/core';
import { AppraisalReviewed } from '../domain/appraisal';
import { ExecutePerformanceCommand } from './performance-commands';
import { processRequest } from './performance-facts';

type CausingEvent = { type: string; data: unknown; metadata?: { correlationId?: string }; streamName?: string; revision?: number };
export type PlanSet = { planId: string; position: number } | null;

/**
 * The plan a review names is set on its own stream `improvement-plan-<planId>` (ADR 0309). Setting the same plan
 * again is a no-op in the decider, so the inline run and the subscription's run agree.
 */
@Injectable()
export class ImprovementPlanFollowUp implements ProcessManager, OnModuleInit {
  readonly name = 'improvement-plan-follow-up';
  readonly handles = ['AppraisalReviewed'] satisfies AppraisalReviewed['type'][];

  constructor(
    private readonly commandBus: CommandBus,
    private readonly registry: ProcessManagerRegistry,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  async react(event: CausingEvent): Promise<void> {
    await this.reactAndReport(event);
  }

  async reactAndReport(event: CausingEvent): Promise<PlanSet> {
    if (event.type !== 'AppraisalReviewed') return null;
    const { appraisalId, improvementPlan } = (event as AppraisalReviewed).data;
    if (!improvementPlan) return null;
    const causationId = event.streamName ? `${event.streamName}@${event.revision}` : `review:${appraisalId}`;
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
