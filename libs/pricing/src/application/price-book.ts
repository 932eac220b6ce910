import { Injectable } from '@nestjs/common';
import { ResolvedPrice } from '../domain';

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
 * above the quantity (libs/pricing/src/domain/resolve-price.ts). CONTRACT — implemented by the
 * pricing application layer: reads the product stream (fresh) and the price-lists read model
 * after catching up to the head of the log. Throws DomainError ProductNotFound (404) for an
 * unknown product.
 */
@Injectable()
export class PriceBook {
  async price(_request: PriceRequest): Promise<PricedLine> {
    throw new Error('PriceBook.price is not implemented yet');
  }
}
