import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { EVENT_STORE, EventStore, RequestContext, commandContextOf, executeCommand } from '@salesline/core';
import { CommandInput as WithoutFacts } from '@salesline/shared-kernel';
import { EmployeeCommand, employeeDecider, employeeStreamName } from '../domain/employee';
import { RegionCommand, regionDecider, regionStreamName } from '../domain/region';
import { TeamCommand, teamDecider, teamStreamName } from '../domain/team';
import { TerritoryObjectionCommand, territoryObjectionDecider, territoryObjectionStreamName } from '../domain/territory-objection';
import { VisitCommand, employeeVisitsStreamName, visitsDecider } from '../domain/visits';
import { OrganizationFacts } from './organization-facts';

export type OrganizationCommandResult = { id: string; position: number; replayed: boolean; events: readonly { type: string }[] };

export type RegionRequest = WithoutFacts<RegionCommand, 'activeTeams'>;
export type TeamRequest = WithoutFacts<TeamCommand, 'region' | 'activeMembers'>;
export type EmployeeRequest = WithoutFacts<EmployeeCommand, 'team'>;
export type TerritoryObjectionRequest = WithoutFacts<TerritoryObjectionCommand, 'employee' | 'settings'>;
export type VisitRequest = WithoutFacts<VisitCommand, 'employee'>;

export type OrganizationTarget =
  | { kind: 'region'; id: string; command: RegionRequest }
  | { kind: 'team'; id: string; command: TeamRequest }
  | { kind: 'employee'; id: string; command: EmployeeRequest }
  | { kind: 'territory-objection'; id: string; command: TerritoryObjectionRequest }
  | { kind: 'visits'; id: string; command: VisitRequest };

/** One message on the CommandBus for every organization command (regions, teams, staff, objections, visits). */
export class ExecuteOrganizationCommand extends Command<OrganizationCommandResult> {
  constructor(
    readonly target: OrganizationTarget,
    readonly request: RequestContext,
  ) {
    super();
  }
}

const NOT_FOUND: Record<string, string | undefined> = {
  EstablishRegion: undefined,
  FormTeam: undefined,
  HireSalesperson: undefined,
  RaiseTerritoryObjection: undefined,
  EscalateOverdueTerritoryObjection: undefined,
  RecordCustomerVisit: undefined,
};
const notFoundCode = (kind: OrganizationTarget['kind'], type: string): string | undefined =>
  type in NOT_FOUND
    ? undefined
    : (
        {
          region: 'RegionNotFound',
          team: 'TeamNotFound',
          employee: 'EmployeeNotFound',
          'territory-objection': 'TerritoryObjectionNotFound',
          visits: undefined,
        } as const
      )[kind];

@CommandHandler(ExecuteOrganizationCommand)
export class OrganizationCommandHandler implements ICommandHandler<ExecuteOrganizationCommand, OrganizationCommandResult> {
  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    private readonly facts: OrganizationFacts,
  ) {}

  async execute({ target, request }: ExecuteOrganizationCommand): Promise<OrganizationCommandResult> {
    const context = commandContextOf(request);
    const base = { request, notFoundCode: notFoundCode(target.kind, target.command.type) };
    const done = (r: { position: number; replayed: boolean; events: readonly { type: string }[] }) => ({
      id: target.id,
      position: r.position,
      replayed: r.replayed,
      events: r.events.map((e) => ({ type: e.type })),
    });
    switch (target.kind) {
      case 'region': {
        const cmd = target.command;
        return done(
          await executeCommand(this.events, {
            ...base,
            streamName: regionStreamName(target.id),
            decider: regionDecider,
            command: undefined as unknown as RegionCommand,
            prepare: async () =>
              ({
                ...cmd,
                data: cmd.type === 'CloseRegion' ? { ...cmd.data, activeTeams: await this.facts.activeTeams(target.id) } : cmd.data,
                context,
              }) as RegionCommand,
          }),
        );
      }
      case 'team': {
        const cmd = target.command;
        return done(
          await executeCommand(this.events, {
            ...base,
            streamName: teamStreamName(target.id),
            decider: teamDecider,
            command: undefined as unknown as TeamCommand,
            prepare: async () => {
              if (cmd.type === 'FormTeam')
                return { ...cmd, data: { ...cmd.data, region: await this.facts.region(cmd.data.regionId) }, context } as TeamCommand;
              if (cmd.type === 'DisbandTeam')
                return { ...cmd, data: { ...cmd.data, activeMembers: await this.facts.activeMembers(target.id) }, context } as TeamCommand;
              return { ...cmd, context } as TeamCommand;
            },
          }),
        );
      }
      case 'employee': {
        const cmd = target.command;
        return done(
          await executeCommand(this.events, {
            ...base,
            streamName: employeeStreamName(target.id),
            decider: employeeDecider,
            command: undefined as unknown as EmployeeCommand,
            prepare: async () => {
              if (cmd.type === 'HireSalesperson')
                return { ...cmd, data: { ...cmd.data, team: await this.facts.team(cmd.data.teamId) }, context } as EmployeeCommand;
              if (cmd.type === 'TransferSalesperson')
                return { ...cmd, data: { ...cmd.data, team: await this.facts.team(cmd.data.toTeamId) }, context } as EmployeeCommand;
              return { ...cmd, context } as EmployeeCommand;
            },
          }),
        );
      }
      case 'territory-objection': {
        const cmd = target.command;
        return done(
          await executeCommand(this.events, {
            ...base,
            streamName: territoryObjectionStreamName(target.id),
            decider: territoryObjectionDecider,
            command: undefined as unknown as TerritoryObjectionCommand,
            prepare: async () => {
              if (cmd.type === 'RaiseTerritoryObjection')
                return {
                  ...cmd,
                  data: { ...cmd.data, employee: await this.facts.objectingEmployee(cmd.data.employeeId, request.today) },
                  context,
                } as TerritoryObjectionCommand;
              if (cmd.type === 'EscalateOverdueTerritoryObjection')
                return { ...cmd, data: { settings: await this.facts.organizationSettings() }, context } as TerritoryObjectionCommand;
              return { ...cmd, context } as TerritoryObjectionCommand;
            },
          }),
        );
      }
      case 'visits': {
        const cmd = target.command;
        return done(
          await executeCommand(this.events, {
            ...base,
            streamName: employeeVisitsStreamName(target.id),
            decider: visitsDecider,
            command: undefined as unknown as VisitCommand,
            prepare: async () =>
              ({
                ...cmd,
                data: { ...cmd.data, employee: await this.facts.visitingEmployee(cmd.data.employeeId) },
                context,
              }) as VisitCommand,
          }),
        );
      }
    }
  }
}
