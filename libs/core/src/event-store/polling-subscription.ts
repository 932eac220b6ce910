import { EventSubscription, RecordedEvent } from './event-store.port';

export type PollingSource = {
  afterPosition: number;
  /** Read up to `max` matching events strictly after `after`, in position order. */
  read: (after: number, max: number) => RecordedEvent[] | Promise<RecordedEvent[]>;
  /** The head of the log: with a filter, the scan may skip ahead to it when nothing matched. */
  scannedUpTo: () => number | Promise<number>;
  /** Register for in-process append notifications; returns an unregister function. */
  onAppend: (listener: () => void) => () => void;
  pollIntervalMs: number;
  batchSize?: number;
};

/**
 * Catch-up then live, pulled with `for await`, so a slow consumer applies back-pressure:
 * nothing is read ahead of what it has taken. Live appends in this process wake it at once;
 * appends by other processes on the same store are seen within one poll interval.
 */
export const pollingSubscription = (source: PollingSource): EventSubscription => {
  let stopped = false;
  let wake: (() => void) | null = null;
  const unregister = source.onAppend(() => wake?.());
  const batchSize = source.batchSize ?? 500;

  const sleep = () =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, source.pollIntervalMs);
      function done() {
        clearTimeout(timer);
        wake = null;
        resolve();
      }
      wake = done;
    });

  async function* iterate(): AsyncGenerator<RecordedEvent> {
    let after = source.afterPosition;
    try {
      while (!stopped) {
        const head = await source.scannedUpTo();
        const batch = await source.read(after, batchSize);
        for (const event of batch) {
          if (stopped) return;
          after = event.position;
          yield event;
        }
        if (batch.length < batchSize) {
          // Nothing more matched up to the head we saw before reading: skip the scan ahead.
          if (head > after) after = head;
          if (!stopped) await sleep();
        }
      }
    } finally {
      unregister();
    }
  }

  const iterator = iterate();
  return {
    [Symbol.asyncIterator]: () => iterator,
    async unsubscribe() {
      stopped = true;
      // The generator's `finally` only runs if iteration started: unregister here as well.
      unregister();
      wake?.();
      await iterator.return(undefined);
    },
  };
};
