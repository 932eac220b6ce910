/**
 * The scale-out deployment as separate OS processes over one shared store: API replicas with
 * PROJECTIONS=off and one projector (apps/projector), on the embedded SQLite files or on
 * PostgreSQL. Used by test/split-deployment.e2e.spec.ts.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { BackgroundProcess, ServerProcess, startProjector, startServer } from './built-server';
import { createTestDatabase, postgresGate } from '@salesline/core/testing/external-stores';

export type ReadModelDump = Record<string, Array<{ id: string; doc: unknown }>>;

export type SplitEngine = Readonly<{
  name: string;
  /** Set when the engine cannot run on this machine (the suite is skipped with it). */
  skipReason?: string;
  /** Prepares the shared store; returns each process's environment and the clean-up. */
  prepare: () => Promise<PreparedEngine>;
}>;

export type PreparedEngine = Readonly<{
  /** Environment of process `n` (each gets a DATA_DIR of its own where the store allows). */
  env: (processName: string) => Record<string, string>;
  /** Every read-model document (rm_* tables), by table, ordered by id. */
  dumpReadModels: () => Promise<ReadModelDump>;
  cleanup: () => Promise<void>;
}>;

const nonEmpty = (dump: ReadModelDump): ReadModelDump => Object.fromEntries(Object.entries(dump).filter(([, rows]) => rows.length > 0));

export const sqliteEngine: SplitEngine = {
  name: 'the embedded SQLite files',
  prepare: async () => {
    // SQLite is a file: every process works in the same DATA_DIR.
    const dataDir = mkdtempSync(join(tmpdir(), 'salesline-split-'));
    return {
      env: () => ({ DATA_DIR: dataDir }),
      dumpReadModels: async () => {
        const db = new Database(join(dataDir, 'read-models.db'), { readonly: true });
        try {
          const tables = db
            .prepare<[], { name: string }>(
              "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'rm\\_%' ESCAPE '\\' ORDER BY name",
            )
            .all();
          return nonEmpty(
            Object.fromEntries(
              tables.map(({ name }) => [
                name,
                db
                  .prepare<[], { id: string; doc: string }>(`SELECT id, doc FROM ${name} ORDER BY id`)
                  .all()
                  .map((r) => ({ id: r.id, doc: JSON.parse(r.doc) as unknown })),
              ]),
            ),
          );
        } finally {
          db.close();
        }
      },
      cleanup: async () => rmSync(dataDir, { recursive: true, force: true }),
    };
  },
};

const gate = postgresGate();
export const postgresEngine: SplitEngine = {
  name: 'PostgreSQL',
  skipReason: gate.enabled ? undefined : gate.reason,
  prepare: async () => {
    const database = await createTestDatabase();
    // Separate DATA_DIRs: nothing is shared through files, only through PostgreSQL and TOKEN_SECRET.
    const dirs = new Map<string, string>();
    const dirOf = (name: string) => {
      if (!dirs.has(name)) dirs.set(name, mkdtempSync(join(tmpdir(), `salesline-split-${name}-`)));
      return dirs.get(name)!;
    };
    return {
      env: (name) => ({ DATA_DIR: dirOf(name), EVENT_STORE: 'postgres', READ_STORE: 'postgres', POSTGRES_URL: database.url }),
      dumpReadModels: async () => {
        const client = new Client({ connectionString: database.url });
        await client.connect();
        try {
          const { rows: tables } = await client.query<{ tablename: string }>(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename LIKE 'rm\\_%' ORDER BY tablename",
          );
          const dump: ReadModelDump = {};
          for (const { tablename } of tables) {
            dump[tablename] = (
              await client.query<{ id: string; doc: unknown }>(`SELECT id, doc FROM ${tablename} ORDER BY id COLLATE "C"`)
            ).rows;
          }
          return nonEmpty(dump);
        } finally {
          await client.end();
        }
      },
      cleanup: async () => {
        await database.drop();
        for (const dir of dirs.values()) rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};

export type SplitDeployment = {
  apis: [ServerProcess, ServerProcess];
  projector: BackgroundProcess;
  /** SIGKILLs (or SIGTERMs) the projector and waits for it to be gone. */
  stopProjector: (signal: 'SIGKILL' | 'SIGTERM') => Promise<void>;
  startProjector: () => void;
  stop: () => Promise<void>;
};

const stopProcess = async (process: BackgroundProcess, signal: NodeJS.Signals) => {
  if (process.child.exitCode === null && process.child.signalCode === null) process.child.kill(signal);
  await process.exited;
};

/** Two API replicas (PROJECTIONS=off) and one projector over the prepared store. */
export const startSplitDeployment = async (engine: PreparedEngine, common: Record<string, string>): Promise<SplitDeployment> => {
  const projectorEnv = { ...common, ...engine.env('projector') };
  const deployment: SplitDeployment = {
    apis: await Promise.all([
      startServer({ ...common, ...engine.env('api-1'), PROJECTIONS: 'off' }),
      startServer({ ...common, ...engine.env('api-2'), PROJECTIONS: 'off' }),
    ]),
    projector: startProjector(projectorEnv),
    stopProjector: async (signal) => stopProcess(deployment.projector, signal),
    startProjector: () => {
      deployment.projector = startProjector(projectorEnv);
    },
    stop: async () => {
      await Promise.all([...deployment.apis, deployment.projector].map((p) => stopProcess(p, 'SIGKILL')));
    },
  };
  return deployment;
};
