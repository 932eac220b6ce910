/**
 * Disciplinary case — stream `disciplinary-case-<caseId>` (ADR 0305). Opened from the discipline policy
 * (`evaluateDiscipline`), naming the facts that triggered it; closed by a manager with an outcome. A dismissal
 * ends the employee's assignment: on `DisciplinaryCaseClosed` with `endsEmployment`, the application records
 * `SalespersonLeft` on the employee stream (`dismissalFollowUp` gives the command's data).
 */
import { BusinessDate, Command, Decider, DomainEvent, assertNever } from '@salesline/shared-kernel';
import { compareDates, conflict, notFound, ruleViolation } from '@salesline/shared-kernel';
import { CASE_KINDS, CaseKind } from './discipline-policy';
import { CaseToOpen, TriggeringFact } from './discipline-evaluator';
import { requireId, requirePastDate, requireText } from './guards';
import { assertIsManagerOf, assertMayRunPerformanceProcess } from './performance-policy';

export const disciplinaryCaseStreamName = (caseId: string): string => `disciplinary-case-${caseId}`;

export const CASE_OUTCOMES = ['no_fault', 'warning', 'penalty', 'dismissal'] as const;
export type CaseOutcome = (typeof CASE_OUTCOMES)[number];

// ── Events ───────────────────────────────────────────────────────────────────
/**
 * `openedOn`: the business date the case arose, the day its rule's threshold was crossed (the last triggering
 * fact's date), however late the facts were entered. The day the policy runner wrote it is the recording time in the
 * event metadata (`occurredAt`), not a business date of the case.
 */
export type DisciplinaryCaseOpened = DomainEvent<
  'DisciplinaryCaseOpened',
  {
    caseId: string;
    employeeId: string;
    ruleId: string;
    policyVersion: number;
    kind: CaseKind;
    triggerKey: string;
    triggeringFacts: TriggeringFact[];
    openedOn: BusinessDate;
    openedBy: string;
  }
>;
/** `endsEmployment` (a dismissal): the application then records SalespersonLeft {leftOn: closedOn}. */
export type DisciplinaryCaseClosed = DomainEvent<
  'DisciplinaryCaseClosed',
  {
    caseId: string;
    employeeId: string;
    outcome: CaseOutcome;
    decidedBy: string;
    note: string;
    closedOn: BusinessDate;
    endsEmployment: boolean;
  }
>;
export type DisciplinaryCaseEvent = DisciplinaryCaseOpened | DisciplinaryCaseClosed;

// ── Commands ─────────────────────────────────────────────────────────────────
/** Opens the case the policy evaluation named; its date is the latest triggering fact's (`thresholdCrossedOn`), not `reachedOn`. */
export type OpenDisciplinaryCase = Command<'OpenDisciplinaryCase', Omit<CaseToOpen, 'reachedOn'>>;
export type CloseDisciplinaryCase = Command<'CloseDisciplinaryCase', { outcome: CaseOutcome; note: string; closedOn: BusinessDate }>;
export type DisciplinaryCaseCommand = OpenDisciplinaryCase | CloseDisciplinaryCase;

// ── State ────────────────────────────────────────────────────────────────────
/** `openedOn`: the business date of the fact that crossed the rule's threshold (the case's own date in history). */
type CaseBody = Readonly<{
  caseId: string;
  employeeId: string;
  ruleId: string;
  kind: CaseKind;
  triggerKey: string;
  openedOn: BusinessDate;
}>;
export type DisciplinaryCaseState =
  | Readonly<{ status: 'none' }>
  | (CaseBody & { status: 'open' })
  | (CaseBody & { status: 'closed'; outcome: CaseOutcome; closedOn: BusinessDate });
export const initialDisciplinaryCaseState = (): DisciplinaryCaseState => ({ status: 'none' });

/** The day a rule's threshold was crossed: the latest of its triggering facts (they are never empty). */
export const thresholdCrossedOn = (facts: readonly TriggeringFact[]): BusinessDate =>
  facts.map((f) => f.occurredOn).reduce((a, b) => (compareDates(a, b) >= 0 ? a : b));

// ── Decide ───────────────────────────────────────────────────────────────────
export const decideDisciplinaryCase = (command: DisciplinaryCaseCommand, state: DisciplinaryCaseState): DisciplinaryCaseEvent[] => {
  const { actor, today } = command.context;
  switch (command.type) {
    case 'OpenDisciplinaryCase': {
      assertMayRunPerformanceProcess(actor);
      const d = command.data;
      const caseId = requireId(d.caseId, 'caseId', 'InvalidDisciplinaryCase');
      if (state.status !== 'none') {
        // The evaluator derives the case id from the trigger: opening the same case again is a no-op.
        if (state.triggerKey === d.triggerKey && state.employeeId === d.employeeId) return [];
        throw conflict('CaseIdMismatch', `Case ${caseId} was opened for another trigger (${state.triggerKey})`);
      }
      const employeeId = requireId(d.employeeId, 'employeeId', 'InvalidDisciplinaryCase');
      const ruleId = requireId(d.ruleId, 'ruleId', 'InvalidDisciplinaryCase');
      const triggerKey = requireText(d.triggerKey, 'triggerKey', 'InvalidDisciplinaryCase', 200);
      if (!CASE_KINDS.includes(d.kind)) throw ruleViolation('InvalidDisciplinaryCase', `kind must be one of ${CASE_KINDS.join(', ')}`);
      if (!Number.isSafeInteger(d.policyVersion) || d.policyVersion < 1)
        throw ruleViolation('InvalidDisciplinaryCase', 'policyVersion must be a version number');
      if (!Array.isArray(d.triggeringFacts) || d.triggeringFacts.length === 0)
        throw ruleViolation('TriggeringFactsRequired', 'A case names the facts that triggered it');
      const triggeringFacts = d.triggeringFacts.map((f) => ({
        factId: requireText(f.factId, 'factId', 'InvalidDisciplinaryCase', 200),
        kind: requireText(f.kind, 'kind', 'InvalidDisciplinaryCase', 100),
        occurredOn: requirePastDate(f.occurredOn, 'occurredOn', 'InvalidDisciplinaryCase', 'TriggeringFactInFuture', today),
      }));
      return [
        {
          type: 'DisciplinaryCaseOpened',
          data: {
            caseId,
            employeeId,
            ruleId,
            policyVersion: d.policyVersion,
            kind: d.kind,
            triggerKey,
            triggeringFacts,
            openedOn: thresholdCrossedOn(triggeringFacts),
            openedBy: actor.userId,
          },
        },
      ];
    }
    case 'CloseDisciplinaryCase': {
      if (state.status === 'none') throw notFound('CaseNotFound', 'No such disciplinary case');
      if (state.status === 'closed') throw conflict('CaseAlreadyClosed', `The case was closed on ${state.closedOn} (${state.outcome})`);
      assertIsManagerOf(actor, state.employeeId, 'CannotDecideOwnCase', 'decide a disciplinary case');
      const d = command.data;
      if (!CASE_OUTCOMES.includes(d.outcome))
        throw ruleViolation('InvalidCaseOutcome', `outcome must be one of ${CASE_OUTCOMES.join(', ')}`);
      const note = requireText(d.note, 'note', 'NoteRequired');
      const closedOn = requirePastDate(d.closedOn, 'closedOn', 'InvalidDisciplinaryCase', 'ClosedOnInFuture', today);
      // A case about a month entered after the fact may be decided as it was then: not before its threshold was crossed.
      if (compareDates(closedOn, state.openedOn) < 0) throw ruleViolation('CaseClosedBeforeOpened', `The case arose on ${state.openedOn}`);
      return [
        {
          type: 'DisciplinaryCaseClosed',
          data: {
            caseId: state.caseId,
            employeeId: state.employeeId,
            outcome: d.outcome,
            decidedBy: actor.userId,
            note,
            closedOn,
            endsEmployment: d.outcome === 'dismissal',
          },
        },
      ];
    }
    default:
      return assertNever(command);
  }
};

// ── Evolve ───────────────────────────────────────────────────────────────────
export const evolveDisciplinaryCase = (state: DisciplinaryCaseState, event: DisciplinaryCaseEvent): DisciplinaryCaseState => {
  switch (event.type) {
    case 'DisciplinaryCaseOpened': {
      const { caseId, employeeId, ruleId, kind, triggerKey, openedOn } = event.data;
      return { status: 'open', caseId, employeeId, ruleId, kind, triggerKey, openedOn };
    }
    case 'DisciplinaryCaseClosed':
      return state.status === 'open' ? { ...state, status: 'closed', outcome: event.data.outcome, closedOn: event.data.closedOn } : state;
    default:
      return assertNever(event);
  }
};

export const disciplinaryCaseDecider: Decider<DisciplinaryCaseState, DisciplinaryCaseCommand, DisciplinaryCaseEvent> = {
  decide: decideDisciplinaryCase,
  evolve: evolveDisciplinaryCase,
  initialState: initialDisciplinaryCaseState,
};

/** What the application records on the employee stream after a dismissal (RecordSalespersonLeft data); null otherwise. */
export const dismissalFollowUp = (
  event: DisciplinaryCaseClosed,
): Readonly<{ employeeId: string; leftOn: BusinessDate; reason: string }> | null =>
  event.data.endsEmployment
    ? { employeeId: event.data.employeeId, leftOn: event.data.closedOn, reason: `Dismissed (disciplinary case ${event.data.caseId})` }
    : null;
