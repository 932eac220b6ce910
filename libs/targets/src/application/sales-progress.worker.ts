/**
 * The worker thread's entry (built to `sales-progress.worker.js`): the sales-progress reports computed on its own
 * connection to the read models, off the API's event loop (`ReadWorker`, issue 13). The request thread has waited
 * for `?minPosition=` and resolved the revenue basis, so the query here waits for nothing and reads no settings.
 */
import 'reflect-metadata';
import { jsonAnswerText, serveReads, SqliteReadStore } from '@salesline/core';
import { SalesProgressQuery } from './sales-progress.query';

type Options<M extends 'report' | 'drillDown' | 'unassigned'> = Parameters<SalesProgressQuery[M]>[0];

serveReads(({ readModelsFile }) => {
  const query = new SalesProgressQuery(
    new SqliteReadStore(readModelsFile),
    { waitFor: async () => undefined },
    { settings: () => Promise.reject(new Error('the request thread resolves the revenue basis')) },
  );
  return {
    report: (options: Options<'report'>) => query.report(options),
    drillDown: (options: Options<'drillDown'>) => query.drillDown(options),
    unassigned: (options: Options<'unassigned'>) => query.unassigned(options),
    // The JSON answers, serialized here so that the request thread only writes them (`JsonAnswer`).
    reportJson: (options: Options<'report'>) => query.report(options).then(jsonAnswerText),
    drillDownJson: (options: Options<'drillDown'>) => query.drillDown(options).then(jsonAnswerText),
    unassignedJson: (options: Options<'unassigned'>) => query.unassigned(options).then(jsonAnswerText),
  };
});
