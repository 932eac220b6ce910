import { Inject } from '@nestjs/common';
import { CommandHandler } from '@nestjs/cqrs';
import { CommandResult, defineAggregate, EVENT_STORE, EventStore } from '@salesline/core';
import { route, RouteTarget, RoutedCommand, RoutedCommandHandler } from '@salesline/core';
import { CommandInput } from '@salesline/shared-kernel';
import { appraisalDecider } from '../domain/appraisal';
import { APPRAISAL_SCHEME_STREAM, appraisalSchemeDecider } from '../domain/appraisal-scheme';
import { disciplinaryCaseDecider, disciplinaryCaseStreamName } from '../domain/disciplinary-case';
import { DISCIPLINE_POLICY_STREAM, disciplinePolicyDecider } from '../domain/discipline-policy';
import { ImprovementPlanCommand, improvementPlanDecider, improvementPlanStreamName } from '../domain/improvement-plan';
import { meetingDecider, meetingStreamName } from '../domain/meeting';
import { ServiceFeedbackCommand, serviceFeedbackDecider, serviceFeedbackStreamName } from '../domain/service-feedback';
import { ViolationCommand, violationDecider, violationsStreamName } from '../domain/violation';
import { PerformanceFacts, appraisalStream } from './performance-facts';
import { DISCIPLINARY_CASE_SCHEMA_VERSION, MEETING_SCHEMA_VERSION } from './performance-upcasters';

// Every conduct and appraisal stream may be started by any of its commands: the deciders refuse what needs history.
export const SERVICE_FEEDBACK = defineAggregate({ streamName: serviceFeedbackStreamName, decider: serviceFeedbackDecider });
export const MEETING = defineAggregate({ streamName: meetingStreamName, decider: meetingDecider, schemaVersion: MEETING_SCHEMA_VERSION });
export const VIOLATIONS = defineAggregate({ streamName: violationsStreamName, decider: violationDecider });
/** The one discipline policy (`id` is not part of its stream). */
export const DISCIPLINE_POLICY = defineAggregate({ streamName: () => DISCIPLINE_POLICY_STREAM, decider: disciplinePolicyDecider });
export const DISCIPLINARY_CASE = defineAggregate({
  streamName: disciplinaryCaseStreamName,
  decider: disciplinaryCaseDecider,
  schemaVersion: DISCIPLINARY_CASE_SCHEMA_VERSION,
});
/** The one appraisal scheme (`id` is not part of its stream). */
export const APPRAISAL_SCHEME = defineAggregate({ streamName: () => APPRAISAL_SCHEME_STREAM, decider: appraisalSchemeDecider });
/** ScoreAppraisal arrives with its facts measured by the AppraisalRunner. */
export const APPRAISAL = defineAggregate({ streamName: appraisalStream, decider: appraisalDecider });
export const IMPROVEMENT_PLAN = defineAggregate({ streamName: improvementPlanStreamName, decider: improvementPlanDecider });

/** SetImprovementPlan names the reviewed appraisal whose plan it sets (`fromAppraisal`). */
export type ImprovementPlanRequest = CommandInput<ImprovementPlanCommand, 'appraisal'> & Readonly<{ fromAppraisal?: string }>;

/** The conduct and appraisal route table: the facts each command reads just before deciding (ADR 0300). */
export const performanceRoutes = (facts: PerformanceFacts) => ({
  'service-feedback': route(SERVICE_FEEDBACK, async (command: CommandInput<ServiceFeedbackCommand, 'employee'>) => ({
    ...command,
    data: { ...command.data, employee: await facts.employee(command.data.employeeId) },
  })),
  meeting: route(MEETING),
  violations: route(VIOLATIONS, async (command: CommandInput<ViolationCommand, 'employee' | 'priceOverrides'>) => {
    const { employeeId, evidence } = command.data;
    const references = (Array.isArray(evidence) ? evidence : [])
      .filter((e) => e?.kind === 'price_override_request')
      .map((e) => e.reference);
    return {
      ...command,
      data: { ...command.data, employee: await facts.employee(employeeId), priceOverrides: await facts.priceOverrides(references) },
    };
  }),
  'discipline-policy': route(DISCIPLINE_POLICY),
  'disciplinary-case': route(DISCIPLINARY_CASE),
  'appraisal-scheme': route(APPRAISAL_SCHEME),
  appraisal: route(APPRAISAL),
  'improvement-plan': route(IMPROVEMENT_PLAN, async ({ fromAppraisal, ...command }: ImprovementPlanRequest) =>
    fromAppraisal === undefined
      ? (command as CommandInput<ImprovementPlanCommand>)
      : ({
          ...command,
          data: { ...command.data, appraisal: await facts.reviewedAppraisal(fromAppraisal) },
        } as CommandInput<ImprovementPlanCommand>),
  ),
});
export type PerformanceRoutes = ReturnType<typeof performanceRoutes>;
export type PerformanceTarget = RouteTarget<PerformanceRoutes>;
export type PerformanceCommandResult = CommandResult;

/** One message on the CommandBus for every conduct and appraisal command. */
export class ExecutePerformanceCommand extends RoutedCommand<PerformanceRoutes> {}

@CommandHandler(ExecutePerformanceCommand)
export class PerformanceCommandHandler extends RoutedCommandHandler<PerformanceRoutes> {
  constructor(@Inject(EVENT_STORE) events: EventStore, facts: PerformanceFacts) {
    super(events, performanceRoutes(facts));
  }
}
