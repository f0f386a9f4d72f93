import { diffImages } from '../../../shared/domain/audit';

describe('Function: diffImages', () => {
  it('lists field changes of nested maps by dotted path, sorted', () => {
    const before = { pk: 'A', title: 't', contact: { name: '王', phone: '1' }, tags: ['a'] };
    const after = { pk: 'B', title: 't', contact: { name: '王', phone: '2' }, tags: ['a', 'b'], extra: 1 };
    expect(diffImages(before, after)).toEqual([
      { path: 'contact.phone', old: '1', new: '2' },
      { path: 'extra', new: 1 },
      { path: 'tags', old: ['a'], new: ['a', 'b'] },
    ]);
  });

  it('treats a missing image as empty (creation and deletion)', () => {
    expect(diffImages(undefined, { sk: 'x', a: 1 })).toEqual([{ path: 'a', new: 1 }]);
    expect(diffImages({ a: 1 }, undefined)).toEqual([{ path: 'a', old: 1 }]);
  });

  it('finds nothing when only storage attributes or equal sets changed', () => {
    expect(diffImages({ gsi1pk: 'a', s: new Set([1, 2]) }, { gsi1pk: 'b', s: new Set([2, 1]) })).toEqual([]);
  });

  it('reports a map replaced by a scalar as one change', () => {
    expect(diffImages({ venue: { name: 'x' } }, { venue: null })).toEqual([{ path: 'venue', old: { name: 'x' }, new: null }]);
  });
});
