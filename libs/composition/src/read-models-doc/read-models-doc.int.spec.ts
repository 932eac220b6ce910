import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { allProjections } from '../index';
import { DocumentField, documentFields } from './document-fields';
import { FIELDS_AWAITING_A_MEANING, READ_MODEL_NOTES } from './read-model-notes';
import { renderReadModelsDoc } from './render-read-models-doc';

const root = join(__dirname, '../../../..');
const notes = READ_MODEL_NOTES as Record<string, (typeof READ_MODEL_NOTES)[keyof typeof READ_MODEL_NOTES]>;

/** docs/read-models.md is generated from the code; these checks keep what it says complete. */
describe('docs/read-models.md', () => {
  let fields: Record<string, DocumentField[]>;
  beforeAll(() => {
    fields = documentFields(root);
  }, 120_000);

  it('documents every read model the deployments run, by the type of its documents', () => {
    expect(Object.keys(fields).sort()).toEqual(allProjections.map((p) => p.collection).sort());
    for (const p of allProjections) expect([p.collection, fields[p.collection].length > 0]).toEqual([p.collection, true]);
  });

  it('names the events that set each field, every field and only fields, only events the projection handles, and each handled event somewhere', () => {
    const problems: string[] = [];
    for (const p of allProjections) {
      const note = notes[p.collection];
      const paths = new Set(fields[p.collection].map((f) => f.path));
      for (const path of paths) if (!note.sources[path]?.length) problems.push(`${p.collection}.${path}: no source events`);
      for (const path of Object.keys(note.sources))
        if (!paths.has(path)) problems.push(`${p.collection}.${path}: not a field of the document`);
      if (p.handlesAllEvents) continue;
      const named = new Set(Object.values(note.sources).flat());
      for (const type of named) if (!p.handles.includes(type)) problems.push(`${p.collection}: ${type} is not handled by ${p.name}`);
      for (const type of Object.keys(note.unchangedBy ?? {}))
        if (named.has(type)) problems.push(`${p.collection}: ${type} is said to change nothing`);
      for (const type of p.handles)
        if (!named.has(type) && !note.unchangedBy?.[type]) problems.push(`${p.collection}: ${type} sets no field`);
    }
    expect(problems).toEqual([]);
  });

  it('gives every field a meaning (the fields still awaiting one are listed, and the list only shrinks)', () => {
    const awaiting = allProjections.flatMap((p) =>
      fields[p.collection].filter((f) => !f.comment && !notes[p.collection].meanings?.[f.path]).map((f) => `${p.collection}.${f.path}`),
    );
    expect(awaiting.sort()).toEqual([...FIELDS_AWAITING_A_MEANING].sort());
  });

  it('is up to date (npm run read-models:doc)', () => {
    expect(readFileSync(join(root, 'docs/read-models.md'), 'utf8')).toBe(renderReadModelsDoc(allProjections, fields, notes));
  });
});
