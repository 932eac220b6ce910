/** Small helpers shared by the port contract suites (event store, read store). */
import { describe } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Registers `<name> contract suite`, or — given a reason — prints one line saying why and
 * registers it with describe.skip, so jest reports its tests as skipped, not passed.
 */
export const describeContract = (name: string, skipReason: string | undefined, body: () => void): void =>
  describeOrSkip(`${name} contract suite`, skipReason, body);

/** `describe(title)`, or — given a reason — one printed line saying why, and describe.skip. */
export const describeOrSkip = (title: string, skipReason: string | undefined, body: () => void): void => {
  if (skipReason === undefined) {
    describe(title, body);
    return;
  }
  process.stdout.write(`[skipped] ${title}: ${skipReason}\n`);
  describe.skip(title, body);
};

/** Short random tag for stream, collection and projection names: tests can share a server. */
export const uniqueSuffix = (): string => randomBytes(4).toString('hex');

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A fresh directory under the OS temp dir, and its removal. */
export const makeTempDir = (label: string): { path: string; remove: () => void } => {
  const path = mkdtempSync(join(tmpdir(), `salesline-${label}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
};

/** Resolves with the promise, or rejects after `ms` saying what did not happen. */
export const within = async <T>(promise: Promise<T>, ms: number, what: string): Promise<T> => {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
};
