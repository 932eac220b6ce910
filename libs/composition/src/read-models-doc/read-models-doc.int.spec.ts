import { join } from 'node:path';
import { allProjections } from '../index';
import { DocumentField, documentationOf, documentFields } from './document-fields';
import { renderReadModelsDoc } from './render-read-models-doc';

const root = join(__dirname, '../../../..');

/**
 * docs/read-models.md is generated from the registered projections (each carries its `documentation` on its
 * definition, beside its document type) by `npm run read-models:doc`, and by CI from its build; it is not kept
 * in git, so that a read model is added by its projection file and its context's registration alone. These
 * checks keep what it says complete.
 */
describe('docs/read-models.md', () => {
  let fields: Record<string, DocumentField[]>;
  beforeAll(() => {
    fields = documentFields(root, allProjections);
  }, 120_000);

  it('every registered read model carries its documentation on its definition: context (its package), summary, the events that set each field', () => {
    const missing = allProjections.filter((p) => !p.documentation).map((p) => p.name);
    expect(missing).toEqual([]);
    for (const p of allProjections) {
      const { context, summary, sources } = documentationOf(p);
      expect([p.name, context.length > 0, summary.length > 0, Object.keys(sources).length > 0]).toEqual([p.name, true, true, true]);
    }
  });

  it('documents every read model the deployments run, by the type of its documents', () => {
    expect(Object.keys(fields).sort()).toEqual(allProjections.map((p) => p.collection).sort());
    for (const p of allProjections) expect([p.collection, fields[p.collection].length > 0]).toEqual([p.collection, true]);
  });

  it('names the events that set each field, every field and only fields, only events the projection handles, and each handled event somewhere', () => {
    const problems: string[] = [];
    for (const p of allProjections) {
      const note = documentationOf(p);
      const unchangedBy: Readonly<Record<string, string | undefined>> = note.unchangedBy ?? {};
      const paths = new Set(fields[p.collection].map((f) => f.path));
      for (const path of paths) if (!note.sources[path]?.length) problems.push(`${p.collection}.${path}: no source events`);
      for (const path of Object.keys(note.sources))
        if (!paths.has(path)) problems.push(`${p.collection}.${path}: not a field of the document`);
      if (p.handlesAllEvents) continue;
      const named = new Set(Object.values(note.sources).flat());
      for (const type of named) if (!p.handles.includes(type)) problems.push(`${p.collection}: ${type} is not handled by ${p.name}`);
      for (const type of Object.keys(unchangedBy)) if (named.has(type)) problems.push(`${p.collection}: ${type} is said to change nothing`);
      for (const type of p.handles) if (!named.has(type) && !unchangedBy[type]) problems.push(`${p.collection}: ${type} sets no field`);
    }
    expect(problems).toEqual([]);
  });

  it('gives every field a meaning, from a doc comment on the document type or the documentation’s meanings', () => {
    const awaiting = allProjections.flatMap((p) =>
      fields[p.collection].filter((f) => !f.comment && !documentationOf(p).meanings?.[f.path]).map((f) => `${p.collection}.${f.path}`),
    );
    expect(awaiting).toEqual([]);
  });

  it('renders one entry per read model, every field of its document with its meaning and sources (what npm run read-models:doc writes)', () => {
    const page = renderReadModelsDoc(allProjections, fields);
    for (const p of allProjections) {
      const entry = page.split(`\n## ${p.collection}\n`)[1]?.split('\n## ')[0] ?? '';
      expect([p.collection, entry.includes(`Projection \`${p.name}\` (${documentationOf(p).context}).`)]).toEqual([p.collection, true]);
      const rows = entry.split('\n').filter((line) => line.startsWith('| `'));
      expect([p.collection, rows.length]).toEqual([p.collection, fields[p.collection].length]);
      for (const row of rows) expect(row).not.toMatch(/\| \|$/); // every row names its sources
    }
  });
});
