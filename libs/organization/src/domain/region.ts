/**
 * Region (sales area) decider — stream `region-<regionId>`.
 * A region sells through its teams, and optionally through branches and agents.
 */
import type { BasisPoints, BusinessDate, Command, Decider, DomainEvent } from '@salesline/shared-kernel';
import { assertNever, compareDates, conflict, notFound, ruleViolation, withEntry } from '@salesline/shared-kernel';
import { requireDate, requireId, requireStatus, requireText } from '@salesline/shared-kernel';
import { assertMayManageOrganization } from './organization-policy';

export const regionStreamName = (regionId: string): string => `region-${regionId}`;

// ── Events ───────────────────────────────────────────────────────────────────
export type RegionEstablished = DomainEvent<
  'RegionEstablished',
  { regionId: string; name: string; managerId: string | null; establishedOn: BusinessDate }
>;
export type RegionManagerChanged = DomainEvent<'RegionManagerChanged', { regionId: string; managerId: string; changedOn: BusinessDate }>;
export type BranchOpened = DomainEvent<
  'BranchOpened',
  { regionId: string; branchId: string; name: string; city: string; openedOn: BusinessDate }
>;
export type BranchClosed = DomainEvent<'BranchClosed', { regionId: string; branchId: string; closedOn: BusinessDate }>;
export type AgentAppointed = DomainEvent<
  'AgentAppointed',
  { regionId: string; agentId: string; name: string; commissionBp: BasisPoints; appointedOn: BusinessDate }
>;
export type AgentAppointmentEnded = DomainEvent<
  'AgentAppointmentEnded',
  { regionId: string; agentId: string; endedOn: BusinessDate; reason: string }
>;
export type RegionClosed = DomainEvent<'RegionClosed', { regionId: string; closedOn: BusinessDate }>;

export type RegionEvent =
  RegionEstablished | RegionManagerChanged | BranchOpened | BranchClosed | AgentAppointed | AgentAppointmentEnded | RegionClosed;

// ── Commands ─────────────────────────────────────────────────────────────────
export type EstablishRegion = Command<
  'EstablishRegion',
  { regionId: string; name: string; managerId: string | null; establishedOn: BusinessDate }
>;
export type ChangeRegionManager = Command<'ChangeRegionManager', { managerId: string; changedOn: BusinessDate }>;
export type OpenBranch = Command<'OpenBranch', { branchId: string; name: string; city: string; openedOn: BusinessDate }>;
export type CloseBranch = Command<'CloseBranch', { branchId: string; closedOn: BusinessDate }>;
export type AppointAgent = Command<'AppointAgent', { agentId: string; name: string; commissionBp: BasisPoints; appointedOn: BusinessDate }>;
export type EndAgentAppointment = Command<'EndAgentAppointment', { agentId: string; endedOn: BusinessDate; reason: string }>;
/** `activeTeams`: a fact the application reads from the team read model just before deciding (ADR 0200). */
export type CloseRegion = Command<'CloseRegion', { closedOn: BusinessDate; activeTeams: number }>;

export type RegionCommand =
  EstablishRegion | ChangeRegionManager | OpenBranch | CloseBranch | AppointAgent | EndAgentAppointment | CloseRegion;

// ── State ────────────────────────────────────────────────────────────────────
export type Branch = Readonly<{ branchId: string; name: string; city: string; openedOn: BusinessDate; closedOn: BusinessDate | null }>;
export type Agent = Readonly<{
  agentId: string;
  name: string;
  commissionBp: BasisPoints;
  appointedOn: BusinessDate;
  endedOn: BusinessDate | null;
}>;
type RegionBody = Readonly<{
  regionId: string;
  name: string;
  managerId: string | null;
  establishedOn: BusinessDate;
  branches: Readonly<Record<string, Branch>>;
  agents: Readonly<Record<string, Agent>>;
}>;
export type RegionState =
  Readonly<{ status: 'none' }> | (RegionBody & { status: 'active' }) | (RegionBody & { status: 'closed'; closedOn: BusinessDate });

export const initialRegionState = (): RegionState => ({ status: 'none' });

// ── Decide ───────────────────────────────────────────────────────────────────
const activeRegion = (state: RegionState) =>
  requireStatus(state, 'active', {
    none: () => notFound('RegionNotFound', 'The region has not been established'),
    closed: (s) => conflict('RegionAlreadyClosed', 'The region is closed', { closedOn: s.closedOn }),
  });

const notBefore = (date: BusinessDate, earliest: BusinessDate, code: string, what: string): void => {
  if (compareDates(date, earliest) < 0) throw ruleViolation(code, `${what} (${date}) cannot precede ${earliest}`, { date, earliest });
};

export const decideRegion = (command: RegionCommand, state: RegionState): RegionEvent[] => {
  assertMayManageOrganization(command.context.actor);
  switch (command.type) {
    case 'EstablishRegion': {
      if (state.status !== 'none') throw conflict('RegionAlreadyEstablished', 'The region already exists');
      const d = command.data;
      return [
        {
          type: 'RegionEstablished',
          data: {
            regionId: requireId(d.regionId, 'regionId', 'InvalidRegion'),
            name: requireText(d.name, 'name', 'InvalidRegion', 200),
            managerId: d.managerId === null ? null : requireId(d.managerId, 'managerId', 'InvalidRegion'),
            establishedOn: requireDate(d.establishedOn, 'establishedOn', 'InvalidRegion'),
          },
        },
      ];
    }
    case 'ChangeRegionManager': {
      const region = activeRegion(state);
      const managerId = requireId(command.data.managerId, 'managerId', 'InvalidRegion');
      const changedOn = requireDate(command.data.changedOn, 'changedOn', 'InvalidRegion');
      notBefore(changedOn, region.establishedOn, 'DatePrecedesRegion', 'The change');
      if (managerId === region.managerId) return [];
      return [{ type: 'RegionManagerChanged', data: { regionId: region.regionId, managerId, changedOn } }];
    }
    case 'OpenBranch': {
      const region = activeRegion(state);
      const d = command.data;
      const branchId = requireId(d.branchId, 'branchId', 'InvalidBranch');
      const openedOn = requireDate(d.openedOn, 'openedOn', 'InvalidBranch');
      if (region.branches[branchId]) throw conflict('BranchAlreadyOpened', `Branch ${branchId} already exists in this region`);
      notBefore(openedOn, region.establishedOn, 'DatePrecedesRegion', 'The branch opening');
      return [
        {
          type: 'BranchOpened',
          data: {
            regionId: region.regionId,
            branchId,
            name: requireText(d.name, 'name', 'InvalidBranch', 200),
            city: requireText(d.city, 'city', 'InvalidBranch', 200),
            openedOn,
          },
        },
      ];
    }
    case 'CloseBranch': {
      const region = activeRegion(state);
      const branch = region.branches[command.data.branchId];
      if (!branch) throw notFound('BranchNotFound', `Branch ${command.data.branchId} does not exist in this region`);
      if (branch.closedOn !== null) throw conflict('BranchAlreadyClosed', `Branch ${branch.branchId} is already closed`);
      const closedOn = requireDate(command.data.closedOn, 'closedOn', 'InvalidBranch');
      notBefore(closedOn, branch.openedOn, 'ClosingPrecedesOpening', 'The branch closing');
      return [{ type: 'BranchClosed', data: { regionId: region.regionId, branchId: branch.branchId, closedOn } }];
    }
    case 'AppointAgent': {
      const region = activeRegion(state);
      const d = command.data;
      const agentId = requireId(d.agentId, 'agentId', 'InvalidAgent');
      const appointedOn = requireDate(d.appointedOn, 'appointedOn', 'InvalidAgent');
      const current = region.agents[agentId];
      if (current && current.endedOn === null) throw conflict('AgentAlreadyAppointed', `Agent ${agentId} is already appointed`);
      if (!Number.isInteger(d.commissionBp) || d.commissionBp < 0 || d.commissionBp > 10_000)
        throw ruleViolation('InvalidCommission', 'commissionBp must be an integer between 0 and 10000');
      notBefore(appointedOn, region.establishedOn, 'DatePrecedesRegion', 'The appointment');
      if (current?.endedOn) notBefore(appointedOn, current.endedOn, 'DatePrecedesRegion', 'The re-appointment');
      return [
        {
          type: 'AgentAppointed',
          data: {
            regionId: region.regionId,
            agentId,
            name: requireText(d.name, 'name', 'InvalidAgent', 200),
            commissionBp: d.commissionBp,
            appointedOn,
          },
        },
      ];
    }
    case 'EndAgentAppointment': {
      const region = activeRegion(state);
      const agent = region.agents[command.data.agentId];
      if (!agent || agent.endedOn !== null) throw notFound('AgentNotFound', `No current appointment for agent ${command.data.agentId}`);
      const endedOn = requireDate(command.data.endedOn, 'endedOn', 'InvalidAgent');
      notBefore(endedOn, agent.appointedOn, 'ClosingPrecedesOpening', 'The end of the appointment');
      return [
        {
          type: 'AgentAppointmentEnded',
          data: {
            regionId: region.regionId,
            agentId: agent.agentId,
            endedOn,
            reason: requireText(command.data.reason, 'reason', 'InvalidAgent'),
          },
        },
      ];
    }
    case 'CloseRegion': {
      const region = activeRegion(state);
      const closedOn = requireDate(command.data.closedOn, 'closedOn', 'InvalidRegion');
      if (command.data.activeTeams > 0)
        throw conflict('RegionHasActiveTeams', 'Disband or move the region’s teams before closing it', {
          activeTeams: command.data.activeTeams,
        });
      const datedFacts = [
        region.establishedOn,
        ...Object.values(region.branches).flatMap((b) => [b.openedOn, b.closedOn ?? b.openedOn]),
        ...Object.values(region.agents).flatMap((a) => [a.appointedOn, a.endedOn ?? a.appointedOn]),
      ];
      notBefore(closedOn, [...datedFacts].sort(compareDates).at(-1)!, 'ClosingPrecedesOpening', 'The region closing');
      // Closing the region closes its open branches and ends its agents' appointments the same day.
      const branches: RegionEvent[] = Object.values(region.branches)
        .filter((b) => b.closedOn === null)
        .map((b) => ({ type: 'BranchClosed', data: { regionId: region.regionId, branchId: b.branchId, closedOn } }));
      const agents: RegionEvent[] = Object.values(region.agents)
        .filter((a) => a.endedOn === null)
        .map((a) => ({
          type: 'AgentAppointmentEnded',
          data: { regionId: region.regionId, agentId: a.agentId, endedOn: closedOn, reason: 'region_closed' },
        }));
      return [...branches, ...agents, { type: 'RegionClosed', data: { regionId: region.regionId, closedOn } }];
    }
    default:
      return assertNever(command);
  }
};

// ── Evolve ───────────────────────────────────────────────────────────────────
export const evolveRegion = (state: RegionState, event: RegionEvent): RegionState => {
  if (event.type === 'RegionEstablished') {
    return { status: 'active', ...event.data, branches: {}, agents: {} };
  }
  if (state.status === 'none') return state;
  switch (event.type) {
    case 'RegionManagerChanged':
      return { ...state, managerId: event.data.managerId };
    case 'BranchOpened': {
      const { regionId: _r, ...branch } = event.data;
      return { ...state, branches: withEntry(state.branches, branch.branchId, { ...branch, closedOn: null }) };
    }
    case 'BranchClosed': {
      const branch = state.branches[event.data.branchId];
      return branch
        ? { ...state, branches: withEntry(state.branches, branch.branchId, { ...branch, closedOn: event.data.closedOn }) }
        : state;
    }
    case 'AgentAppointed': {
      const { regionId: _r, ...agent } = event.data;
      return { ...state, agents: withEntry(state.agents, agent.agentId, { ...agent, endedOn: null }) };
    }
    case 'AgentAppointmentEnded': {
      const agent = state.agents[event.data.agentId];
      return agent ? { ...state, agents: withEntry(state.agents, agent.agentId, { ...agent, endedOn: event.data.endedOn }) } : state;
    }
    case 'RegionClosed':
      return { ...state, status: 'closed', closedOn: event.data.closedOn };
    default:
      return assertNever(event);
  }
};

export const regionDecider: Decider<RegionState, RegionCommand, RegionEvent> = {
  decide: decideRegion,
  evolve: evolveRegion,
  initialState: initialRegionState,
};
