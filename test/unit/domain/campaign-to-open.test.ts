import { campaignToOpen } from '../../../shared/domain/campaign-to-open';

describe('Function: campaignToOpen (the campaign the web app and the local /config.json open without a configured one)', () => {
  const ids = (items: Array<{ campaignId: string; status: string; year: number }>) => campaignToOpen(items)?.campaignId;
  it('opens the newest published campaign; a newer draft (admins see it) is not opened', () => {
    const items = [
      { campaignId: '2023-xinxiang', status: 'draft', year: 2023 },
      { campaignId: '2021-xinxiang', status: 'closed', year: 2021 },
      { campaignId: '2022-xinxiang', status: 'published', year: 2022 },
    ];
    expect(ids(items)).toBe('2022-xinxiang');
  });
  it('falls back to the newest when none is published, and to nothing when the city has none', () => {
    expect(ids([{ campaignId: '2021-xinxiang', status: 'closed', year: 2021 }, { campaignId: '2022-xinxiang', status: 'closed', year: 2022 }])).toBe('2022-xinxiang');
    expect(ids([])).toBeUndefined();
  });
});
