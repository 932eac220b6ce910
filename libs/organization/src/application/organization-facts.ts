import { Inject, Injectable } from '@nestjs/common';
import { EVENT_STORE, EventStore, ReadModels, loadState } from '@salesline/core';
import { VersionedSettings } from '@salesline/core';
import { BusinessDate } from '@salesline/shared-kernel';
import { territoriesOn } from '../domain/assignment-history';
import { EmployeeState, TeamFact, employeeDecider, employeeStreamName } from '../domain/employee';
import { ORGANIZATION_SETTINGS, OrganizationSettings } from '../domain/organization-settings';
import { regionDecider, regionStreamName } from '../domain/region';
import { RegionFact, teamDecider, teamStreamName } from '../domain/team';
import { ObjectingEmployeeFact } from '../domain/territory-objection';
import { VisitingEmployeeFact } from '../domain/visits';
import { employeesProjection, teamsProjection } from '../read-models/organization.projections';

/**
 * The facts organization commands carry (ADR 0200), read just before deciding: straight from the other
 * aggregate's stream where one stream answers, from a caught-up read model where it takes a count.
 */
@Injectable()
export class OrganizationFacts {
  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    private readonly reads: ReadModels,
  ) {}

  async region(regionId: string): Promise<RegionFact> {
    const { state } = await loadState(this.events, regionStreamName(regionId), regionDecider);
    return state.status === 'none' ? null : { regionId: state.regionId, status: state.status, establishedOn: state.establishedOn };
  }

  async team(teamId: string): Promise<TeamFact> {
    const { state } = await loadState(this.events, teamStreamName(teamId), teamDecider);
    return state.status === 'none'
      ? null
      : { teamId: state.teamId, regionId: state.regionId, managerId: state.managerId, status: state.status };
  }

  async employee(employeeId: string): Promise<EmployeeState> {
    return (await loadState(this.events, employeeStreamName(employeeId), employeeDecider)).state;
  }

  async objectingEmployee(employeeId: string, today: BusinessDate): Promise<ObjectingEmployeeFact> {
    const state = await this.employee(employeeId);
    if (state.status === 'none') return null;
    const teamId = state.status === 'active' ? state.teamId : (state.history.at(-1)?.teamId ?? '');
    return { employeeId: state.employeeId, status: state.status, teamId, territories: territoriesOn(state.territories, today) };
  }

  async visitingEmployee(employeeId: string): Promise<VisitingEmployeeFact> {
    const state = await this.employee(employeeId);
    if (state.status === 'none') return null;
    return {
      employeeId: state.employeeId,
      hiredOn: state.history[0]?.from ?? state.hiredOn,
      leftOn: state.status === 'left' ? state.leftOn : null,
    };
  }

  async activeTeams(regionId: string): Promise<number> {
    await this.reads.catchUp([teamsProjection]);
    return this.reads.count(teamsProjection, { regionId, status: 'active' });
  }

  async activeMembers(teamId: string): Promise<number> {
    await this.reads.catchUp([employeesProjection]);
    return this.reads.count(employeesProjection, { teamId, status: 'active' });
  }

  /** Company settings, versioned in `settings-organization` (PUT /api/settings/organization). */
  organizationSettings(): Promise<OrganizationSettings> {
    return new VersionedSettings(this.events, ORGANIZATION_SETTINGS).current();
  }
}
