import { Inject, Injectable } from '@nestjs/common';
import { notFound } from '@salesline/shared-kernel';
import { AnyProjection } from '../projections/projection';
import { DocumentFilter, READ_STORE, ReadStore } from '../read-store/read-store.port';
import { assertId } from './entity-ids';
import { ReadYourWrites } from './read-your-writes';

type Named = Pick<AnyProjection, 'name' | 'collection'>;

/** The two reads every read-model endpoint makes: one document by id, or a page with its total. */
@Injectable()
export class ReadModels {
  constructor(
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    private readonly readYourWrites: ReadYourWrites,
  ) {}

  /** One document, after the projection reached `minPosition`; 404 with `notFoundCode` when absent. */
  async getOrThrow<T>(projection: Named, id: string, minPosition: number | undefined, notFoundCode: string, what: string): Promise<T> {
    assertId(id);
    await this.readYourWrites.waitFor([projection.name], minPosition);
    const doc = await this.readStore.get<T>(projection.collection, id);
    if (!doc) throw notFound(notFoundCode, `${what} ${id} does not exist`);
    return doc;
  }

  /** A page of documents matching the filter, and how many match in all. */
  async page<T>(
    projection: Named,
    filter: DocumentFilter,
    options: { sort?: Record<string, 1 | -1>; limit?: number; offset?: number; minPosition?: number },
  ): Promise<{ items: T[]; total: number }> {
    await this.readYourWrites.waitFor([projection.name], options.minPosition);
    const [items, total] = await Promise.all([
      this.readStore.find<T>(projection.collection, filter, { sort: options.sort, limit: options.limit ?? 100, skip: options.offset ?? 0 }),
      this.readStore.count(projection.collection, filter),
    ]);
    return { items, total };
  }
}
