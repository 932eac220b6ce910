import { DEFAULT_PRICE_FLOOR_SETTINGS, PriceFloorSettings } from '@salesline/pricing/domain';

/**
 * Company settings the sales deciders read. They are not stored in the streams: the handler
 * passes the current values in each command that needs them (the subset named in its type).
 */
export type SalesSettings = PriceFloorSettings &
  Readonly<{
    /** A quote is valid this many days after its date (or revision date) unless validUntil is given. */
    quoteValidityDays: number;
    /** May an expired quote (or one past validUntil) still be converted into an order? */
    allowConvertExpiredQuote: boolean;
    /** Over-delivery allowed without a manager, in bp of the ordered (not cancelled) quantity, rounded down. */
    overDeliveryToleranceBp: number;
    /** A credit-hold release covers deliveries for this many days; later ones re-run the credit check. */
    creditReleaseValidityDays: number;
  }>;

export const DEFAULT_SALES_SETTINGS: SalesSettings = {
  ...DEFAULT_PRICE_FLOOR_SETTINGS,
  quoteValidityDays: 30,
  allowConvertExpiredQuote: false,
  overDeliveryToleranceBp: 0,
  creditReleaseValidityDays: 7,
};
