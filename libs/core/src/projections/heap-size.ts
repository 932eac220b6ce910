import { setFlagsFromString } from 'node:v8';

/**
 * V8 sizes its heap for speed: during a catch-up of a long log the process reached ~300 MB although
 * what it holds after a collection stays under 40 MB (one batch). While projections catch up (the API
 * on start, until its hubs reach the head of the log), V8 is asked to favour size (the peak over 200k events fell from ~290 MB to ~170 MB); at the head
 * of the log the API goes back to favouring speed for requests.
 */
export const favourHeapSize = (on: boolean): void => setFlagsFromString(on ? '--optimize-for-size' : '--no-optimize-for-size');
