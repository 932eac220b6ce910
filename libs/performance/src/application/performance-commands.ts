import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { EVENT_STORE, EventStore, RequestContext, commandContextOf, executeCommand } from '@salesline/core';
import { CommandInput as Input, Decider, DomainEvent } from '@salesline/shared-kernel';
import { AppraisalCommand, appraisalDecider } from '../domain/appraisal';
import { APPRAISAL_SCHEME_STREAM, AppraisalSchemeCommand, appraisalSchemeDecider } from '../domain/appraisal-scheme';
import { DisciplinaryCaseCommand, disciplinaryCaseDecider, disciplinaryCaseStreamName } from '../domain/disciplinary-case';
import { DISCIPLINE_POLICY_STREAM, DisciplinePolicyCommand, disciplinePolicyDecider } from '../domain/discipline-policy';
import { ImprovementPlanCommand, improvementPlanDecider, improvementPlanStreamName } from '../domain/improvement-plan';
import { MeetingCommand, meetingDecider, meetingStreamName } from '../domain/meeting';
import { ServiceFeedbackCommand, serviceFeedbackDecider, serviceFeedbackStreamName } from '../domain/service-feedback';
import { ViolationCommand, violationDecider, violationsStreamName } from '../domain/violation';
import { PerformanceFacts, appraisalStream } from './performance-facts';

export type PerformanceCommandResult = { id: string; position: number; replayed: boolean; events: readonly DomainEvent[]; state: unknown };

export type PerformanceTarget =
  | { kind: 'service-feedback'; id: string; command: Input<ServiceFeedbackCommand, 'employee'> }
  | { kind: 'meeting'; id: string; command: Input<MeetingCommand> }
  | { kind: 'violations'; id: string; command: Input<ViolationCommand, 'employee' | 'priceOverrides'> }
  | { kind: 'discipline-policy'; id: string; command: Input<DisciplinePolicyCommand> }
  | { kind: 'disciplinary-case'; id: string; command: Input<DisciplinaryCaseCommand> }
  | { kind: 'appraisal-scheme'; id: string; command: Input<AppraisalSchemeCommand> }
  /** ScoreAppraisal arrives with its facts measured by the AppraisalRunner. */
  | { kind: 'appraisal'; id: string; command: Input<AppraisalCommand> }
  /** SetImprovementPlan names the reviewed appraisal whose plan it sets (`fromAppraisal`). */
  | { kind: 'improvement-plan'; id: string; command: Input<ImprovementPlanCommand, 'appraisal'>; fromAppraisal?: string };

/** One message on the CommandBus for every conduct and appraisal command. */
export class ExecutePerformanceCommand extends Command<PerformanceCommandResult> {
  constructor(
    readonly target: PerformanceTarget,
    readonly request: RequestContext,
  ) {
    super();
  }
}

type Route = { streamName: string; decider: Decider<any, any, any>; facts?: () => Promise<Record<string, unknown>> };

@CommandHandler(ExecutePerformanceCommand)
export class PerformanceCommandHandler implements ICommandHandler<ExecutePerformanceCommand, PerformanceCommandResult> {
  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    private readonly facts: PerformanceFacts,
  ) {}

  async execute({ target, request }: ExecutePerformanceCommand): Promise<PerformanceCommandResult> {
    const { streamName, decider, facts } = this.route(target);
    const result = await executeCommand(this.events, {
      streamName,
      decider,
      request,
      command: undefined,
      // Facts are read on every attempt, just before deciding.
      prepare: async () => ({
        type: target.command.type,
        data: { ...target.command.data, ...(facts ? await facts() : {}) },
        context: commandContextOf(request),
      }),
    });
    return { id: target.id, position: result.position, replayed: result.replayed, events: result.events, state: result.state };
  }

  private route(target: PerformanceTarget): Route {
    switch (target.kind) {
      case 'service-feedback': {
        const { employeeId } = target.command.data;
        return {
          streamName: serviceFeedbackStreamName(target.id),
          decider: serviceFeedbackDecider,
          facts: async () => ({ employee: await this.facts.employee(employeeId) }),
        };
      }
      case 'meeting':
        return { streamName: meetingStreamName(target.id), decider: meetingDecider };
      case 'violations': {
        const { employeeId, evidence } = target.command.data;
        const references = (Array.isArray(evidence) ? evidence : [])
          .filter((e) => e?.kind === 'price_override_request')
          .map((e) => e.reference);
        return {
          streamName: violationsStreamName(target.id),
          decider: violationDecider,
          facts: async () => ({
            employee: await this.facts.employee(employeeId),
            priceOverrides: await this.facts.priceOverrides(references),
          }),
        };
      }
      case 'discipline-policy':
        return { streamName: DISCIPLINE_POLICY_STREAM, decider: disciplinePolicyDecider };
      case 'disciplinary-case':
        return { streamName: disciplinaryCaseStreamName(target.id), decider: disciplinaryCaseDecider };
      case 'appraisal-scheme':
        return { streamName: APPRAISAL_SCHEME_STREAM, decider: appraisalSchemeDecider };
      case 'appraisal':
        return { streamName: appraisalStream(target.id), decider: appraisalDecider };
      case 'improvement-plan': {
        const appraisalId = target.fromAppraisal;
        return {
          streamName: improvementPlanStreamName(target.id),
          decider: improvementPlanDecider,
          facts: appraisalId === undefined ? undefined : async () => ({ appraisal: await this.facts.reviewedAppraisal(appraisalId) }),
        };
      }
    }
  }
}
