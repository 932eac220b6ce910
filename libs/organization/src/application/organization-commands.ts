import { Inject } from '@nestjs/common';
import { CommandHandler } from '@nestjs/cqrs';
import { defineAggregate, EVENT_STORE, EventStore, route, RoutedCommand, RoutedCommandHandler } from '@salesline/core';
import { CommandInput } from '@salesline/shared-kernel';
import { EmployeeCommand, employeeDecider, employeeStreamName } from '../domain/employee';
import { RegionCommand, regionDecider, regionStreamName } from '../domain/region';
import { TeamCommand, teamDecider, teamStreamName } from '../domain/team';
import { TerritoryObjectionCommand, territoryObjectionDecider, territoryObjectionStreamName } from '../domain/territory-objection';
import { VisitCommand, employeeVisitsStreamName, visitsDecider } from '../domain/visits';
import { OrganizationFacts } from './organization-facts';

export type RegionRequest = CommandInput<RegionCommand, 'activeTeams'>;
export type TeamRequest = CommandInput<TeamCommand, 'region' | 'activeMembers'>;
export type EmployeeRequest = CommandInput<EmployeeCommand, 'team'>;
export type TerritoryObjectionRequest = CommandInput<TerritoryObjectionCommand, 'employee' | 'settings'>;
export type VisitRequest = CommandInput<VisitCommand, 'employee'>;

export const REGION = defineAggregate({
  streamName: regionStreamName,
  decider: regionDecider,
  notFound: { code: 'RegionNotFound', unless: ['EstablishRegion'] },
});
export const TEAM = defineAggregate({
  streamName: teamStreamName,
  decider: teamDecider,
  notFound: { code: 'TeamNotFound', unless: ['FormTeam'] },
});
export const EMPLOYEE = defineAggregate({
  streamName: employeeStreamName,
  decider: employeeDecider,
  notFound: { code: 'EmployeeNotFound', unless: ['HireSalesperson'] },
});
export const TERRITORY_OBJECTION = defineAggregate({
  streamName: territoryObjectionStreamName,
  decider: territoryObjectionDecider,
  notFound: { code: 'TerritoryObjectionNotFound', unless: ['RaiseTerritoryObjection', 'EscalateOverdueTerritoryObjection'] },
});
/** A salesperson's visits: one log per employee, started by the first visit. */
export const VISITS = defineAggregate({ streamName: employeeVisitsStreamName, decider: visitsDecider });

/** The organization's route table: each aggregate with the facts its commands read from the other streams. */
export const organizationRoutes = (facts: OrganizationFacts) => ({
  region: route(REGION, async (command: RegionRequest, _state, { id }) =>
    command.type === 'CloseRegion' ? { ...command, data: { ...command.data, activeTeams: await facts.activeTeams(id) } } : command,
  ),
  team: route(TEAM, async (command: TeamRequest, _state, { id }) => {
    if (command.type === 'FormTeam') return { ...command, data: { ...command.data, region: await facts.region(command.data.regionId) } };
    if (command.type === 'DisbandTeam') return { ...command, data: { ...command.data, activeMembers: await facts.activeMembers(id) } };
    return command;
  }),
  employee: route(EMPLOYEE, async (command: EmployeeRequest) => {
    if (command.type === 'HireSalesperson') return { ...command, data: { ...command.data, team: await facts.team(command.data.teamId) } };
    if (command.type === 'TransferSalesperson')
      return { ...command, data: { ...command.data, team: await facts.team(command.data.toTeamId) } };
    return command;
  }),
  'territory-objection': route(TERRITORY_OBJECTION, async (command: TerritoryObjectionRequest, _state, { request }) => {
    if (command.type === 'RaiseTerritoryObjection')
      return { ...command, data: { ...command.data, employee: await facts.objectingEmployee(command.data.employeeId, request.today) } };
    if (command.type === 'EscalateOverdueTerritoryObjection') return { ...command, data: { settings: await facts.organizationSettings() } };
    return command;
  }),
  visits: route(VISITS, async (command: VisitRequest) => ({
    ...command,
    data: { ...command.data, employee: await facts.visitingEmployee(command.data.employeeId) },
  })),
});
export type OrganizationRoutes = ReturnType<typeof organizationRoutes>;

/** One message on the CommandBus for every organization command (regions, teams, staff, objections, visits). */
export class ExecuteOrganizationCommand extends RoutedCommand<OrganizationRoutes> {}

@CommandHandler(ExecuteOrganizationCommand)
export class OrganizationCommandHandler extends RoutedCommandHandler<OrganizationRoutes> {
  constructor(@Inject(EVENT_STORE) events: EventStore, facts: OrganizationFacts) {
    super(events, organizationRoutes(facts));
  }
}
