import { Inject, Injectable } from '@nestjs/common';
import { notFound } from '@salesline/shared-kernel';
import { Projection } from '../projections/projection';
import { DocumentFilter, DocumentTotals, FindOptions, READ_STORE, ReadStore } from '../read-store/read-store.port';
import { assertId } from './entity-ids';
import { ReadYourWrites } from './read-your-writes';

/** What a read needs of a read model: its name (for read-your-writes) and its collection. */
export type ReadModel<Doc extends { id: string } = { id: string }> = Pick<Projection<Doc>, 'name' | 'collection'> &
  Partial<Projection<Doc>>;

const SCAN_PAGE = 1000;

type ReadOptions = Readonly<{
  /** Wait until this read model has applied the position first (`?minPosition=`, read-your-writes). */
  minPosition?: number;
}>;

/**
 * The one read API of the HTTP controllers: every read of a read model goes through it, named by the
 * projection (never a collection string), typed by the projection's document, and after the projection
 * has reached `?minPosition=` when the request gives one.
 */
@Injectable()
export class ReadModels {
  constructor(
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    private readonly readYourWrites: ReadYourWrites,
  ) {}

  /** Waits until these read models have applied `minPosition` (400 beyond the log, 503 ProjectionLagging after the timeout). */
  waitFor(projections: readonly ReadModel[], minPosition: number | undefined): Promise<void> {
    return this.readYourWrites.waitFor(
      projections.map((p) => p.name),
      minPosition,
    );
  }

  /**
   * Waits until these read models have applied every event they handle that was acknowledged so far: a
   * command that must look something up in a read model sees every write that finished before it started.
   */
  catchUp(projections: readonly ReadModel[]): Promise<void> {
    return this.readYourWrites.catchUp(projections.map((p) => p.name));
  }

  /** One document, or null. */
  async get<Doc extends { id: string }>(projection: ReadModel<Doc>, id: string, options: ReadOptions = {}): Promise<Doc | null> {
    await this.waitFor([projection], options.minPosition);
    return this.readStore.get<Doc>(projection.collection, id);
  }

  /** One document, after the projection reached `minPosition`; 404 with `notFoundCode` when absent. */
  async getOrThrow<Doc extends { id: string }>(
    projection: ReadModel<Doc>,
    id: string,
    minPosition: number | undefined,
    notFoundCode: string,
    what: string,
  ): Promise<Doc> {
    assertId(id);
    const doc = await this.get(projection, id, { minPosition });
    if (!doc) throw notFound(notFoundCode, `${what} ${id} does not exist`, { id });
    return doc;
  }

  /** The documents matching the filter (all of them unless `limit`). */
  async find<Doc extends { id: string }>(
    projection: ReadModel<Doc>,
    filter: DocumentFilter = {},
    options: ReadOptions & FindOptions = {},
  ): Promise<Doc[]> {
    await this.waitFor([projection], options.minPosition);
    return this.readStore.find<Doc>(projection.collection, filter, { sort: options.sort, limit: options.limit, skip: options.skip });
  }

  /**
   * Every document matching the filter, read in pages of 1000 so that no store answers one unbounded query
   * (for answers that total over a whole selection).
   */
  async findAll<Doc extends { id: string }>(
    projection: ReadModel<Doc>,
    filter: DocumentFilter,
    options: ReadOptions & { sort: Readonly<Record<string, 1 | -1>> },
  ): Promise<Doc[]> {
    await this.waitFor([projection], options.minPosition);
    const all: Doc[] = [];
    for (let skip = 0; ; skip += SCAN_PAGE) {
      const page = await this.readStore.find<Doc>(projection.collection, filter, { sort: options.sort, limit: SCAN_PAGE, skip });
      all.push(...page);
      if (page.length < SCAN_PAGE) return all;
    }
  }

  /** How many documents match the filter. */
  async count(projection: ReadModel, filter: DocumentFilter = {}, options: ReadOptions = {}): Promise<number> {
    await this.waitFor([projection], options.minPosition);
    return this.readStore.count(projection.collection, filter);
  }

  /** How many documents match and the sums of numeric fields over all of them, computed by the store (a list's totals). */
  async totals<Doc extends { id: string }, F extends keyof Doc & string>(
    projection: ReadModel<Doc>,
    filter: DocumentFilter,
    fields: readonly F[],
    options: ReadOptions = {},
  ): Promise<DocumentTotals<F>> {
    await this.waitFor([projection], options.minPosition);
    return this.readStore.totals(projection.collection, filter, fields);
  }

  /** A page of documents matching the filter (100 unless `limit`), and how many match in all. */
  async page<Doc extends { id: string }>(
    projection: ReadModel<Doc>,
    filter: DocumentFilter,
    options: ReadOptions & { sort?: Readonly<Record<string, 1 | -1>>; limit?: number; offset?: number },
  ): Promise<{ items: Doc[]; total: number }> {
    await this.waitFor([projection], options.minPosition);
    const [items, total] = await Promise.all([
      this.readStore.find<Doc>(projection.collection, filter, {
        sort: options.sort,
        limit: options.limit ?? 100,
        skip: options.offset ?? 0,
      }),
      this.readStore.count(projection.collection, filter),
    ]);
    return { items, total };
  }

  /** How far a process manager (or projection) has read the log: its checkpoint. */
  checkpoint(name: string): Promise<number> {
    return this.readStore.getCheckpoint(name);
  }
}

/** Bookkeeping fields of stored read models, left out of what clients read unless `?internal=true` asks for them. */
export const INTERNAL_FIELDS: readonly string[] = ['_position', 'updatedAt'];

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' &&
  value !== null &&
  (Object.getPrototypeOf(value) === Object.prototype || Object.getPrototypeOf(value) === null);

/** The value without internal fields, at any depth (plain objects and arrays only; anything else as it is). */
export const withoutInternalFields = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(withoutInternalFields);
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) if (!INTERNAL_FIELDS.includes(key)) out[key] = withoutInternalFields(v);
  return out;
};
