import { Projection } from '@salesline/core';

/** Which customer account holds an invoice: lets `/api/invoices/{id}/…` find its stream. */
export type InvoiceAccountDoc = { id: string; customerId: string; orderId: string };

export const invoiceAccountsProjection: Projection<InvoiceAccountDoc> = {
  name: 'invoice-accounts',
  collection: 'invoice_accounts',
  handles: ['InvoicePosted'],
  documentIds: (event) => [(event.data as { invoiceId: string }).invoiceId],
  evolve: (_doc, event) => {
    const { invoiceId, orderId } = event.data as { invoiceId: string; orderId: string };
    return { id: invoiceId, orderId, customerId: event.streamName.slice('account-'.length) };
  },
};
