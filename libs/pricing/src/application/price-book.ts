import { Inject, Injectable } from '@nestjs/common';
import { EVENT_STORE, EventStore, loadState, READ_STORE, ReadStore, ReadYourWrites } from '@salesline/core';
import { notFound } from '@salesline/shared-kernel';
import { productDecider, productStream, ResolvedPrice, resolvePrice } from '../domain';
import { PriceListDoc, priceListsProjection, priceListViewOf } from '../read-models/price-lists.projection';

/** The facts a sales line needs about its product and price, read consistently at command time. */
export type PricedLine = Readonly<{
  product: { productId: string; listPrice: number; standardCost: number; discontinued: boolean };
  resolved: ResolvedPrice;
}>;

export type PriceRequest = Readonly<{
  customerId: string;
  customerGroup: string | null;
  productId: string;
  quantity: number;
  /** Business date the price must be valid on. */
  date: string;
}>;

/**
 * Resolves the price of a line: customer list → group list → list price, highest break not
 * above the quantity (libs/pricing/src/domain/resolve-price.ts). Reads the product stream (fresh)
 * and the price-lists read model after catching up to the head of the log. Throws DomainError
 * ProductNotFound (404) for an unknown product.
 */
@Injectable()
export class PriceBook {
  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    private readonly readYourWrites: ReadYourWrites,
  ) {}

  async price(request: PriceRequest): Promise<PricedLine> {
    return (await this.prices([request]))[0];
  }

  /**
   * Prices several lines of one document: the read model is caught up and the customer's price
   * lists are read once, not once per line.
   */
  async prices(requests: readonly PriceRequest[]): Promise<PricedLine[]> {
    if (requests.length === 0) return [];
    const listsByCustomer = new Map<string, Promise<readonly PriceListDoc[]>>();
    const listsFor = (request: PriceRequest) => {
      const key = `${request.customerId}|${request.customerGroup ?? ''}|${request.date}`;
      if (!listsByCustomer.has(key)) listsByCustomer.set(key, this.priceListsFor(request));
      return listsByCustomer.get(key)!;
    };
    return Promise.all(
      requests.map(async (request) => {
        const [product, priceLists] = await Promise.all([this.product(request.productId), listsFor(request)]);
        const resolved = resolvePrice({
          product,
          priceLists: priceLists.map(priceListViewOf),
          customer: { customerId: request.customerId, customerGroup: request.customerGroup },
          quantity: request.quantity,
          date: request.date,
        });
        return { product, resolved };
      }),
    );
  }

  private async product(productId: string): Promise<PricedLine['product']> {
    const { state } = await loadState(this.events, productStream(productId), productDecider);
    if (state.status === 'unregistered') throw notFound('ProductNotFound', `Product ${productId} does not exist`, { productId });
    return { productId, listPrice: state.listPrice, standardCost: state.standardCost, discontinued: state.status === 'discontinued' };
  }

  /** The customer's and its group's lists that started by the date; `resolvePrice` judges the rest of the validity. */
  private priceListsFor({ customerId, customerGroup, date }: PriceRequest): Promise<readonly PriceListDoc[]> {
    // A price list created just before this request must already count; the lists read are kept until a price list event follows.
    return this.readYourWrites.caughtUp(priceListsProjection.name, `${customerId}|${customerGroup ?? ''}|${date}`, async () => {
      const startedBy = { validFrom: { $lte: date } };
      const find = (filter: Record<string, string>) =>
        this.readStore.find<PriceListDoc>(priceListsProjection.collection, { ...filter, ...startedBy });
      const [own, group] = await Promise.all([
        find({ 'scope.kind': 'customer', 'scope.customerId': customerId }),
        customerGroup === null ? Promise.resolve([]) : find({ 'scope.kind': 'group', 'scope.customerGroup': customerGroup }),
      ]);
      return [...own, ...group];
    });
  }
}
