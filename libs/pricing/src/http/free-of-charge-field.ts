import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { FREE_OF_CHARGE_REASONS } from '../domain/price-list';

/** The reason something is given away (one of FREE_OF_CHARGE_REASONS, ADR 0112); `description` says when a body needs it. */
export const FreeOfChargeField = (description: string) =>
  applyDecorators(ApiPropertyOptional({ enum: FREE_OF_CHARGE_REASONS, description }), IsOptional(), IsIn(FREE_OF_CHARGE_REASONS));
