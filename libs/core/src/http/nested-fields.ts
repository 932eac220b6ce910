import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiPropertyOptions } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsDefined, IsObject, IsOptional, ValidateNested } from 'class-validator';

// The decorators are listed bottom-up, as the stacks of a body's property apply them, so that a 400 names a
// field's reasons in the order the stacks they stand for did.
type BodyClass = new () => object;

const nestedBody = (body: BodyClass, presence: PropertyDecorator, property: PropertyDecorator) =>
  applyDecorators(
    Type(() => body),
    ValidateNested(),
    IsObject(),
    presence,
    property,
  );

/** A nested body of class `body` the request must carry; `docs` complete its OpenAPI property. */
export const NestedField = (body: BodyClass, docs: ApiPropertyOptions = {}) =>
  nestedBody(body, IsDefined(), ApiProperty({ type: body, ...docs } as ApiPropertyOptions));

/** A nested body of class `body` the request may carry. */
export const OptionalNestedField = (body: BodyClass, docs: ApiPropertyOptions = {}) =>
  nestedBody(body, IsOptional(), ApiPropertyOptional({ type: body, ...docs } as ApiPropertyOptions));

const nestedList = (
  body: BodyClass,
  size: Readonly<{ min?: number; max: number }>,
  presence: readonly PropertyDecorator[],
  property: PropertyDecorator,
) =>
  applyDecorators(
    Type(() => body),
    ValidateNested({ each: true }),
    ArrayMaxSize(size.max),
    ...(size.min === undefined ? [] : [ArrayMinSize(size.min)]),
    IsArray(),
    ...presence,
    property,
  );

/** A list of `min` (when given) to `max` nested bodies of class `body`, each validated. */
export const NestedListField = (body: BodyClass, size: Readonly<{ min?: number; max: number }>, docs: ApiPropertyOptions = {}) =>
  nestedList(body, size, [], ApiProperty({ type: [body], ...docs } as ApiPropertyOptions));

/** A list of nested bodies the request may leave out; when given, as `NestedListField`. */
export const OptionalNestedListField = (body: BodyClass, size: Readonly<{ min?: number; max: number }>, docs: ApiPropertyOptions = {}) =>
  nestedList(body, size, [IsOptional()], ApiPropertyOptional({ type: [body], ...docs } as ApiPropertyOptions));
