import { EventStore } from '../event-store/event-store.port';
import { AnyProjection } from '../projections/projection';
import { applyEventsToProjection } from '../projections/apply-events';
import { ReadStore, StoredDocument } from '../read-store/read-store.port';

export type ProjectionDifference = { projection: string; id: string; kind: 'missing' | 'unexpected' | 'different'; detail: string };
export type VerifyReport = {
  projection: string;
  checkpoint: number;
  documents: number;
  skippedAhead: number;
  differences: ProjectionDifference[];
};

const canonical = (value: unknown): string => {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
};

const differingFields = (live: Record<string, unknown>, rebuilt: Record<string, unknown>): string =>
  [...new Set([...Object.keys(live), ...Object.keys(rebuilt)])]
    .filter((k) => canonical(live[k]) !== canonical(rebuilt[k]))
    .map((k) => `${k}: live ${canonical(live[k]).slice(0, 120)} ≠ rebuilt ${canonical(rebuilt[k]).slice(0, 120)}`)
    .join('; ');

/**
 * Rebuilds one projection into a scratch store up to the live checkpoint and compares the two,
 * document by document. Documents the live runner moved past that checkpoint while we read
 * are skipped (counted), not reported.
 */
export const verifyProjection = async (
  events: EventStore,
  live: ReadStore,
  scratch: ReadStore,
  projection: AnyProjection,
): Promise<VerifyReport> => {
  const checkpoint = await live.getCheckpoint(projection.name);
  const scratchCheckpoint = `${projection.name}__verify`;
  await scratch.dropCollection(projection.collection);
  await scratch.setCheckpoint(scratchCheckpoint, 0);
  let after = 0;
  for (;;) {
    const batch = (await events.readAll({ afterPosition: after, maxCount: 1000, filter: { eventTypes: projection.handles } })).filter(
      (e) => e.position <= checkpoint,
    );
    if (batch.length === 0) break;
    const next = batch[batch.length - 1].position;
    await applyEventsToProjection(scratch, projection, batch, scratchCheckpoint, projection.collection, after, next);
    after = next;
  }
  const liveDocs = new Map((await live.find<StoredDocument>(projection.collection)).map((d) => [d.id, d]));
  const rebuiltDocs = new Map((await scratch.find<StoredDocument>(projection.collection)).map((d) => [d.id, d]));
  const differences: ProjectionDifference[] = [];
  let skippedAhead = 0;
  for (const [id, doc] of liveDocs) {
    if (doc._position > checkpoint) {
      skippedAhead++;
      continue;
    }
    const rebuilt = rebuiltDocs.get(id);
    if (!rebuilt)
      differences.push({ projection: projection.name, id, kind: 'unexpected', detail: 'in the live read model, not in the rebuild' });
    else if (canonical(doc) !== canonical(rebuilt))
      differences.push({ projection: projection.name, id, kind: 'different', detail: differingFields(doc, rebuilt) });
  }
  for (const id of rebuiltDocs.keys()) {
    if (!liveDocs.has(id))
      differences.push({ projection: projection.name, id, kind: 'missing', detail: 'in the rebuild, not in the live read model' });
  }
  return { projection: projection.name, checkpoint, documents: rebuiltDocs.size, skippedAhead, differences };
};

export const verifyProjections = async (
  events: EventStore,
  live: ReadStore,
  scratch: ReadStore,
  projections: readonly AnyProjection[],
): Promise<VerifyReport[]> => {
  const reports: VerifyReport[] = [];
  for (const projection of projections) reports.push(await verifyProjection(events, live, scratch, projection));
  return reports;
};
