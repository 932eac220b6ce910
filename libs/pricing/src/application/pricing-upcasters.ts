import type { Upcaster } from '@salesline/core';
import { publishedOn } from '../domain/price-list';

/**
 * Price lists are written at schema version 2 (issue 8 §3): `PriceListCreated.createdOn` is the business date the
 * list was published. Version 1 could not be dated: it reads with the day it was recorded, or the list's first day
 * when it was recorded after it (the default a new list gets).
 */
export const PRICE_LIST_SCHEMA_VERSION = 2;

export const pricingUpcasters: Upcaster[] = [
  {
    type: 'PriceListCreated',
    fromVersion: 1,
    upcast: (data: { validFrom: string; createdOn?: string }, metadata) => ({
      ...data,
      createdOn: data.createdOn ?? publishedOn(data.validFrom, metadata.occurredAt.slice(0, 10)),
    }),
  },
];
