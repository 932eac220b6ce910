import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Ctx, ReadModelQuery, RequestContext, Roles, assertId, newEntityId, ReadModels } from '@salesline/core';
import { BusinessDates, READERS, DocumentFilter, ScopeFilter, CommandEndpoint, ApiRefusals } from '@salesline/core';

import { DisciplineProcess } from '../application/discipline-process';
import { MeetingDoc, meetingsProjection, violationsProjection } from '../read-models/performance.projections';
import { accept, execute } from './http-support';
import { CommandAccepted, CorrectAttendanceBody, ExcuseAbsenceBody, ListViolationsQuery, CancelMeetingBody } from './performance.dto';
import { RecordAttendanceBody, RecordServiceFeedbackBody, RecordViolationBody, ScheduleMeetingBody } from './performance.dto';

const RECORDERS = ['sales_manager', 'admin_department'] as const;

/** Conduct facts (ADR 0301–0303): service feedback, meetings and attendance, violations with evidence. */
@ApiTags('conduct')
@ApiBearerAuth()
@ApiRefusals({
  badRequest: 'ValidationFailed: { errors: [{ field, reason }] }',
  forbidden: 'RoleRequired, NotAllowedToRecordConduct, CannotRecordOwnConduct',
})
@Controller('api')
export class ConductController {
  constructor(
    private readonly dates: BusinessDates,
    private readonly readModels: ReadModels,
    private readonly commandBus: CommandBus,
    private readonly discipline: DisciplineProcess,
  ) {}

  @Post('service-feedback')
  @CommandEndpoint(
    201,
    {
      summary: 'Record after-sales service feedback about a salesperson (ServiceFeedbackRecorded, stream service-feedback-<employeeId>)',
    },
    { description: '{ id: feedbackId, employeeId, position }' },
  )
  @Roles('sales_manager', 'admin_department', 'integration')
  @ApiRefusals({
    notFound: 'EmployeeNotFound',
    conflict: 'FeedbackAlreadyRecorded',
    unprocessable: 'InvalidFeedbackScore, FeedbackBeforeEmployment, FeedbackDatedInFuture',
  })
  async recordFeedback(@Body() body: RecordServiceFeedbackBody, @Ctx() ctx: RequestContext) {
    const feedbackId = body.feedbackId ?? newEntityId(`feedback:${body.employeeId}`, ctx);
    const receivedOn = this.dates.on(body.receivedOn, ctx, 'receivedOn');
    const { employeeId, customerId, score, comment } = body;
    const { position } = await execute(
      this.commandBus,
      {
        kind: 'service-feedback',
        id: employeeId,
        command: { type: 'RecordServiceFeedback', data: { feedbackId, employeeId, customerId, score, comment, receivedOn } },
      },
      ctx,
    );
    return { id: feedbackId, employeeId, position };
  }

  @Post('meetings')
  @CommandEndpoint(201, { summary: 'Schedule a company or department meeting, or a working day, with its attendees (MeetingScheduled)' })
  @Roles(...RECORDERS)
  @ApiRefusals({ unprocessable: 'AttendeesRequired, InvalidMeeting, InvalidMeetingTime' })
  async schedule(@Body() body: ScheduleMeetingBody, @Ctx() ctx: RequestContext): Promise<CommandAccepted> {
    const meetingId = newEntityId('meeting', ctx);
    const scheduledFor = this.dates.planned(body.scheduledFor, ctx, 'scheduledFor');
    const scheduledOn = this.dates.optional(body.scheduledOn, ctx, 'scheduledOn');
    const { kind, title, startsAt, attendees } = body;
    return accept(
      this.commandBus,
      {
        kind: 'meeting',
        id: meetingId,
        command: { type: 'ScheduleMeeting', data: { meetingId, kind, title, scheduledFor, startsAt, attendees, scheduledOn } },
      },
      ctx,
    );
  }

  @Post('meetings/:id/excusals')
  @CommandEndpoint(200, {
    summary: 'Excuse an attendee’s absence before the meeting day (AbsenceExcused); a missed meeting so excused counts for nothing',
  })
  @Roles('sales_manager')
  @ApiRefusals({
    forbidden: 'ManagerRequired, CannotExcuseOwnAbsence',
    notFound: 'MeetingNotFound',
    conflict: 'AbsenceAlreadyExcused, MeetingCancelled',
    unprocessable: 'ExcusalTooLate, NotAnAttendee',
  })
  async excuse(@Param('id') id: string, @Body() body: ExcuseAbsenceBody, @Ctx() ctx: RequestContext): Promise<CommandAccepted> {
    assertId(id);
    const approvedOn = this.dates.optional(body.approvedOn, ctx, 'approvedOn');
    return accept(
      this.commandBus,
      { kind: 'meeting', id, command: { type: 'ExcuseAbsence', data: { employeeId: body.employeeId, reason: body.reason, approvedOn } } },
      ctx,
    );
  }

  @Post('meetings/:id/attendance')
  @CommandEndpoint(
    200,
    {
      summary:
        'Record one attendee’s attendance (AttendanceRecorded, or MeetingMissed for `missed`); the discipline policy is evaluated at once',
      description:
        'One attendee per call, so each fact is one atomic append and each answer names the cases it opened. `late` needs minutesLate, `left_early` minutesEarly. ' +
        'Answers `casesOpened`: the disciplinary cases the policy opened from this fact (ADR 0304).',
    },
    { description: '{ id: meetingId, employeeId, position, casesOpened: [caseId] }' },
  )
  @Roles(...RECORDERS)
  @ApiRefusals({
    notFound: 'MeetingNotFound',
    conflict: 'AttendanceAlreadyRecorded, MeetingCancelled',
    unprocessable: 'NotAnAttendee, AttendanceBeforeMeeting, InvalidAttendance',
  })
  async attendance(@Param('id') id: string, @Body() body: RecordAttendanceBody, @Ctx() ctx: RequestContext) {
    assertId(id);
    return this.recordAndJudge(id, { type: 'RecordAttendance', data: body }, ctx);
  }

  @Post('meetings/:id/attendance-corrections')
  @CommandEndpoint(
    200,
    {
      summary:
        'Correct an attendee’s recorded attendance with a reason (AttendanceCorrected); a case already opened stays and is closed as no fault',
    },
    { description: '{ id: meetingId, employeeId, position, casesOpened: [caseId] }' },
  )
  @Roles(...RECORDERS)
  @ApiRefusals({
    notFound: 'MeetingNotFound',
    conflict: 'AttendanceNotRecorded, MeetingCancelled',
    unprocessable: 'AttendanceUnchanged, NotAnAttendee, InvalidAttendance, ReasonRequired',
  })
  async correct(@Param('id') id: string, @Body() body: CorrectAttendanceBody, @Ctx() ctx: RequestContext) {
    assertId(id);
    const correctedOn = this.dates.optional(body.correctedOn, ctx, 'correctedOn');
    return this.recordAndJudge(id, { type: 'CorrectAttendance', data: { ...body, correctedOn } }, ctx);
  }

  @Post('meetings/:id/cancel')
  @CommandEndpoint(200, { summary: 'Cancel a meeting before any attendance is recorded (MeetingCancelled)' })
  @Roles(...RECORDERS)
  @ApiRefusals({ notFound: 'MeetingNotFound', conflict: 'MeetingHasAttendance, MeetingCancelled' })
  async cancel(@Param('id') id: string, @Body() body: CancelMeetingBody, @Ctx() ctx: RequestContext): Promise<CommandAccepted> {
    assertId(id);
    const cancelledOn = this.dates.optional(body.cancelledOn, ctx, 'cancelledOn');
    return accept(
      this.commandBus,
      { kind: 'meeting', id, command: { type: 'CancelMeeting', data: { reason: body.reason, cancelledOn } } },
      ctx,
    );
  }

  @Get('meetings/:id')
  @Roles(...READERS.conduct)
  @ApiOperation({ summary: 'A meeting with its attendees, excusals and attendance as it stands (read model)' })
  @ApiRefusals({ notFound: 'MeetingNotFound' })
  async meeting(@Param('id') id: string, @Query() query: ReadModelQuery) {
    const doc = await this.readModels.getOrThrow<MeetingDoc>(meetingsProjection, id, query.minPosition, 'MeetingNotFound', 'Meeting');
    const { _position: _p, ...view } = doc as MeetingDoc & { _position?: number };
    return view;
  }

  @Post('violations')
  @CommandEndpoint(
    201,
    {
      summary: 'Record a violation with evidence (ViolationRecorded); the discipline policy is evaluated at once',
      description:
        'Evidence of kind `price_override_request` names a price-override request of quote to cash (an attempt to sell below the floor); it must exist, ' +
        'count against this salesperson and not have been approved. Answers `casesOpened`.',
    },
    { description: '{ id: violationId, employeeId, position, casesOpened: [caseId] }' },
  )
  @Roles(...RECORDERS)
  @ApiRefusals({
    notFound: 'EmployeeNotFound, EvidenceNotFound',
    conflict: 'ViolationAlreadyRecorded',
    unprocessable: 'EvidenceRequired, EvidenceOfAnotherEmployee, PriceOverrideWasApproved, ViolationOutsideEmployment, DescriptionRequired',
  })
  async recordViolation(@Body() body: RecordViolationBody, @Ctx() ctx: RequestContext) {
    const violationId = newEntityId(`violation:${body.employeeId}`, ctx);
    const occurredOn = this.dates.on(body.occurredOn, ctx, 'occurredOn');
    const recordedOn = this.dates.optional(body.recordedOn, ctx, 'recordedOn');
    const { employeeId, kind, severity, description, evidence } = body;
    const result = await execute(
      this.commandBus,
      {
        kind: 'violations',
        id: employeeId,
        command: {
          type: 'RecordViolation',
          data: { violationId, employeeId, kind, severity, description, evidence, occurredOn, recordedOn },
        },
      },
      ctx,
    );
    const cases = await this.judge(result.events, ctx);
    return { id: violationId, employeeId, position: Math.max(result.position, cases.position), casesOpened: cases.caseIds };
  }

  @Get('violations')
  @Roles(...READERS.conduct)
  @ApiOperation({ summary: 'Recorded violations, by salesperson (read model)' })
  async violations(@Query() query: ListViolationsQuery, @ScopeFilter() scoped: DocumentFilter) {
    // A sales manager's list holds the salespeople they lead (the permission table's scope).
    const items = await this.readModels.find(
      violationsProjection,
      { employeeId: query.employeeId, ...scoped },
      { sort: { occurredOn: 1 }, minPosition: query.minPosition },
    );
    return { items, total: items.length };
  }

  private async recordAndJudge(
    meetingId: string,
    command: { type: 'RecordAttendance' | 'CorrectAttendance'; data: RecordAttendanceBody & { correctedOn?: string } },
    ctx: RequestContext,
  ) {
    const result = await execute(this.commandBus, { kind: 'meeting', id: meetingId, command: command as never }, ctx);
    const cases = await this.judge(result.events, ctx);
    return {
      id: meetingId,
      employeeId: command.data.employeeId,
      position: Math.max(result.position, cases.position),
      casesOpened: cases.caseIds,
    };
  }

  /** The discipline process, run inline so the answer names the cases opened (it runs again from its subscription: idempotent). */
  private async judge(events: readonly { type: string; data: unknown }[], ctx: RequestContext) {
    const opened = { caseIds: [] as string[], position: 0 };
    for (const event of events) {
      const result = await this.discipline.reactAndReport({ ...event, metadata: { correlationId: ctx.correlationId } });
      opened.caseIds.push(...result.caseIds);
      opened.position = Math.max(opened.position, result.position);
    }
    return opened;
  }
}
