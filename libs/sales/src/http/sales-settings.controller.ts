import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, Max, Min, ValidateNested } from 'class-validator';
import { Ctx, RequestContext, Roles } from '@salesline/core';
import { SalesSettingsService } from '../application/sales-settings';

class MaxDiscountBody {
  @ApiPropertyOptional({ example: 0 }) @IsOptional() @IsInt() @Min(0) @Max(10000) salesperson?: number;
  @ApiPropertyOptional({ example: 1000 }) @IsOptional() @IsInt() @Min(0) @Max(10000) sales_manager?: number;
}

class SalesSettingsBody {
  @ApiPropertyOptional({
    type: MaxDiscountBody,
    description: 'Largest discount below the resolved price each role may give without approval (bp)',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => MaxDiscountBody)
  maxDiscountBpByRole?: MaxDiscountBody;
  @ApiPropertyOptional({ example: 30 }) @IsOptional() @IsInt() @Min(0) @Max(3650) quoteValidityDays?: number;
  @ApiPropertyOptional({ example: false }) @IsOptional() @IsBoolean() allowConvertExpiredQuote?: boolean;
  @ApiPropertyOptional({ example: 500, description: 'Over-delivery allowed without a manager (bp of the ordered quantity)' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(10000)
  overDeliveryToleranceBp?: number;
  @ApiPropertyOptional({ example: 7 }) @IsOptional() @IsInt() @Min(0) @Max(3650) creditReleaseValidityDays?: number;
}

@ApiTags('settings')
@ApiBearerAuth()
@Controller('api/settings/sales')
export class SalesSettingsController {
  constructor(private readonly settings: SalesSettingsService) {}

  @Get()
  @ApiOperation({ summary: 'The current sales settings and their version' })
  get() {
    return this.settings.versioned();
  }

  @Put()
  @Roles('admin')
  @ApiOperation({ summary: 'Change sales settings (admin; SalesSettingsChanged, versioned)' })
  @ApiOkResponse({ description: '{ version, settings, position }' })
  put(@Body() body: SalesSettingsBody, @Ctx() ctx: RequestContext) {
    return this.settings.change(body, ctx);
  }
}
