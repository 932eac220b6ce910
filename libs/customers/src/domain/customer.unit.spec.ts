import { commandOf, deciderSpec } from '@salesline/shared-kernel/testing';
import { Role } from '@salesline/shared-kernel';
import { CustomerCommand, customerDecider, CustomerEvent, OwnerStanding } from './customer';

const spec = deciderSpec(customerDecider);
const as = (...roles: Role[]) => ({ roles, userId: 'u-1' });

const profile = { name: 'Acme GmbH', customerGroup: 'wholesale', territory: 'north', ownerId: 'sp-anna', paymentTermsDays: 30 };
const registered: CustomerEvent = {
  type: 'CustomerRegistered',
  data: { customerId: 'c-1', ...profile, creditLimit: 500_000, registeredOn: '2026-01-10' },
};
const blocked: CustomerEvent = { type: 'CustomerBlocked', data: { customerId: 'c-1', reason: 'fraud check', blockedOn: '2026-02-03' } };
const TODAY = '2025-01-15'; // commandOf's today
const cmd = <T extends CustomerCommand>(type: T['type'], data: T['data'], roles: Role[] = ['finance']) =>
  commandOf<CustomerCommand>(type, data, as(...roles)) as T;

describe('Customer file', () => {
  describe('RegisterCustomer', () => {
    const register = (creditLimit: number, roles: Role[]) =>
      cmd('RegisterCustomer', { customerId: 'c-1', ...profile, creditLimit, registeredOn: '2026-01-10' }, roles);

    it('records CustomerRegistered with its terms', () => {
      spec
        .given()
        .when(register(500_000, ['finance']))
        .then([registered]);
    });

    it('when an organization is kept, the owner must be an employee on the registration date: UnknownEmployee, OwnerNotEmployedOnDate', () => {
      const withStanding = (ownerStanding: 'employed' | 'not_employed' | 'not_yet_employed' | 'unknown') =>
        cmd('RegisterCustomer', { customerId: 'c-1', ...profile, creditLimit: 500_000, registeredOn: '2026-01-10', ownerStanding });
      spec.given().when(withStanding('unknown')).thenThrows('UnknownEmployee', 'rule', { ownerId: 'sp-anna' });
      spec
        .given()
        .when(withStanding('not_yet_employed'))
        .thenThrows('OwnerNotEmployedOnDate', 'rule', { ownerId: 'sp-anna', on: '2026-01-10', standing: 'not_yet_hired' });
      // an owner who had already left on that date is refused too (ADR 0114)
      spec
        .given()
        .when(withStanding('not_employed'))
        .thenThrows('OwnerNotEmployedOnDate', 'rule', { ownerId: 'sp-anna', on: '2026-01-10', standing: 'left' });
      spec.given().when(withStanding('employed')).then([registered]); // the standing is a fact for the check, not recorded
      // without an organization (no standing read) any owner id is taken
      spec
        .given()
        .when(cmd('RegisterCustomer', { customerId: 'c-1', ...profile, creditLimit: 500_000, registeredOn: '2026-01-10' }))
        .then([registered]);
    });

    it('hands a customer over only to an employee on the hand-over date: UnknownEmployee, OwnerNotEmployedOnDate', () => {
      const handOver = (ownerStanding: OwnerStanding, changedOn = '2026-02-01') =>
        cmd('ChangeCustomerDetails', { changes: { ownerId: 'sp-ben' }, ownerStanding, changedOn }, ['sales_manager']);
      spec.given(registered).when(handOver('unknown')).thenThrows('UnknownEmployee');
      spec
        .given(registered)
        .when(handOver('not_yet_employed'))
        .thenThrows('OwnerNotEmployedOnDate', 'rule', { ownerId: 'sp-ben', on: '2026-02-01', standing: 'not_yet_hired' });
      spec
        .given(registered)
        .when(handOver('not_employed'))
        .thenThrows('OwnerNotEmployedOnDate', 'rule', { ownerId: 'sp-ben', on: '2026-02-01', standing: 'left' });
      spec
        .given(registered)
        .when(handOver('employed'))
        .then([{ type: 'CustomerDetailsChanged', data: { customerId: 'c-1', changes: { ownerId: 'sp-ben' }, changedOn: '2026-02-01' } }]);
    });

    it('keeps a customer whose owner has left: other details still change, and the owner is not re-checked', () => {
      // sp-anna has left; the handler reads no standing when the owner does not change
      spec
        .given(registered)
        .when(
          cmd('ChangeCustomerDetails', { changes: { name: 'Acme AG', ownerId: 'sp-anna' }, changedOn: '2026-03-01' }, ['sales_manager']),
        )
        .then([{ type: 'CustomerDetailsChanged', data: { customerId: 'c-1', changes: { name: 'Acme AG' }, changedOn: '2026-03-01' } }]);
    });

    it('lets a salesperson open a customer on cash terms (credit limit 0)', () => {
      spec
        .given()
        .when(register(0, ['salesperson']))
        .then([{ ...registered, data: { ...registered.data, creditLimit: 0 } }]);
    });

    it('refuses a credit limit granted by a salesperson: CreditLimitChangeNotPermitted', () => {
      spec
        .given()
        .when(register(100, ['salesperson']))
        .thenThrows('CreditLimitChangeNotPermitted', 'forbidden');
    });

    it('refuses payment terms beyond net 30 from a salesperson, who could not change them later: PaymentTermsChangeNotPermitted', () => {
      const terms = (days: number, roles: Role[]) =>
        cmd(
          'RegisterCustomer',
          { customerId: 'c-1', ...profile, paymentTermsDays: days, creditLimit: 0, registeredOn: '2026-01-10' },
          roles,
        );
      spec
        .given()
        .when(terms(90, ['salesperson']))
        .thenThrows('PaymentTermsChangeNotPermitted', 'forbidden');
      spec
        .given()
        .when(terms(14, ['salesperson']))
        .then([{ ...registered, data: { ...registered.data, creditLimit: 0, paymentTermsDays: 14 } }]);
      spec
        .given()
        .when(terms(90, ['finance']))
        .then([{ ...registered, data: { ...registered.data, creditLimit: 0, paymentTermsDays: 90 } }]);
    });

    it('refuses a negative or fractional credit limit: InvalidCreditLimit', () => {
      spec
        .given()
        .when(register(-1, ['finance']))
        .thenThrows('InvalidCreditLimit');
      spec
        .given()
        .when(register(10.5, ['finance']))
        .thenThrows('InvalidCreditLimit');
    });

    it('refuses payment terms outside 0..365 days: InvalidPaymentTerms', () => {
      const command = cmd('RegisterCustomer', {
        customerId: 'c-1',
        ...profile,
        paymentTermsDays: 400,
        creditLimit: 0,
        registeredOn: '2026-01-10',
      });
      spec.given().when(command).thenThrows('InvalidPaymentTerms');
    });

    it('refuses a second registration: CustomerAlreadyRegistered', () => {
      spec
        .given(registered)
        .when(register(0, ['finance']))
        .thenThrows('CustomerAlreadyRegistered', 'conflict');
    });
  });

  describe('ChangeCustomerDetails', () => {
    it('records only the fields that really change', () => {
      spec
        .given(registered)
        .when(cmd('ChangeCustomerDetails', { changes: { territory: 'south', name: 'Acme GmbH' } }, ['salesperson']))
        .then([{ type: 'CustomerDetailsChanged', data: { customerId: 'c-1', changes: { territory: 'south' }, changedOn: TODAY } }]);
    });

    it('is a no-op when nothing changes', () => {
      spec
        .given(registered)
        .when(cmd('ChangeCustomerDetails', { changes: { name: 'Acme GmbH' } }, ['salesperson']))
        .then([]);
    });

    it('keeps payment terms with finance: PaymentTermsChangeNotPermitted', () => {
      spec
        .given(registered)
        .when(cmd('ChangeCustomerDetails', { changes: { paymentTermsDays: 90 } }, ['salesperson']))
        .thenThrows('PaymentTermsChangeNotPermitted', 'forbidden');
    });

    it('keeps the customer group and the owner with managers: CustomerGroupChangeNotPermitted, OwnerChangeNotPermitted', () => {
      spec
        .given(registered)
        .when(cmd('ChangeCustomerDetails', { changes: { customerGroup: 'vip' } }, ['salesperson']))
        .thenThrows('CustomerGroupChangeNotPermitted', 'forbidden');
      spec
        .given(registered)
        .when(cmd('ChangeCustomerDetails', { changes: { ownerId: 'sp-bob' } }, ['salesperson']))
        .thenThrows('OwnerChangeNotPermitted', 'forbidden');
      spec
        .given(registered)
        .when(cmd('ChangeCustomerDetails', { changes: { customerGroup: 'vip' } }, ['sales_manager']))
        .then([{ type: 'CustomerDetailsChanged', data: { customerId: 'c-1', changes: { customerGroup: 'vip' }, changedOn: TODAY } }]);
    });

    it('needs a registered customer: CustomerNotFound', () => {
      spec
        .given()
        .when(cmd('ChangeCustomerDetails', { changes: { name: 'x' } }))
        .thenThrows('CustomerNotFound', 'not_found');
    });
  });

  describe('ChangeCreditLimit', () => {
    it('records the previous and the new limit with the reason, on the business date of the decision', () => {
      spec
        .given(registered)
        .when(cmd('ChangeCreditLimit', { creditLimit: 750_000, reason: 'annual review', changedOn: '2026-02-01' }, ['sales_manager']))
        .then([
          {
            type: 'CreditLimitChanged',
            data: {
              customerId: 'c-1',
              previousCreditLimit: 500_000,
              creditLimit: 750_000,
              reason: 'annual review',
              changedOn: '2026-02-01',
            },
          },
        ]);
    });

    it('dates an undated change today, and refuses a date that is not a calendar date: InvalidBusinessDate', () => {
      spec
        .given(registered)
        .when(cmd('ChangeCreditLimit', { creditLimit: 0, reason: 'risk' }))
        .then([
          {
            type: 'CreditLimitChanged',
            data: { customerId: 'c-1', previousCreditLimit: 500_000, creditLimit: 0, reason: 'risk', changedOn: TODAY },
          },
        ]);
      spec
        .given(registered)
        .when(cmd('ChangeCreditLimit', { creditLimit: 0, reason: 'risk', changedOn: '2026-02-30' }))
        .thenThrows('InvalidBusinessDate');
    });

    it('is finance or manager only: CreditLimitChangeNotPermitted', () => {
      spec
        .given(registered)
        .when(cmd('ChangeCreditLimit', { creditLimit: 1, reason: 'x' }, ['salesperson']))
        .thenThrows('CreditLimitChangeNotPermitted', 'forbidden');
    });

    it('admin passes every role check', () => {
      const state = spec
        .given(registered)
        .when(cmd('ChangeCreditLimit', { creditLimit: 1, reason: 'x' }, ['admin']))
        .events();
      expect(state).toHaveLength(1);
    });
  });

  describe('BlockCustomer / UnblockCustomer', () => {
    it('blocks, then unblocks, each on its business date (today when none is given)', () => {
      const state = spec
        .given(registered)
        .when(cmd('BlockCustomer', { reason: 'fraud check', blockedOn: '2026-02-03' }))
        .then([blocked]);
      expect(state.status).toBe('blocked');
      const after = spec
        .given(registered, blocked)
        .when(cmd('UnblockCustomer', { reason: 'cleared', unblockedOn: '2026-02-10' }))
        .then([{ type: 'CustomerUnblocked', data: { customerId: 'c-1', reason: 'cleared', unblockedOn: '2026-02-10' } }]);
      expect(after.status).toBe('active');
      spec
        .given(registered)
        .when(cmd('BlockCustomer', { reason: 'fraud check' }))
        .then([{ type: 'CustomerBlocked', data: { customerId: 'c-1', reason: 'fraud check', blockedOn: TODAY } }]);
      spec
        .given(registered, blocked)
        .when(cmd('UnblockCustomer', { reason: 'cleared' }))
        .then([{ type: 'CustomerUnblocked', data: { customerId: 'c-1', reason: 'cleared', unblockedOn: TODAY } }]);
    });

    it('refuses to block twice or unblock an active customer', () => {
      spec
        .given(registered, blocked)
        .when(cmd('BlockCustomer', { reason: 'again' }))
        .thenThrows('CustomerAlreadyBlocked', 'conflict');
      spec
        .given(registered)
        .when(cmd('UnblockCustomer', { reason: 'x' }))
        .thenThrows('CustomerNotBlocked', 'conflict');
    });

    it('is finance or manager only: BlockNotPermitted', () => {
      spec
        .given(registered)
        .when(cmd('BlockCustomer', { reason: 'x' }, ['salesperson']))
        .thenThrows('BlockNotPermitted', 'forbidden');
    });
  });
});
