/**
 * The e2e project's time limit for tests and hooks. jest-circus reads `testTimeout` from the global
 * config only, so the project-level setting in jest.config.js never reached the e2e hooks (5 s):
 * a busy machine failed the long set-ups. Set here, per project, it applies.
 */
jest.setTimeout(60_000);
