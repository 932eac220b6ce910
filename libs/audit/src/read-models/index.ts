import { AnyProjection } from '@salesline/core';
import { auditLinksProjection } from './audit-links.projection';
import { auditTimelineProjection } from './audit-timeline.projection';
import { webhooksProjection } from './webhooks.projection';

/** The audit read models: this context's one registration, run by every deployment (`@salesline/composition`). */
export const auditProjections: AnyProjection[] = [auditTimelineProjection, auditLinksProjection, webhooksProjection];

export * from './audit-timeline.projection';
export * from './audit-links.projection';
export * from './webhooks.projection';
