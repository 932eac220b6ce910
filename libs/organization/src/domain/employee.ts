/**
 * Employee (salesperson) decider — stream `employee-<employeeId>`.
 * Keeps the dated assignment and territory history so a sale can be credited to
 * the organization as it stood on the day of the sale (ADR 0201).
 */
import type { BusinessDate, Command, Decider, DomainEvent } from '@salesline/shared-kernel';
import { addDays, assertNever, compareDates, conflict, notFound, ruleViolation, appended } from '@salesline/shared-kernel';
import { AssignmentInterval, TerritoryInterval, closeOpen, currentAssignment, openTerritories } from './assignment-history';
import { requireDate, requireId, requireStatus, requireText } from '@salesline/shared-kernel';
import { assertMayManageStaff } from './organization-policy';

export const employeeStreamName = (employeeId: string): string => `employee-${employeeId}`;

// ── Events ───────────────────────────────────────────────────────────────────
export type SalespersonHired = DomainEvent<
  'SalespersonHired',
  { employeeId: string; name: string; teamId: string; regionId: string; hiredOn: BusinessDate; managerId: string }
>;
export type TerritoryAssigned = DomainEvent<'TerritoryAssigned', { employeeId: string; territory: string; assignedOn: BusinessDate }>;
/** `unassignedOn` is the first day the salesperson no longer works the territory. */
export type TerritoryUnassigned = DomainEvent<'TerritoryUnassigned', { employeeId: string; territory: string; unassignedOn: BusinessDate }>;
/** `effectiveOn` is the first day in the new team. */
export type SalespersonTransferred = DomainEvent<
  'SalespersonTransferred',
  {
    employeeId: string;
    fromTeamId: string;
    fromRegionId: string;
    toTeamId: string;
    toRegionId: string;
    toManagerId: string;
    effectiveOn: BusinessDate;
  }
>;
/** `leftOn` is the last working day. */
export type SalespersonLeft = DomainEvent<'SalespersonLeft', { employeeId: string; leftOn: BusinessDate; reason: string }>;

export type EmployeeEvent = SalespersonHired | TerritoryAssigned | TerritoryUnassigned | SalespersonTransferred | SalespersonLeft;

// ── Commands ─────────────────────────────────────────────────────────────────
/** What the application knows about the target team (ADR 0200); null when it does not exist. */
export type TeamFact = Readonly<{ teamId: string; regionId: string; managerId: string; status: 'active' | 'disbanded' }> | null;

export type HireSalesperson = Command<
  'HireSalesperson',
  { employeeId: string; name: string; teamId: string; hiredOn: BusinessDate; team: TeamFact }
>;
export type AssignTerritory = Command<'AssignTerritory', { territory: string; assignedOn: BusinessDate }>;
export type UnassignTerritory = Command<'UnassignTerritory', { territory: string; unassignedOn: BusinessDate }>;
export type TransferSalesperson = Command<'TransferSalesperson', { toTeamId: string; effectiveOn: BusinessDate; team: TeamFact }>;
export type RecordSalespersonLeft = Command<'RecordSalespersonLeft', { leftOn: BusinessDate; reason: string }>;

export type EmployeeCommand = HireSalesperson | AssignTerritory | UnassignTerritory | TransferSalesperson | RecordSalespersonLeft;

// ── State ────────────────────────────────────────────────────────────────────
type EmployeeBody = Readonly<{
  employeeId: string;
  name: string;
  hiredOn: BusinessDate;
  /** Every team/region interval, oldest first, across re-hires. */
  history: readonly AssignmentInterval[];
  /** Every territory interval, oldest first. */
  territories: readonly TerritoryInterval[];
}>;
export type EmployeeState =
  | Readonly<{ status: 'none' }>
  | (EmployeeBody & { status: 'active'; teamId: string; regionId: string; managerId: string })
  | (EmployeeBody & { status: 'left'; leftOn: BusinessDate });

export const initialEmployeeState = (): EmployeeState => ({ status: 'none' });

// ── Decide ───────────────────────────────────────────────────────────────────
type Active = Extract<EmployeeState, { status: 'active' }>;

const activeEmployee = (state: EmployeeState): Active =>
  requireStatus(state, 'active', {
    none: () => notFound('EmployeeNotFound', 'No such salesperson'),
    left: (s) => conflict('EmployeeHasLeft', 'The salesperson has left the company', { leftOn: s.leftOn }),
  });

const requireActiveTeam = (team: TeamFact, teamId: string): NonNullable<TeamFact> => {
  if (!team || team.teamId !== teamId) throw notFound('TeamNotFound', `Team ${teamId} does not exist`);
  if (team.status === 'disbanded') throw conflict('TeamAlreadyDisbanded', `Team ${teamId} has been disbanded`);
  return team;
};

/** The latest date anything is known about the current assignment (transfers and leaving cannot precede it). */
const currentSince = (employee: Active): BusinessDate => {
  const dates = [currentAssignment(employee.history)!.from, ...openTerritories(employee.territories).map((t) => t.from)];
  return dates.sort(compareDates).at(-1)!;
};

export const decideEmployee = (command: EmployeeCommand, state: EmployeeState): EmployeeEvent[] => {
  assertMayManageStaff(command.context.actor);
  switch (command.type) {
    case 'HireSalesperson': {
      const d = command.data;
      if (state.status === 'active') throw conflict('EmployeeAlreadyHired', 'The salesperson is already employed');
      const employeeId = requireId(d.employeeId, 'employeeId', 'InvalidEmployee');
      const hiredOn = requireDate(d.hiredOn, 'hiredOn', 'InvalidEmployee');
      if (state.status === 'left') {
        if (state.employeeId !== employeeId) throw conflict('EmployeeIdMismatch', 'The command addresses another employee');
        if (compareDates(hiredOn, state.leftOn) <= 0)
          throw ruleViolation('RehirePredatesLeaving', `A re-hire must come after the last working day (${state.leftOn})`);
      }
      const team = requireActiveTeam(d.team, requireId(d.teamId, 'teamId', 'InvalidEmployee'));
      return [
        {
          type: 'SalespersonHired',
          data: {
            employeeId,
            name: requireText(d.name, 'name', 'InvalidEmployee', 200),
            teamId: team.teamId,
            regionId: team.regionId,
            hiredOn,
            managerId: team.managerId,
          },
        },
      ];
    }
    case 'AssignTerritory': {
      const employee = activeEmployee(state);
      const territory = requireId(command.data.territory, 'territory', 'InvalidTerritory');
      const assignedOn = requireDate(command.data.assignedOn, 'assignedOn', 'InvalidTerritory');
      if (openTerritories(employee.territories).some((t) => t.territory === territory))
        throw conflict('TerritoryAlreadyAssigned', `Territory ${territory} is already assigned to this salesperson`);
      const since = currentAssignment(employee.history)!.from;
      if (compareDates(assignedOn, since) < 0)
        throw ruleViolation('DatePrecedesAssignment', `The territory cannot be assigned before the current assignment started (${since})`);
      return [{ type: 'TerritoryAssigned', data: { employeeId: employee.employeeId, territory, assignedOn } }];
    }
    case 'UnassignTerritory': {
      const employee = activeEmployee(state);
      const open = openTerritories(employee.territories).find((t) => t.territory === command.data.territory);
      if (!open) throw conflict('TerritoryNotAssigned', `Territory ${command.data.territory} is not assigned to this salesperson`);
      const unassignedOn = requireDate(command.data.unassignedOn, 'unassignedOn', 'InvalidTerritory');
      if (compareDates(unassignedOn, open.from) <= 0)
        throw ruleViolation(
          'DatePrecedesAssignment',
          `The territory was assigned on ${open.from}; it can be unassigned from the next day on`,
        );
      return [{ type: 'TerritoryUnassigned', data: { employeeId: employee.employeeId, territory: open.territory, unassignedOn } }];
    }
    case 'TransferSalesperson': {
      const employee = activeEmployee(state);
      const effectiveOn = requireDate(command.data.effectiveOn, 'effectiveOn', 'InvalidTransfer');
      const team = requireActiveTeam(command.data.team, command.data.toTeamId);
      if (team.teamId === employee.teamId) throw ruleViolation('TransferToSameTeam', 'The salesperson already belongs to this team');
      const since = currentSince(employee);
      if (compareDates(effectiveOn, since) <= 0)
        throw ruleViolation(
          'TransferPredatesAssignment',
          `A transfer must take effect after ${since}, when the current assignment was last changed`,
          { since },
        );
      // Territories belong to a region: a move to another region releases them the day the transfer takes effect (ADR 0201).
      const released: EmployeeEvent[] =
        team.regionId === employee.regionId
          ? []
          : openTerritories(employee.territories).map((t) => ({
              type: 'TerritoryUnassigned',
              data: { employeeId: employee.employeeId, territory: t.territory, unassignedOn: effectiveOn },
            }));
      return [
        ...released,
        {
          type: 'SalespersonTransferred',
          data: {
            employeeId: employee.employeeId,
            fromTeamId: employee.teamId,
            fromRegionId: employee.regionId,
            toTeamId: team.teamId,
            toRegionId: team.regionId,
            toManagerId: team.managerId,
            effectiveOn,
          },
        },
      ];
    }
    case 'RecordSalespersonLeft': {
      const employee = activeEmployee(state);
      const leftOn = requireDate(command.data.leftOn, 'leftOn', 'InvalidLeaving');
      const since = currentAssignment(employee.history)!.from;
      if (compareDates(leftOn, since) < 0)
        throw ruleViolation('LeavingPredatesAssignment', `The last working day cannot precede the current assignment (${since})`, {
          since,
        });
      return [
        {
          type: 'SalespersonLeft',
          data: { employeeId: employee.employeeId, leftOn, reason: requireText(command.data.reason, 'reason', 'InvalidLeaving') },
        },
      ];
    }
    default:
      return assertNever(command);
  }
};

// ── Evolve ───────────────────────────────────────────────────────────────────
export const evolveEmployee = (state: EmployeeState, event: EmployeeEvent): EmployeeState => {
  switch (event.type) {
    case 'SalespersonHired': {
      const { employeeId, name, teamId, regionId, managerId, hiredOn } = event.data;
      const interval: AssignmentInterval = { teamId, regionId, managerId, from: hiredOn, until: null };
      const history = state.status === 'none' ? [] : state.history;
      const territories = state.status === 'none' ? [] : state.territories;
      return {
        status: 'active',
        employeeId,
        name,
        hiredOn,
        teamId,
        regionId,
        managerId,
        history: appended(history, interval),
        territories,
      };
    }
    case 'TerritoryAssigned':
      return state.status === 'active'
        ? {
            ...state,
            territories: appended(state.territories, { territory: event.data.territory, from: event.data.assignedOn, until: null }),
          }
        : state;
    case 'TerritoryUnassigned':
      return state.status === 'active'
        ? {
            ...state,
            territories: state.territories.map((t) =>
              t.territory === event.data.territory && t.until === null ? { ...t, until: event.data.unassignedOn } : t,
            ),
          }
        : state;
    case 'SalespersonTransferred': {
      if (state.status !== 'active') return state;
      const { toTeamId, toRegionId, toManagerId, effectiveOn } = event.data;
      const next: AssignmentInterval = { teamId: toTeamId, regionId: toRegionId, managerId: toManagerId, from: effectiveOn, until: null };
      return {
        ...state,
        teamId: toTeamId,
        regionId: toRegionId,
        managerId: toManagerId,
        history: appended(closeOpen(state.history, effectiveOn), next),
      };
    }
    case 'SalespersonLeft': {
      if (state.status !== 'active') return state;
      const { teamId: _t, regionId: _r, managerId: _m, ...rest } = state;
      const until = addDays(event.data.leftOn, 1);
      return {
        ...rest,
        status: 'left',
        leftOn: event.data.leftOn,
        history: closeOpen(state.history, until),
        territories: closeOpen(state.territories, until),
      };
    }
    default:
      return assertNever(event);
  }
};

export const employeeDecider: Decider<EmployeeState, EmployeeCommand, EmployeeEvent> = {
  decide: decideEmployee,
  evolve: evolveEmployee,
  initialState: initialEmployeeState,
};
