import { defineProjection, writtenBy } from '@salesline/core';
import { InvoicePosted } from '../domain/account';
import { customerIdOfAccountEvent } from './receivables.projection';

/** Which customer account holds an invoice: lets `/api/invoices/{id}/…` find its stream. */
export type InvoiceAccountDoc = { id: string; customerId: string; orderId: string };

export const invoiceAccountsProjection = defineProjection<InvoicePosted>()({
  name: 'invoice-accounts',
  collection: 'invoice_accounts',
  documentation: {
    document: 'InvoiceAccountDoc',
    context: 'receivables',
    summary: 'Which customer account and order an invoice belongs to (refusals, disputes and write-offs are addressed by invoice id).',
    meanings: {
      id: 'The invoice id.',
      customerId: 'The customer whose account the invoice is posted to.',
      orderId: 'The order invoiced.',
    },
    sources: {
      ...writtenBy(['InvoicePosted'], ['id', 'customerId', 'orderId']),
    },
  },
  handles: ['InvoicePosted'],
  documentIds: (event) => [event.data.invoiceId],
  evolve: (_doc: InvoiceAccountDoc | null, event) => ({
    id: event.data.invoiceId,
    orderId: event.data.orderId,
    customerId: customerIdOfAccountEvent(event),
  }),
});
