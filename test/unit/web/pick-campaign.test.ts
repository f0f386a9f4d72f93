import { pickCampaign } from '../../../web/src/campaign-choice';

describe('Function: pickCampaign (the campaign the web app opens without a configured one)', () => {
  it('opens the newest published campaign; a newer draft (admins see it) is not opened', () => {
    const items = [
      { campaignId: '2023-xinxiang', status: 'draft', year: 2023 },
      { campaignId: '2021-xinxiang', status: 'closed', year: 2021 },
      { campaignId: '2022-xinxiang', status: 'published', year: 2022 },
    ];
    expect(pickCampaign(items)).toBe('2022-xinxiang');
  });
  it('falls back to the newest when none is published, and to nothing when the city has none', () => {
    expect(pickCampaign([{ campaignId: '2021-xinxiang', status: 'closed', year: 2021 }, { campaignId: '2022-xinxiang', status: 'closed', year: 2022 }])).toBe('2022-xinxiang');
    expect(pickCampaign([])).toBeUndefined();
  });
});
