/**
 * Customer visits decider — stream `employee-visits-<employeeId>`: the visits a salesperson actually made,
 * read against the visits planned in their sales plans (ADR 0210). Corrections are not modelled yet: a visit is a fact.
 */
import type { BusinessDate, Command, Decider, DomainEvent } from '@salesline/shared-kernel';
import { assertNever, compareDates, conflict, forbidden, hasAnyRole, notFound, ruleViolation, appended } from '@salesline/shared-kernel';
import { requireDate, requireId, requireText } from '@salesline/shared-kernel';
import { isSelf } from './organization-policy';

export const employeeVisitsStreamName = (employeeId: string): string => `employee-visits-${employeeId}`;

// ── Events ───────────────────────────────────────────────────────────────────
export type CustomerVisited = DomainEvent<
  'CustomerVisited',
  { visitId: string; employeeId: string; customerId: string; visitedOn: BusinessDate; outcome: string; recordedBy: string }
>;
export type VisitEvent = CustomerVisited;

// ── Commands ─────────────────────────────────────────────────────────────────
/** The visiting salesperson as the application reads it from their employee stream (ADR 0200); null when unknown. */
export type VisitingEmployeeFact = Readonly<{ employeeId: string; hiredOn: BusinessDate; leftOn: BusinessDate | null }> | null;

export type RecordCustomerVisit = Command<
  'RecordCustomerVisit',
  { visitId: string; employeeId: string; customerId: string; visitedOn: BusinessDate; outcome: string; employee: VisitingEmployeeFact }
>;
export type VisitCommand = RecordCustomerVisit;

// ── State ────────────────────────────────────────────────────────────────────
export type VisitsState = Readonly<{ employeeId: string | null; visitIds: readonly string[]; count: number }>;
export const initialVisitsState = (): VisitsState => ({ employeeId: null, visitIds: [], count: 0 });

// ── Decide ───────────────────────────────────────────────────────────────────
export const decideVisit = (command: VisitCommand, state: VisitsState): VisitEvent[] => {
  const { actor, today } = command.context;
  switch (command.type) {
    case 'RecordCustomerVisit': {
      const d = command.data;
      const employeeId = requireId(d.employeeId, 'employeeId', 'InvalidVisit');
      if (!isSelf(actor, employeeId) && !hasAnyRole(actor, 'sales_manager'))
        throw forbidden('NotOwnVisit', 'A salesperson records their own visits; a sales manager records anyone’s');
      const visitId = requireId(d.visitId, 'visitId', 'InvalidVisit');
      const customerId = requireId(d.customerId, 'customerId', 'InvalidVisit');
      const visitedOn = requireDate(d.visitedOn, 'visitedOn', 'InvalidVisit');
      const outcome = requireText(d.outcome, 'outcome', 'VisitOutcomeRequired');
      if (compareDates(visitedOn, today) > 0) throw ruleViolation('VisitDatedInFuture', 'A visit is recorded once it has taken place');
      if (!d.employee || d.employee.employeeId !== employeeId) throw notFound('EmployeeNotFound', `No salesperson ${employeeId}`);
      if (compareDates(visitedOn, d.employee.hiredOn) < 0 || (d.employee.leftOn !== null && compareDates(visitedOn, d.employee.leftOn) > 0))
        throw ruleViolation('VisitOutsideEmployment', `${employeeId} was not employed on ${visitedOn}`, { visitedOn });
      if (state.visitIds.includes(visitId)) throw conflict('VisitAlreadyRecorded', `Visit ${visitId} is already recorded`);
      return [{ type: 'CustomerVisited', data: { visitId, employeeId, customerId, visitedOn, outcome, recordedBy: actor.userId } }];
    }
    default:
      return assertNever(command.type);
  }
};

// ── Evolve ───────────────────────────────────────────────────────────────────
export const evolveVisits = (state: VisitsState, event: VisitEvent): VisitsState => {
  switch (event.type) {
    case 'CustomerVisited':
      return { employeeId: event.data.employeeId, visitIds: appended(state.visitIds, event.data.visitId), count: state.count + 1 };
    default:
      return assertNever(event.type);
  }
};

export const visitsDecider: Decider<VisitsState, VisitCommand, VisitEvent> = {
  decide: decideVisit,
  evolve: evolveVisits,
  initialState: initialVisitsState,
};
