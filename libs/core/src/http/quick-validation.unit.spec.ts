import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsBoolean, IsDefined, IsIn, IsInt, IsISO8601 } from 'class-validator';
import { IsNotEmpty, IsObject, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength, NotContains } from 'class-validator';
import { ValidateIf, ValidateNested } from 'class-validator';
import { ID_PATTERN } from '@salesline/shared-kernel';
import { checkQuickValidationAgainstFullPipe } from '../testing/quick-validation-agreement';
import { OptionalDateField } from './date-fields';
import { NestedField, NestedListField, OptionalNestedField } from './nested-fields';
import { quickValidated } from './quick-validation';
import { ReasonBody } from './reason-body';

class Line {
  @IsOptional() @Matches(ID_PATTERN) lineId?: string;
  @Matches(ID_PATTERN) productId!: string;
  @IsInt() @Min(1) @Max(1_000_000_000) quantity!: number;
  @IsOptional() @IsInt() @Min(0) unitPrice?: number;
  @IsOptional() @MaxLength(500) @IsString() overrideReason?: string;
  @IsOptional() @IsIn(['gift', 'sample']) freeOfCharge?: string;
}
class Credit {
  @Matches(ID_PATTERN) salespersonId!: string;
  @IsInt() @Min(1) @Max(10_000) shareBp!: number;
}
class Terms {
  @IsBoolean() prepaid!: boolean;
  @IsOptional() @IsISO8601() since?: string;
}
class Order {
  @Matches(ID_PATTERN) customerId!: string;
  @IsOptional() @Matches(ID_PATTERN) salespersonId?: string;
  @IsOptional() @IsArray() @ArrayMinSize(1) @ArrayMaxSize(20) @ValidateNested({ each: true }) @Type(() => Credit) salesCredit?: Credit[];
  @OptionalDateField() orderDate?: string;
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(500) @ValidateNested({ each: true }) @Type(() => Line) lines!: Line[];
  @OptionalNestedField(Terms) terms?: Terms;
  @IsOptional() @IsArray() @ArrayUnique() @IsString({ each: true }) @NotContains(' ', { each: true }) tags?: string[];
  @ValidateIf((o: Order) => o.customerId === 'c-special') @IsDefined() @MinLength(3) @IsNotEmpty() note?: string;
}
class Approval extends ReasonBody {
  @NestedField(Terms) terms!: Terms;
  @NestedListField(Credit, { min: 1, max: 3 }) credits!: Credit[];
}
class FreeForm {
  @IsObject() attributes!: Record<string, string>;
}
class Later {
  @IsString() code!: string;
}

const order = {
  customerId: 'c-1',
  salespersonId: 'sp-anna',
  orderDate: '2026-11-27',
  lines: [
    { productId: 'p-widget', quantity: 3 },
    { lineId: 'L2', productId: 'p-gadget', quantity: 1, unitPrice: 0, freeOfCharge: 'gift' },
  ],
};

describe('the validation pipe takes valid bodies by its quick path, answering as the full pipe does', () => {
  it('builds the instance class-transformer builds: the class at every level, every declared field, the values as sent', () => {
    const instance = quickValidated(Order, order) as Order;
    expect(instance).toBeInstanceOf(Order);
    expect(instance.lines[0]).toBeInstanceOf(Line);
    expect(Object.keys(instance)).toEqual(Object.keys(new Order()));
    expect(instance.lines[1]).toMatchObject({ lineId: 'L2', unitPrice: 0, freeOfCharge: 'gift', overrideReason: undefined });
  });

  it('leaves to the full pipe every body with a field it would refuse, and every class it does not cover', () => {
    expect(quickValidated(Order, { ...order, lines: [] })).toBeUndefined();
    expect(quickValidated(Order, { ...order, extra: 1 })).toBeUndefined();
    expect(quickValidated(Order, { ...order, lines: [{ productId: 'p', quantity: 1.5 }] })).toBeUndefined();
    expect(quickValidated(Order, { ...order, customerId: 'c-special' })).toBeUndefined();
    expect(quickValidated(Order, { ...order, customerId: 'c-special', note: 'why' })).toBeInstanceOf(Order);
    expect(quickValidated(FreeForm, { attributes: { a: 'b' } })).toBeUndefined();
  });

  it('sees a rule added after the class was first taken', () => {
    expect(quickValidated(Later, { code: 'a', extra: 1 })).toBeUndefined();
    IsInt()(Later.prototype, 'extra');
    expect(quickValidated(Later, { code: 'a', extra: 1 })).toBeInstanceOf(Later);
    expect(quickValidated(Later, { code: 'a', extra: 'x' })).toBeUndefined();
  });

  it.each([
    [
      'an order with nested lines, lists of values and a conditional field',
      Order,
      [
        order,
        {
          ...order,
          customerId: 'c-special',
          note: 'why',
          tags: ['a', 'b'],
          terms: { prepaid: true, since: '2026-11-27T10:00:00Z' },
          salesCredit: [{ salespersonId: 'sp', shareBp: 10_000 }],
        },
      ],
    ],
    [
      'a body with inherited fields and required nested bodies',
      Approval,
      [{ reason: 'agreed', terms: { prepaid: false }, credits: [{ salespersonId: 'sp', shareBp: 1 }] }],
    ],
  ] as const)('answers %s as the full pipe does, mutated every way', async (_what, dto, examples) => {
    const accepted = await checkQuickValidationAgainstFullPipe(dto, examples, { runs: 300, seed: 13 });
    // The mutations reached valid bodies other than the examples, and the quick path took them.
    expect(accepted.quick).toBeGreaterThan(10);
    expect(accepted.quick).toBeLessThanOrEqual(accepted.full);
  });
});
