import { Role } from '@salesline/shared-kernel';
import { commandOf, deciderSpec } from '@salesline/shared-kernel/testing';
import { CloseDisciplinaryCase, DisciplinaryCaseClosed, DisciplinaryCaseEvent } from './disciplinary-case';
import { OpenDisciplinaryCase, disciplinaryCaseDecider, dismissalFollowUp } from './disciplinary-case';
import { lateInMarchCase } from '../testing/fixtures';

const spec = deciderSpec(disciplinaryCaseDecider);
type Ctx = { userId?: string; roles?: Role[]; today?: string };
const triggeringFacts = [
  { factId: 'mt-1/sp-1', kind: 'late', occurredOn: '2025-03-03' },
  { factId: 'mt-2/sp-1', kind: 'left_early', occurredOn: '2025-03-05' },
  { factId: 'mt-3/sp-1', kind: 'late', occurredOn: '2025-03-07' },
];
const lateInMarch = lateInMarchCase(triggeringFacts);
const open = (data: Partial<OpenDisciplinaryCase['data']> = {}, ctx: Ctx = {}) =>
  commandOf<OpenDisciplinaryCase>(
    'OpenDisciplinaryCase',
    { ...lateInMarch, ...data },
    { userId: 'system', roles: ['integration'], today: '2025-03-08', ...ctx },
  );
const opened: DisciplinaryCaseEvent = {
  type: 'DisciplinaryCaseOpened',
  data: {
    ...lateInMarch,
    openedOn: '2025-03-07',
    openedBy: 'system',
  },
};
const close = (data: Partial<CloseDisciplinaryCase['data']> = {}, ctx: Ctx = {}) =>
  commandOf<CloseDisciplinaryCase>(
    'CloseDisciplinaryCase',
    { outcome: 'warning', note: 'Talked it through', closedOn: '2025-03-12', ...data },
    { userId: 'm-1', roles: ['sales_manager'], today: '2025-03-12', ...ctx },
  );

describe('Disciplinary case decider', () => {
  it('opens a case naming the rule, the policy version and the triggering facts', () => {
    expect(spec.given().when(open()).then([opened])).toMatchObject({ status: 'open', triggerKey: 'late-3-in-month@2025-03' });
  });
  it('a case whose facts were entered after the fact is opened on the day its threshold was crossed, whenever it is written', () => {
    // given facts of March entered in May
    spec
      .given()
      .when(open({}, { today: '2025-05-20' }))
      // then the case arose on the third lateness (7 March); 20 May is only its recording time (metadata)
      .then([opened]);
  });
  it('opening the same case again is a no-op; another trigger on the same id is a conflict', () => {
    spec.given(opened).when(open()).then([]);
    spec
      .given(opened)
      .when(open({ triggerKey: 'late-5-in-month@2025-03' }))
      .thenThrows('CaseIdMismatch', 'conflict');
  });
  it.each([
    ['TriggeringFactsRequired', 'rule', open({ triggeringFacts: [] })],
    ['InvalidDisciplinaryCase', 'rule', open({ kind: 'execution' as never })],
    ['TriggeringFactInFuture', 'rule', open({ triggeringFacts: [{ factId: 'x', kind: 'late', occurredOn: '2025-03-09' }] })],
    ['NotAllowedToRunPerformanceProcess', 'forbidden', open({}, { roles: ['salesperson'] })],
  ] as const)('opening needs triggering facts, a known kind, a process role: %s (%s)', (code, kind, command) => {
    spec.given().when(command).thenThrows(code, kind);
  });
  it('a manager closes it with an outcome: no fault, warning, penalty', () => {
    for (const outcome of ['no_fault', 'warning', 'penalty'] as const)
      spec
        .given(opened)
        .when(close({ outcome }))
        .then([
          {
            type: 'DisciplinaryCaseClosed',
            data: {
              caseId: 'dc-1',
              employeeId: 'sp-1',
              outcome,
              decidedBy: 'm-1',
              note: 'Talked it through',
              closedOn: '2025-03-12',
              endsEmployment: false,
            },
          },
        ]);
  });
  it('a dismissal ends the employment: the application records SalespersonLeft on the closing date', () => {
    const [event] = spec
      .given(opened)
      .when(close({ outcome: 'dismissal', note: 'Fifth lateness after a warning' }))
      .events() as DisciplinaryCaseClosed[];
    expect(event.data.endsEmployment).toBe(true);
    expect(dismissalFollowUp(event)).toEqual({ employeeId: 'sp-1', leftOn: '2025-03-12', reason: 'Dismissed (disciplinary case dc-1)' });
    expect(dismissalFollowUp({ ...event, data: { ...event.data, outcome: 'warning', endsEmployment: false } })).toBeNull();
  });
  it('refuses closing twice or an unknown case', () => {
    const closed = spec.given(opened).when(close()).events();
    spec
      .given(opened, ...closed)
      .when(close())
      .thenThrows('CaseAlreadyClosed', 'conflict');
    spec.given().when(close()).thenThrows('CaseNotFound', 'not_found');
  });
  it.each([
    ['InvalidCaseOutcome', 'rule', close({ outcome: 'praise' as never })],
    ['NoteRequired', 'rule', close({ note: '' })],
    ['CaseClosedBeforeOpened', 'rule', close({ closedOn: '2025-03-06' })],
    ['ClosedOnInFuture', 'rule', close({ closedOn: '2025-03-13' })],
    // only a sales manager decides, never about themselves
    ['ManagerRequired', 'forbidden', close({}, { roles: ['integration'] })],
    ['CannotDecideOwnCase', 'forbidden', close({}, { userId: 'sp-1' })],
  ] as const)('closing refuses %s (%s)', (code, kind, command) => {
    spec.given(opened).when(command).thenThrows(code, kind);
  });
  it('a case about facts entered after the fact may be decided as of the day its threshold was crossed (ADR 0312)', () => {
    expect(
      spec
        .given(opened)
        .when(close({ closedOn: '2025-03-07' }))
        .events()[0].data,
    ).toMatchObject({ closedOn: '2025-03-07' });
  });
});
