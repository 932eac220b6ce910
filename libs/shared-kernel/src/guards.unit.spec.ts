import { conflict, notFound } from './errors';
import { requireStatus } from './guards';

type Door = Readonly<{ status: 'none' }> | Readonly<{ status: 'open'; openedOn: string }> | Readonly<{ status: 'shut'; shutOn: string }>;
const openDoor = (state: Door) =>
  requireStatus(state, 'open', {
    none: () => notFound('DoorNotFound', 'No such door'),
    shut: (s) => conflict('DoorShut', 'The door is shut', { shutOn: s.shutOn }),
  });

describe('requireStatus', () => {
  it('answers the state when it is in the status asked for', () => {
    const open: Door = { status: 'open', openedOn: '2025-01-01' };
    expect(openDoor(open)).toBe(open);
  });
  it('throws the refusal named for the status the state is in, built from that state', () => {
    expect(() => openDoor({ status: 'none' })).toThrow(expect.objectContaining({ code: 'DoorNotFound', kind: 'not_found' }));
    expect(() => openDoor({ status: 'shut', shutOn: '2025-02-01' })).toThrow(
      expect.objectContaining({ code: 'DoorShut', kind: 'conflict', details: { shutOn: '2025-02-01' } }),
    );
  });
});
