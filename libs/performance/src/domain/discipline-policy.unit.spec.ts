import { Role } from '@salesline/shared-kernel';
import { commandOf, deciderSpec } from '@salesline/shared-kernel/testing';
import { DisciplineFact, ExistingCase, disciplinaryCaseId } from './discipline-evaluator';
import { disciplineFactOfAttendance, disciplineFactOfViolation, evaluateDiscipline } from './discipline-evaluator';
import { DefineDisciplinePolicy, DisciplinePolicyEvent, DisciplinePolicyVersion, DisciplineRule } from './discipline-policy';
import { SOURCE_DISCIPLINE_RULES, disciplinePolicyDecider } from './discipline-policy';
import { versionInEffect } from './versions';

const spec = deciderSpec(disciplinePolicyDecider);
const define = (data: Partial<DefineDisciplinePolicy['data']> = {}, today = '2025-03-01', roles: Role[] = ['admin_department']) =>
  commandOf<DefineDisciplinePolicy>(
    'DefineDisciplinePolicy',
    { effectiveFrom: '2025-03-01', rules: SOURCE_DISCIPLINE_RULES, ...data },
    { userId: 'hr-1', roles, today },
  );
const v1: DisciplinePolicyEvent = {
  type: 'DisciplinePolicyDefined',
  data: { version: 1, effectiveFrom: '2025-03-01', rules: [...SOURCE_DISCIPLINE_RULES], definedBy: 'hr-1', definedOn: '2025-03-01' },
};

describe('Discipline policy decider', () => {
  it('defines version 1 (the source’s rules: 3 late → investigation, 5 late → dismissal review, serious violation → investigation)', () => {
    const state = spec.given().when(define()).then([v1]);
    expect(state).toEqual({ status: 'defined', versions: [{ version: 1, effectiveFrom: '2025-03-01', rules: SOURCE_DISCIPLINE_RULES }] });
  });
  it('versions: the next starts later; a version may be dated back (ADR 0311)', () => {
    expect(
      spec
        .given(v1)
        .when(define({ effectiveFrom: '2025-04-01' }, '2025-03-15'))
        .events()[0].data,
    ).toMatchObject({ version: 2, effectiveFrom: '2025-04-01' });
    spec
      .given(v1)
      .when(define({ effectiveFrom: '2025-03-01' }, '2025-03-01'))
      .thenThrows('PolicyEffectiveDateNotAfterPrevious', 'conflict');
    expect(
      spec
        .given()
        .when(define({ effectiveFrom: '2025-02-28' }))
        .events()[0].data,
    ).toMatchObject({ version: 1, effectiveFrom: '2025-02-28' });
  });
  const rule = (when: unknown, extra: Partial<DisciplineRule> = {}) =>
    ({ ruleId: 'r', when, opens: 'investigation', ...extra }) as DisciplineRule;
  const withRule = (when: unknown, extra: Partial<DisciplineRule> = {}) => define({ rules: [rule(when, extra)] });
  it.each([
    // only managers or the administrative department configure it
    ['NotAllowedToConfigurePerformance', 'forbidden', define({}, '2025-03-01', ['salesperson'])],
    // rules are validated
    ['DisciplineRulesRequired', 'rule', define({ rules: [] })],
    ['DuplicateRuleId', 'rule', define({ rules: [SOURCE_DISCIPLINE_RULES[0], SOURCE_DISCIPLINE_RULES[0]] })],
    ['InvalidDisciplineRule', 'rule', withRule({ kind: 'lateness_count', window: 'calendar_month', countsAs: [], atLeast: 3 })],
    ['InvalidDisciplineRule', 'rule', withRule({ kind: 'lateness_count', window: 'calendar_month', countsAs: ['late'], atLeast: 0 })],
    ['InvalidDisciplineRule', 'rule', withRule({ kind: 'lateness_count', window: 'week', countsAs: ['late'], atLeast: 2 })],
    ['InvalidDisciplineRule', 'rule', withRule({ kind: 'violation', severity: 'grave' })],
    ['InvalidDisciplineRule', 'rule', withRule({ kind: 'violation', severity: 'any' }, { opens: 'firing' as never })],
    ['InvalidDisciplineRule', 'rule', withRule({ kind: 'sleeping' })],
  ] as const)('refuses %s (%s)', (code, kind, command) => {
    spec.given().when(command).thenThrows(code, kind);
  });
  it('accepts a valid rule as given', () => {
    const ok = rule({ kind: 'violation_count', window: 'calendar_year', severity: 'any', atLeast: 3 });
    expect(
      spec
        .given()
        .when(define({ rules: [ok] }))
        .events()[0].data.rules,
    ).toEqual([ok]);
  });
  it('finds the version in effect on a date', () => {
    const versions: DisciplinePolicyVersion[] = [
      { version: 1, effectiveFrom: '2025-03-01', rules: [] },
      { version: 2, effectiveFrom: '2025-04-01', rules: [] },
    ];
    expect(versionInEffect(versions, '2025-02-28')).toBeNull();
    expect(versionInEffect(versions, '2025-03-31')?.version).toBe(1);
    expect(versionInEffect(versions, '2025-04-01')?.version).toBe(2);
  });
});

describe('evaluateDiscipline', () => {
  const policy: DisciplinePolicyVersion = { version: 1, effectiveFrom: '2025-01-01', rules: SOURCE_DISCIPLINE_RULES };
  const late = (
    n: number,
    day: number,
    status: 'late' | 'left_early' | 'missed' | 'attended' = 'late',
    excused = false,
    month = '03',
  ): DisciplineFact => ({
    factId: `mt-${month}-${n}/sp-1`,
    employeeId: 'sp-1',
    kind: 'attendance',
    status,
    excused,
    occurredOn: `2025-${month}-${String(day).padStart(2, '0')}`,
  });
  const lates = (count: number, status: 'late' | 'left_early' = 'late') =>
    Array.from({ length: count }, (_, i) => late(i + 1, i + 1, status));
  const opened = (cases: ReturnType<typeof evaluateDiscipline>): ExistingCase[] =>
    cases.map(({ employeeId, triggerKey }) => ({ employeeId, triggerKey }));

  it('two late arrivals in a month open nothing', () => expect(evaluateDiscipline([policy], lates(2), [])).toEqual([]));
  it('the 3rd late arrival or early departure within a month opens an investigation naming the three facts', () => {
    const facts = [late(1, 3), late(2, 5, 'left_early'), late(3, 20)];
    expect(evaluateDiscipline([policy], facts, [])).toEqual([
      {
        caseId: disciplinaryCaseId('sp-1', 'late-3-in-month@2025-03'),
        employeeId: 'sp-1',
        ruleId: 'late-3-in-month',
        policyVersion: 1,
        kind: 'investigation',
        triggerKey: 'late-3-in-month@2025-03',
        triggeringFacts: [
          { factId: 'mt-03-1/sp-1', kind: 'late', occurredOn: '2025-03-03' },
          { factId: 'mt-03-2/sp-1', kind: 'left_early', occurredOn: '2025-03-05' },
          { factId: 'mt-03-3/sp-1', kind: 'late', occurredOn: '2025-03-20' },
        ],
        reachedOn: '2025-03-20',
      },
    ]);
  });
  it('is idempotent: the 4th adds nothing once the investigation is open; the 5th opens the dismissal review', () => {
    const first = evaluateDiscipline([policy], lates(3), []);
    expect(evaluateDiscipline([policy], lates(3), opened(first))).toEqual([]);
    expect(evaluateDiscipline([policy], lates(4), opened(first))).toEqual([]);
    const fifth = evaluateDiscipline([policy], lates(5), opened(first));
    expect(fifth).toHaveLength(1);
    expect(fifth[0]).toMatchObject({ ruleId: 'late-5-in-month', kind: 'dismissal_review', reachedOn: '2025-03-05' });
    expect(fifth[0].triggeringFacts).toHaveLength(5);
  });
  it('five at once open both cases', () =>
    expect(evaluateDiscipline([policy], lates(5), []).map((c) => c.kind)).toEqual(['investigation', 'dismissal_review']));
  it('counts per calendar month: 2 in March and 2 in April open nothing', () =>
    expect(
      evaluateDiscipline([policy], [late(1, 30), late(2, 31), late(3, 1, 'late', false, '04'), late(4, 2, 'late', false, '04')], []),
    ).toEqual([]));
  it('attended meetings, misses (unless counted by the rule) and excused absences do not count', () => {
    expect(evaluateDiscipline([policy], [late(1, 1), late(2, 2), late(3, 3, 'missed'), late(4, 4, 'attended')], [])).toEqual([]);
    const withMissed: DisciplinePolicyVersion = {
      version: 1,
      effectiveFrom: '2025-01-01',
      rules: [
        {
          ruleId: 'r',
          when: { kind: 'lateness_count', window: 'calendar_month', countsAs: ['late', 'missed'], atLeast: 3 },
          opens: 'investigation',
        },
      ],
    };
    expect(evaluateDiscipline([withMissed], [late(1, 1), late(2, 2), late(3, 3, 'missed', true)], [])).toEqual([]);
    expect(evaluateDiscipline([withMissed], [late(1, 1), late(2, 2), late(3, 3, 'missed')], [])).toHaveLength(1);
  });
  it('a serious violation opens an investigation at once; a minor one does not', () => {
    const serious = disciplineFactOfViolation('sp-1', {
      violationId: 'vi-1',
      kind: 'competing_products',
      severity: 'serious',
      occurredOn: '2025-03-04',
    });
    const minor = disciplineFactOfViolation('sp-1', { violationId: 'vi-2', kind: 'other', severity: 'minor', occurredOn: '2025-03-05' });
    expect(evaluateDiscipline([policy], [serious, minor], [])).toEqual([
      {
        caseId: disciplinaryCaseId('sp-1', 'serious-violation@vi-1'),
        employeeId: 'sp-1',
        ruleId: 'serious-violation',
        policyVersion: 1,
        kind: 'investigation',
        triggerKey: 'serious-violation@vi-1',
        triggeringFacts: [{ factId: 'vi-1', kind: 'violation:serious', occurredOn: '2025-03-04' }],
        reachedOn: '2025-03-04',
      },
    ]);
  });
  it('counts violations within a window', () => {
    const rules: DisciplineRule[] = [
      { ruleId: 'v3', when: { kind: 'violation_count', window: 'calendar_year', severity: 'any', atLeast: 3 }, opens: 'dismissal_review' },
    ];
    const v = (n: number, month: string) =>
      disciplineFactOfViolation('sp-1', { violationId: `vi-${n}`, kind: 'other', severity: 'minor', occurredOn: `2025-${month}-10` });
    const cases = evaluateDiscipline([{ version: 1, effectiveFrom: '2025-01-01', rules }], [v(1, '01'), v(2, '06'), v(3, '11')], []);
    expect(cases).toMatchObject([{ triggerKey: 'v3@2025', kind: 'dismissal_review', reachedOn: '2025-11-10' }]);
  });
  it('each fact is judged by the version in effect on its date; none before the first version', () => {
    const v2: DisciplinePolicyVersion = {
      version: 2,
      effectiveFrom: '2025-03-16',
      rules: [
        {
          ruleId: 'late-2',
          when: { kind: 'lateness_count', window: 'calendar_month', countsAs: ['late'], atLeast: 2 },
          opens: 'investigation',
        },
      ],
    };
    const facts = [late(1, 2), late(2, 3), late(3, 17), late(4, 18)];
    expect(evaluateDiscipline([policy, v2], facts, [])).toMatchObject([{ ruleId: 'late-2', policyVersion: 2, reachedOn: '2025-03-18' }]);
    expect(evaluateDiscipline([{ ...policy, effectiveFrom: '2025-04-01' }], lates(5), [])).toEqual([]);
  });
  it('evaluates employees separately', () => {
    const other = lates(3).map((f) => ({ ...f, employeeId: 'sp-2', factId: f.factId.replace('sp-1', 'sp-2') }));
    expect(evaluateDiscipline([policy], [...lates(2), ...other], []).map((c) => c.employeeId)).toEqual(['sp-2']);
  });
  it('reads attendance facts from meetings', () =>
    expect(
      disciplineFactOfAttendance({
        factId: 'mt-1/sp-1',
        meetingId: 'mt-1',
        meetingKind: 'work_day',
        employeeId: 'sp-1',
        occurredOn: '2025-03-03',
        status: 'late',
        excused: false,
      }),
    ).toEqual({ factId: 'mt-1/sp-1', employeeId: 'sp-1', kind: 'attendance', status: 'late', excused: false, occurredOn: '2025-03-03' }));
});
