import { ArgumentMetadata, BadRequestException } from '@nestjs/common';
import { IsInt, IsString, MaxLength, Min } from 'class-validator';
import { salesValidationPipe } from './errors';

class Parent {
  @IsString()
  @MaxLength(5)
  name!: string;
}
class Child extends Parent {
  @IsInt()
  @Min(1)
  quantity!: number;
}

const body = (metatype: new () => object): ArgumentMetadata => ({ type: 'body', metatype });
const refusal = async (run: Promise<unknown>) => {
  try {
    await run;
  } catch (error) {
    if (error instanceof BadRequestException)
      return (error.getResponse() as { errors: { field: string }[] }).errors.map((e) => e.field).sort();
    throw error;
  }
  return [];
};

describe('validation rules looked up once per DTO class', () => {
  const pipe = salesValidationPipe();

  it('answers the same for a class however often it is validated, inherited rules included', async () => {
    for (let i = 0; i < 3; i++) {
      expect(await refusal(pipe.transform({ name: 'toolong', quantity: 0 }, body(Child)))).toEqual(['name', 'quantity']);
      expect(await refusal(pipe.transform({ name: 'ok', quantity: 2 }, body(Child)))).toEqual([]);
      expect(await refusal(pipe.transform({ name: 'ok', quantity: 2 }, body(Parent)))).toEqual(['quantity']);
    }
  });

  it('sees a rule added after the first validation of the class', async () => {
    class Later {
      @IsString()
      code!: string;
    }
    expect(await refusal(pipe.transform({ code: 'a', extra: 1 }, body(Later)))).toEqual(['extra']);
    // Decorating after the first lookup: the kept answer is forgotten.
    IsInt()(Later.prototype, 'extra');
    expect(await refusal(pipe.transform({ code: 'a', extra: 1 }, body(Later)))).toEqual([]);
    expect(await refusal(pipe.transform({ code: 'a', extra: 'x' }, body(Later)))).toEqual(['extra']);
  });
});
