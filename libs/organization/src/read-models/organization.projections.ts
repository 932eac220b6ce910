import { defineProjection, StateDoc, stateProjection, writtenBy } from '@salesline/core';
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
  documentation: {
    document: 'RegionDoc',
    context: 'organization',
    summary: 'One document per region: branches, agents, manager, status.',
    meanings: {
      id: 'The region id.',
      status: '`active` or `closed`.',
      regionId: 'The region id.',
      name: 'Region name.',
      managerId: 'The region manager (employee or user id).',
      branches: 'Branches by id, with their opening and closing dates.',
      agents: 'Sales agents by id, with their appointment dates.',
    },
    sources: {
      ...writtenBy(['RegionEstablished'], ['id', 'regionId', 'name', 'establishedOn']),
      status: ['RegionEstablished', 'RegionClosed'],
      managerId: ['RegionEstablished', 'RegionManagerChanged'],
      branches: ['RegionEstablished', 'BranchOpened', 'BranchClosed'],
      agents: ['RegionEstablished', 'AgentAppointed', 'AgentAppointmentEnded'],
      closedOn: ['RegionClosed'],
    },
  },
  handles: REGION_EVENT_TYPES,
  indexes: [{ fields: ['status'] }],
  documentId: (event) => event.data.regionId,
  evolve: evolveRegion,
  initialState: initialRegionState,
});

export const teamsProjection = stateProjection<TeamEvent>()({
  name: 'org_teams',
  collection: 'org_teams',
  documentation: {
    document: 'TeamDoc',
    context: 'organization',
    summary: 'One document per team: region, manager, status.',
    meanings: {
      id: 'The team id.',
      status: '`active` or `disbanded`.',
      teamId: 'The team id.',
      regionId: 'The region the team belongs to.',
      name: 'Team name.',
      managerId: 'The team manager.',
    },
    sources: {
      ...writtenBy(['TeamFormed'], ['id', 'teamId', 'regionId', 'name', 'formedOn']),
      status: ['TeamFormed', 'TeamDisbanded'],
      managerId: ['TeamFormed', 'TeamManagerChanged'],
      disbandedOn: ['TeamDisbanded'],
    },
  },
  handles: TEAM_EVENT_TYPES,
  indexes: [{ fields: ['regionId'] }, { fields: ['status'] }],
  documentId: (event) => event.data.teamId,
  evolve: evolveTeam,
  initialState: initialTeamState,
});

export const employeesProjection = stateProjection<EmployeeEvent>()({
  name: 'org_employees',
  collection: 'org_employees',
  documentation: {
    document: 'EmployeeDoc',
    context: 'organization',
    summary: 'One document per salesperson: team, region, territories and the assignment history. Serves `GET /api/employees/{id}`.',
    meanings: {
      id: 'The employee id.',
      status: '`active` while employed, `left` after SalespersonLeft.',
      teamId: 'Current team.',
      regionId: 'Current region.',
      managerId: 'Current manager (the team manager).',
      employeeId: 'The employee id.',
      name: 'Full name.',
      'history[].teamId': 'Team of the interval.',
      'history[].regionId': 'Region of the interval.',
      'history[].managerId': 'Manager of the interval.',
      'history[].until': 'Last day of the interval (null: current).',
      'territories[].territory': 'Territory held.',
      'territories[].until': 'Last day it was held (null: still held).',
    },
    sources: {
      ...writtenBy(['SalespersonHired'], ['id', 'employeeId', 'name', 'hiredOn']),
      status: ['SalespersonHired', 'SalespersonLeft'],
      ...writtenBy(['SalespersonHired', 'SalespersonTransferred'], ['teamId', 'regionId', 'managerId']),
      ...writtenBy(
        ['SalespersonHired', 'SalespersonTransferred', 'SalespersonLeft'],
        ['history', 'history[].teamId', 'history[].regionId', 'history[].managerId', 'history[].from', 'history[].until'],
      ),
      territories: ['SalespersonHired', 'TerritoryAssigned', 'TerritoryUnassigned', 'SalespersonLeft'],
      ...writtenBy(
        ['TerritoryAssigned', 'TerritoryUnassigned', 'SalespersonLeft'],
        ['territories[].territory', 'territories[].from', 'territories[].until'],
      ),
      leftOn: ['SalespersonLeft'],
    },
  },
  handles: EMPLOYEE_EVENT_TYPES,
  indexes: [{ fields: ['teamId'] }, { fields: ['regionId'] }, { fields: ['status'] }],
  documentId: (event) => event.data.employeeId,
  evolve: evolveEmployee,
  initialState: initialEmployeeState,
});

export const territoryObjectionsProjection = stateProjection<TerritoryObjectionEvent>()({
  name: 'org_territory_objections',
  collection: 'org_territory_objections',
  documentation: {
    document: 'TerritoryObjectionDoc',
    context: 'organization',
    summary: 'One document per territory objection: parties, status, escalation and decision.',
    meanings: {
      id: 'The objection id.',
      status: '`open`, `withdrawn`, `resolved`, `escalated` or `decided`.',
      objectionId: 'The objection id.',
      employeeId: 'The salesperson objecting.',
      teamId: 'Their team when they objected.',
      territory: 'The territory objected to.',
      reason: 'Why they object.',
      resolution: "The manager's resolution, when resolved.",
      'resolution.objectionId': 'The objection id.',
      'resolution.resolvedBy': 'Manager who resolved it.',
      'resolution.decision': "The manager's decision.",
      'resolution.note': 'Note with the decision.',
      administrativeDecision: "The administration's decision after escalation.",
      'administrativeDecision.objectionId': 'The objection id.',
      'administrativeDecision.decidedBy': 'Who decided.',
      'administrativeDecision.decision': 'The decision.',
      'administrativeDecision.note': 'Note with the decision.',
    },
    sources: {
      id: [
        'TerritoryObjectionRaised',
        'TerritoryObjectionWithdrawn',
        'TerritoryObjectionResolved',
        'TerritoryDisputeEscalated',
        'AdministrativeDecisionRecorded',
      ],
      status: [
        'TerritoryObjectionRaised',
        'TerritoryObjectionWithdrawn',
        'TerritoryObjectionResolved',
        'TerritoryDisputeEscalated',
        'AdministrativeDecisionRecorded',
      ],
      ...writtenBy(['TerritoryObjectionRaised'], ['objectionId', 'employeeId', 'teamId', 'territory', 'reason', 'raisedOn']),
      withdrawnOn: ['TerritoryObjectionWithdrawn'],
      ...writtenBy(
        ['TerritoryObjectionResolved'],
        [
          'resolution',
          'resolution.objectionId',
          'resolution.resolvedBy',
          'resolution.decision',
          'resolution.note',
          'resolution.resolvedOn',
        ],
      ),
      escalatedOn: ['TerritoryDisputeEscalated'],
      ...writtenBy(
        ['AdministrativeDecisionRecorded'],
        [
          'administrativeDecision',
          'administrativeDecision.objectionId',
          'administrativeDecision.decidedBy',
          'administrativeDecision.decision',
          'administrativeDecision.note',
          'administrativeDecision.decidedOn',
        ],
      ),
    },
  },
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
  documentation: {
    document: 'CustomerVisitDoc',
    context: 'organization',
    summary: 'One document per recorded customer visit.',
    meanings: {
      id: 'The visit id.',
      recordedAt: 'When the visit was recorded (ISO instant).',
      visitId: 'The visit id.',
      employeeId: 'The salesperson who visited.',
      customerId: 'The customer visited.',
      outcome: 'What came of the visit, as the salesperson wrote it.',
      recordedBy: 'The user who recorded it.',
    },
    sources: {
      ...writtenBy(['CustomerVisited'], ['id', 'recordedAt', 'visitId', 'employeeId', 'customerId', 'visitedOn', 'outcome', 'recordedBy']),
    },
  },
  handles: ['CustomerVisited'],
  indexes: [{ fields: ['employeeId', 'visitedOn'] }, { fields: ['visitedOn'] }, { fields: ['customerId'] }],
  documentIds: (event) => [event.data.visitId],
  evolve: (doc: CustomerVisitDoc | null, event) => doc ?? { ...event.data, id: event.data.visitId, recordedAt: event.metadata.occurredAt },
});
