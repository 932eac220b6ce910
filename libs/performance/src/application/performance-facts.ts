import { Inject, Injectable } from '@nestjs/common';
import { EVENT_STORE, EventStore, RequestContext, loadState, SYSTEM_ACTORS, systemRequest } from '@salesline/core';
import { OrganizationFacts } from '@salesline/organization';
import { DocumentIndex, PriceOverrideApproved, PriceOverrideRejected, PriceOverrideRequested, orderStream } from '@salesline/sales';
import { Actor, eventOf } from '@salesline/shared-kernel';
import { AppraisalEvent } from '../domain/appraisal';
import { APPRAISAL_SCHEME_STREAM, AppraisalSchemeVersion, appraisalSchemeDecider } from '../domain/appraisal-scheme';
import { DISCIPLINE_POLICY_STREAM, DisciplinePolicyVersion, disciplinePolicyDecider } from '../domain/discipline-policy';
import { EmployeeFact } from '../domain/guards';
import { ReviewedAppraisalFact } from '../domain/improvement-plan';
import { PriceOverrideFact } from '../domain/violation';

type OverrideEvent = PriceOverrideRequested | PriceOverrideApproved | PriceOverrideRejected;

export const appraisalStream = (appraisalId: string): string => `appraisal-${appraisalId}`;

/** The performance processes act as the integration account (ADR 0305), on behalf of the event that caused them. */
export const processRequest = (
  cause: { correlationId?: string; causationId: string },
  actor: Actor = SYSTEM_ACTORS.performance,
): RequestContext => systemRequest({ correlationId: cause.correlationId ?? cause.causationId, causationId: cause.causationId }, actor);

/**
 * The cross-stream facts performance commands carry (ADR 0300), read just before deciding: the employee's
 * employment dates, the price-override requests cited as evidence, the policy and scheme versions, the
 * reviewed appraisal behind a plan.
 */
@Injectable()
export class PerformanceFacts {
  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    private readonly organization: OrganizationFacts,
    private readonly documents: DocumentIndex,
  ) {}

  employee(employeeId: string): Promise<EmployeeFact> {
    return this.organization.visitingEmployee(employeeId);
  }

  async disciplinePolicyVersions(): Promise<readonly DisciplinePolicyVersion[]> {
    const { state } = await loadState(this.events, DISCIPLINE_POLICY_STREAM, disciplinePolicyDecider);
    return state.status === 'defined' ? state.versions : [];
  }

  async appraisalSchemeVersions(): Promise<readonly AppraisalSchemeVersion[]> {
    const { state } = await loadState(this.events, APPRAISAL_SCHEME_STREAM, appraisalSchemeDecider);
    return state.status === 'defined' ? state.versions : [];
  }

  /**
   * The order price-override requests (ADR 0102) named as evidence, found through the document index and read
   * from their order's stream; unknown references are left out (the decider answers EvidenceNotFound).
   */
  async priceOverrides(references: readonly string[]): Promise<PriceOverrideFact[]> {
    const facts: PriceOverrideFact[] = [];
    for (const overrideId of new Set(references)) {
      const orderId = await this.documents.orderOfOverride(overrideId);
      if (!orderId) continue;
      const stream = await this.events.readStream(orderStream(orderId));
      const of = eventOf<OverrideEvent>();
      const thisOne = (e: { data: { overrideId: string } }) => e.data.overrideId === overrideId;
      const requested = of(stream, 'PriceOverrideRequested', thisOne)?.data;
      if (!requested) continue;
      const status = of(stream, 'PriceOverrideApproved', thisOne)
        ? 'approved'
        : of(stream, 'PriceOverrideRejected', thisOne)
          ? 'rejected'
          : 'requested';
      facts.push({ overrideId, salespersonId: requested.salespersonId, requestedOn: requested.requestedOn, status });
    }
    return facts;
  }

  /** The appraisal as its review left it: the plan the review named (ADR 0309); null when not reviewed. */
  async reviewedAppraisal(appraisalId: string): Promise<ReviewedAppraisalFact> {
    const stream = await this.events.readStream(appraisalStream(appraisalId));
    const review = eventOf<AppraisalEvent>()(stream, 'AppraisalReviewed')?.data;
    return review
      ? {
          appraisalId: review.appraisalId,
          employeeId: review.employeeId,
          period: review.period,
          reviewedOn: review.reviewedOn,
          improvementPlan: review.improvementPlan,
        }
      : null;
  }
}
