import { Role } from '@salesline/shared-kernel';
import { commandOf, deciderSpec } from '@salesline/shared-kernel/testing';
import { MeetingCommand, MeetingEvent, attendanceFacts, meetingDecider } from './meeting';

const spec = deciderSpec(meetingDecider);
type Ctx = { userId?: string; roles?: Role[]; today?: string };
const manager: Ctx = { userId: 'm-1', roles: ['sales_manager'] };
const cmd = <C extends MeetingCommand>(type: C['type'], data: C['data'], ctx: Ctx = {}) =>
  commandOf<C>(type, data, { ...manager, today: '2025-03-10', ...ctx } as never);

const scheduled: MeetingEvent = {
  type: 'MeetingScheduled',
  data: {
    meetingId: 'mt-1',
    kind: 'department',
    title: 'Weekly sales meeting',
    scheduledFor: '2025-03-10',
    scheduledOn: '2025-03-10',
    startsAt: '09:00',
    attendees: ['sp-1', 'sp-2'],
    scheduledBy: 'm-1',
  },
};
const excused: MeetingEvent = {
  type: 'AbsenceExcused',
  data: { meetingId: 'mt-1', employeeId: 'sp-2', approvedBy: 'm-1', approvedOn: '2025-03-07', reason: 'Customer visit' },
};
const attended = (employeeId = 'sp-1'): MeetingEvent => ({
  type: 'AttendanceRecorded',
  data: {
    meetingId: 'mt-1',
    employeeId,
    status: 'attended',
    minutesLate: null,
    minutesEarly: null,
    occurredOn: '2025-03-10',
    recordedBy: 'm-1',
  },
});
const schedule = (data: Record<string, unknown> = {}, ctx: Ctx = {}) =>
  cmd(
    'ScheduleMeeting',
    {
      meetingId: 'mt-1',
      kind: 'department',
      title: 'Weekly sales meeting',
      scheduledFor: '2025-03-10',
      startsAt: '09:00',
      attendees: ['sp-1', 'sp-2', 'sp-1'],
      ...data,
    } as never,
    ctx,
  );
const attend = (data: Record<string, unknown>, ctx: Ctx = {}) => cmd('RecordAttendance', { employeeId: 'sp-1', ...data } as never, ctx);

describe('Meeting decider', () => {
  describe('scheduling', () => {
    it('schedules a meeting with its attendees (deduplicated)', () => {
      spec.given().when(schedule()).then([scheduled]);
    });
    it('schedules the working day, so lateness at work is recorded the same way', () => {
      expect(
        spec
          .given()
          .when(schedule({ kind: 'work_day', title: 'Working day' }))
          .events()[0].data,
      ).toMatchObject({ kind: 'work_day' });
    });
    it.each([
      ['NotAllowedToRecordConduct', 'forbidden', schedule({}, { roles: ['salesperson'], userId: 'sp-9' })],
      ['InvalidMeeting', 'rule', schedule({ kind: 'party' })],
      ['InvalidMeetingTime', 'rule', schedule({ startsAt: '24:00' })],
      ['AttendeesRequired', 'rule', schedule({ attendees: [] })],
    ] as const)('refuses a salesperson, bad kind/time, no attendees: %s (%s)', (code, kind, command) => {
      spec.given().when(command).thenThrows(code, kind);
    });
    it('refuses a second schedule', () => {
      spec.given(scheduled).when(schedule()).thenThrows('MeetingAlreadyScheduled', 'conflict');
    });
    it('is dated the day it was scheduled: today, the meeting day for a past meeting entered later, or the day the caller gives', () => {
      // given a meeting of 10 March entered on 20 May without a date: it was arranged by its day at the latest
      spec
        .given()
        .when(schedule({}, { today: '2025-05-20' }))
        .then([scheduled]);
      // given the day it was arranged
      spec
        .given()
        .when(schedule({ scheduledOn: '2025-03-03' }, { today: '2025-05-20' }))
        .then([{ ...scheduled, data: { ...scheduled.data, scheduledOn: '2025-03-03' } } as MeetingEvent]);
      // a meeting planned ahead is scheduled today
      spec
        .given()
        .when(schedule({ scheduledFor: '2025-03-17' }, { today: '2025-03-10' }))
        .then([{ ...scheduled, data: { ...scheduled.data, scheduledFor: '2025-03-17', scheduledOn: '2025-03-10' } } as MeetingEvent]);
      spec
        .given()
        .when(schedule({ scheduledOn: '2025-03-11' }, { today: '2025-05-20' }))
        .thenThrows('ScheduledAfterMeeting', 'rule');
      spec
        .given()
        .when(schedule({ scheduledFor: '2025-03-17', scheduledOn: '2025-03-11' }))
        .thenThrows('MeetingDatedInFuture', 'rule');
    });
    it('a cancellation carries its business date, never in the future', () => {
      spec
        .given(scheduled)
        .when(cmd('CancelMeeting', { reason: 'Trade fair', cancelledOn: '2025-03-08' }))
        .then([
          { type: 'MeetingCancelled', data: { meetingId: 'mt-1', reason: 'Trade fair', cancelledBy: 'm-1', cancelledOn: '2025-03-08' } },
        ]);
      spec
        .given(scheduled)
        .when(cmd('CancelMeeting', { reason: 'Trade fair', cancelledOn: '2025-03-11' }))
        .thenThrows('MeetingDatedInFuture', 'rule');
    });
    it('cancels a meeting before attendance is recorded, not after', () => {
      spec
        .given(scheduled)
        .when(cmd('CancelMeeting', { reason: 'Trade fair' }))
        .then([
          { type: 'MeetingCancelled', data: { meetingId: 'mt-1', reason: 'Trade fair', cancelledBy: 'm-1', cancelledOn: '2025-03-10' } },
        ]);
      spec
        .given(scheduled, attended())
        .when(cmd('CancelMeeting', { reason: 'x' }))
        .thenThrows('MeetingHasAttendance', 'conflict');
      spec
        .given()
        .when(cmd('CancelMeeting', { reason: 'x' }))
        .thenThrows('MeetingNotFound', 'not_found');
    });
    it('refuses attendance on a cancelled meeting', () => {
      const cancelled: MeetingEvent = {
        type: 'MeetingCancelled',
        data: { meetingId: 'mt-1', reason: 'x', cancelledBy: 'm-1', cancelledOn: '2025-03-09' },
      };
      spec
        .given(scheduled, cancelled)
        .when(attend({ status: 'attended' }))
        .thenThrows('MeetingCancelled', 'conflict');
      expect(attendanceFacts(spec.given(scheduled, cancelled).state())).toEqual([]);
    });
  });

  describe('excused absence', () => {
    const excuse = (ctx: Ctx = {}, employeeId = 'sp-2') =>
      cmd('ExcuseAbsence', { employeeId, reason: 'Customer visit' }, { today: '2025-03-07', ...ctx });
    it('a manager excuses an attendee before the meeting day', () => {
      spec.given(scheduled).when(excuse()).then([excused]);
    });
    it.each([
      ['ExcusalTooLate', 'rule', excuse({ today: '2025-03-10' })],
      ['ManagerRequired', 'forbidden', excuse({ roles: ['admin_department'], userId: 'hr-1' })],
      ['CannotExcuseOwnAbsence', 'forbidden', excuse({ userId: 'sp-2' })],
      ['NotAnAttendee', 'rule', excuse({}, 'sp-9')],
    ] as const)('before the meeting day, only by a manager, never for themselves, only attendees: %s (%s)', (code, kind, command) => {
      spec.given(scheduled).when(command).thenThrows(code, kind);
    });
    it('once', () => {
      spec.given(scheduled, excused).when(excuse()).thenThrows('AbsenceAlreadyExcused', 'conflict');
    });
  });

  describe('attendance', () => {
    it('records attended, late (minutes) and left early (minutes)', () => {
      spec
        .given(scheduled)
        .when(attend({ status: 'attended' }))
        .then([attended()]);
      expect(
        spec
          .given(scheduled)
          .when(attend({ status: 'late', minutesLate: 12 }))
          .events()[0].data,
      ).toMatchObject({ status: 'late', minutesLate: 12, minutesEarly: null });
      expect(
        spec
          .given(scheduled)
          .when(attend({ status: 'left_early', minutesEarly: 30, minutesLate: 5 }))
          .events()[0].data,
      ).toMatchObject({
        status: 'left_early',
        minutesLate: null,
        minutesEarly: 30,
      });
    });
    it.each([
      // the minutes for late and left early
      ['InvalidAttendance', 'rule', attend({ status: 'late' })],
      ['InvalidAttendance', 'rule', attend({ status: 'left_early', minutesEarly: 0 })],
      ['InvalidAttendance', 'rule', attend({ status: 'asleep' })],
      // only for attendees, from the meeting day on, never by the attendee
      ['NotAnAttendee', 'rule', attend({ employeeId: 'sp-9', status: 'attended' })],
      ['AttendanceBeforeMeeting', 'rule', attend({ status: 'attended' }, { today: '2025-03-09' })],
      ['CannotRecordOwnConduct', 'forbidden', attend({ status: 'attended' }, { userId: 'sp-1' })],
    ] as const)('refuses %s (%s)', (code, kind, command) => {
      spec.given(scheduled).when(command).thenThrows(code, kind);
    });
    it('records a missed meeting, excused when a manager approved it beforehand', () => {
      spec
        .given(scheduled)
        .when(attend({ status: 'missed' }))
        .then([
          {
            type: 'MeetingMissed',
            data: { meetingId: 'mt-1', employeeId: 'sp-1', excused: false, occurredOn: '2025-03-10', recordedBy: 'm-1' },
          },
        ]);
      spec
        .given(scheduled, excused)
        .when(attend({ employeeId: 'sp-2', status: 'missed' }))
        .then([
          {
            type: 'MeetingMissed',
            data: { meetingId: 'mt-1', employeeId: 'sp-2', excused: true, occurredOn: '2025-03-10', recordedBy: 'm-1' },
          },
        ]);
    });
    it('once each', () => {
      spec
        .given(scheduled, attended())
        .when(attend({ status: 'late', minutesLate: 3 }))
        .thenThrows('AttendanceAlreadyRecorded', 'conflict');
    });
    it('corrects a recorded attendance with a reason; the facts read the correction', () => {
      const correct = cmd(
        'CorrectAttendance',
        { employeeId: 'sp-1', status: 'late', minutesLate: 20, reason: 'Signed in late' },
        { today: '2025-03-11' },
      );
      const state = spec
        .given(scheduled, attended())
        .when(correct)
        .then([
          {
            type: 'AttendanceCorrected',
            data: {
              meetingId: 'mt-1',
              employeeId: 'sp-1',
              status: 'late',
              minutesLate: 20,
              minutesEarly: null,
              excused: false,
              occurredOn: '2025-03-10',
              reason: 'Signed in late',
              correctedBy: 'm-1',
              correctedOn: '2025-03-11',
            },
          },
        ]);
      expect(attendanceFacts(state)).toEqual([
        {
          factId: 'mt-1/sp-1',
          meetingId: 'mt-1',
          meetingKind: 'department',
          employeeId: 'sp-1',
          occurredOn: '2025-03-10',
          status: 'late',
          excused: false,
        },
      ]);
    });
    it('a correction carries its business date: from the meeting day on, never in the future', () => {
      const correct = (correctedOn: string) =>
        cmd(
          'CorrectAttendance',
          { employeeId: 'sp-1', status: 'late', minutesLate: 20, reason: 'Signed in late', correctedOn },
          { today: '2025-05-20' },
        );
      expect(spec.given(scheduled, attended()).when(correct('2025-03-12')).events()[0].data).toMatchObject({ correctedOn: '2025-03-12' });
      spec.given(scheduled, attended()).when(correct('2025-03-09')).thenThrows('AttendanceBeforeMeeting', 'rule');
      spec.given(scheduled, attended()).when(correct('2025-05-21')).thenThrows('MeetingDatedInFuture', 'rule');
    });
    it('refuses correcting what is not recorded, the same attendance, or without a reason', () => {
      const correct = (data: Record<string, unknown>) =>
        cmd('CorrectAttendance', { employeeId: 'sp-1', status: 'attended', reason: 'x', ...data } as never);
      spec.given(scheduled).when(correct({})).thenThrows('AttendanceNotRecorded', 'conflict');
      spec.given(scheduled, attended()).when(correct({})).thenThrows('AttendanceUnchanged', 'rule');
      spec
        .given(scheduled, attended())
        .when(correct({ status: 'missed', reason: ' ' }))
        .thenThrows('ReasonRequired', 'rule');
    });
  });
});
