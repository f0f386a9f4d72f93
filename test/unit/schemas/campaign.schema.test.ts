import { xinxiang } from './samples';
import { itRejectsTheInvalidSamples } from './samples';

// Each sample breaks the seed definition (or a campaign route's body) one way and names every
// field error it must get, each a catalog code with zh-CN and en messages.
describe('Schema: a campaign definition', () => itRejectsTheInvalidSamples('campaign.definition', xinxiang));
describe('Schema: a copy request', () => itRejectsTheInvalidSamples('campaign.copy', xinxiang));
describe('Schema: a milestone move', () => itRejectsTheInvalidSamples('campaign.move', xinxiang));
