import { checkQuickValidationAgainstFullPipe } from '@salesline/core/testing';
import { CancelBody, DeliveryBody, InvoiceBody, PlaceOrderBody, ReturnBody } from './orders.dto';

const line = { productId: 'p-widget', quantity: 10 };

/** The order bodies are checked by the validation pipe's quick path when valid: it must answer every body as the full pipe does. */
describe('order bodies: the quick validation path answers as the full pipe', () => {
  it.each([
    [
      'a placement with its nested lines and sales credit',
      PlaceOrderBody,
      [
        { customerId: 'c-1', lines: [line] },
        {
          customerId: 'c-1',
          salespersonId: 'sp-anna',
          orderDate: '2026-11-27',
          salesCredit: [
            { salespersonId: 'sp-anna', shareBp: 6000 },
            { salespersonId: 'sp-bo', shareBp: 4000 },
          ],
          lines: [
            { lineId: 'L1', ...line, unitPrice: 1250, overrideReason: 'match the competitor' },
            { productId: 'p-gadget', quantity: 1, unitPrice: 0, freeOfCharge: 'sample' },
          ],
        },
      ],
    ],
    [
      'a delivery with an over-delivery reason',
      DeliveryBody,
      [
        { billOfLading: 'BOL-1', carrier: 'DHL', lines: [{ lineId: 'L1', quantity: 4 }] },
        {
          billOfLading: 'BOL-2',
          carrier: 'DHL',
          deliveryDate: '2026-11-27',
          lines: [{ lineId: 'L1', quantity: 4 }],
          overDelivery: { reason: 'full pallet' },
        },
      ],
    ],
    ['an invoice', InvoiceBody, [{}, { invoiceDate: '2026-11-27', lines: [{ lineId: 'L1', quantity: 1 }] }]],
    [
      'a cancellation',
      CancelBody,
      [{ reason: 'customer withdrew' }, { reason: 'customer withdrew', lines: [{ lineId: 'L1', quantity: 2 }] }],
    ],
    ['a return', ReturnBody, [{ orderId: 'o-1', reason: 'damaged', replacement: false, lines: [{ lineId: 'L1', quantity: 1 }] }]],
  ] as const)('%s', async (_what, dto, examples) => {
    const accepted = await checkQuickValidationAgainstFullPipe(dto, examples, { runs: 200, seed: 13 });
    expect(accepted.quick).toBeGreaterThan(5);
  });
});
