import { DomainEvent, eventOf, isEventOf } from './decider';

type Opened = DomainEvent<'Opened', { id: string; on: string }>;
type Closed = DomainEvent<'Closed', { id: string; reason: string }>;
type Door = Opened | Closed;

const recorded = (type: string, data: unknown) => ({ type, data, position: 7 });

describe('isEventOf', () => {
  it('given an event whose type the list names, then it is one of the union, the rest of the recording kept', () => {
    const event = recorded('Closed', { id: 'd-1', reason: 'wind' });
    const isDoor = isEventOf<Door>(['Opened', 'Closed']);
    expect(isDoor(event)).toBe(true);
    if (isDoor(event) && event.type === 'Closed') expect([event.data.reason, event.position]).toEqual(['wind', 7]);
  });

  it('given an event of another type, then it is not', () => {
    expect(isEventOf<Door>(['Opened'])(recorded('Closed', { id: 'd-1', reason: 'wind' }))).toBe(false);
    expect(isEventOf<Door>(['Opened', 'Closed'])(recorded('Painted', {}))).toBe(false);
  });
});

describe('eventOf', () => {
  const events = [
    recorded('Opened', { id: 'd-1', on: '2025-01-01' }),
    recorded('Closed', { id: 'd-1', reason: 'wind' }),
    recorded('Opened', { id: 'd-2', on: '2025-01-02' }),
  ];

  it('when asked for a type, then the first event of it, typed', () => {
    expect(eventOf<Door>()(events, 'Opened')?.data.on).toBe('2025-01-01');
    expect(eventOf<Door>()(events, 'Closed')?.data.reason).toBe('wind');
  });

  it('when asked with a condition, then the first event of the type that meets it', () => {
    expect(eventOf<Door>()(events, 'Opened', (e) => e.data.id === 'd-2')?.data.on).toBe('2025-01-02');
  });

  it('when none is of the type, then undefined', () => {
    expect(eventOf<Door>()(events.slice(0, 1), 'Closed')).toBeUndefined();
  });
});
