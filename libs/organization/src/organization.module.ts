import { Module } from '@nestjs/common';

/** The sales organization: regions, teams, salespeople, territories and their objections. */
@Module({ controllers: [], providers: [] })
export class OrganizationModule {}
