import { OrganizationSettingsController } from './http/organization-settings.controller';
import { Module } from '@nestjs/common';
import { OrganizationCommandHandler } from './application/organization-commands';
import { OrganizationFacts } from './application/organization-facts';
import { EmployeesController } from './http/employees.controller';
import { RegionsController } from './http/regions.controller';
import { TeamsController } from './http/teams.controller';
import { TerritoryObjectionsController } from './http/territory-objections.controller';
import { VisitsController } from './http/visits.controller';

/** The sales organization: regions, teams, salespeople, territories and their objections, customer visits. */
@Module({
  controllers: [
    RegionsController,
    TeamsController,
    EmployeesController,
    TerritoryObjectionsController,
    VisitsController,
    OrganizationSettingsController,
  ],
  providers: [OrganizationCommandHandler, OrganizationFacts],
  exports: [OrganizationFacts],
})
export class OrganizationModule {}
