import { Projection } from '@salesline/core';
import { EmployeeEvent, EmployeeState, evolveEmployee, initialEmployeeState } from '../domain/employee';
import { RegionEvent, RegionState, evolveRegion, initialRegionState } from '../domain/region';
import { TeamEvent, TeamState, evolveTeam, initialTeamState } from '../domain/team';
import {
  TerritoryObjectionEvent,
  TerritoryObjectionState,
  evolveTerritoryObjection,
  initialTerritoryObjectionState,
} from '../domain/territory-objection';
import { CustomerVisited } from '../domain/visits';
import { StateDocMeta, stateProjection } from './state-projection';

type Known<S> = Exclude<S, { status: 'none' }>;
export type RegionDoc = Known<RegionState> & StateDocMeta;
export type TeamDoc = Known<TeamState> & StateDocMeta;
/** An employee with the dated team/region and territory history (ADR 0201). */
export type EmployeeDoc = Known<EmployeeState> & StateDocMeta;
export type TerritoryObjectionDoc = Known<TerritoryObjectionState> & StateDocMeta;

export const REGION_EVENT_TYPES: Record<RegionEvent['type'], true> = {
  RegionEstablished: true,
  RegionManagerChanged: true,
  BranchOpened: true,
  BranchClosed: true,
  AgentAppointed: true,
  AgentAppointmentEnded: true,
  RegionClosed: true,
};
export const TEAM_EVENT_TYPES: Record<TeamEvent['type'], true> = { TeamFormed: true, TeamManagerChanged: true, TeamDisbanded: true };
export const EMPLOYEE_EVENT_TYPES: Record<EmployeeEvent['type'], true> = {
  SalespersonHired: true,
  TerritoryAssigned: true,
  TerritoryUnassigned: true,
  SalespersonTransferred: true,
  SalespersonLeft: true,
};
export const TERRITORY_OBJECTION_EVENT_TYPES: Record<TerritoryObjectionEvent['type'], true> = {
  TerritoryObjectionRaised: true,
  TerritoryObjectionWithdrawn: true,
  TerritoryObjectionResolved: true,
  TerritoryDisputeEscalated: true,
  AdministrativeDecisionRecorded: true,
};

const field = (name: string) => (event: { data: unknown }) => (event.data as Record<string, string>)[name];

export const regionsProjection = stateProjection<RegionState, RegionEvent>({
  name: 'org_regions',
  collection: 'org_regions',
  handles: REGION_EVENT_TYPES,
  indexes: [{ fields: ['status'] }],
  idOf: field('regionId'),
  evolve: evolveRegion,
  initialState: initialRegionState,
}) as unknown as Projection<RegionDoc>;

export const teamsProjection = stateProjection<TeamState, TeamEvent>({
  name: 'org_teams',
  collection: 'org_teams',
  handles: TEAM_EVENT_TYPES,
  indexes: [{ fields: ['regionId'] }, { fields: ['status'] }],
  idOf: field('teamId'),
  evolve: evolveTeam,
  initialState: initialTeamState,
}) as unknown as Projection<TeamDoc>;

export const employeesProjection = stateProjection<EmployeeState, EmployeeEvent>({
  name: 'org_employees',
  collection: 'org_employees',
  handles: EMPLOYEE_EVENT_TYPES,
  indexes: [{ fields: ['teamId'] }, { fields: ['regionId'] }, { fields: ['status'] }],
  idOf: field('employeeId'),
  evolve: evolveEmployee,
  initialState: initialEmployeeState,
}) as unknown as Projection<EmployeeDoc>;

export const territoryObjectionsProjection = stateProjection<TerritoryObjectionState, TerritoryObjectionEvent>({
  name: 'org_territory_objections',
  collection: 'org_territory_objections',
  handles: TERRITORY_OBJECTION_EVENT_TYPES,
  indexes: [{ fields: ['status'] }, { fields: ['employeeId'] }, { fields: ['teamId'] }],
  idOf: field('objectionId'),
  evolve: evolveTerritoryObjection,
  initialState: initialTerritoryObjectionState,
}) as unknown as Projection<TerritoryObjectionDoc>;

/** One document per recorded visit (stream `employee-visits-<employeeId>`). */
export type CustomerVisitDoc = CustomerVisited['data'] & { id: string; recordedAt: string };

export const customerVisitsProjection: Projection<CustomerVisitDoc> = {
  name: 'org_customer_visits',
  collection: 'org_customer_visits',
  handles: ['CustomerVisited'],
  indexes: [{ fields: ['employeeId', 'visitedOn'] }, { fields: ['visitedOn'] }, { fields: ['customerId'] }],
  documentIds: (event) => [(event.data as CustomerVisited['data']).visitId],
  evolve: (doc, event) =>
    doc ?? {
      ...(event.data as CustomerVisited['data']),
      id: (event.data as CustomerVisited['data']).visitId,
      recordedAt: event.metadata.occurredAt,
    },
};
