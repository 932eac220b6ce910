import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { EVENT_STORE, EventStore, executeCommand, RequestContext, commandContextOf } from '@salesline/core';
import { CommandInput } from '@salesline/shared-kernel';
import { CustomerCommand, customerDecider, customerStream } from '../domain/customer';

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

@CommandHandler(ExecuteCustomerCommand)
export class CustomerCommandHandler implements ICommandHandler<ExecuteCustomerCommand, CustomerCommandResult> {
  constructor(@Inject(EVENT_STORE) private readonly events: EventStore) {}

  async execute({ customerId, command, request }: ExecuteCustomerCommand): Promise<CustomerCommandResult> {
    const result = await executeCommand(this.events, {
      streamName: customerStream(customerId),
      decider: customerDecider,
      command: { ...command, context: commandContextOf(request) } as CustomerCommand,
      request,
      notFoundCode: command.type === 'RegisterCustomer' ? undefined : 'CustomerNotFound',
    });
    return { id: customerId, position: result.position, replayed: result.replayed };
  }
}
