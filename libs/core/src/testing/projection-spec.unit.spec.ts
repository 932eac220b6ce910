import { DomainEvent } from '@salesline/shared-kernel';
import { Projection } from '../projections/projection';
import { projectionSpec, recordedEvent } from './projection-spec';

type Opened = DomainEvent<'TallyOpened', { tallyId: string }>;
type Counted = DomainEvent<'Counted', { tallyId: string; by: number }>;
type Closed = DomainEvent<'TallyClosed', { tallyId: string }>;
type TallyDoc = { id: string; total: number; counts: number };

const idOf = (data: unknown) => (data as { tallyId: string }).tallyId;
const tallies: Projection<TallyDoc> = {
  name: 'tallies',
  collection: 'tallies',
  handles: ['TallyOpened', 'Counted', 'TallyClosed'],
  documentIds: (event) => [idOf(event.data)],
  evolve: (doc, event, id) => {
    if (event.type === 'TallyOpened') return { id, total: 0, counts: 0 };
    if (event.type === 'TallyClosed') return null;
    return doc && { ...doc, total: doc.total + (event.data as Counted['data']).by, counts: doc.counts + 1 };
  },
};
const opened = (tallyId: string): Opened => ({ type: 'TallyOpened', data: { tallyId } });
const counted = (tallyId: string, by: number): Counted => ({ type: 'Counted', data: { tallyId, by } });
const closed = (tallyId: string): Closed => ({ type: 'TallyClosed', data: { tallyId } });
const spec = projectionSpec(tallies, { streamOf: (e) => `tally-${idOf(e.data)}` });

describe('projectionSpec', () => {
  it('projects the given events into documents, without the runtime position', async () => {
    await spec.given(opened('a'), counted('a', 2), counted('a', 3), opened('b')).then({
      a: { id: 'a', total: 5, counts: 2 },
      b: { id: 'b', total: 0, counts: 0 },
    });
  });

  it('takes an assertion, an array of events, recorded events, and ignores events it does not handle', async () => {
    const other = recordedEvent('elsewhere-1', { type: 'Unrelated', data: { tallyId: 'a' } }, { position: 3 });
    const docs = await spec.given([opened('a'), counted('a', 1)], other).then((d) => expect(Object.keys(d)).toEqual(['a']));
    expect(docs.a.counts).toBe(1);
    expect(await spec.given(opened('a'), closed('a')).document('a')).toBeUndefined();
  });

  it('fails a projection that a second delivery of an event changes', async () => {
    // Closing writes a tombstone when the document is missing: the replayed close resurrects it.
    const resurrecting: Projection<TallyDoc> = {
      ...tallies,
      evolve: (doc, event, id) =>
        event.type === 'TallyClosed' && doc === null ? { id, total: -1, counts: -1 } : tallies.evolve(doc, event, id, () => null),
    };
    await expect(projectionSpec(resurrecting).given(opened('a'), closed('a')).documents()).rejects.toThrow(/not idempotent/);
  });

  it('fails when the documents differ from the expected ones', async () => {
    await expect(spec.given(opened('a')).then({ a: { id: 'a', total: 1, counts: 0 } })).rejects.toThrow();
  });
});
