/**
 * A configuration kept as numbered versions on one stream, the appraisal scheme and the discipline policy (ADR 0311):
 * each version applies from its `effectiveFrom` until the next one, so a new version must start after the latest.
 */
import type { BusinessDate } from '@salesline/shared-kernel';
import { appended, compareDates, conflict } from '@salesline/shared-kernel';

export type Version = Readonly<{ version: number; effectiveFrom: BusinessDate }>;
export type VersionsState<V extends Version> = Readonly<{ status: 'undefined' }> | Readonly<{ status: 'defined'; versions: readonly V[] }>;

export const initialVersionsState = <V extends Version>(): VersionsState<V> => ({ status: 'undefined' });

/** The number of the next version, effective from `effectiveFrom`: a conflict `code` unless it starts after the latest. */
export const nextVersion = (state: VersionsState<Version>, effectiveFrom: BusinessDate, code: string): number => {
  const latest = state.status === 'defined' ? state.versions.at(-1)! : null;
  if (latest && compareDates(effectiveFrom, latest.effectiveFrom) <= 0)
    throw conflict(code, `Version ${latest.version} takes effect on ${latest.effectiveFrom}; a new version must start later`, {
      previous: latest.effectiveFrom,
    });
  return (latest?.version ?? 0) + 1;
};

/** The evolve of a stream whose one event defines a version (`versionOf` reads it from the event). */
export const evolveVersions =
  <V extends Version, E>(versionOf: (event: E) => V) =>
  (state: VersionsState<V>, event: E): VersionsState<V> => ({
    status: 'defined',
    versions: appended(state.status === 'defined' ? state.versions : [], versionOf(event)),
  });

/** The version in effect on a date (the latest whose effectiveFrom is on or before it); null before the first. */
export const versionInEffect = <V extends Version>(versions: readonly V[], date: BusinessDate): V | null =>
  [...versions].filter((v) => compareDates(v.effectiveFrom, date) <= 0).sort((a, b) => b.version - a.version)[0] ?? null;
