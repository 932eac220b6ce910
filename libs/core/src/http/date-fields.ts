import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiPropertyOptions } from '@nestjs/swagger';
import { DATE_PATTERN } from '@salesline/shared-kernel';
import { IsOptional, Matches } from 'class-validator';

/** The refusal of a body date that is not `YYYY-MM-DD`; class-validator puts the field's name for `$property`. */
const NOT_A_DATE = { message: '$property must be a date YYYY-MM-DD' };

/** A business date the body must carry, `YYYY-MM-DD`; `docs` are its OpenAPI example and description. */
export const DateField = (docs?: ApiPropertyOptions) => applyDecorators(ApiProperty(docs), Matches(DATE_PATTERN, NOT_A_DATE));

/** A business date the body may carry, `YYYY-MM-DD`; the endpoint says what an absent one means (usually today). */
export const OptionalDateField = (docs?: ApiPropertyOptions) =>
  applyDecorators(ApiPropertyOptional(docs), IsOptional(), Matches(DATE_PATTERN, NOT_A_DATE));
