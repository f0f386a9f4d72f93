// The public calendar's part of project-changes (ADR 0044): it writes each changed published
// activity as stored now and deletes every other place its images stood at.
import type { PublicEntry } from '../../../shared/domain/public-activity';
import type { PublicCalendarWriter, PublicSlot } from '../../../shared/repositories/public-calendar-repository';
import { projectPublicCalendar } from '../../../shared/use-cases/project-public-calendar';
import type { ItemChange } from '../../../shared/use-cases/record-audit-entry';

const item = (over: Record<string, unknown> = {}) => ({
  entity: 'Activity', activityId: 'a1', campaignId: 'c', organizationId: 'o', status: 'registered', version: 2, title: 'T', county: 'hongqi',
  startsAt: '2021-09-18T01:00:00.000Z', endsAt: '2021-09-18T03:00:00.000Z', updatedAt: '2021-09-12T00:00:00.000Z', ...over,
});
const change = (eventId: string, oldImage?: Record<string, unknown>, newImage?: Record<string, unknown>): ItemChange => ({
  eventId, action: oldImage ? (newImage ? 'updated' : 'deleted') : 'created', at: new Date(0), keys: { pk: 'ACT#a1', sk: 'A' },
  ...(oldImage ? { oldImage } : {}), ...(newImage ? { newImage } : {}),
});

function memory() {
  const stored = new Map<string, PublicEntry>();
  const id = (s: PublicSlot) => `${s.county}#${s.startsAt}#${s.activityId}`;
  const calendar: PublicCalendarWriter = {
    apply: async ({ puts, removes }) => {
      for (const s of removes) stored.delete(id(s));
      for (const e of puts) stored.set(id(e), e);
    },
  };
  return { stored, calendar };
}

describe('Function: projectPublicCalendar', () => {
  it('skips drafts without reading them', async () => {
    const { stored, calendar } = memory();
    const reads: string[][] = [];
    const out = await projectPublicCalendar([change('e1', undefined, item({ status: 'draft' })), change('e2', item({ status: 'draft' }), item({ status: 'draft', title: 'U' }))], {
      calendar,
      activityItems: async (ids) => (reads.push([...ids]), []),
    });
    expect(out).toEqual({ failed: new Map(), written: 0 });
    expect(reads).toEqual([]);
    expect(stored.size).toBe(0);
  });

  it('writes the stored state and deletes the place an edit moved it from; a replay changes nothing', async () => {
    const { stored, calendar } = memory();
    const now = item({ county: 'weibin', startsAt: '2021-09-19T01:00:00.000Z', endsAt: '2021-09-19T02:00:00.000Z', version: 3 });
    stored.set('hongqi#2021-09-18T01:00:00.000Z#a1', {} as PublicEntry);
    const batch = [change('e1', item(), now)];
    for (let i = 0; i < 2; i += 1) await projectPublicCalendar(batch, { calendar, activityItems: async () => [now] });
    expect([...stored.keys()]).toEqual(['weibin#2021-09-19T01:00:00.000Z#a1']);
    expect(stored.get('weibin#2021-09-19T01:00:00.000Z#a1')).toMatchObject({ title: 'T', version: 3 });
  });

  it('deletes every place of a withdrawn activity, and fails its records when its read fails', async () => {
    const { stored, calendar } = memory();
    stored.set('hongqi#2021-09-18T01:00:00.000Z#a1', {} as PublicEntry);
    const withdrawn = item({ status: 'withdrawn', version: 3 });
    await projectPublicCalendar([change('e1', item(), withdrawn)], { calendar, activityItems: async () => [withdrawn] });
    expect(stored.size).toBe(0);
    const failed = await projectPublicCalendar([change('e2', item(), withdrawn)], { calendar, activityItems: async () => Promise.reject(new Error('throttled')) });
    expect([...failed.failed.keys()]).toEqual(['e2']);
  });
});
