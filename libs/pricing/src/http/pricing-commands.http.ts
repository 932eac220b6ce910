import { CommandBus } from '@nestjs/cqrs';
import { assertId, RequestContext } from '@salesline/core';
import { ExecutePricingCommand, PricingTarget } from '../application/pricing-commands';
import { CommandAccepted } from './pricing.dto';

/** Sends a pricing command and answers `{ id, position }` (path ids checked before they name a stream). */
export const sendPricingCommand = async (commandBus: CommandBus, target: PricingTarget, ctx: RequestContext): Promise<CommandAccepted> => {
  assertId(target.id);
  const { position } = await commandBus.execute(new ExecutePricingCommand(target, ctx));
  return { id: target.id, position };
};
