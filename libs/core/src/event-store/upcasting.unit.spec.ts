import { UpcasterRegistry } from './upcasting';

const meta = (schemaVersion: number) => ({
  actor: 'a',
  correlationId: 'c',
  causationId: null,
  occurredAt: '2025-01-01T00:00:00Z',
  schemaVersion,
});

describe('upcasting', () => {
  const registry = new UpcasterRegistry([
    { type: 'Renamed', fromVersion: 1, upcast: (d) => ({ fullName: d.name }) },
    { type: 'Renamed', fromVersion: 2, upcast: (d) => ({ ...d, locale: 'de' }) },
  ]);

  it('runs every upcaster from the stored version to the current one, in turn', () => {
    expect(registry.upcast({ type: 'Renamed', data: { name: 'Anna' }, metadata: meta(1) })).toEqual({
      type: 'Renamed',
      data: { fullName: 'Anna', locale: 'de' },
      metadata: meta(3),
    });
    expect(registry.upcast({ type: 'Renamed', data: { fullName: 'Ben' }, metadata: meta(2) })).toEqual({
      type: 'Renamed',
      data: { fullName: 'Ben', locale: 'de' },
      metadata: meta(3),
    });
  });

  it('leaves current events and other types as they are', () => {
    const event = { type: 'Renamed', data: { fullName: 'C', locale: 'fr' }, metadata: meta(3) };
    expect(registry.upcast(event)).toBe(event);
    const other = { type: 'Other', data: {}, metadata: meta(1) };
    expect(registry.upcast(other)).toBe(other);
  });

  it('refuses two upcasters for the same type and version', () => {
    expect(
      () =>
        new UpcasterRegistry([
          { type: 'X', fromVersion: 1, upcast: (d) => d },
          { type: 'X', fromVersion: 1, upcast: (d) => d },
        ]),
    ).toThrow(/two upcasters/);
  });
});
