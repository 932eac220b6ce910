import { randomUUID } from 'node:crypto';
import { deterministicId, isValidId } from '@salesline/shared-kernel';
import { RequestContext } from '../commands/request-context';
import { validationFailed } from './errors';

/** A new entity's id: derived from the Idempotency-Key when there is one, so a retry addresses the same stream. */
export const newEntityId = (kind: string, ctx: RequestContext): string =>
  ctx.idempotencyKey ? deterministicId(`${kind}:${ctx.actor.userId}:${ctx.idempotencyKey}`) : randomUUID();

/** Path ids become stream names: refuse anything that is not a plain id. */
export const assertId = (id: string, field = 'id'): string => {
  if (!isValidId(id)) throw validationFailed([{ field, reason: 'must be 1-64 letters, digits, _ or -' }]);
  return id;
};
