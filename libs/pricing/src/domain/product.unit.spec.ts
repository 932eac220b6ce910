import { Role } from '@salesline/shared-kernel';
import { commandOf, deciderSpec } from '@salesline/shared-kernel/testing';
import { ProductCommand, productDecider, ProductEvent } from './product';

const spec = deciderSpec(productDecider);
const cmd = <T extends ProductCommand>(type: T['type'], data: T['data'], roles: Role[] = ['sales_manager']) =>
  commandOf<ProductCommand>(type, data, { roles, userId: 'u-1', today: '2025-02-01' }) as T;

const registration = { productId: 'p-1', sku: 'SKU-1', name: 'Widget', unit: 'pcs', listPrice: 10_00, standardCost: 6_00 };
const registered: ProductEvent = { type: 'ProductRegistered', data: { ...registration, registeredOn: '2025-02-01' } };

describe('Product', () => {
  it('RegisterProduct → ProductRegistered', () => {
    spec.given().when(cmd('RegisterProduct', registration)).then([registered]);
  });
  it('refuses a second registration: ProductAlreadyRegistered', () => {
    spec.given(registered).when(cmd('RegisterProduct', registration)).thenThrows('ProductAlreadyRegistered', 'conflict');
  });
  it('refuses non-positive or fractional prices and costs: InvalidAmount', () => {
    spec
      .given()
      .when(cmd('RegisterProduct', { ...registration, listPrice: 0 }))
      .thenThrows('InvalidAmount');
    spec
      .given()
      .when(cmd('RegisterProduct', { ...registration, standardCost: 1.5 }))
      .thenThrows('InvalidAmount');
    spec
      .given(registered)
      .when(cmd('ChangeProductPrice', { listPrice: -5 }))
      .thenThrows('InvalidAmount');
  });
  it('refuses a missing sku: InvalidSku', () => {
    spec
      .given()
      .when(cmd('RegisterProduct', { ...registration, sku: ' ' }))
      .thenThrows('InvalidSku');
  });
  it('only sales managers (or admin) manage the catalogue: ProductManagementForbidden', () => {
    spec
      .given()
      .when(cmd('RegisterProduct', registration, ['salesperson']))
      .thenThrows('ProductManagementForbidden', 'forbidden');
    spec
      .given(registered)
      .when(cmd('ChangeProductCost', { standardCost: 7_00 }, ['salesperson']))
      .thenThrows('ProductManagementForbidden');
  });
  it('ChangeProductPrice → ProductPriceChanged; same price → nothing', () => {
    spec
      .given(registered)
      .when(cmd('ChangeProductPrice', { listPrice: 12_00 }))
      .then([
        { type: 'ProductPriceChanged', data: { productId: 'p-1', listPrice: 12_00, previousListPrice: 10_00, changedOn: '2025-02-01' } },
      ]);
    spec
      .given(registered)
      .when(cmd('ChangeProductPrice', { listPrice: 10_00 }))
      .then([]);
  });
  it('ChangeProductCost → ProductCostChanged (finance may)', () => {
    spec
      .given(registered)
      .when(cmd('ChangeProductCost', { standardCost: 7_00 }, ['finance']))
      .then([
        { type: 'ProductCostChanged', data: { productId: 'p-1', standardCost: 7_00, previousStandardCost: 6_00, changedOn: '2025-02-01' } },
      ]);
  });
  it('DiscontinueProduct → ProductDiscontinued; a discontinued product cannot be repriced: ProductDiscontinued', () => {
    const discontinued: ProductEvent = {
      type: 'ProductDiscontinued',
      data: { productId: 'p-1', reason: 'eol', discontinuedOn: '2025-02-01' },
    };
    spec
      .given(registered)
      .when(cmd('DiscontinueProduct', { reason: 'eol' }))
      .then([discontinued]);
    spec
      .given(registered, discontinued)
      .when(cmd('ChangeProductPrice', { listPrice: 1 }))
      .thenThrows('ProductDiscontinued', 'conflict');
    spec.given(registered, discontinued).when(cmd('DiscontinueProduct', {})).then([]);
  });
  it('commands on an unknown product: ProductNotFound', () => {
    spec
      .given()
      .when(cmd('ChangeProductPrice', { listPrice: 1 }))
      .thenThrows('ProductNotFound', 'not_found');
  });
});
