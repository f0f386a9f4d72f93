import { resultsSchema } from '../../../shared/schemas/results.schema';
import { CAMPAIGNS, issuesOf, itRejectsTheInvalidSamples, validResults } from './samples';

describe.each(CAMPAIGNS)('Schema: results (%s)', (_id, campaign) => {
  itRejectsTheInvalidSamples('results', campaign);
});

describe('Schema: results', () => {
  it('accepts full results, and the least: participants and no news link', () => {
    expect(issuesOf(resultsSchema, validResults())).toEqual([]);
    expect(issuesOf(resultsSchema, { actualParticipants: 0, newsLinks: [] })).toEqual([]);
  });

  it('accepts 20 news links and normalises full-width ones', () => {
    const links = Array.from({ length: 20 }, (_, i) => `https://news.example.cn/${i}`);
    expect(resultsSchema.parse({ actualParticipants: 1, newsLinks: [...links.slice(1), 'ｈｔｔｐｓ：／／news.example.cn／0'] }).newsLinks[19]).toBe(
      'https://news.example.cn/0',
    );
  });

  it('rejects an empty body with code required for each required field', () => {
    expect(issuesOf(resultsSchema, {})).toEqual([
      { path: 'actualParticipants', code: 'required' },
      { path: 'newsLinks', code: 'required' },
    ]);
  });
});
