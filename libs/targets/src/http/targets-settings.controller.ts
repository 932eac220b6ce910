import { Body, Controller, Get, Inject, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { Ctx, EVENT_STORE, EventStore, RequestContext, Roles, VersionedSettings } from '@salesline/core';
import { REVENUE_BASES, RevenueBasis, TARGETS_SETTINGS, TargetsSettings } from '../domain/targets-settings';

class TargetsSettingsBody {
  @ApiPropertyOptional({ enum: ['warn', 'block'], description: 'Over-budget sales expenses: recorded with a warning, or refused' })
  @IsOptional()
  @IsIn(['warn', 'block'])
  salesExpenseOverBudget?: 'warn' | 'block';

  @ApiPropertyOptional({ enum: REVENUE_BASES, description: 'Which documents count as revenue for achievement and forecast' })
  @IsOptional()
  @IsIn(REVENUE_BASES as unknown as string[])
  revenueBasis?: RevenueBasis;
}

@ApiTags('settings')
@ApiBearerAuth()
@Controller('api/settings/targets')
export class TargetsSettingsController {
  private readonly settings: VersionedSettings<TargetsSettings>;

  constructor(@Inject(EVENT_STORE) events: EventStore) {
    this.settings = new VersionedSettings(events, TARGETS_SETTINGS);
  }

  @Get()
  @ApiOperation({ summary: 'The current targets settings and their version' })
  get() {
    return this.settings.versioned();
  }

  @Put()
  @Roles('admin')
  @ApiOperation({ summary: 'Change targets settings (admin; TargetsSettingsChanged, versioned)' })
  @ApiOkResponse({ description: '{ version, settings, position }' })
  put(@Body() body: TargetsSettingsBody, @Ctx() ctx: RequestContext) {
    return this.settings.change(body, ctx);
  }
}
