import { Body, Controller, Get, Inject, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { Ctx, EVENT_STORE, EventStore, RequestContext, Roles, VersionedSettings } from '@salesline/core';
import { ORGANIZATION_SETTINGS, OrganizationSettings } from '../domain/organization-settings';

class OrganizationSettingsBody {
  @ApiPropertyOptional({
    example: 10,
    description: 'Days an objection may stay unresolved before it escalates to the administrative department',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(365)
  territoryEscalationDays?: number;
}

@ApiTags('settings')
@ApiBearerAuth()
@Controller('api/settings/organization')
export class OrganizationSettingsController {
  private readonly settings: VersionedSettings<OrganizationSettings>;

  constructor(@Inject(EVENT_STORE) events: EventStore) {
    this.settings = new VersionedSettings(events, ORGANIZATION_SETTINGS);
  }

  @Get()
  @ApiOperation({ summary: 'The current organization settings and their version' })
  get() {
    return this.settings.versioned();
  }

  @Put()
  @Roles('admin')
  @ApiOperation({ summary: 'Change organization settings (admin; OrganizationSettingsChanged, versioned)' })
  @ApiOkResponse({ description: '{ version, settings, position }' })
  put(@Body() body: OrganizationSettingsBody, @Ctx() ctx: RequestContext) {
    return this.settings.change(body, ctx);
  }
}
