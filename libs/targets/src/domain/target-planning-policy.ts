import { Actor, forbidden, hasAnyRole } from '@salesline/shared-kernel';

/** Targets and budgets are set, finalized and revised by sales management or finance (ADR 0203). */
export const assertMayPlanTargets = (actor: Actor): void => {
  if (!hasAnyRole(actor, 'sales_manager', 'finance'))
    throw forbidden('NotAllowedToPlanTargets', 'Only a sales manager or finance may set, finalize or revise targets');
};
