import { ConfigError } from '@salesline/core';

/**
 * Runs the entry point of a projector command (the projector, audit, verify): a failure ends the process with one
 * line on stderr, `<program>: configuration error: …` or `<program>: <what> failed: …`, and the exit code.
 */
export const runMain = (main: () => Promise<void>, what: string, options: Readonly<{ exitCode?: number; program?: string }> = {}): void => {
  main().catch((err: unknown) => {
    const message =
      err instanceof ConfigError
        ? `configuration error: ${err.message}`
        : `${what} failed: ${err instanceof Error ? err.message : String(err)}`;
    process.stderr.write(`${options.program ?? 'salesline'}: ${message}\n`);
    process.exit(options.exitCode ?? 1);
  });
};
