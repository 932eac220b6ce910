/**
 * The pure discipline evaluator (ADR 0304): conduct facts + the policy history + the cases already opened →
 * the cases to open now. Idempotent: every case has a trigger key (rule + window, or rule + violation) and a
 * key already opened is never opened again — the 4th lateness of a month adds nothing after the 3rd opened an
 * investigation; the 5th opens the dismissal review.
 */
import { BusinessDate, assertNever, compareDates, deterministicId } from '@salesline/shared-kernel';
import { CountWindow, DisciplinePolicyVersion, DisciplineRule } from './discipline-policy';
import type { DisciplinaryCaseOpened } from './disciplinary-case';
import { AttendanceFact } from './meeting';
import { ViolationSeverity, ViolationSummary } from './violation';
import { versionInEffect } from './versions';

/** A conduct fact of one employee, with its business date. Excused absences never count. */
export type DisciplineFact =
  | Readonly<{
      factId: string;
      employeeId: string;
      kind: 'attendance';
      status: AttendanceFact['status'];
      excused: boolean;
      occurredOn: BusinessDate;
    }>
  | Readonly<{ factId: string; employeeId: string; kind: 'violation'; severity: ViolationSeverity; occurredOn: BusinessDate }>;

export type TriggeringFact = Readonly<{ factId: string; kind: string; occurredOn: BusinessDate }>;
/** A case already opened (from DisciplinaryCaseOpened), whatever its outcome. */
export type ExistingCase = Readonly<{ employeeId: string; triggerKey: string }>;
/**
 * The case the opening event records, before it is opened. Its `caseId` is deterministic from employee and trigger
 * key, so a retried evaluation addresses the same stream; `reachedOn`: the business date of the fact that reached the rule.
 */
export type CaseToOpen = Readonly<Omit<DisciplinaryCaseOpened['data'], 'openedOn' | 'openedBy'> & { reachedOn: BusinessDate }>;

export const disciplineFactOfAttendance = (fact: AttendanceFact): DisciplineFact => ({
  factId: fact.factId,
  employeeId: fact.employeeId,
  kind: 'attendance',
  status: fact.status,
  excused: fact.excused,
  occurredOn: fact.occurredOn,
});

export const disciplineFactOfViolation = (employeeId: string, violation: ViolationSummary): DisciplineFact => ({
  factId: violation.violationId,
  employeeId,
  kind: 'violation',
  severity: violation.severity,
  occurredOn: violation.occurredOn,
});

export const disciplinaryCaseId = (employeeId: string, triggerKey: string): string =>
  deterministicId(`disciplinary-case:${employeeId}:${triggerKey}`);

const windowOf = (window: CountWindow, date: BusinessDate): string => (window === 'calendar_month' ? date.slice(0, 7) : date.slice(0, 4));
const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const byDate = (a: DisciplineFact, b: DisciplineFact) => compareDates(a.occurredOn, b.occurredOn) || compareText(a.factId, b.factId);
const factKind = (f: DisciplineFact): string => (f.kind === 'violation' ? `violation:${f.severity}` : f.status);

/** Does the fact count for the rule? */
const counts = (rule: DisciplineRule, fact: DisciplineFact): boolean => {
  const when = rule.when;
  switch (when.kind) {
    case 'lateness_count':
      return fact.kind === 'attendance' && !fact.excused && (when.countsAs as readonly string[]).includes(fact.status);
    case 'violation':
    case 'violation_count':
      return fact.kind === 'violation' && (when.severity === 'any' || fact.severity === 'serious');
    default:
      return assertNever(when);
  }
};

/** Groups of facts a rule is tested on: one group per window, or one per single violation. */
const groups = (rule: DisciplineRule, facts: readonly DisciplineFact[]): Map<string, DisciplineFact[]> => {
  const result = new Map<string, DisciplineFact[]>();
  for (const fact of facts) {
    const key = rule.when.kind === 'violation' ? fact.factId : windowOf(rule.when.window, fact.occurredOn);
    result.set(key, [...(result.get(key) ?? []), fact]);
  }
  return result;
};

/**
 * Each fact is governed by the policy version in effect on its business date; a version's rules count only the
 * facts it governs. Facts before the first version are not evaluated.
 */
export const evaluateDiscipline = (
  policies: readonly DisciplinePolicyVersion[],
  facts: readonly DisciplineFact[],
  existingCases: readonly ExistingCase[],
): CaseToOpen[] => {
  const opened = new Set(existingCases.map((c) => `${c.employeeId}|${c.triggerKey}`));
  const result: CaseToOpen[] = [];
  const employees = [...new Set(facts.map((f) => f.employeeId))].sort();
  for (const employeeId of employees) {
    for (const policy of policies) {
      const governed = facts
        .filter((f) => f.employeeId === employeeId && versionInEffect(policies, f.occurredOn)?.version === policy.version)
        .sort(byDate);
      for (const rule of policy.rules) {
        const threshold = rule.when.kind === 'violation' ? 1 : rule.when.atLeast;
        for (const [window, windowFacts] of groups(
          rule,
          governed.filter((f) => counts(rule, f)),
        )) {
          const triggerKey = `${rule.ruleId}@${window}`;
          if (windowFacts.length < threshold || opened.has(`${employeeId}|${triggerKey}`)) continue;
          opened.add(`${employeeId}|${triggerKey}`);
          const triggering = windowFacts.slice(0, threshold);
          result.push({
            caseId: disciplinaryCaseId(employeeId, triggerKey),
            employeeId,
            ruleId: rule.ruleId,
            policyVersion: policy.version,
            kind: rule.opens,
            triggerKey,
            triggeringFacts: triggering.map((f) => ({ factId: f.factId, kind: factKind(f), occurredOn: f.occurredOn })),
            reachedOn: triggering[threshold - 1].occurredOn,
          });
        }
      }
    }
  }
  return result.sort(
    (a, b) => compareText(a.employeeId, b.employeeId) || compareDates(a.reachedOn, b.reachedOn) || compareText(a.triggerKey, b.triggerKey),
  );
};
