import { generateDemo } from '@salesline/demo/demo-company';
import type { RecordedEvent } from '@salesline/core';
import { allProjections } from '@salesline/composition';
import { documentationOf, documentFields, observedSources } from '@salesline/composition/testing';
import { ADMIN_TOKEN, startInProcessApp, tokenFor } from './support/in-process-app';
import { ROOT } from './support/built-server';

jest.setTimeout(300_000);

/**
 * docs/read-models.md names, for each field, the events that set it. Here a company's months of
 * activity, recorded through the API, are folded through every projection's own evolve: any event
 * that sets or changes a field must be named as one of its sources.
 */
describe('docs/read-models.md names the source of every value the projections write', () => {
  it('folds the demo company through every projection and finds no undocumented source', async () => {
    const app = await startInProcessApp();
    try {
      await generateDemo(app.baseUrl, ADMIN_TOKEN, { seed: 11, size: { salespeoplePerTeam: 2, customers: 12, products: 5, months: 4 } });
      const token = await tokenFor(app.http, 'doc-reader', 'integration');
      const log: RecordedEvent[] = [];
      for (let after = 0; ;) {
        const page = await app.http.get(`/api/events?after=${after}&limit=1000`, token);
        if (page.body.events.length === 0) break;
        log.push(...page.body.events.map((e: RecordedEvent & { stream: string }) => ({ ...e, streamName: e.stream })));
        after = page.body.next;
      }
      expect(log.length).toBeGreaterThan(1000);
      const observed = observedSources(allProjections, documentFields(ROOT, allProjections), log);
      const notes = Object.fromEntries(allProjections.map((p) => [p.collection, documentationOf(p)]));
      const undocumented = Object.entries(observed).flatMap(([collection, byField]: [string, Record<string, Set<string>>]) =>
        Object.entries(byField).flatMap(([field, types]: [string, Set<string>]) =>
          [...types].filter((t) => !notes[collection].sources[field]?.includes(t)).map((t) => `${collection}.${field} ← ${t}`),
        ),
      );
      expect(undocumented).toEqual([]);
    } finally {
      await app.close();
    }
  });
});
