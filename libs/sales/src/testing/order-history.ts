import { AccountEvent } from '@salesline/receivables/domain';
import { addDays } from '@salesline/shared-kernel';
import { OrderEvent } from '../domain/order';

/**
 * A history for the report benchmarks and specs: order `o<n>` of one line (`quantity` × `unitPrice`, cost half the
 * price) placed on `orderDate`, delivered in full `deliveredAfter` days later and invoiced (`i<n>`, due in 30 days)
 * `invoicedAfter` days after the order; what its customer's account records: the invoice posted and, unless
 * `paidAfter` is null, a payment (`pay<n>`) allocated to it that many days after the invoice.
 */
export const invoicedOrderHistory = (o: {
  n: number;
  customerId: string;
  orderDate: string;
  quantity: number;
  unitPrice: number;
  salesCredit: { salespersonId: string; shareBp: number }[];
  deliveredAfter: number;
  invoicedAfter: number;
  paidAfter: number | null;
}): { order: OrderEvent[]; account: AccountEvent[] } => {
  const { n, customerId, orderDate, quantity, unitPrice, salesCredit } = o;
  const orderId = `o${n}`;
  const invoiceId = `i${n}`;
  const amount = quantity * unitPrice;
  const invoiceDate = addDays(orderDate, o.invoicedAfter);
  const dueDate = addDays(invoiceDate, 30);
  const line = {
    lineId: 'L1',
    productId: 'p1',
    quantity,
    unitPrice,
    listPrice: unitPrice,
    resolvedUnitPrice: unitPrice,
    priceSource: { kind: 'list' as const },
    unitCost: Math.floor(unitPrice / 2),
    priceApproval: null,
  };
  return {
    order: [
      { type: 'OrderPlaced', data: { orderId, customerId, salesCredit, orderDate, quoteId: null, lines: [line], total: amount } },
      {
        type: 'GoodsDelivered',
        data: {
          orderId,
          deliveryId: `d${n}`,
          billOfLading: `B${n}`,
          carrier: 'DHL',
          deliveryDate: addDays(orderDate, o.deliveredAfter),
          lines: [{ lineId: 'L1', quantity }],
          overDelivery: null,
        },
      },
      {
        type: 'InvoiceIssued',
        data: { invoiceId, orderId, customerId, invoiceDate, dueDate, lines: [{ lineId: 'L1', quantity, unitPrice, amount }], amount },
      },
    ],
    account: [
      { type: 'InvoicePosted', data: { invoiceId, orderId, amount, invoiceDate, dueDate } },
      ...(o.paidAfter === null
        ? []
        : [
            {
              type: 'PaymentAllocated' as const,
              data: {
                sourceId: `pay${n}`,
                sourceKind: 'payment' as const,
                invoiceId,
                amount,
                allocatedOn: addDays(invoiceDate, o.paidAfter),
              },
            },
          ]),
    ],
  };
};
