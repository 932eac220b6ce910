import { Inject } from '@nestjs/common';
import { CommandHandler } from '@nestjs/cqrs';
import { defineAggregate, EVENT_STORE, EventStore, READ_STORE, ReadStore } from '@salesline/core';
import { ReadYourWrites, RequestContext, route, RoutedCommand, RoutedCommandHandler } from '@salesline/core';
import { assignmentOn, EmployeeDoc, employeesProjection } from '@salesline/organization';
import { CommandInput, compareDates } from '@salesline/shared-kernel';
import { CustomerCommand, customerDecider, customerStream, OwnerStanding } from '../domain/customer';
import { CUSTOMER_SCHEMA_VERSION } from './customer-upcasters';

/** The customer aggregate: `customer-<id>`, created by RegisterCustomer. */
export const CUSTOMER = defineAggregate({
  streamName: customerStream,
  decider: customerDecider,
  notFound: { code: 'CustomerNotFound', unless: ['RegisterCustomer'] },
  schemaVersion: CUSTOMER_SCHEMA_VERSION,
});

/** The customers context's route table: a new owner is checked against the organization on the date. */
export const customerRoutes = (readStore: ReadStore, readYourWrites: ReadYourWrites) => ({
  customer: route(CUSTOMER, (command: CommandInput<CustomerCommand>, _state, { request }) =>
    withOwnerStanding(readStore, readYourWrites, command, request),
  ),
});
export type CustomerRoutes = ReturnType<typeof customerRoutes>;

/** One message on the CommandBus for every customer command. */
export class ExecuteCustomerCommand extends RoutedCommand<CustomerRoutes> {}

/**
 * Each person's standing in the organization on a date: employed, not employed then, or not an
 * employee at all; null while the company keeps no organization. Used for customer owners and for
 * the salespeople credited on an order.
 */
export const organizationStanding = async (
  readStore: ReadStore,
  readYourWrites: ReadYourWrites,
  people: readonly string[],
  on: string,
): Promise<Readonly<Record<string, OwnerStanding>> | null> =>
  // Kept until an employee event follows: an order or a registration asks the same for every request.
  readYourWrites.caughtUp(employeesProjection.name, `${people.join(',')}|${on}`, async () => {
    if ((await readStore.count(employeesProjection.collection, {})) === 0) return null;
    const standing: Record<string, OwnerStanding> = {};
    for (const id of people) {
      const employee = await readStore.get<EmployeeDoc>(employeesProjection.collection, id);
      standing[id] = !employee
        ? 'unknown'
        : assignmentOn(employee.history, on)
          ? 'employed'
          : employee.history.every((i) => compareDates(i.from, on) > 0)
            ? 'not_yet_employed'
            : 'not_employed';
    }
    return standing;
  });

@CommandHandler(ExecuteCustomerCommand)
export class CustomerCommandHandler extends RoutedCommandHandler<CustomerRoutes> {
  constructor(@Inject(EVENT_STORE) events: EventStore, @Inject(READ_STORE) readStore: ReadStore, readYourWrites: ReadYourWrites) {
    super(events, customerRoutes(readStore, readYourWrites));
  }
}

/** A new owner must be an employee on the date, when the company keeps an organization. */
const withOwnerStanding = async (
  readStore: ReadStore,
  readYourWrites: ReadYourWrites,
  command: CommandInput<CustomerCommand>,
  request: RequestContext,
): Promise<CommandInput<CustomerCommand>> => {
  if (command.type === 'RegisterCustomer') {
    const standing = await organizationStanding(readStore, readYourWrites, [command.data.ownerId], command.data.registeredOn);
    return standing ? { ...command, data: { ...command.data, ownerStanding: standing[command.data.ownerId] } } : command;
  }
  if (command.type === 'ChangeCustomerDetails' && command.data.changes.ownerId !== undefined) {
    const owner = command.data.changes.ownerId;
    const standing = await organizationStanding(readStore, readYourWrites, [owner], command.data.changedOn ?? request.today);
    return standing ? { ...command, data: { ...command.data, ownerStanding: standing[owner] } } : command;
  }
  return command;
};
