import { Role } from '@salesline/shared-kernel';

/**
 * Who reads which read models (admin reads everything): the one declaration of the reader role groups that
 * the read endpoints name in `@Roles(...)`. The permission table (`apps/api/src/permissions.ts`) is what the guard
 * enforces, with each operation's scope (a salesperson reads only their own appraisal, a manager their team's);
 * docs/security.md shows the result.
 */
export const READERS = {
  /** The order board, its reports and the backlog. */
  orders: ['salesperson', 'sales_manager', 'finance', 'analyst', 'auditor'],
  receivables: ['finance', 'sales_manager', 'analyst', 'auditor'],
  /** Regions, teams and employees. */
  organization: ['salesperson', 'sales_manager', 'admin_department', 'finance', 'analyst', 'auditor'],
  territoryObjections: ['salesperson', 'sales_manager', 'admin_department', 'analyst', 'auditor'],
  targets: ['salesperson', 'sales_manager', 'finance', 'analyst', 'admin_department', 'auditor'],
  salesProgress: ['sales_manager', 'finance', 'analyst', 'admin_department', 'auditor'],
  /** Meetings, violations and disciplinary cases. */
  conduct: ['sales_manager', 'admin_department', 'auditor'],
  /** Appraisals and their reports (besides the appraised salesperson). */
  appraisals: ['sales_manager', 'admin_department', 'analyst', 'auditor'],
} as const satisfies Record<string, readonly Role[]>;
