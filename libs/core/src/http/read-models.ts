import { CallHandler, ExecutionContext, Inject, Injectable, NestInterceptor } from '@nestjs/common';
import { Observable, map } from 'rxjs';
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

/**
 * Every GET answer goes out without the read models' internal fields (`_position`, `updatedAt`), in one place
 * rather than per controller; `?internal=true` keeps them (operators, debugging). The auditors' raw event
 * streams (`/api/streams`) are served as recorded.
 */
@Injectable()
export class InternalFieldsInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<{ method?: string; path?: string; query?: Record<string, unknown> }>();
    if (request?.method !== 'GET' || request.query?.internal === 'true' || request.path?.startsWith('/api/streams')) return next.handle();
    return next.handle().pipe(map(withoutInternalFields));
  }
}
