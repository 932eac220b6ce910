import { AnyProjection, assertId, DocumentFilter, PagedReadModelQuery, ReadStore, ReadYourWrites } from '@salesline/core';
import { notFound } from '@salesline/shared-kernel';

export type Page<T> = { items: T[]; total: number };

/** One document of a read model, once it has applied `minPosition`; 404 with `notFoundCode` otherwise. */
export const readDocument = async <T>(
  readStore: ReadStore,
  readYourWrites: ReadYourWrites,
  projection: AnyProjection,
  id: string,
  minPosition: number | undefined,
  notFoundCode: string,
): Promise<T> => {
  assertId(id);
  await readYourWrites.waitFor([projection.name], minPosition);
  const doc = await readStore.get<T>(projection.collection, id);
  if (!doc) throw notFound(notFoundCode, `${id} does not exist`, { id });
  return doc;
};

/** One page of a read model and the total matching the filter (the list endpoints' answer). */
export const findPage = async <T>(
  readStore: ReadStore,
  readYourWrites: ReadYourWrites,
  projection: AnyProjection,
  filter: DocumentFilter,
  query: PagedReadModelQuery,
  sort: Readonly<Record<string, 1 | -1>>,
): Promise<Page<T>> => {
  await readYourWrites.waitFor([projection.name], query.minPosition);
  const [items, total] = await Promise.all([
    readStore.find<T>(projection.collection, filter, { sort, limit: query.limit ?? 100, skip: query.offset ?? 0 }),
    readStore.count(projection.collection, filter),
  ]);
  return { items, total };
};
