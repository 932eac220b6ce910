import { commandOf, deciderSpec } from '@salesline/shared-kernel/testing';
import { ReserveSku, skuReservationDecider, SkuReserved } from './sku-reservation';

const spec = deciderSpec(skuReservationDecider);
const reserve = (productId: string) =>
  commandOf<ReserveSku>(
    'ReserveSku',
    { sku: 'SKU-1', productId, reservedOn: '2025-03-01' },
    { roles: ['sales_manager'], userId: 'u-1' },
  ) as ReserveSku;
const reserved: SkuReserved = { type: 'SkuReserved', data: { sku: 'SKU-1', productId: 'p-1', reservedOn: '2025-03-01' } };

describe('SKU reservation', () => {
  it('a free SKU is reserved for the product, on the day of its registration', () => {
    spec.given().when(reserve('p-1')).then([reserved]);
  });
  it('the holder reserving again changes nothing (a retried registration)', () => {
    spec.given(reserved).when(reserve('p-1')).then([]);
  });
  it('another product cannot take it: SkuAlreadyRegistered', () => {
    spec.given(reserved).when(reserve('p-2')).thenThrows('SkuAlreadyRegistered', 'conflict');
  });
});
