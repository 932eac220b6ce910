/**
 * Who may do what in conduct and appraisal (ADR 0300). `admin` passes every check (hasAnyRole).
 * A salesperson's userId is their employeeId (ADR 0200): nobody records, judges or reviews their own conduct.
 */
import { Actor, forbidden, hasAnyRole } from '@salesline/shared-kernel';

export const isSelf = (actor: Actor, employeeId: string): boolean => actor.userId === employeeId;

/** Record conduct facts (meetings, attendance, violations): a sales manager or the administrative department. */
export const assertMayRecordConduct = (actor: Actor, employeeId?: string): void => {
  if (!hasAnyRole(actor, 'sales_manager', 'admin_department'))
    throw forbidden(
      'NotAllowedToRecordConduct',
      'Only a sales manager or the administrative department records meetings, attendance and violations',
    );
  if (employeeId !== undefined && isSelf(actor, employeeId))
    throw forbidden('CannotRecordOwnConduct', 'Nobody records facts about their own conduct');
};

/** Configure policies and schemes: a sales manager or the administrative department. */
export const assertMayConfigurePerformance = (actor: Actor): void => {
  if (!hasAnyRole(actor, 'sales_manager', 'admin_department'))
    throw forbidden(
      'NotAllowedToConfigurePerformance',
      'Only a sales manager or the administrative department defines discipline policies and appraisal schemes',
    );
};

/** Run processes (open cases from the policy, score appraisals): managers, the administrative department or the integration account. */
export const assertMayRunPerformanceProcess = (actor: Actor): void => {
  if (!hasAnyRole(actor, 'sales_manager', 'admin_department', 'integration'))
    throw forbidden(
      'NotAllowedToRunPerformanceProcess',
      'Only a sales manager, the administrative department or the integration account runs discipline and appraisal',
    );
};

/** Judge someone (close a case, review an appraisal or a plan, excuse an absence): a sales manager, never about themselves. */
export const assertIsManagerOf = (actor: Actor, employeeId: string, code: string, what: string): void => {
  if (!hasAnyRole(actor, 'sales_manager')) throw forbidden('ManagerRequired', `Only a sales manager may ${what}`);
  if (isSelf(actor, employeeId)) throw forbidden(code, `Nobody may ${what} for themselves`);
};
