/**
 * Team decider — stream `team-<teamId>`. A team belongs to one region for its whole life
 * (moving people between teams is a transfer; reorganizing a region is a new team).
 */
import type { BusinessDate, Command, Decider, DomainEvent } from '@salesline/shared-kernel';
import { assertNever, compareDates, conflict, notFound, ruleViolation } from '@salesline/shared-kernel';
import { requireDate, requireId, requireStatus, requireText } from '@salesline/shared-kernel';
import { assertMayManageOrganization } from './organization-policy';

export const teamStreamName = (teamId: string): string => `team-${teamId}`;

// ── Events ───────────────────────────────────────────────────────────────────
export type TeamFormed = DomainEvent<
  'TeamFormed',
  { teamId: string; regionId: string; name: string; managerId: string; formedOn: BusinessDate }
>;
export type TeamManagerChanged = DomainEvent<'TeamManagerChanged', { teamId: string; managerId: string; changedOn: BusinessDate }>;
export type TeamDisbanded = DomainEvent<'TeamDisbanded', { teamId: string; disbandedOn: BusinessDate }>;
export type TeamEvent = TeamFormed | TeamManagerChanged | TeamDisbanded;

// ── Commands ─────────────────────────────────────────────────────────────────
/** What the application knows about the region when forming a team (ADR 0200); null when it does not exist. */
export type RegionFact = Readonly<{ regionId: string; status: 'active' | 'closed'; establishedOn: BusinessDate }> | null;

export type FormTeam = Command<
  'FormTeam',
  { teamId: string; regionId: string; name: string; managerId: string; formedOn: BusinessDate; region: RegionFact }
>;
export type ChangeTeamManager = Command<'ChangeTeamManager', { managerId: string; changedOn: BusinessDate }>;
/** `activeMembers`: salespeople currently assigned to the team, read by the application (ADR 0200). */
export type DisbandTeam = Command<'DisbandTeam', { disbandedOn: BusinessDate; activeMembers: number }>;
export type TeamCommand = FormTeam | ChangeTeamManager | DisbandTeam;

// ── State ────────────────────────────────────────────────────────────────────
type TeamBody = Readonly<{ teamId: string; regionId: string; name: string; managerId: string; formedOn: BusinessDate }>;
export type TeamState =
  Readonly<{ status: 'none' }> | (TeamBody & { status: 'active' }) | (TeamBody & { status: 'disbanded'; disbandedOn: BusinessDate });

export const initialTeamState = (): TeamState => ({ status: 'none' });

const activeTeam = (state: TeamState) =>
  requireStatus(state, 'active', {
    none: () => notFound('TeamNotFound', 'The team has not been formed'),
    disbanded: (s) => conflict('TeamAlreadyDisbanded', 'The team has been disbanded', { disbandedOn: s.disbandedOn }),
  });

export const decideTeam = (command: TeamCommand, state: TeamState): TeamEvent[] => {
  assertMayManageOrganization(command.context.actor);
  switch (command.type) {
    case 'FormTeam': {
      if (state.status !== 'none') throw conflict('TeamAlreadyFormed', 'The team already exists');
      const d = command.data;
      const teamId = requireId(d.teamId, 'teamId', 'InvalidTeam');
      const regionId = requireId(d.regionId, 'regionId', 'InvalidTeam');
      const formedOn = requireDate(d.formedOn, 'formedOn', 'InvalidTeam');
      if (!d.region || d.region.regionId !== regionId) throw notFound('RegionNotFound', `Region ${regionId} does not exist`);
      if (d.region.status === 'closed') throw conflict('RegionAlreadyClosed', `Region ${regionId} is closed`);
      if (compareDates(formedOn, d.region.establishedOn) < 0)
        throw ruleViolation('DatePrecedesRegion', `A team cannot be formed before its region was established (${d.region.establishedOn})`);
      return [
        {
          type: 'TeamFormed',
          data: {
            teamId,
            regionId,
            name: requireText(d.name, 'name', 'InvalidTeam', 200),
            managerId: requireId(d.managerId, 'managerId', 'InvalidTeam'),
            formedOn,
          },
        },
      ];
    }
    case 'ChangeTeamManager': {
      const team = activeTeam(state);
      const managerId = requireId(command.data.managerId, 'managerId', 'InvalidTeam');
      const changedOn = requireDate(command.data.changedOn, 'changedOn', 'InvalidTeam');
      if (compareDates(changedOn, team.formedOn) < 0)
        throw ruleViolation('DatePrecedesTeam', 'The change cannot precede the team’s formation');
      if (managerId === team.managerId) return [];
      return [{ type: 'TeamManagerChanged', data: { teamId: team.teamId, managerId, changedOn } }];
    }
    case 'DisbandTeam': {
      const team = activeTeam(state);
      const disbandedOn = requireDate(command.data.disbandedOn, 'disbandedOn', 'InvalidTeam');
      if (command.data.activeMembers > 0)
        throw conflict('TeamHasMembers', 'Transfer the team’s salespeople before disbanding it', {
          activeMembers: command.data.activeMembers,
        });
      if (compareDates(disbandedOn, team.formedOn) < 0)
        throw ruleViolation('DatePrecedesTeam', 'A team cannot be disbanded before it was formed');
      return [{ type: 'TeamDisbanded', data: { teamId: team.teamId, disbandedOn } }];
    }
    default:
      return assertNever(command);
  }
};

export const evolveTeam = (state: TeamState, event: TeamEvent): TeamState => {
  switch (event.type) {
    case 'TeamFormed':
      return { status: 'active', ...event.data };
    case 'TeamManagerChanged':
      return state.status === 'none' ? state : { ...state, managerId: event.data.managerId };
    case 'TeamDisbanded':
      return state.status === 'none' ? state : { ...state, status: 'disbanded', disbandedOn: event.data.disbandedOn };
    default:
      return assertNever(event);
  }
};

export const teamDecider: Decider<TeamState, TeamCommand, TeamEvent> = {
  decide: decideTeam,
  evolve: evolveTeam,
  initialState: initialTeamState,
};
