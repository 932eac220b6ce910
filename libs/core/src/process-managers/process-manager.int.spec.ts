import { Logger } from '@nestjs/common';
import { Command, Decider, DomainEvent, ruleViolation } from '@salesline/shared-kernel';
import { join } from 'node:path';
import { executeCommand } from '../commands/execute-command';
import { InMemoryEventStore } from '../event-store/in-memory/in-memory-event-store';
import { NewEvent, RecordedEvent } from '../event-store/event-store.port';
import { SqliteReadStore } from '../read-store/sqlite/sqlite-read-store';
import { makeTempDir, uniqueSuffix, within } from '../testing/contract-suite';
import { ProjectionHub } from '../projections/projection-hub';
import { ProcessManager } from './process-manager';

// An invoice issued on an order becomes a receivable on the customer's account: the shape of the
// order-to-account process, below HTTP, with a real SQLite checkpoint and the in-memory event store.
type PostInvoice = Command<'PostInvoice', { invoiceId: string; amount: number }>;
type InvoicePosted = DomainEvent<'InvoicePosted', { invoiceId: string; amount: number }>;
const accountDecider: Decider<{ invoices: string[] }, PostInvoice, InvoicePosted> = {
  initialState: () => ({ invoices: [] }),
  evolve: (state, event) => ({ invoices: [...state.invoices, event.data.invoiceId] }),
  decide: ({ data }, state) => {
    if (data.amount <= 0) throw ruleViolation('InvoiceAmountNotPositive', 'an invoice is for a positive amount');
    return state.invoices.includes(data.invoiceId) ? [] : [{ type: 'InvoicePosted', data }];
  },
};

class InvoicesToAccounts implements ProcessManager {
  readonly name = 'invoices-to-accounts';
  readonly handles = ['InvoiceIssued'];
  reactions: string[] = [];
  failuresToInject = 0;
  constructor(private readonly events: InMemoryEventStore) {}

  async react(event: RecordedEvent): Promise<void> {
    const { invoiceId, amount, customerId } = event.data as { invoiceId: string; amount: number; customerId: string };
    this.reactions.push(invoiceId);
    if (this.failuresToInject > 0) {
      this.failuresToInject -= 1;
      throw new Error('account store briefly unavailable');
    }
    const context = { actor: { userId: 'system', roles: ['admin' as const] }, now: event.metadata.occurredAt, today: '2025-03-01' };
    await executeCommand(this.events, {
      streamName: `account-${customerId}`,
      decider: accountDecider,
      command: { type: 'PostInvoice', data: { invoiceId, amount }, context },
      request: { ...context, correlationId: event.metadata.correlationId, causationId: event.id },
    });
  }
}

const issued = (invoiceId: string, amount: number): NewEvent => ({
  type: 'InvoiceIssued',
  data: { invoiceId, amount, customerId: 'c-1' },
  metadata: { actor: 'u-1', correlationId: `c-${invoiceId}`, causationId: null, occurredAt: '2025-03-01T10:00:00.000Z', schemaVersion: 1 },
});

const temp = makeTempDir('process-manager');
beforeAll(() => Logger.overrideLogger(false));
afterAll(() => temp.remove());

describe('Process managers run by the projection hub', () => {
  let events: InMemoryEventStore;
  let reads: SqliteReadStore;
  let manager: InvoicesToAccounts;
  let runners: ProjectionHub[];
  const startRunner = () => {
    const runner = new ProjectionHub(events, reads, [], [manager], { log: () => undefined, error: () => undefined });
    runners.push(runner);
    runner.start();
    return runner;
  };
  const checkpointReaches = async (position: number) => {
    const reached = async () => {
      while ((await reads.getCheckpoint(`process-manager:${manager.name}`)) < position) await new Promise((r) => setTimeout(r, 5));
    };
    await within(reached(), 5_000, `the process manager checkpoint at ${position}`);
  };
  const postedInvoices = async () => (await events.readStream('account-c-1')).map((e) => (e.data as { invoiceId: string }).invoiceId);

  beforeEach(() => {
    events = new InMemoryEventStore();
    reads = new SqliteReadStore(join(temp.path, `reads-${uniqueSuffix()}.db`));
    manager = new InvoicesToAccounts(events);
    runners = [];
  });
  afterEach(async () => {
    for (const runner of runners) await runner.stop();
    await reads.close();
  });

  it('reacts to past and live events of the types it handles, and keeps its checkpoint', async () => {
    await events.append('order-o-1', [issued('i-1', 100)], 'no_stream');
    startRunner();
    await checkpointReaches(1);
    const live = await events.append('order-o-2', [issued('i-2', 50)], 'no_stream');
    await checkpointReaches(live.position);
    expect(await postedInvoices()).toEqual(['i-1', 'i-2']);
  });

  it('is idempotent: a reaction already run inline by the command changes nothing when the subscription delivers it', async () => {
    const appended = await events.append('order-o-1', [issued('i-1', 100)], 'no_stream');
    const [recorded] = await events.readAll({ afterPosition: appended.position - 1 });
    await manager.react(recorded);
    startRunner();
    await checkpointReaches(appended.position);
    expect(manager.reactions).toEqual(['i-1', 'i-1']);
    expect(await postedInvoices()).toEqual(['i-1']);
  });

  it('resumes after a restart from its checkpoint: nothing done twice, nothing lost', async () => {
    await events.append('order-o-1', [issued('i-1', 100)], 'no_stream');
    const first = startRunner();
    await checkpointReaches(1);
    await first.stop();
    const later = await events.append('order-o-2', [issued('i-2', 50)], 'no_stream');
    startRunner();
    await checkpointReaches(later.position);
    expect(manager.reactions).toEqual(['i-1', 'i-2']);
    expect(await postedInvoices()).toEqual(['i-1', 'i-2']);
  });

  it('records a business refusal and moves on; retries a transient failure', async () => {
    manager.failuresToInject = 2;
    await events.append('order-o-1', [issued('i-1', 100)], 'no_stream');
    await events.append('order-o-2', [issued('i-bad', 0)], 'no_stream');
    const last = await events.append('order-o-3', [issued('i-3', 30)], 'no_stream');
    startRunner();
    await checkpointReaches(last.position);
    expect(manager.reactions).toEqual(['i-1', 'i-1', 'i-1', 'i-bad', 'i-3']);
    expect(await postedInvoices()).toEqual(['i-1', 'i-3']);
  });
});
