import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import {
  EVENT_STORE,
  EventStore,
  executeCommand,
  READ_STORE,
  ReadStore,
  ReadYourWrites,
  RequestContext,
  commandContextOf,
} from '@salesline/core';
import { assignmentOn, EmployeeDoc, employeesProjection } from '@salesline/organization';
import { CommandInput, compareDates } from '@salesline/shared-kernel';
import { CustomerCommand, customerDecider, customerStream, OwnerStanding } from '../domain/customer';
import { CUSTOMER_SCHEMA_VERSION } from './customer-upcasters';

export type CustomerCommandResult = { id: string; position: number; replayed: boolean };

type CustomerCommandInput = CommandInput<CustomerCommand>;

/** One message on the CommandBus for every customer command: the stream and the decider are the same. */
export class ExecuteCustomerCommand extends Command<CustomerCommandResult> {
  constructor(
    readonly customerId: string,
    readonly command: CustomerCommandInput,
    readonly request: RequestContext,
  ) {
    super();
  }
}

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
): Promise<Record<string, OwnerStanding> | null> => {
  await readYourWrites.catchUp([employeesProjection.name]);
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
};

@CommandHandler(ExecuteCustomerCommand)
export class CustomerCommandHandler implements ICommandHandler<ExecuteCustomerCommand, CustomerCommandResult> {
  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    private readonly readYourWrites: ReadYourWrites,
  ) {}

  async execute({ customerId, command, request }: ExecuteCustomerCommand): Promise<CustomerCommandResult> {
    const result = await executeCommand(this.events, {
      streamName: customerStream(customerId),
      decider: customerDecider,
      command: { ...(await this.withOwnerStanding(command, request)), context: commandContextOf(request) } as CustomerCommand,
      request,
      notFoundCode: command.type === 'RegisterCustomer' ? undefined : 'CustomerNotFound',
      schemaVersion: CUSTOMER_SCHEMA_VERSION,
    });
    return { id: customerId, position: result.position, replayed: result.replayed };
  }

  /** A new owner must be an employee on the date, when the company keeps an organization. */
  private async withOwnerStanding(command: CustomerCommandInput, request: RequestContext): Promise<CustomerCommandInput> {
    if (command.type === 'RegisterCustomer') {
      const standing = await organizationStanding(this.readStore, this.readYourWrites, [command.data.ownerId], command.data.registeredOn);
      return standing ? { ...command, data: { ...command.data, ownerStanding: standing[command.data.ownerId] } } : command;
    }
    if (command.type === 'ChangeCustomerDetails' && command.data.changes.ownerId !== undefined) {
      const owner = command.data.changes.ownerId;
      const standing = await organizationStanding(this.readStore, this.readYourWrites, [owner], command.data.changedOn ?? request.today);
      return standing ? { ...command, data: { ...command.data, ownerStanding: standing[owner] } } : command;
    }
    return command;
  }
}
