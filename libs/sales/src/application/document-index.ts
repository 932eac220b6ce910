import { Inject, Injectable } from '@nestjs/common';
import { READ_STORE, ReadStore, ReadYourWrites } from '@salesline/core';
import { DocumentIndexEntry, documentIndexId, documentIndexProjection, DocumentKind } from '../read-models/document-index.projection';

/**
 * Finds the order a return, price override, invoice, credit note, delivery or bill of lading
 * belongs to. Every lookup first waits until the index has applied everything written so far
 * (a command must see the return requested a moment ago). Null when the document is unknown.
 */
@Injectable()
export class DocumentIndex {
  constructor(
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    private readonly readYourWrites: ReadYourWrites,
  ) {}

  async orderOfReturn(returnId: string): Promise<string | null> {
    return (await this.entry('return', returnId))?.orderId ?? null;
  }

  async orderOfOverride(overrideId: string): Promise<string | null> {
    return (await this.entry('override', overrideId))?.orderId ?? null;
  }

  async orderOfDelivery(deliveryId: string): Promise<string | null> {
    return (await this.entry('delivery', deliveryId))?.orderId ?? null;
  }

  async orderOfBillOfLading(billOfLading: string): Promise<string | null> {
    return (await this.entry('billOfLading', billOfLading))?.orderId ?? null;
  }

  async invoice(invoiceId: string): Promise<{ orderId: string; customerId: string } | null> {
    const e = await this.entry('invoice', invoiceId);
    return e && e.customerId !== null ? { orderId: e.orderId, customerId: e.customerId } : null;
  }

  async creditNote(creditNoteId: string): Promise<{ orderId: string; invoiceId: string; customerId: string } | null> {
    const e = await this.entry('creditNote', creditNoteId);
    return e && e.customerId !== null && e.invoiceId !== null
      ? { orderId: e.orderId, invoiceId: e.invoiceId, customerId: e.customerId }
      : null;
  }

  private async entry(kind: DocumentKind, key: string): Promise<DocumentIndexEntry | null> {
    await this.readYourWrites.catchUp([documentIndexProjection.name]);
    return this.readStore.get<DocumentIndexEntry>(documentIndexProjection.collection, documentIndexId(kind, key));
  }
}
