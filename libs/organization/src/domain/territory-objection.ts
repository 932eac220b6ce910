/**
 * Territory objection decider — stream `territory-objection-<objectionId>`.
 * A salesperson who cannot work an assigned area objects; a sales manager resolves it, or after
 * `territoryEscalationDays` it escalates to the administrative department, whose decision is recorded (ADR 0202).
 */
import type { Actor, BusinessDate, Command, Decider, DomainEvent } from '@salesline/shared-kernel';
import { assertNever, conflict, forbidden, hasAnyRole, notFound, ruleViolation } from '@salesline/shared-kernel';
import { requireDate, requireId, requireText } from '@salesline/shared-kernel';
import { OrganizationSettings, validateOrganizationSettings } from './organization-settings';
import { isAdmin, isSelf } from './organization-policy';
import { daysOpen, escalationDueOn, isEscalationDue } from './territory-escalation-policy';

export const territoryObjectionStreamName = (objectionId: string): string => `territory-objection-${objectionId}`;

export const MANAGER_DECISIONS = ['objection_upheld', 'objection_rejected'] as const;
export type ManagerDecision = (typeof MANAGER_DECISIONS)[number];
export const ADMINISTRATIVE_DECISIONS = ['territory_reassigned', 'territory_reduced', 'objection_rejected', 'support_assigned'] as const;
export type AdministrativeDecision = (typeof ADMINISTRATIVE_DECISIONS)[number];

// ── Events ───────────────────────────────────────────────────────────────────
export type TerritoryObjectionRaised = DomainEvent<
  'TerritoryObjectionRaised',
  { objectionId: string; employeeId: string; teamId: string; territory: string; reason: string; raisedOn: BusinessDate }
>;
export type TerritoryObjectionWithdrawn = DomainEvent<'TerritoryObjectionWithdrawn', { objectionId: string; withdrawnOn: BusinessDate }>;
export type TerritoryObjectionResolved = DomainEvent<
  'TerritoryObjectionResolved',
  { objectionId: string; resolvedBy: string; decision: ManagerDecision; note: string; resolvedOn: BusinessDate }
>;
export type TerritoryDisputeEscalated = DomainEvent<
  'TerritoryDisputeEscalated',
  { objectionId: string; escalatedOn: BusinessDate; afterDays: number }
>;
export type AdministrativeDecisionRecorded = DomainEvent<
  'AdministrativeDecisionRecorded',
  { objectionId: string; decidedBy: string; decision: AdministrativeDecision; note: string; decidedOn: BusinessDate }
>;

export type TerritoryObjectionEvent =
  | TerritoryObjectionRaised
  | TerritoryObjectionWithdrawn
  | TerritoryObjectionResolved
  | TerritoryDisputeEscalated
  | AdministrativeDecisionRecorded;

// ── Commands ─────────────────────────────────────────────────────────────────
/** The objecting salesperson as the application reads it from their employee stream (ADR 0200). */
export type ObjectingEmployeeFact = Readonly<{
  employeeId: string;
  status: 'active' | 'left';
  teamId: string;
  territories: readonly string[];
}> | null;

export type RaiseTerritoryObjection = Command<
  'RaiseTerritoryObjection',
  /** `raisedOn`: the business date the objection was raised (default today; the escalation deadline counts from it). */
  { objectionId: string; employeeId: string; territory: string; reason: string; employee: ObjectingEmployeeFact; raisedOn?: BusinessDate }
>;
/** Each step's business date (`withdrawnOn`, `resolvedOn`, `decidedOn`) defaults to today, and is never before the step it follows. */
export type WithdrawTerritoryObjection = Command<'WithdrawTerritoryObjection', { withdrawnOn?: BusinessDate }>;
export type ResolveTerritoryObjection = Command<
  'ResolveTerritoryObjection',
  { decision: ManagerDecision; note: string; resolvedOn?: BusinessDate }
>;
/** The daily sweep; a no-op unless the objection is still open on or after its due date, which dates the escalation. */
export type EscalateOverdueTerritoryObjection = Command<'EscalateOverdueTerritoryObjection', { settings: OrganizationSettings }>;
export type RecordAdministrativeDecision = Command<
  'RecordAdministrativeDecision',
  { decision: AdministrativeDecision; note: string; decidedOn?: BusinessDate }
>;

export type TerritoryObjectionCommand =
  | RaiseTerritoryObjection
  | WithdrawTerritoryObjection
  | ResolveTerritoryObjection
  | EscalateOverdueTerritoryObjection
  | RecordAdministrativeDecision;

// ── State ────────────────────────────────────────────────────────────────────
type Raised = TerritoryObjectionRaised['data'];
export type TerritoryObjectionState =
  | Readonly<{ status: 'none' }>
  | (Raised & { status: 'open' })
  | (Raised & { status: 'withdrawn'; withdrawnOn: BusinessDate })
  | (Raised & { status: 'resolved'; resolution: TerritoryObjectionResolved['data'] })
  | (Raised & { status: 'escalated'; escalatedOn: BusinessDate })
  | (Raised & { status: 'decided'; escalatedOn: BusinessDate; administrativeDecision: AdministrativeDecisionRecorded['data'] });

export const initialTerritoryObjectionState = (): TerritoryObjectionState => ({ status: 'none' });

// ── Decide ───────────────────────────────────────────────────────────────────
const assertClosedStateConflict = (state: TerritoryObjectionState): never => {
  switch (state.status) {
    case 'none':
      throw notFound('TerritoryObjectionNotFound', 'No such territory objection');
    case 'withdrawn':
      throw conflict('TerritoryObjectionAlreadyWithdrawn', 'The objection was withdrawn');
    case 'resolved':
      throw conflict('TerritoryObjectionAlreadyResolved', 'The objection has already been resolved by a manager');
    case 'escalated':
      throw conflict('TerritoryDisputeAlreadyEscalated', 'The dispute is with the administrative department now');
    case 'decided':
      throw conflict('AdministrativeDecisionAlreadyRecorded', 'The administrative department has already decided');
    case 'open':
      throw conflict('TerritoryDisputeNotEscalated', 'The objection is still with the sales manager');
    default:
      return assertNever(state);
  }
};

const oneOf = <T extends string>(value: unknown, allowed: readonly T[], field: string): T => {
  if (!allowed.includes(value as T)) throw ruleViolation('InvalidDecision', `${field} must be one of ${allowed.join(', ')}`, { field });
  return value as T;
};

const assertManager = (actor: Actor): void => {
  if (!hasAnyRole(actor, 'sales_manager'))
    throw forbidden('NotAllowedToResolveObjection', 'Only a sales manager may resolve a territory objection');
};

/** A step's business date: the given one or today, never in the future, never before the step it follows (`after`). */
const stepDateOf = (
  value: BusinessDate | undefined,
  today: BusinessDate,
  field: string,
  after?: Readonly<{ date: BusinessDate; code: string; what: string }>,
): BusinessDate => {
  const date = value === undefined ? today : requireDate(value, field, 'InvalidObjection');
  if (date > today) throw ruleViolation('InvalidObjection', `${field} must not be in the future`, { [field]: date });
  if (after && date < after.date) throw ruleViolation(after.code, `${field} (${date}) is before ${after.what} (${after.date})`, { field });
  return date;
};
const afterRaised = (state: { raisedOn: BusinessDate }) => ({
  date: state.raisedOn,
  code: 'DatedBeforeRaised',
  what: 'the objection was raised',
});

export const decideTerritoryObjection = (command: TerritoryObjectionCommand, state: TerritoryObjectionState): TerritoryObjectionEvent[] => {
  const { actor, today } = command.context;
  switch (command.type) {
    case 'RaiseTerritoryObjection': {
      const d = command.data;
      if (state.status !== 'none') throw conflict('TerritoryObjectionAlreadyRaised', 'This objection already exists');
      if (!isSelf(actor, d.employeeId) && !isAdmin(actor))
        throw forbidden('NotOwnTerritory', 'Only the salesperson assigned to the territory may object to it');
      const objectionId = requireId(d.objectionId, 'objectionId', 'InvalidObjection');
      if (!d.employee || d.employee.employeeId !== d.employeeId) throw notFound('EmployeeNotFound', `No salesperson ${d.employeeId}`);
      if (d.employee.status === 'left') throw conflict('EmployeeHasLeft', 'The salesperson has left the company');
      if (!d.employee.territories.includes(d.territory))
        throw ruleViolation('TerritoryNotAssigned', `Territory ${d.territory} is not assigned to the salesperson`, {
          territory: d.territory,
        });
      return [
        {
          type: 'TerritoryObjectionRaised',
          data: {
            objectionId,
            employeeId: d.employeeId,
            teamId: d.employee.teamId,
            territory: d.territory,
            reason: requireText(d.reason, 'reason', 'ObjectionReasonRequired'),
            raisedOn: stepDateOf(d.raisedOn, today, 'raisedOn'),
          },
        },
      ];
    }
    case 'WithdrawTerritoryObjection': {
      if (state.status !== 'open' && state.status !== 'escalated') return assertClosedStateConflict(state);
      if (!isSelf(actor, state.employeeId) && !isAdmin(actor))
        throw forbidden('NotOwnObjection', 'Only the salesperson who raised the objection may withdraw it');
      const withdrawnOn = stepDateOf(
        command.data?.withdrawnOn,
        today,
        'withdrawnOn',
        state.status === 'escalated'
          ? { date: state.escalatedOn, code: 'DatedBeforeEscalation', what: 'the dispute was escalated' }
          : afterRaised(state),
      );
      return [{ type: 'TerritoryObjectionWithdrawn', data: { objectionId: state.objectionId, withdrawnOn } }];
    }
    case 'ResolveTerritoryObjection': {
      assertManager(actor);
      if (state.status !== 'open') return assertClosedStateConflict(state);
      if (isSelf(actor, state.employeeId)) throw forbidden('CannotResolveOwnObjection', 'A manager cannot resolve their own objection');
      return [
        {
          type: 'TerritoryObjectionResolved',
          data: {
            objectionId: state.objectionId,
            resolvedBy: actor.userId,
            decision: oneOf(command.data.decision, MANAGER_DECISIONS, 'decision'),
            note: requireText(command.data.note, 'note', 'DecisionNoteRequired'),
            resolvedOn: stepDateOf(command.data.resolvedOn, today, 'resolvedOn', afterRaised(state)),
          },
        },
      ];
    }
    case 'EscalateOverdueTerritoryObjection': {
      if (!hasAnyRole(actor, 'integration', 'admin_department'))
        throw forbidden(
          'NotAllowedToEscalate',
          'Only the scheduler (integration) or the administrative department runs the escalation sweep',
        );
      const { territoryEscalationDays } = validateOrganizationSettings(command.data.settings);
      if (state.status !== 'open' || !isEscalationDue(state.raisedOn, today, territoryEscalationDays)) return [];
      // Dated by the day it fell due, whenever the sweep notices it: a past month entered later escalates in that month.
      const escalatedOn = escalationDueOn(state.raisedOn, territoryEscalationDays);
      return [
        {
          type: 'TerritoryDisputeEscalated',
          data: { objectionId: state.objectionId, escalatedOn, afterDays: daysOpen(state.raisedOn, escalatedOn) },
        },
      ];
    }
    case 'RecordAdministrativeDecision': {
      if (!hasAnyRole(actor, 'admin_department'))
        throw forbidden('NotAllowedToDecideDispute', 'Only the administrative department decides an escalated territory dispute');
      if (state.status !== 'escalated') return assertClosedStateConflict(state);
      return [
        {
          type: 'AdministrativeDecisionRecorded',
          data: {
            objectionId: state.objectionId,
            decidedBy: actor.userId,
            decision: oneOf(command.data.decision, ADMINISTRATIVE_DECISIONS, 'decision'),
            note: requireText(command.data.note, 'note', 'DecisionNoteRequired'),
            decidedOn: stepDateOf(command.data.decidedOn, today, 'decidedOn', {
              date: state.escalatedOn,
              code: 'DatedBeforeEscalation',
              what: 'the dispute was escalated',
            }),
          },
        },
      ];
    }
    default:
      return assertNever(command);
  }
};

// ── Evolve ───────────────────────────────────────────────────────────────────
export const evolveTerritoryObjection = (state: TerritoryObjectionState, event: TerritoryObjectionEvent): TerritoryObjectionState => {
  switch (event.type) {
    case 'TerritoryObjectionRaised':
      return { status: 'open', ...event.data };
    case 'TerritoryObjectionWithdrawn':
      return state.status === 'open' || state.status === 'escalated'
        ? { ...raisedOf(state), status: 'withdrawn', withdrawnOn: event.data.withdrawnOn }
        : state;
    case 'TerritoryObjectionResolved':
      return state.status === 'open' ? { ...raisedOf(state), status: 'resolved', resolution: event.data } : state;
    case 'TerritoryDisputeEscalated':
      return state.status === 'open' ? { ...raisedOf(state), status: 'escalated', escalatedOn: event.data.escalatedOn } : state;
    case 'AdministrativeDecisionRecorded':
      return state.status === 'escalated'
        ? { ...raisedOf(state), status: 'decided', escalatedOn: state.escalatedOn, administrativeDecision: event.data }
        : state;
    default:
      return assertNever(event);
  }
};

const raisedOf = (state: Raised): Raised => ({
  objectionId: state.objectionId,
  employeeId: state.employeeId,
  teamId: state.teamId,
  territory: state.territory,
  reason: state.reason,
  raisedOn: state.raisedOn,
});

export const territoryObjectionDecider: Decider<TerritoryObjectionState, TerritoryObjectionCommand, TerritoryObjectionEvent> = {
  decide: decideTerritoryObjection,
  evolve: evolveTerritoryObjection,
  initialState: initialTerritoryObjectionState,
};
