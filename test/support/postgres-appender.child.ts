/**
 * A separate appender process for the in-flight-gap test (started through test/support/ts-child.js):
 * `<url> <writer> <appends> <lanes>` appends `appends` single-event appends over `lanes` concurrent
 * loops, each lane to a stream of its own plus a stream shared by every process (with retries on
 * conflict), then prints the ids it appended as one JSON line.
 */
import { WrongExpectedRevisionError } from '../../libs/core/src/event-store/event-store.port';
import { PostgresEventStore } from '../../libs/core/src/event-store/postgres/postgres-event-store';

const [url, writer, appendsArg, lanesArg] = process.argv.slice(2);
const appends = Number(appendsArg);
const lanes = Number(lanesArg);

const metadata = {
  actor: `writer-${writer}`,
  correlationId: writer,
  causationId: null,
  occurredAt: new Date().toISOString(),
  schemaVersion: 1,
};

async function main() {
  const store = await PostgresEventStore.connect(url, { maxConnections: lanes });
  const ids: string[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: lanes }, async (_, lane) => {
      while (next < appends) {
        const n = next++;
        const id = `${writer}-${n}`;
        if (n % 5 === 4) {
          // The shared stream: optimistic concurrency against the other processes.
          for (;;) {
            const last = await store.readStream('gap-shared', { direction: 'backwards', maxCount: 1 });
            try {
              await store.append('gap-shared', [{ id, type: 'Appended', data: { writer, n }, metadata }], last[0]?.revision ?? 'no_stream');
              break;
            } catch (err) {
              if (!(err instanceof WrongExpectedRevisionError)) throw err;
            }
          }
        } else {
          await store.append(`gap-${writer}.${lane}`, [{ id, type: 'Appended', data: { writer, n }, metadata }], 'any');
        }
        ids.push(id);
      }
    }),
  );
  await store.close();
  process.stdout.write(`${JSON.stringify(ids)}\n`);
}

main().catch((err) => {
  process.stderr.write(`appender ${writer} failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
