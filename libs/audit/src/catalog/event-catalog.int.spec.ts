import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { buildAsyncApiDocument, catalogedEventTypes } from './asyncapi';

const root = join(__dirname, '../../../..');

const sources = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'testing' ? [] : sources(path);
    return name.endsWith('.ts') && !name.endsWith('.spec.ts') && !name.endsWith('.contract.ts') ? [path] : [];
  });

/** Every event type the code can append: declared `DomainEvent<'X', …>` types and the settings events' names. */
const appendableTypes = (): string[] => {
  const types = new Set<string>();
  for (const file of sources(join(root, 'libs'))) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/DomainEvent<\s*'([A-Za-z]+)'/g)) types.add(m[1]);
    for (const m of text.matchAll(/changedEventType:\s*'([A-Za-z]+)'/g)) types.add(m[1]);
  }
  return [...types].sort();
};

describe('the event catalog', () => {
  it('lists every event type the code can append', () => {
    const cataloged = Object.keys(catalogedEventTypes());
    const appendable = appendableTypes();
    expect(appendable.length).toBeGreaterThan(100);
    expect(appendable.filter((t) => !cataloged.includes(t))).toEqual([]);
    expect(cataloged.filter((t) => !appendable.includes(t))).toEqual([]);
  });

  it('is a valid AsyncAPI 3 document with a channel per stream category and an example per message', async () => {
    const { Parser } = await import('@asyncapi/parser');
    const document = buildAsyncApiDocument();
    const { document: parsed, diagnostics } = await new Parser().parse(JSON.stringify(document));
    const errors = diagnostics.filter((d) => d.severity === 0);
    expect(errors.map((d) => `${d.path.join('.')}: ${d.message}`)).toEqual([]);
    expect(parsed).toBeDefined();
    const messageNames = parsed!
      .allMessages()
      .all()
      .map((m) => m.name());
    expect(messageNames.sort()).toEqual(Object.keys(catalogedEventTypes()).sort());
    expect(parsed!.channels().get('order')?.address()).toBe('order-{id}');
    expect(parsed!.channels().get('settings-sales')?.address()).toBe('settings-sales');
    const placed = (document.components.messages as Record<string, any>).OrderPlaced;
    expect(placed.payload.properties.data.properties.lines.type).toBe('array');
    expect(placed.examples[0].payload).toMatchObject({ type: 'OrderPlaced', stream: 'order-1', data: { orderId: expect.any(String) } });
  }, 60_000);

  it('was generated from the current TypeScript event definitions (npm run catalog:generate)', () => {
    const run = spawnSync(process.execPath, [join(root, 'scripts/generate-event-catalog.js'), '--check'], { encoding: 'utf8', cwd: root });
    expect(`${run.stdout}${run.stderr}`.trim()).toBe('event-schemas.json is up to date');
    expect(run.status).toBe(0);
  }, 180_000);
});
