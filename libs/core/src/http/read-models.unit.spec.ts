import { withoutInternalFields } from './read-models';

describe('read models served to clients', () => {
  it('leave out _position and updatedAt at any depth, and nothing else', () => {
    const served = withoutInternalFields({
      id: 'a',
      _position: 7,
      updatedAt: '2026-01-01T00:00:00Z',
      version: 3,
      items: [{ id: 'b', _position: 8, nested: { updatedAt: 'x', keep: null } }],
      text: 'updatedAt',
    });
    expect(served).toEqual({ id: 'a', version: 3, items: [{ id: 'b', nested: { keep: null } }], text: 'updatedAt' });
    expect(withoutInternalFields('a,b\r\n')).toBe('a,b\r\n');
    expect(withoutInternalFields(null)).toBeNull();
  });
});
