import type { Command, Decider, DomainEvent, Minor } from '@salesline/shared-kernel';
import { assertNever, conflict, everyEventType, forbidden } from '@salesline/shared-kernel';
import { hasAnyRole, notFound, requireDate, ruleViolation } from '@salesline/shared-kernel';

/** The customer file (stream `customer-<id>`): who they are, their terms, and whether they may buy. */
export type CustomerProfile = Readonly<{
  name: string;
  customerGroup: string;
  territory: string;
  ownerId: string;
  paymentTermsDays: number;
}>;

export type CustomerRegistered = DomainEvent<
  'CustomerRegistered',
  CustomerProfile & { customerId: string; creditLimit: Minor; registeredOn: string }
>;
/**
 * Every event carries the business date of its fact (`…On`); events written before schema version 2
 * lacked it and read with their recording day (customer-upcasters.ts, ADR 0115).
 */
export type CustomerDetailsChanged = DomainEvent<
  'CustomerDetailsChanged',
  { customerId: string; changes: Partial<CustomerProfile>; changedOn: string }
>;
export type CreditLimitChanged = DomainEvent<
  'CreditLimitChanged',
  { customerId: string; previousCreditLimit: Minor; creditLimit: Minor; reason: string; changedOn: string }
>;
export type CustomerBlocked = DomainEvent<'CustomerBlocked', { customerId: string; reason: string; blockedOn: string }>;
export type CustomerUnblocked = DomainEvent<'CustomerUnblocked', { customerId: string; reason: string; unblockedOn: string }>;

export type CustomerEvent = CustomerRegistered | CustomerDetailsChanged | CreditLimitChanged | CustomerBlocked | CustomerUnblocked;
export const CUSTOMER_EVENT_TYPES = everyEventType<CustomerEvent>()([
  'CustomerRegistered',
  'CustomerDetailsChanged',
  'CreditLimitChanged',
  'CustomerBlocked',
  'CustomerUnblocked',
]);

/**
 * Whether the owner was an employee of the organization on the date (read by the handler); absent
 * while the company keeps no organization (customers used on their own).
 */
export type OwnerStanding = 'employed' | 'not_employed' | 'not_yet_employed' | 'unknown';
export type RegisterCustomer = Command<
  'RegisterCustomer',
  CustomerProfile & { customerId: string; creditLimit: Minor; registeredOn: string; ownerStanding?: OwnerStanding }
>;
export type ChangeCustomerDetails = Command<
  'ChangeCustomerDetails',
  { changes: Partial<CustomerProfile>; ownerStanding?: OwnerStanding; changedOn?: string }
>;

/**
 * When an organization is kept, a customer's owner must be one of its employees on that date — hired by
 * then and not yet gone: UnknownEmployee, OwnerNotEmployedOnDate (details say `not_yet_hired` or `left`).
 * A customer whose owner leaves later keeps its file and its owner; the next hand-over names an employee
 * (ADR 0114).
 */
const assertOwnerStanding = (ownerId: string, standing: OwnerStanding | undefined, on: string) => {
  if (standing === 'unknown') throw ruleViolation('UnknownEmployee', `${ownerId} is not an employee of the organization`, { ownerId });
  if (standing === 'not_yet_employed')
    throw ruleViolation('OwnerNotEmployedOnDate', `${ownerId} was not yet employed on ${on}`, { ownerId, on, standing: 'not_yet_hired' });
  if (standing === 'not_employed')
    throw ruleViolation('OwnerNotEmployedOnDate', `${ownerId} had left the company by ${on}`, { ownerId, on, standing: 'left' });
};
/** `changedOn` / `blockedOn` / `unblockedOn`: the business date of the decision (default today). */
export type ChangeCreditLimit = Command<'ChangeCreditLimit', { creditLimit: Minor; reason: string; changedOn?: string }>;
export type BlockCustomer = Command<'BlockCustomer', { reason: string; blockedOn?: string }>;
export type UnblockCustomer = Command<'UnblockCustomer', { reason: string; unblockedOn?: string }>;
export type CustomerCommand = RegisterCustomer | ChangeCustomerDetails | ChangeCreditLimit | BlockCustomer | UnblockCustomer;

type Known = CustomerProfile & { customerId: string; creditLimit: Minor };
export type CustomerState =
  | Readonly<{ status: 'unregistered' }>
  | Readonly<{ status: 'active' } & Known>
  | Readonly<{ status: 'blocked'; blockedReason: string } & Known>;

/** Who may set or change a customer's credit limit: finance and sales managers (and admin). */
export const CREDIT_CONTROLLERS = ['finance', 'sales_manager'] as const;
/** Net 30: the longest terms a salesperson may open an account on (longer terms are credit, finance's call). */
export const STANDARD_PAYMENT_TERMS_DAYS = 30;

const assertCreditLimit = (creditLimit: Minor) => {
  if (!Number.isSafeInteger(creditLimit) || creditLimit < 0) {
    throw ruleViolation('InvalidCreditLimit', 'The credit limit must be a non-negative integer number of minor units');
  }
};

const assertPaymentTerms = (days: number | undefined) => {
  if (days !== undefined && (!Number.isInteger(days) || days < 0 || days > 365)) {
    throw ruleViolation('InvalidPaymentTerms', 'Payment terms must be a whole number of days from 0 to 365');
  }
};

const registered = (state: CustomerState): Exclude<CustomerState, { status: 'unregistered' }> => {
  if (state.status === 'unregistered') throw notFound('CustomerNotFound', 'The customer is not registered');
  return state;
};

export const decideCustomer = (command: CustomerCommand, state: CustomerState): CustomerEvent[] => {
  const { actor } = command.context;
  switch (command.type) {
    case 'RegisterCustomer': {
      if (state.status !== 'unregistered') throw conflict('CustomerAlreadyRegistered', 'This customer is already registered');
      assertCreditLimit(command.data.creditLimit);
      assertPaymentTerms(command.data.paymentTermsDays);
      // Granting credit is finance's call: a salesperson opens accounts on cash terms (limit 0).
      if (command.data.creditLimit > 0 && !hasAnyRole(actor, ...CREDIT_CONTROLLERS)) {
        throw forbidden('CreditLimitChangeNotPermitted', 'Only finance or a sales manager may grant a credit limit');
      }
      // A salesperson may not change terms later, so may not set longer-than-standard ones at the start either.
      if (command.data.paymentTermsDays > STANDARD_PAYMENT_TERMS_DAYS && !hasAnyRole(actor, ...CREDIT_CONTROLLERS)) {
        throw forbidden(
          'PaymentTermsChangeNotPermitted',
          `Only finance or a sales manager may grant payment terms beyond ${STANDARD_PAYMENT_TERMS_DAYS} days`,
        );
      }
      const { ownerStanding, ...registration } = command.data;
      assertOwnerStanding(registration.ownerId, ownerStanding, registration.registeredOn);
      return [{ type: 'CustomerRegistered', data: registration }];
    }
    case 'ChangeCustomerDetails': {
      const current = registered(state);
      assertPaymentTerms(command.data.changes.paymentTermsDays);
      const changes = Object.fromEntries(
        Object.entries(command.data.changes).filter(
          ([key, value]) => value !== undefined && current[key as keyof CustomerProfile] !== value,
        ),
      ) as Partial<CustomerProfile>;
      // Terms, group (which sets the price lists, hence the price floor) and ownership are not a salesperson's to move.
      if (!hasAnyRole(actor, ...CREDIT_CONTROLLERS)) {
        if (changes.paymentTermsDays !== undefined) {
          throw forbidden('PaymentTermsChangeNotPermitted', 'Only finance or a sales manager may change payment terms');
        }
        if (changes.customerGroup !== undefined) {
          throw forbidden(
            'CustomerGroupChangeNotPermitted',
            'Only finance or a sales manager may move a customer to another group (it changes its prices)',
          );
        }
        if (changes.ownerId !== undefined)
          throw forbidden('OwnerChangeNotPermitted', 'Only a sales manager may hand a customer to another salesperson');
      }
      const changedOn = requireDate(command.data.changedOn ?? command.context.today, 'changedOn');
      if (changes.ownerId !== undefined) assertOwnerStanding(changes.ownerId, command.data.ownerStanding, changedOn);
      if (Object.keys(changes).length === 0) return [];
      return [{ type: 'CustomerDetailsChanged', data: { customerId: current.customerId, changes, changedOn } }];
    }
    case 'ChangeCreditLimit': {
      const current = registered(state);
      if (!hasAnyRole(actor, ...CREDIT_CONTROLLERS)) {
        throw forbidden('CreditLimitChangeNotPermitted', 'Only finance or a sales manager may change a credit limit');
      }
      assertCreditLimit(command.data.creditLimit);
      const changedOn = requireDate(command.data.changedOn ?? command.context.today, 'changedOn');
      if (current.creditLimit === command.data.creditLimit) return [];
      return [
        {
          type: 'CreditLimitChanged',
          data: {
            customerId: current.customerId,
            previousCreditLimit: current.creditLimit,
            creditLimit: command.data.creditLimit,
            reason: command.data.reason,
            changedOn,
          },
        },
      ];
    }
    case 'BlockCustomer': {
      const current = registered(state);
      if (!hasAnyRole(actor, ...CREDIT_CONTROLLERS))
        throw forbidden('BlockNotPermitted', 'Only finance or a sales manager may block a customer');
      if (current.status === 'blocked') throw conflict('CustomerAlreadyBlocked', 'The customer is already blocked');
      const blockedOn = requireDate(command.data.blockedOn ?? command.context.today, 'blockedOn');
      return [{ type: 'CustomerBlocked', data: { customerId: current.customerId, reason: command.data.reason, blockedOn } }];
    }
    case 'UnblockCustomer': {
      const current = registered(state);
      if (!hasAnyRole(actor, ...CREDIT_CONTROLLERS))
        throw forbidden('BlockNotPermitted', 'Only finance or a sales manager may unblock a customer');
      if (current.status !== 'blocked') throw conflict('CustomerNotBlocked', 'The customer is not blocked');
      const unblockedOn = requireDate(command.data.unblockedOn ?? command.context.today, 'unblockedOn');
      return [{ type: 'CustomerUnblocked', data: { customerId: current.customerId, reason: command.data.reason, unblockedOn } }];
    }
    default:
      return assertNever(command);
  }
};

export const evolveCustomer = (state: CustomerState, event: CustomerEvent): CustomerState => {
  switch (event.type) {
    case 'CustomerRegistered': {
      const { registeredOn: _registeredOn, ...known } = event.data;
      return { status: 'active', ...known };
    }
    case 'CustomerDetailsChanged':
      return state.status === 'unregistered' ? state : { ...state, ...event.data.changes };
    case 'CreditLimitChanged':
      return state.status === 'unregistered' ? state : { ...state, creditLimit: event.data.creditLimit };
    case 'CustomerBlocked':
      return state.status === 'unregistered' ? state : { ...state, status: 'blocked', blockedReason: event.data.reason };
    case 'CustomerUnblocked': {
      if (state.status !== 'blocked') return state;
      const { blockedReason: _reason, ...rest } = state;
      return { ...rest, status: 'active' };
    }
    default:
      return assertNever(event);
  }
};

export const customerDecider: Decider<CustomerState, CustomerCommand, CustomerEvent> = {
  decide: decideCustomer,
  evolve: evolveCustomer,
  initialState: () => ({ status: 'unregistered' }),
};

export const customerStream = (customerId: string) => `customer-${customerId}`;
