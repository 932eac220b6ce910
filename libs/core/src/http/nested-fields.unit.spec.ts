import 'reflect-metadata';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type, plainToInstance } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsDefined,
  IsObject,
  IsOptional,
  IsString,
  ValidateNested,
  validateSync,
} from 'class-validator';
import { NestedField, NestedListField, OptionalNestedField, OptionalNestedListField } from './nested-fields';

class Goal {
  @IsString() name: string;
}
class Body {
  @NestedField(Goal) main: Goal;
  @OptionalNestedField(Goal) spare?: Goal;
  @NestedListField(Goal, { min: 1, max: 2 }) goals: Goal[];
  @OptionalNestedListField(Goal, { max: 2 }) spares?: Goal[];
}
/** The stacks the fields stand for, as the bodies wrote them. */
class Stacked {
  @ApiProperty({ type: Goal }) @IsDefined() @IsObject() @ValidateNested() @Type(() => Goal) main: Goal;
  @ApiPropertyOptional({ type: Goal }) @IsOptional() @IsObject() @ValidateNested() @Type(() => Goal) spare?: Goal;
  @ApiProperty({ type: [Goal] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(2)
  @ValidateNested({ each: true })
  @Type(() => Goal)
  goals: Goal[];
  @ApiPropertyOptional({ type: [Goal] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(2)
  @ValidateNested({ each: true })
  @Type(() => Goal)
  spares?: Goal[];
}

type Refusal = ReturnType<typeof validateSync>[number];
const reasons = (e: Refusal, path: string): string[] => [
  ...Object.keys(e.constraints ?? {}).map((c) => `${path}${e.property}: ${c}`),
  ...(e.children ?? []).flatMap((child) => reasons(child, `${path}${e.property}.`)),
];
const refusals = (body: typeof Body | typeof Stacked, plain: object) =>
  validateSync(plainToInstance(body, plain)).flatMap((e) => reasons(e, ''));
const goal = { name: 'Visit 20 customers' };

describe('nested body fields', () => {
  it('accept nested bodies, and an absent optional one', () => {
    expect(refusals(Body, { main: goal, goals: [goal] })).toEqual([]);
    expect(refusals(Body, { main: goal, spare: goal, goals: [goal, goal] })).toEqual([]);
    expect(refusals(Body, { main: goal, goals: [goal], spares: [] })).toEqual([]);
  });

  it.each([
    ['nothing', {}],
    ['a list of the wrong size, a body that is no object', { main: { name: 1 }, spare: 'x', goals: [] }],
    ['too long a list', { main: goal, goals: [goal, goal, goal] }],
    ['an invalid body in the list', { main: goal, goals: [goal, { name: 2 }] }],
    ['an optional list that is no list', { main: goal, goals: [goal], spares: 'x' }],
    ['too long an optional list', { main: goal, goals: [goal], spares: [goal, goal, goal] }],
    ['an invalid body in an optional list', { main: goal, goals: [goal], spares: [{ name: 3 }] }],
  ])('refuse %s with the reasons, in the order, of the stacks they stand for', (_, plain) => {
    expect(refusals(Body, plain)).toEqual(refusals(Stacked, plain));
  });

  it('name each refused field and, within a body or list, the nested field', () => {
    expect(refusals(Body, {})).toEqual(expect.arrayContaining(['main: isDefined', 'goals: isArray']));
    expect(refusals(Body, { main: goal, goals: [goal, goal, goal] })).toEqual(['goals: arrayMaxSize']);
    expect(refusals(Body, { main: goal, goals: [goal, { name: 2 }] })).toEqual(['goals.1.name: isString']);
    expect(refusals(Body, { main: goal, goals: [goal], spares: [goal, goal, goal] })).toEqual(['spares: arrayMaxSize']);
  });
});
