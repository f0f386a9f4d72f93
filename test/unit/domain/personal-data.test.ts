import { hmacPseudonyms } from '../../../shared/clients/pseudonyms';
import { actorSubsOf, neutralFileName, redactedEntry, scrubMarkerOf, scrubPlanOf, type ScrubMarker } from '../../../shared/domain/personal-data';

const pseudonyms = hmacPseudonyms(Buffer.alloc(32, 'unit-test-pseudonym-key'));
const li = pseudonyms.pseudonymOf('u-li');
const phoneHash = pseudonyms.contactHash('phone', '13811112222');
const marker: ScrubMarker = { kind: 'erasure', ref: 'e1', by: 'admin-1', at: '2021-10-01T00:00:00.000Z', pseudonyms: [li], contacts: [phoneHash] };
const contact = { name: '测试擦除李四', phone: '13811112222', email: 'li.erase@example.cn' };

describe('Function: hmacPseudonyms', () => {
  it('gives one stable pseudonym per sub, another per key, and e-mails regardless of case', () => {
    expect(li).toMatch(/^anon-[A-Za-z0-9_-]{22}$/);
    expect(pseudonyms.pseudonymOf('u-li')).toBe(li);
    expect(hmacPseudonyms(Buffer.alloc(32, 'another-key')).pseudonymOf('u-li')).not.toBe(li);
    expect(pseudonyms.contactHash('email', 'Li.Erase@example.cn')).toBe(pseudonyms.contactHash('email', 'li.erase@example.cn'));
    expect(pseudonyms.contactHash('phone', 'u-li')).not.toBe(pseudonyms.pseudonymOf('u-li').slice(5));
  });
});

describe('Function: scrubPlanOf', () => {
  it('replaces the marked person’s sub, removes a marked contact and sets the marker', () => {
    const plan = scrubPlanOf({ createdBy: 'u-li', updatedBy: 'u-wang', contact }, marker, pseudonyms);
    expect(plan).toEqual({ set: { createdBy: li, scrub: marker }, remove: ['contact'] });
  });

  it('keeps a contact that is not marked, and plans nothing for an item scrubbed by the same request', () => {
    expect(scrubPlanOf({ updatedBy: 'u-li', contact: { name: '王老师', phone: '0373-5820656' } }, marker, pseudonyms)?.remove).toEqual([]);
    expect(scrubPlanOf({ updatedBy: li, scrub: marker }, marker, pseudonyms)).toBeUndefined();
  });

  it('takes every person and contact out for a retention scrub, never `system`', () => {
    const all: ScrubMarker = { ...marker, kind: 'retention', ref: '2021-xinxiang', pseudonyms: 'all', contacts: 'all' };
    expect(scrubPlanOf({ updatedBy: 'system', requestedBy: 'u-x', contact }, all, pseudonyms)).toEqual({
      set: { requestedBy: pseudonyms.pseudonymOf('u-x'), scrub: all },
      remove: ['contact'],
    });
  });
});

describe('Function: scrubPlanOf, file names as uploaded', () => {
  const media = { entity: 'Media', mediaId: 'm-1a2b', fileName: '李四在红旗区的讲座.JPG', createdBy: 'u-li' };

  it('gives the erased person’s uploads a neutral name (id and extension), not others’', () => {
    expect(scrubPlanOf(media, marker, pseudonyms)).toEqual({ set: { createdBy: li, fileName: 'm-1a2b.jpg', scrub: marker }, remove: [] });
    expect(scrubPlanOf({ ...media, createdBy: 'u-wang' }, marker, pseudonyms)).toEqual({ set: { scrub: marker }, remove: [] });
  });

  it('renames every upload at retention, whoever uploaded it', () => {
    const all: ScrubMarker = { ...marker, kind: 'retention', ref: '2021-xinxiang', pseudonyms: 'all', contacts: 'all' };
    expect(scrubPlanOf({ ...media, createdBy: li }, all, pseudonyms)?.set).toMatchObject({ fileName: 'm-1a2b.jpg' });
    expect(neutralFileName({ mediaId: 'm-9', fileName: '没有扩展名' })).toBe('m-9');
    expect(neutralFileName({ mediaId: 'm-9', fileName: 'a.tar.GZ' })).toBe('m-9.gz');
  });

  it('strips the file name’s values from the item’s audit entries when the scrub renamed it', () => {
    const entry = { actor: 'system', changes: [{ path: 'fileName', new: media.fileName }, { path: 'createdBy', new: 'u-li' }] };
    expect(redactedEntry(entry, marker, pseudonyms, { fileName: true })).toEqual({ actor: 'system', changes: [{ path: 'fileName' }, { path: 'createdBy', new: li }] });
    const others = { actor: 'system', changes: [{ path: 'fileName', new: '王五.jpg' }, { path: 'createdBy', new: 'u-wang' }] };
    expect(redactedEntry(others, marker, pseudonyms, { fileName: false })).toBeUndefined();
  });
});

describe('Function: scrubMarkerOf', () => {
  it('sees a marker only on the change that set it', () => {
    expect(scrubMarkerOf({ title: 'a' }, { title: 'a', scrub: marker })).toBe(marker);
    expect(scrubMarkerOf({ scrub: marker }, { scrub: marker, title: 'b' })).toBeUndefined();
    expect(scrubMarkerOf({ scrub: marker }, { title: 'b' })).toBeUndefined();
  });
});

describe('Function: redactedEntry', () => {
  it('pseudonymises the marked actor and strips the values of every contact field of an entry that held the contact', () => {
    const entry = {
      actor: 'u-li',
      changes: [
        { path: 'contact.name', old: '旧名字', new: contact.name },
        { path: 'contact.phone', old: '13900000000', new: contact.phone },
        { path: 'title', old: 'a', new: 'b' },
        { path: 'updatedBy', old: 'u-wang', new: 'u-li' },
      ],
    };
    expect(redactedEntry(entry, marker, pseudonyms)).toEqual({
      actor: li,
      changes: [{ path: 'contact.name' }, { path: 'contact.phone' }, { path: 'title', old: 'a', new: 'b' }, { path: 'updatedBy', old: 'u-wang', new: li }],
    });
  });

  it('leaves someone else’s entry as it is (nothing to write)', () => {
    expect(redactedEntry({ actor: 'u-wang', changes: [{ path: 'contact', new: { name: '王', phone: '0373-5820656' } }] }, marker, pseudonyms)).toBeUndefined();
  });
});

describe('Function: actorSubsOf', () => {
  it('names persons, not the machinery nor pseudonyms', () => {
    expect(actorSubsOf({ updatedBy: 'system', requestedBy: 'milestone', createdBy: li, grantedBy: 'u-a', sub: 'u-b' }).sort()).toEqual(['u-a', 'u-b']);
  });
});
