import type { Upcaster } from '@salesline/core';
import { TriggeringFact } from '../domain/discipline-evaluator';
import { thresholdCrossedOn } from '../domain/disciplinary-case';

/**
 * Disciplinary cases are written at schema version 2 (issue 8 §3): `DisciplinaryCaseOpened.openedOn` is the
 * day the rule's threshold was crossed, and `recordedOn` the day the case was written. Version 1 dated the case
 * by the day it was written: that day becomes its `recordedOn`, and `openedOn` is read from its triggering facts.
 */
export const DISCIPLINARY_CASE_SCHEMA_VERSION = 2;

export const performanceUpcasters: Upcaster[] = [
  {
    type: 'DisciplinaryCaseOpened',
    fromVersion: 1,
    upcast: (data: { openedOn: string; triggeringFacts: TriggeringFact[]; recordedOn?: string }) => ({
      ...data,
      openedOn: data.triggeringFacts.length > 0 ? thresholdCrossedOn(data.triggeringFacts) : data.openedOn,
      recordedOn: data.recordedOn ?? data.openedOn,
    }),
  },
];
