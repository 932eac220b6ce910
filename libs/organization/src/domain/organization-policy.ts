import { Actor, forbidden, hasAnyRole } from '@salesline/shared-kernel';

/**
 * Who may change what in the sales organization (ADR 0200).
 * - Structure (regions, branches, agents, teams): sales_manager or admin_department.
 * - Staff (hire, transfer, leave, territories): sales_manager or admin_department.
 * `admin` passes every check (hasAnyRole).
 */
export const assertMayManageOrganization = (actor: Actor): void => {
  if (!hasAnyRole(actor, 'sales_manager', 'admin_department'))
    throw forbidden(
      'NotAllowedToManageOrganization',
      'Only a sales manager or the administrative department may change the sales organization',
    );
};

export const assertMayManageStaff = (actor: Actor): void => {
  if (!hasAnyRole(actor, 'sales_manager', 'admin_department'))
    throw forbidden(
      'NotAllowedToManageStaff',
      'Only a sales manager or the administrative department may hire, assign, transfer or release salespeople',
    );
};

/** The employee id of the acting user (ADR 0200: a salesperson's userId is their employeeId). */
export const isSelf = (actor: Actor, employeeId: string): boolean => actor.userId === employeeId;

export const isAdmin = (actor: Actor): boolean => actor.roles.includes('admin');
