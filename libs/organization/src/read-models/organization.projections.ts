import { defineProjection, StateDoc, stateProjection } from '@salesline/core';
import { everyEventType } from '@salesline/shared-kernel';
import { EmployeeEvent, EmployeeState, evolveEmployee, initialEmployeeState } from '../domain/employee';
import { RegionEvent, RegionState, evolveRegion, initialRegionState } from '../domain/region';
import { TeamEvent, TeamState, evolveTeam, initialTeamState } from '../domain/team';
import { TerritoryObjectionEvent, TerritoryObjectionState } from '../domain/territory-objection';
import { evolveTerritoryObjection, initialTerritoryObjectionState } from '../domain/territory-objection';
import { CustomerVisited } from '../domain/visits';

export type RegionDoc = StateDoc<RegionState>;
export type TeamDoc = StateDoc<TeamState>;
/** An employee with the dated team/region and territory history (ADR 0201). */
export type EmployeeDoc = StateDoc<EmployeeState>;
export type TerritoryObjectionDoc = StateDoc<TerritoryObjectionState>;

export const REGION_EVENT_TYPES = everyEventType<RegionEvent>()([
  'RegionEstablished',
  'RegionManagerChanged',
  'BranchOpened',
  'BranchClosed',
  'AgentAppointed',
  'AgentAppointmentEnded',
  'RegionClosed',
]);
export const TEAM_EVENT_TYPES = everyEventType<TeamEvent>()(['TeamFormed', 'TeamManagerChanged', 'TeamDisbanded']);
export const EMPLOYEE_EVENT_TYPES = everyEventType<EmployeeEvent>()([
  'SalespersonHired',
  'TerritoryAssigned',
  'TerritoryUnassigned',
  'SalespersonTransferred',
  'SalespersonLeft',
]);
export const TERRITORY_OBJECTION_EVENT_TYPES = everyEventType<TerritoryObjectionEvent>()([
  'TerritoryObjectionRaised',
  'TerritoryObjectionWithdrawn',
  'TerritoryObjectionResolved',
  'TerritoryDisputeEscalated',
  'AdministrativeDecisionRecorded',
]);

export const regionsProjection = stateProjection<RegionEvent>()({
  name: 'org_regions',
  collection: 'org_regions',
  handles: REGION_EVENT_TYPES,
  indexes: [{ fields: ['status'] }],
  documentId: (event) => event.data.regionId,
  evolve: evolveRegion,
  initialState: initialRegionState,
});

export const teamsProjection = stateProjection<TeamEvent>()({
  name: 'org_teams',
  collection: 'org_teams',
  handles: TEAM_EVENT_TYPES,
  indexes: [{ fields: ['regionId'] }, { fields: ['status'] }],
  documentId: (event) => event.data.teamId,
  evolve: evolveTeam,
  initialState: initialTeamState,
});

export const employeesProjection = stateProjection<EmployeeEvent>()({
  name: 'org_employees',
  collection: 'org_employees',
  handles: EMPLOYEE_EVENT_TYPES,
  indexes: [{ fields: ['teamId'] }, { fields: ['regionId'] }, { fields: ['status'] }],
  documentId: (event) => event.data.employeeId,
  evolve: evolveEmployee,
  initialState: initialEmployeeState,
});

export const territoryObjectionsProjection = stateProjection<TerritoryObjectionEvent>()({
  name: 'org_territory_objections',
  collection: 'org_territory_objections',
  handles: TERRITORY_OBJECTION_EVENT_TYPES,
  indexes: [{ fields: ['status'] }, { fields: ['employeeId'] }, { fields: ['teamId'] }],
  documentId: (event) => event.data.objectionId,
  evolve: evolveTerritoryObjection,
  initialState: initialTerritoryObjectionState,
});

/** One document per recorded visit (stream `employee-visits-<employeeId>`). */
export type CustomerVisitDoc = CustomerVisited['data'] & { id: string; recordedAt: string };

export const customerVisitsProjection = defineProjection<CustomerVisited>()({
  name: 'org_customer_visits',
  collection: 'org_customer_visits',
  handles: ['CustomerVisited'],
  indexes: [{ fields: ['employeeId', 'visitedOn'] }, { fields: ['visitedOn'] }, { fields: ['customerId'] }],
  documentIds: (event) => [event.data.visitId],
  evolve: (doc: CustomerVisitDoc | null, event) => doc ?? { ...event.data, id: event.data.visitId, recordedAt: event.metadata.occurredAt },
});
