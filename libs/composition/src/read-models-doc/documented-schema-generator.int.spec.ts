import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { documentedSchemaGenerator } from './document-fields';

const root = join(__dirname, '../../../..');

/** Types built the ways the code shares fields, each reaching `quantity` (commented) and `plain` (not). */
const SOURCE = `
export type Line = {
  /** Ordered quantity. */
  quantity: number;
  plain: string;
  /** Approval mark, left out below. */
  approval: string | null;
};
export interface LineBase {
  /** Ordered quantity. */
  quantity: number;
  plain: string;
}
type Event<Data> = Readonly<{ data: Readonly<Data> }>;
type Counters = Readonly<{ delivered: number }>;
export interface ExtendedLine extends LineBase {
  delivered: number;
}
export type Shapes = {
  intersection: { lineId: string } & Line;
  readonlyIntersection: Event<{ lineId: string } & Line>;
  nestedIntersection: Event<Counters & Readonly<{ lineId: string } & Line>>;
  omit: Omit<Line, 'approval'>;
  pick: Pick<Line, 'quantity' | 'plain'>;
  omitAndCounters: Omit<Line, 'approval'> & Counters;
  omitOfIntersection: Omit<{ lineId: string } & Line, 'approval'>;
  extendsBase: ExtendedLine;
};
`;

type Schema = { type?: string; description?: string; properties?: Record<string, Schema> };

/**
 * Both documentation generators (the event catalog, docs/read-models.md) read field comments through
 * scripts/documented-schema-generator.js: a comment written once on a shared type reaches every type built
 * from it, so sharing a type never costs a field its meaning (nor its type).
 */
describe('the documentation generators’ schema generator', () => {
  let shapes: Record<string, Schema>;
  beforeAll(() => {
    mkdirSync(join(root, '.tmp'), { recursive: true });
    const dir = mkdtempSync(join(root, '.tmp', 'documented-schema-'));
    try {
      const path = join(dir, 'shapes.ts');
      writeFileSync(path, SOURCE);
      const schema = documentedSchemaGenerator(root, { path, type: 'Shapes' }).createSchema('Shapes') as Schema;
      shapes = schema.properties ?? {};
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  const fieldsOf = (shape: string): Record<string, Schema> => {
    const s = shapes[shape];
    return (s.properties?.data ?? s).properties ?? {};
  };

  it.each([
    'intersection',
    'readonlyIntersection',
    'nestedIntersection',
    'omit',
    'pick',
    'omitAndCounters',
    'omitOfIntersection',
    'extendsBase',
  ])('keeps a field’s comment and type through %s', (shape) => {
    const fields = fieldsOf(shape);
    expect(fields.quantity).toEqual({ type: 'number', description: 'Ordered quantity.' });
    expect(fields.plain).toEqual({ type: 'string' });
  });

  it('leaves out what Omit leaves out, and keeps the fields the other side of an intersection adds', () => {
    expect(fieldsOf('omit').approval).toBeUndefined();
    expect(fieldsOf('omitOfIntersection').approval).toBeUndefined();
    expect(fieldsOf('intersection').lineId).toEqual({ type: 'string' });
    expect(fieldsOf('nestedIntersection').delivered).toEqual({ type: 'number' });
    expect(fieldsOf('omitAndCounters').delivered).toEqual({ type: 'number' });
  });
});
