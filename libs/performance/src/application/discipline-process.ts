import { Inject, Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { EVENT_STORE, EventStore, READ_STORE, ReadStore } from '@salesline/core';
import { ReadYourWrites, ProcessManagerRegistry, loadState } from '@salesline/core';
import { CausingEvent, causationIdOf, ReportingProcessManager } from '@salesline/core';
import { employeesProjection } from '@salesline/organization';
import { stateOf } from '@salesline/core';
import { BusinessDate, isEventOf } from '@salesline/shared-kernel';
import { CaseToOpen, DisciplineFact, disciplineFactOfAttendance } from '../domain/discipline-evaluator';
import { disciplineFactOfViolation, evaluateDiscipline } from '../domain/discipline-evaluator';
import { AttendanceCorrected, AttendanceRecorded, MeetingMissed, MeetingState, attendanceFactId, attendanceFacts } from '../domain/meeting';
import { DisciplinePolicyDefined } from '../domain/discipline-policy';
import { ViolationRecorded, violationDecider, violationsStreamName } from '../domain/violation';
import { DisciplinaryCaseDoc, MeetingDoc, disciplinaryCasesProjection, meetingsProjection } from '../read-models/performance.projections';
import { ExecutePerformanceCommand } from './performance-commands';
import { PerformanceFacts, processRequest } from './performance-facts';

/** The conduct facts the policy judges: each names the employee and its business date. */
type ConductFact = AttendanceRecorded | MeetingMissed | AttendanceCorrected | ViolationRecorded;
const FACTS = [
  'AttendanceRecorded',
  'MeetingMissed',
  'AttendanceCorrected',
  'ViolationRecorded',
] as const satisfies readonly ConductFact['type'][];
const isConductFact = isEventOf<ConductFact>(FACTS);
const isPolicyDefined = isEventOf<DisciplinePolicyDefined>(['DisciplinePolicyDefined']);
const HANDLES: readonly string[] = [...FACTS, 'DisciplinePolicyDefined'];

export type CasesOpened = { caseIds: string[]; position: number };

/**
 * Turns conduct facts into disciplinary cases (ADR 0304, 0310): after every attendance or violation fact, the
 * employee's facts of that year are judged with the policy versions by the pure `evaluateDiscipline`, and each
 * case it names is opened on its deterministic stream — opening it twice is a no-op, so the inline run after
 * the command and the run from the subscription never open a case twice.
 */
@Injectable()
export class DisciplineProcess extends ReportingProcessManager<CasesOpened> {
  readonly name = 'discipline-policy-runner';
  readonly handles = HANDLES;

  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    private readonly readYourWrites: ReadYourWrites,
    private readonly facts: PerformanceFacts,
    private readonly commandBus: CommandBus,
    registry: ProcessManagerRegistry,
  ) {
    super(registry);
  }

  async reactAndReport(event: CausingEvent): Promise<CasesOpened> {
    if (isPolicyDefined(event)) return this.evaluateEveryone(event);
    if (!isConductFact(event)) return { caseIds: [], position: 0 };
    const { employeeId, occurredOn } = event.data;
    const meetingId = 'meetingId' in event.data ? event.data.meetingId : undefined;
    const violationId = 'violationId' in event.data ? event.data.violationId : undefined;
    const causationId = causationIdOf(event, `${event.type}:${employeeId}:${occurredOn}`);
    const factId = violationId ?? (meetingId ? attendanceFactId(meetingId, employeeId) : undefined);
    const crossedByFact = (c: CaseToOpen) => factId !== undefined && c.triggeringFacts[c.triggeringFacts.length - 1]?.factId === factId;
    return this.evaluate(employeeId, occurredOn, causationId, event.metadata?.correlationId, crossedByFact);
  }

  /** A new policy version judges the facts already recorded from its effective date on, for everyone. */
  private async evaluateEveryone(event: CausingEvent & DisciplinePolicyDefined): Promise<CasesOpened> {
    const { effectiveFrom, version } = event.data;
    const openedByVersion = (c: CaseToOpen) => version !== undefined && c.policyVersion === version;
    const causationId = causationIdOf(event, `DisciplinePolicyDefined:${effectiveFrom}`);
    await this.readYourWrites.catchUp([employeesProjection.name]);
    const employees = await this.readStore.find<{ id: string }>(employeesProjection.collection, {});
    const thisYear = Number(new Date().toISOString().slice(0, 4));
    const all: CasesOpened = { caseIds: [], position: 0 };
    for (const { id } of employees) {
      for (let year = Number(effectiveFrom.slice(0, 4)); year <= thisYear; year++) {
        const opened = await this.evaluate(id, `${year}-01-01`, causationId, event.metadata?.correlationId, openedByVersion);
        all.caseIds.push(...opened.caseIds.filter((id) => !all.caseIds.includes(id)));
        all.position = Math.max(all.position, opened.position);
      }
    }
    return all;
  }

  /**
   * Opens the cases the policy names for one employee, judging the facts of the year `date` falls in, and
   * reports the ones opened now and every case `causedByThis` names (the fact or policy version reacted to).
   * The subscription may react to the same fact first: the case it opened is still this fact's consequence.
   */
  async evaluate(
    employeeId: string,
    date: BusinessDate,
    causationId: string,
    correlationId?: string,
    causedByThis: (c: CaseToOpen) => boolean = () => false,
  ): Promise<CasesOpened> {
    const policy = await this.facts.disciplinePolicyVersions();
    if (policy.length === 0) return { caseIds: [], position: 0 };
    const facts = await this.disciplineFacts(employeeId, date.slice(0, 4));
    const crossedByFact = new Set(
      evaluateDiscipline(policy, facts, [])
        .filter(causedByThis)
        .map((c) => c.caseId),
    );
    const existing = (await this.readStore.find<DisciplinaryCaseDoc>(disciplinaryCasesProjection.collection, { employeeId })).filter(
      (c) => !crossedByFact.has(c.caseId),
    );
    const request = processRequest({ correlationId, causationId });
    const opened: CasesOpened = { caseIds: [], position: 0 };
    for (const toOpen of evaluateDiscipline(policy, facts, existing)) {
      const { caseId, reachedOn: _reachedOn, ...data } = toOpen;
      const result = await this.commandBus.execute(
        new ExecutePerformanceCommand(
          { kind: 'disciplinary-case', id: caseId, command: { type: 'OpenDisciplinaryCase', data: { caseId, ...data } } },
          request,
        ),
      );
      if (result.events.length > 0 || crossedByFact.has(caseId)) opened.caseIds.push(caseId);
      opened.position = Math.max(opened.position, result.position);
    }
    return opened;
  }

  /** Attendance of the year (meeting read model, corrections applied) and every violation of the employee (their stream). */
  private async disciplineFacts(employeeId: string, year: string): Promise<DisciplineFact[]> {
    await this.readYourWrites.catchUp([meetingsProjection.name, disciplinaryCasesProjection.name]);
    const meetings = await this.readStore.find<MeetingDoc>(meetingsProjection.collection, {
      scheduledFor: { $gte: `${year}-01-01`, $lte: `${year}-12-31` },
    });
    const attendance = meetings
      .flatMap((m) => attendanceFacts(stateOf<MeetingState>(m)))
      .filter((f) => f.employeeId === employeeId)
      .map(disciplineFactOfAttendance);
    const { state } = await loadState(this.events, violationsStreamName(employeeId), violationDecider);
    const violations = state.status === 'recorded' ? state.violations.map((v) => disciplineFactOfViolation(employeeId, v)) : [];
    return [...attendance, ...violations];
  }
}
