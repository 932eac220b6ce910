import { Command, conflict, Decider, DomainError, DomainEvent } from '@salesline/shared-kernel';
import { InMemoryEventStore } from '../event-store/in-memory/in-memory-event-store';
import { decideThenReserve, defineAggregate, dispatch, route, RouteTarget, withReactions } from './aggregate';
import { systemRequest, SYSTEM_ACTOR } from './system-actors';
import { RequestContext } from './request-context';

// A shelf that is opened once and then stocked; stocking checks a fact from another stream (the supplier's cap).
type Open = Command<'OpenShelf', { label: string }>;
type Stock = Command<'StockShelf', { quantity: number; supplierCap: number }>;
type Opened = DomainEvent<'ShelfOpened', { label: string }>;
type Stocked = DomainEvent<'ShelfStocked', { quantity: number; by: string }>;
type Shelf = { label: string | null; quantity: number };
const shelfDecider: Decider<Shelf, Open | Stock, Opened | Stocked> = {
  initialState: () => ({ label: null, quantity: 0 }),
  evolve: (shelf, event) =>
    event.type === 'ShelfOpened' ? { ...shelf, label: event.data.label } : { ...shelf, quantity: shelf.quantity + event.data.quantity },
  decide: (command, shelf) => {
    if (command.type === 'OpenShelf') return shelf.label === null ? [{ type: 'ShelfOpened', data: { label: command.data.label } }] : [];
    if (shelf.quantity + command.data.quantity > command.data.supplierCap) throw conflict('OverSupplierCap', 'too many');
    return [{ type: 'ShelfStocked', data: { quantity: command.data.quantity, by: command.context.actor.userId } }];
  },
};
const SHELF = defineAggregate({
  streamName: (id: string) => `shelf-${id}`,
  decider: shelfDecider,
  notFound: { code: 'ShelfNotFound', unless: ['OpenShelf'] },
});
// A log that any command may start, keyed by a number.
const LOG = defineAggregate({ streamName: (year: number) => `log-${year}`, decider: shelfDecider });

const request: RequestContext = {
  actor: { userId: 'sam', roles: ['admin'] },
  correlationId: 'c-1',
  causationId: null,
  now: '2025-03-01T10:00:00.000Z',
  today: '2025-03-01',
};

const routesReading = (caps: Record<string, number>, seen: number[] = []) => ({
  shelf: route(
    SHELF,
    (input: { type: 'OpenShelf'; data: { label: string } } | { type: 'StockShelf'; data: { quantity: number } }, shelf, { id }) => {
      seen.push(shelf.quantity);
      return input.type === 'OpenShelf' ? input : { type: 'StockShelf' as const, data: { ...input.data, supplierCap: caps[id] ?? 0 } };
    },
  ),
  log: route(LOG),
});
type Routes = ReturnType<typeof routesReading>;

describe('An aggregate declared once, and a context’s route table on it', () => {
  it('runs a command through the one path: facts loaded on the state it decides on, the context added from the request', async () => {
    const store = new InMemoryEventStore();
    const seen: number[] = [];
    const routes = routesReading({ a: 5 }, seen);
    await dispatch(store, routes, { kind: 'shelf', id: 'a', command: { type: 'OpenShelf', data: { label: 'A' } } }, request);
    const result = await dispatch(
      store,
      routes,
      { kind: 'shelf', id: 'a', command: { type: 'StockShelf', data: { quantity: 3 } } },
      request,
    );
    expect(result).toMatchObject({
      streamName: 'shelf-a',
      revision: 1,
      events: [{ type: 'ShelfStocked', data: { quantity: 3, by: 'sam' } }],
    });
    expect(seen).toEqual([0, 0]);
    await expect(
      dispatch(store, routes, { kind: 'shelf', id: 'a', command: { type: 'StockShelf', data: { quantity: 3 } } }, request),
    ).rejects.toMatchObject({ code: 'OverSupplierCap' });
    expect(seen).toEqual([0, 0, 3]);
  });

  it('refuses a command other than the starting ones on a missing stream with the aggregate’s not-found code, writing nothing', async () => {
    const store = new InMemoryEventStore();
    const refused = dispatch(
      store,
      routesReading({ a: 5 }),
      { kind: 'shelf', id: 'a', command: { type: 'StockShelf', data: { quantity: 1 } } },
      request,
    );
    await expect(refused).rejects.toBeInstanceOf(DomainError);
    await expect(refused).rejects.toMatchObject({ code: 'ShelfNotFound', kind: 'not_found' });
    expect(await store.headPosition()).toBe(0);
  });

  it('lets any command start a stream when the aggregate declares no not-found rule; the id is typed by the aggregate', async () => {
    const store = new InMemoryEventStore();
    const target: RouteTarget<Routes> = { kind: 'log', id: 2025, command: { type: 'StockShelf', data: { quantity: 2, supplierCap: 9 } } };
    await expect(dispatch(store, routesReading({}), target, request)).resolves.toMatchObject({ streamName: 'log-2025', revision: 0 });
  });

  it('decides dry before a reservation: a refused command reserves nothing, an accepted one hands its events to the reservation', async () => {
    const stock: Stock = {
      type: 'StockShelf',
      data: { quantity: 9, supplierCap: 5 },
      context: { actor: request.actor, now: request.now, today: request.today },
    };
    const reserved: unknown[] = [];
    const reserve = async (events: readonly (Opened | Stocked)[]) => void reserved.push(events);
    await expect(decideThenReserve(shelfDecider, stock, shelfDecider.initialState(), reserve)).rejects.toMatchObject({
      code: 'OverSupplierCap',
    });
    expect(reserved).toEqual([]);
    await decideThenReserve(shelfDecider, { ...stock, data: { quantity: 2, supplierCap: 5 } }, shelfDecider.initialState(), reserve);
    expect(reserved).toEqual([[{ type: 'ShelfStocked', data: { quantity: 2, by: 'sam' } }]]);
  });

  it('decides first on the stream as the sender has just read it (loaded), and reads it again only after a conflict', async () => {
    const store = new InMemoryEventStore();
    const routes = routesReading({ a: 5 });
    await dispatch(store, routes, { kind: 'shelf', id: 'a', command: { type: 'OpenShelf', data: { label: 'A' } } }, request);
    const stock = { kind: 'shelf', id: 'a', command: { type: 'StockShelf', data: { quantity: 2 } } } as const;
    // Decided on what the sender read (4 on the shelf at revision 0), not on the stream (0): refused.
    const asRead = { state: { label: 'A', quantity: 4 }, revision: 0, position: 1 };
    await expect(dispatch(store, routes, stock, request, { loaded: asRead })).rejects.toMatchObject({ code: 'OverSupplierCap' });
    // A read older than the stream: the append conflicts, and the retry decides on the stream.
    await dispatch(store, routes, stock, request);
    const older = { state: { label: 'A', quantity: 0 }, revision: 0, position: 1 };
    expect((await dispatch(store, routes, stock, request, { loaded: older })).state).toEqual({ label: 'A', quantity: 4 });
  });

  it('answers with the position after the reactions a route runs inline, and with its own when they wrote nothing', async () => {
    const store = new InMemoryEventStore();
    const reactions: string[] = [];
    const routes = {
      shelf: withReactions(route(SHELF), async (result, by) => {
        reactions.push(`${result.streamName}@${result.revision} by ${by.actor.userId}`);
        if (result.events.length === 0) return 0;
        const logged = await route(LOG).run(store, 2025, { type: 'OpenShelf', data: { label: result.streamName } }, by);
        return logged.position;
      }),
    };
    const open = { kind: 'shelf', id: 'a', command: { type: 'OpenShelf', data: { label: 'A' } } } as const;
    const opened = await dispatch(store, routes, open, request);
    expect(opened).toMatchObject({ streamName: 'shelf-a', revision: 0, position: 2 });
    const again = await dispatch(store, routes, open, request);
    expect(again).toMatchObject({ events: [], position: 1 });
    expect(reactions).toEqual(['shelf-a@0 by sam', 'shelf-a@0 by sam']);
  });

  it('gives the system’s own commands one actor, caused by the event that triggered them', () => {
    expect(systemRequest({ correlationId: 'c-9', causationId: 'order-1@3' })).toMatchObject({
      actor: SYSTEM_ACTOR,
      correlationId: 'c-9',
      causationId: 'order-1@3',
    });
  });
});
