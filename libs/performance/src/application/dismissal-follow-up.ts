import { Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { CausingEvent, causationIdOf, ProcessManagerRegistry, ReportingProcessManager, SYSTEM_ACTORS } from '@salesline/core';
import { ExecuteOrganizationCommand, OrganizationFacts } from '@salesline/organization';
import { DomainError } from '@salesline/shared-kernel';
import { DisciplinaryCaseClosed, dismissalFollowUp } from '../domain/disciplinary-case';
import { processRequest } from './performance-facts';

export type DismissalRecorded = { employeeId: string; leftOn: string; position: number } | null;

/**
 * A dismissal ends the employee's assignment (ADR 0305): on `DisciplinaryCaseClosed` with `endsEmployment`, records
 * SalespersonLeft on `employee-<id>`. The two streams are not written atomically; the follow-up looks at the
 * employee first, so running it again (inline, then from the subscription) records nothing twice.
 */
@Injectable()
export class DismissalFollowUp extends ReportingProcessManager<DismissalRecorded> {
  readonly name = 'dismissal-follow-up';
  readonly handles = ['DisciplinaryCaseClosed'] satisfies DisciplinaryCaseClosed['type'][];

  constructor(
    private readonly organization: OrganizationFacts,
    private readonly commandBus: CommandBus,
    registry: ProcessManagerRegistry,
  ) {
    super(registry);
  }

  async reactAndReport(event: CausingEvent): Promise<DismissalRecorded> {
    if (event.type !== 'DisciplinaryCaseClosed') return null;
    const followUp = dismissalFollowUp(event as DisciplinaryCaseClosed);
    if (!followUp) return null;
    const employee = await this.organization.employee(followUp.employeeId);
    if (employee.status !== 'active') return null; // already left: nothing to do
    const causationId = causationIdOf(event, `dismissal:${(event as DisciplinaryCaseClosed).data.caseId}`);
    // Recording a leaver is the administrative department's act (ADR 0200).
    const request = processRequest({ correlationId: event.metadata?.correlationId, causationId }, SYSTEM_ACTORS.performanceDismissal);
    try {
      const result = await this.commandBus.execute(
        new ExecuteOrganizationCommand(
          {
            kind: 'employee',
            id: followUp.employeeId,
            command: { type: 'RecordSalespersonLeft', data: { leftOn: followUp.leftOn, reason: followUp.reason } },
          },
          request,
        ),
      );
      return { employeeId: followUp.employeeId, leftOn: followUp.leftOn, position: result.position };
    } catch (err) {
      // The other run (inline or subscription) got there first.
      if (err instanceof DomainError && err.code === 'EmployeeHasLeft') return null;
      throw err;
    }
  }
}
