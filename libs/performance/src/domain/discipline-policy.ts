/**
 * Discipline policy — stream `discipline-policy` (ADR 0304): a versioned, configured set of rules that turn conduct
 * facts into disciplinary cases. Each version applies to facts that occurred on or after its `effectiveFrom`
 * (until the next version); versions are never retroactive.
 *
 * The source: "strictly observe the regular meeting time, and do not be late or leave early. If they [are] three
 * days late or five days late, they will be investigated for responsibility and fired" → `SOURCE_DISCIPLINE_RULES`.
 */
import type { BusinessDate, Command, Decider, DomainEvent } from '@salesline/shared-kernel';
import { assertNever, ruleViolation } from '@salesline/shared-kernel';
import { requireDate, requireId, requireInteger, requirePastDate } from './guards';
import { assertMayConfigurePerformance } from './performance-policy';
import { VersionsState, evolveVersions, initialVersionsState, nextVersion } from './versions';

export const DISCIPLINE_POLICY_STREAM = 'discipline-policy';

export type CountedAttendance = 'late' | 'left_early' | 'missed';
const COUNTED_ATTENDANCE: readonly CountedAttendance[] = ['late', 'left_early', 'missed'];
export type CountWindow = 'calendar_month' | 'calendar_year';
const WINDOWS: readonly CountWindow[] = ['calendar_month', 'calendar_year'];
export type CaseKind = 'investigation' | 'dismissal_review';
export const CASE_KINDS: readonly CaseKind[] = ['investigation', 'dismissal_review'];

export type DisciplineCondition =
  /** `atLeast` late arrivals / early departures (/ unexcused absences) of one employee within one window. */
  | Readonly<{ kind: 'lateness_count'; window: CountWindow; countsAs: readonly CountedAttendance[]; atLeast: number }>
  /** Each single violation of the severity (`any` = minor or serious). */
  | Readonly<{ kind: 'violation'; severity: 'serious' | 'any' }>
  /** `atLeast` violations of the severity within one window. */
  | Readonly<{ kind: 'violation_count'; window: CountWindow; severity: 'serious' | 'any'; atLeast: number }>;

export type DisciplineRule = Readonly<{ ruleId: string; when: DisciplineCondition; opens: CaseKind }>;
export type DisciplinePolicyVersion = Readonly<{ version: number; effectiveFrom: BusinessDate; rules: readonly DisciplineRule[] }>;

/** The rules the source document states, as a starting configuration. */
export const SOURCE_DISCIPLINE_RULES: readonly DisciplineRule[] = [
  {
    ruleId: 'late-3-in-month',
    when: { kind: 'lateness_count', window: 'calendar_month', countsAs: ['late', 'left_early'], atLeast: 3 },
    opens: 'investigation',
  },
  {
    ruleId: 'late-5-in-month',
    when: { kind: 'lateness_count', window: 'calendar_month', countsAs: ['late', 'left_early'], atLeast: 5 },
    opens: 'dismissal_review',
  },
  { ruleId: 'serious-violation', when: { kind: 'violation', severity: 'serious' }, opens: 'investigation' },
];

// ── Events ───────────────────────────────────────────────────────────────────
export type DisciplinePolicyDefined = DomainEvent<
  'DisciplinePolicyDefined',
  { version: number; effectiveFrom: BusinessDate; rules: DisciplineRule[]; definedBy: string; definedOn: BusinessDate }
>;
export type DisciplinePolicyEvent = DisciplinePolicyDefined;

// ── Commands ─────────────────────────────────────────────────────────────────
/** `definedOn`: the business date the version was decided (default today, not in the future). */
export type DefineDisciplinePolicy = Command<
  'DefineDisciplinePolicy',
  { effectiveFrom: BusinessDate; rules: readonly DisciplineRule[]; definedOn?: BusinessDate }
>;
export type DisciplinePolicyCommand = DefineDisciplinePolicy;

// ── State ────────────────────────────────────────────────────────────────────
export type DisciplinePolicyState = VersionsState<DisciplinePolicyVersion>;
export const initialDisciplinePolicyState = initialVersionsState<DisciplinePolicyVersion>;

// ── Validation ───────────────────────────────────────────────────────────────
const invalidRule = (ruleId: unknown, message: string) => ruleViolation('InvalidDisciplineRule', message, { ruleId });

const validateCondition = (ruleId: string, when: DisciplineCondition): DisciplineCondition => {
  const window = (w: CountWindow) => {
    if (!WINDOWS.includes(w)) throw invalidRule(ruleId, `window must be one of ${WINDOWS.join(', ')}`);
    return w;
  };
  const atLeast = (value: number, w: CountWindow) =>
    requireInteger(value, 'atLeast', 'InvalidDisciplineRule', 1, w === 'calendar_month' ? 31 : 366);
  const severity = (s: 'serious' | 'any') => {
    if (s !== 'serious' && s !== 'any') throw invalidRule(ruleId, 'severity must be serious or any');
    return s;
  };
  switch (when?.kind) {
    case 'lateness_count': {
      if (!Array.isArray(when.countsAs) || when.countsAs.length === 0 || when.countsAs.some((c) => !COUNTED_ATTENDANCE.includes(c)))
        throw invalidRule(ruleId, `countsAs lists one or more of ${COUNTED_ATTENDANCE.join(', ')}`);
      const w = window(when.window);
      return { kind: 'lateness_count', window: w, countsAs: [...new Set(when.countsAs)], atLeast: atLeast(when.atLeast, w) };
    }
    case 'violation':
      return { kind: 'violation', severity: severity(when.severity) };
    case 'violation_count': {
      const w = window(when.window);
      return { kind: 'violation_count', window: w, severity: severity(when.severity), atLeast: atLeast(when.atLeast, w) };
    }
    default:
      throw invalidRule(ruleId, 'when.kind must be lateness_count, violation or violation_count');
  }
};

export const validateDisciplineRules = (rules: readonly DisciplineRule[]): DisciplineRule[] => {
  if (!Array.isArray(rules) || rules.length === 0)
    throw ruleViolation('DisciplineRulesRequired', 'A discipline policy has at least one rule');
  const seen = new Set<string>();
  return rules.map((rule) => {
    const ruleId = requireId(rule?.ruleId, 'ruleId', 'InvalidDisciplineRule');
    if (seen.has(ruleId)) throw ruleViolation('DuplicateRuleId', `Rule ${ruleId} appears twice`, { ruleId });
    seen.add(ruleId);
    if (!CASE_KINDS.includes(rule.opens)) throw invalidRule(ruleId, `opens must be one of ${CASE_KINDS.join(', ')}`);
    return { ruleId, when: validateCondition(ruleId, rule.when), opens: rule.opens };
  });
};

// ── Decide ───────────────────────────────────────────────────────────────────
export const decideDisciplinePolicy = (command: DisciplinePolicyCommand, state: DisciplinePolicyState): DisciplinePolicyEvent[] => {
  const { actor, today } = command.context;
  switch (command.type) {
    case 'DefineDisciplinePolicy': {
      assertMayConfigurePerformance(actor);
      const effectiveFrom = requireDate(command.data.effectiveFrom, 'effectiveFrom', 'InvalidDisciplinePolicy');
      // A version may be dated back (within the back-dating window, checked at the edge) so that history
      // entered as it happened is judged by the rules the company had then (ADR 0311).
      const version = nextVersion(state, effectiveFrom, 'PolicyEffectiveDateNotAfterPrevious');
      const rules = validateDisciplineRules(command.data.rules);
      return [
        {
          type: 'DisciplinePolicyDefined',
          data: {
            version,
            effectiveFrom,
            rules,
            definedBy: actor.userId,
            definedOn: requirePastDate(
              command.data.definedOn ?? today,
              'definedOn',
              'InvalidDisciplinePolicy',
              'InvalidDisciplinePolicy',
              today,
            ),
          },
        },
      ];
    }
    default:
      return assertNever(command.type);
  }
};

// ── Evolve ───────────────────────────────────────────────────────────────────
export const evolveDisciplinePolicy = evolveVersions(
  ({ data: { version, effectiveFrom, rules } }: DisciplinePolicyEvent): DisciplinePolicyVersion => ({ version, effectiveFrom, rules }),
);

export const disciplinePolicyDecider: Decider<DisciplinePolicyState, DisciplinePolicyCommand, DisciplinePolicyEvent> = {
  decide: decideDisciplinePolicy,
  evolve: evolveDisciplinePolicy,
  initialState: initialDisciplinePolicyState,
};
