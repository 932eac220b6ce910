/**
 * Meeting decider — stream `meeting-<meetingId>` (ADR 0302): company and department meetings, and the working
 * day itself (`work_day`) so lateness at work is recorded the same way. Attendance of each attendee is recorded
 * once (attended, late, left early, or missed) and may be corrected with a reason; a manager may excuse an
 * absence beforehand, and a missed meeting so excused does not count against the attendee.
 */
import type { BusinessDate, Command, Decider, DomainEvent } from '@salesline/shared-kernel';
import { assertNever, compareDates, conflict, notFound, ruleViolation, appended, withEntry } from '@salesline/shared-kernel';
import { requireDate, requireId, requireInteger, requirePastDate, requireText } from './guards';
import { assertIsManagerOf, assertMayRecordConduct } from './performance-policy';

export const meetingStreamName = (meetingId: string): string => `meeting-${meetingId}`;

export const MEETING_KINDS = ['company', 'department', 'work_day'] as const;
export type MeetingKind = (typeof MEETING_KINDS)[number];
export const ATTENDANCE_STATUSES = ['attended', 'late', 'left_early', 'missed'] as const;
export type AttendanceStatus = (typeof ATTENDANCE_STATUSES)[number];
const MAX_MINUTES = 24 * 60;
const MAX_ATTENDEES = 1000;

// ── Events ───────────────────────────────────────────────────────────────────
export type MeetingScheduled = DomainEvent<
  'MeetingScheduled',
  {
    meetingId: string;
    kind: MeetingKind;
    title: string;
    scheduledFor: BusinessDate;
    /** The business date the meeting was scheduled (never after the meeting day). */
    scheduledOn: BusinessDate;
    startsAt: string;
    attendees: string[];
    scheduledBy: string;
  }
>;
export type MeetingCancelled = DomainEvent<
  'MeetingCancelled',
  { meetingId: string; reason: string; cancelledBy: string; cancelledOn: BusinessDate }
>;
/** A manager approved the absence before the meeting day (`approvedOn` < `scheduledFor`). */
export type AbsenceExcused = DomainEvent<
  'AbsenceExcused',
  { meetingId: string; employeeId: string; approvedBy: string; approvedOn: BusinessDate; reason: string }
>;
/** Present: on time, late (minutes after `startsAt`) or leaving early (minutes before the end). `occurredOn` is the meeting day. */
export type AttendanceRecorded = DomainEvent<
  'AttendanceRecorded',
  {
    meetingId: string;
    employeeId: string;
    status: 'attended' | 'late' | 'left_early';
    minutesLate: number | null;
    minutesEarly: number | null;
    occurredOn: BusinessDate;
    recordedBy: string;
  }
>;
/** Absent; `excused` when a manager approved the absence beforehand (then it does not count). */
export type MeetingMissed = DomainEvent<
  'MeetingMissed',
  { meetingId: string; employeeId: string; excused: boolean; occurredOn: BusinessDate; recordedBy: string }
>;
/** Replaces the attendance recorded earlier; the earlier event stays in the stream. */
export type AttendanceCorrected = DomainEvent<
  'AttendanceCorrected',
  {
    meetingId: string;
    employeeId: string;
    status: AttendanceStatus;
    minutesLate: number | null;
    minutesEarly: number | null;
    excused: boolean;
    occurredOn: BusinessDate;
    reason: string;
    correctedBy: string;
    correctedOn: BusinessDate;
  }
>;
export type MeetingEvent = MeetingScheduled | MeetingCancelled | AbsenceExcused | AttendanceRecorded | MeetingMissed | AttendanceCorrected;

// ── Commands ─────────────────────────────────────────────────────────────────
/**
 * `scheduledOn`: when the meeting was arranged (default today, or the meeting day itself when a past meeting is
 * entered after the fact; never after the meeting day).
 */
export type ScheduleMeeting = Command<
  'ScheduleMeeting',
  {
    meetingId: string;
    kind: MeetingKind;
    title: string;
    scheduledFor: BusinessDate;
    startsAt: string;
    attendees: string[];
    scheduledOn?: BusinessDate;
  }
>;
/** `cancelledOn`: the business date of the cancellation (default today, not in the future). */
export type CancelMeeting = Command<'CancelMeeting', { reason: string; cancelledOn?: BusinessDate }>;
/** `approvedOn`: the business date of the manager's approval (default today), before the meeting day. */
export type ExcuseAbsence = Command<'ExcuseAbsence', { employeeId: string; reason: string; approvedOn?: string }>;
export type AttendanceInput = Readonly<{
  employeeId: string;
  status: AttendanceStatus;
  minutesLate?: number | null;
  minutesEarly?: number | null;
}>;
export type RecordAttendance = Command<'RecordAttendance', AttendanceInput>;
/** `correctedOn`: the business date of the correction (default today), from the meeting day on, not in the future. */
export type CorrectAttendance = Command<'CorrectAttendance', AttendanceInput & { reason: string; correctedOn?: BusinessDate }>;
export type MeetingCommand = ScheduleMeeting | CancelMeeting | ExcuseAbsence | RecordAttendance | CorrectAttendance;

// ── State ────────────────────────────────────────────────────────────────────
export type AttendanceMark = Readonly<{
  status: AttendanceStatus;
  minutesLate: number | null;
  minutesEarly: number | null;
  excused: boolean;
}>;
type MeetingBody = Readonly<{
  meetingId: string;
  kind: MeetingKind;
  title: string;
  scheduledFor: BusinessDate;
  startsAt: string;
  attendees: readonly string[];
  excused: readonly string[];
  attendance: Readonly<Record<string, AttendanceMark>>;
}>;
export type MeetingState = Readonly<{ status: 'none' }> | (MeetingBody & { status: 'scheduled' }) | (MeetingBody & { status: 'cancelled' });
export const initialMeetingState = (): MeetingState => ({ status: 'none' });

// ── Decide ───────────────────────────────────────────────────────────────────
type Scheduled = Extract<MeetingState, { status: 'scheduled' }>;

const scheduledMeeting = (state: MeetingState): Scheduled => {
  switch (state.status) {
    case 'none':
      throw notFound('MeetingNotFound', 'No such meeting');
    case 'cancelled':
      throw conflict('MeetingCancelled', `Meeting ${state.meetingId} was cancelled`);
    case 'scheduled':
      return state;
    default:
      return assertNever(state);
  }
};

const requireAttendee = (meeting: Scheduled, employeeId: unknown): string => {
  const id = requireId(employeeId, 'employeeId', 'InvalidAttendance');
  if (!meeting.attendees.includes(id))
    throw ruleViolation('NotAnAttendee', `${id} is not an attendee of meeting ${meeting.meetingId}`, { employeeId: id });
  return id;
};

const TIME_RE = /^([01]\d|2[0-3]):[0-5]\d$/;

/** Validates the status and its minutes: late needs minutesLate, left_early needs minutesEarly, the others carry none. */
const attendanceMark = (input: AttendanceInput, excused: boolean): AttendanceMark => {
  if (!ATTENDANCE_STATUSES.includes(input.status))
    throw ruleViolation('InvalidAttendance', `status must be one of ${ATTENDANCE_STATUSES.join(', ')}`);
  const minutesLate =
    input.status === 'late' ? requireInteger(input.minutesLate, 'minutesLate', 'InvalidAttendance', 1, MAX_MINUTES) : null;
  const minutesEarly =
    input.status === 'left_early' ? requireInteger(input.minutesEarly, 'minutesEarly', 'InvalidAttendance', 1, MAX_MINUTES) : null;
  return { status: input.status, minutesLate, minutesEarly, excused: input.status === 'missed' && excused };
};

/** A meeting entered after its day was arranged by that day at the latest: it is dated so, unless the caller says when. */
export const defaultScheduledOn = (scheduledFor: BusinessDate, today: BusinessDate): BusinessDate =>
  compareDates(scheduledFor, today) < 0 ? scheduledFor : today;

export const decideMeeting = (command: MeetingCommand, state: MeetingState): MeetingEvent[] => {
  const { actor, today } = command.context;
  switch (command.type) {
    case 'ScheduleMeeting': {
      assertMayRecordConduct(actor);
      if (state.status !== 'none') throw conflict('MeetingAlreadyScheduled', `Meeting ${state.meetingId} already exists`);
      const d = command.data;
      const meetingId = requireId(d.meetingId, 'meetingId', 'InvalidMeeting');
      if (!MEETING_KINDS.includes(d.kind)) throw ruleViolation('InvalidMeeting', `kind must be one of ${MEETING_KINDS.join(', ')}`);
      const title = requireText(d.title, 'title', 'InvalidMeeting', 200);
      const scheduledFor = requireDate(d.scheduledFor, 'scheduledFor', 'InvalidMeeting');
      if (typeof d.startsAt !== 'string' || !TIME_RE.test(d.startsAt))
        throw ruleViolation('InvalidMeetingTime', 'startsAt must be a time HH:MM');
      if (!Array.isArray(d.attendees) || d.attendees.length === 0)
        throw ruleViolation('AttendeesRequired', 'A meeting needs at least one attendee');
      const attendees = [...new Set(d.attendees.map((a) => requireId(a, 'attendees', 'InvalidMeeting')))];
      if (attendees.length > MAX_ATTENDEES) throw ruleViolation('InvalidMeeting', `At most ${MAX_ATTENDEES} attendees`);
      const scheduledOn = requirePastDate(
        d.scheduledOn ?? defaultScheduledOn(scheduledFor, today),
        'scheduledOn',
        'InvalidMeeting',
        'MeetingDatedInFuture',
        today,
      );
      if (compareDates(scheduledOn, scheduledFor) > 0)
        throw ruleViolation('ScheduledAfterMeeting', `A meeting is scheduled on or before its day (${scheduledFor})`, { scheduledOn });
      return [
        {
          type: 'MeetingScheduled',
          data: { meetingId, kind: d.kind, title, scheduledFor, scheduledOn, startsAt: d.startsAt, attendees, scheduledBy: actor.userId },
        },
      ];
    }
    case 'CancelMeeting': {
      assertMayRecordConduct(actor);
      const meeting = scheduledMeeting(state);
      if (Object.keys(meeting.attendance).length > 0)
        throw conflict('MeetingHasAttendance', 'Attendance is already recorded; the meeting took place and cannot be cancelled');
      const reason = requireText(command.data.reason, 'reason', 'ReasonRequired');
      const cancelledOn = requirePastDate(
        command.data.cancelledOn ?? today,
        'cancelledOn',
        'InvalidMeeting',
        'MeetingDatedInFuture',
        today,
      );
      return [{ type: 'MeetingCancelled', data: { meetingId: meeting.meetingId, reason, cancelledBy: actor.userId, cancelledOn } }];
    }
    case 'ExcuseAbsence': {
      const meeting = scheduledMeeting(state);
      const employeeId = requireAttendee(meeting, command.data.employeeId);
      assertIsManagerOf(actor, employeeId, 'CannotExcuseOwnAbsence', 'excuse an absence');
      // The approval is dated when it was given, so a past month can be entered as it happened.
      const approvedOn =
        command.data.approvedOn === undefined ? today : requireDate(command.data.approvedOn, 'approvedOn', 'InvalidMeeting');
      if (compareDates(approvedOn, today) > 0) throw ruleViolation('ExcusalDatedInFuture', 'approvedOn must not be in the future');
      if (compareDates(approvedOn, meeting.scheduledFor) >= 0)
        throw ruleViolation('ExcusalTooLate', `An absence is excused before the meeting day (${meeting.scheduledFor})`, {
          scheduledFor: meeting.scheduledFor,
        });
      if (meeting.excused.includes(employeeId)) throw conflict('AbsenceAlreadyExcused', `${employeeId} is already excused`);
      const reason = requireText(command.data.reason, 'reason', 'ReasonRequired');
      return [{ type: 'AbsenceExcused', data: { meetingId: meeting.meetingId, employeeId, approvedBy: actor.userId, approvedOn, reason } }];
    }
    case 'RecordAttendance': {
      const meeting = scheduledMeeting(state);
      const employeeId = requireAttendee(meeting, command.data.employeeId);
      assertMayRecordConduct(actor, employeeId);
      if (compareDates(today, meeting.scheduledFor) < 0)
        throw ruleViolation('AttendanceBeforeMeeting', `Attendance is recorded from the meeting day (${meeting.scheduledFor}) on`);
      if (meeting.attendance[employeeId])
        throw conflict('AttendanceAlreadyRecorded', `Attendance of ${employeeId} is already recorded; correct it instead`);
      const mark = attendanceMark(command.data, meeting.excused.includes(employeeId));
      const common = { meetingId: meeting.meetingId, employeeId };
      if (mark.status === 'missed')
        return [
          { type: 'MeetingMissed', data: { ...common, excused: mark.excused, occurredOn: meeting.scheduledFor, recordedBy: actor.userId } },
        ];
      return [
        {
          type: 'AttendanceRecorded',
          data: {
            ...common,
            status: mark.status,
            minutesLate: mark.minutesLate,
            minutesEarly: mark.minutesEarly,
            occurredOn: meeting.scheduledFor,
            recordedBy: actor.userId,
          },
        },
      ];
    }
    case 'CorrectAttendance': {
      const meeting = scheduledMeeting(state);
      const employeeId = requireAttendee(meeting, command.data.employeeId);
      assertMayRecordConduct(actor, employeeId);
      const current = meeting.attendance[employeeId];
      if (!current) throw conflict('AttendanceNotRecorded', `No attendance of ${employeeId} to correct; record it first`);
      const mark = attendanceMark(command.data, meeting.excused.includes(employeeId));
      if (mark.status === current.status && mark.minutesLate === current.minutesLate && mark.minutesEarly === current.minutesEarly)
        throw ruleViolation('AttendanceUnchanged', 'The correction records the same attendance');
      const reason = requireText(command.data.reason, 'reason', 'ReasonRequired');
      const correctedOn = requirePastDate(
        command.data.correctedOn ?? today,
        'correctedOn',
        'InvalidAttendance',
        'MeetingDatedInFuture',
        today,
      );
      if (compareDates(correctedOn, meeting.scheduledFor) < 0)
        throw ruleViolation('AttendanceBeforeMeeting', `Attendance is corrected from the meeting day (${meeting.scheduledFor}) on`);
      return [
        {
          type: 'AttendanceCorrected',
          data: {
            meetingId: meeting.meetingId,
            employeeId,
            ...mark,
            occurredOn: meeting.scheduledFor,
            reason,
            correctedBy: actor.userId,
            correctedOn,
          },
        },
      ];
    }
    default:
      return assertNever(command);
  }
};

// ── Evolve ───────────────────────────────────────────────────────────────────
const mark = (state: MeetingState, employeeId: string, value: AttendanceMark): MeetingState =>
  state.status === 'scheduled' ? { ...state, attendance: withEntry(state.attendance, employeeId, value) } : state;

export const evolveMeeting = (state: MeetingState, event: MeetingEvent): MeetingState => {
  switch (event.type) {
    case 'MeetingScheduled': {
      const { meetingId, kind, title, scheduledFor, startsAt, attendees } = event.data;
      return { status: 'scheduled', meetingId, kind, title, scheduledFor, startsAt, attendees, excused: [], attendance: {} };
    }
    case 'MeetingCancelled':
      return state.status === 'scheduled' ? { ...state, status: 'cancelled' } : state;
    case 'AbsenceExcused':
      return state.status === 'scheduled' ? { ...state, excused: appended(state.excused, event.data.employeeId) } : state;
    case 'AttendanceRecorded': {
      const { status, minutesLate, minutesEarly } = event.data;
      return mark(state, event.data.employeeId, { status, minutesLate, minutesEarly, excused: false });
    }
    case 'MeetingMissed':
      return mark(state, event.data.employeeId, { status: 'missed', minutesLate: null, minutesEarly: null, excused: event.data.excused });
    case 'AttendanceCorrected': {
      const { status, minutesLate, minutesEarly, excused } = event.data;
      return mark(state, event.data.employeeId, { status, minutesLate, minutesEarly, excused });
    }
    default:
      return assertNever(event);
  }
};

export const meetingDecider: Decider<MeetingState, MeetingCommand, MeetingEvent> = {
  decide: decideMeeting,
  evolve: evolveMeeting,
  initialState: initialMeetingState,
};

// ── Queries ──────────────────────────────────────────────────────────────────
/** One attendee's final attendance at one meeting: the fact discipline and appraisal read. `factId` is `<meetingId>/<employeeId>`. */
export type AttendanceFact = Readonly<{
  factId: string;
  meetingId: string;
  meetingKind: MeetingKind;
  employeeId: string;
  occurredOn: BusinessDate;
  status: AttendanceStatus;
  excused: boolean;
}>;

export const attendanceFactId = (meetingId: string, employeeId: string): string => `${meetingId}/${employeeId}`;

/** The attendance facts of a meeting as it stands (corrections applied; nothing for a cancelled meeting). */
export const attendanceFacts = (state: MeetingState): AttendanceFact[] => {
  if (state.status !== 'scheduled') return [];
  return state.attendees
    .filter((employeeId) => state.attendance[employeeId] !== undefined)
    .map((employeeId) => ({
      factId: attendanceFactId(state.meetingId, employeeId),
      meetingId: state.meetingId,
      meetingKind: state.kind,
      employeeId,
      occurredOn: state.scheduledFor,
      status: state.attendance[employeeId].status,
      excused: state.attendance[employeeId].excused,
    }));
};
