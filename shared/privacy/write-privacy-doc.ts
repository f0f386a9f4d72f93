// `npm run docs:privacy`: writes docs/privacy.md from the personal-information marks.
import { writeFileSync } from 'node:fs';
import { findCampaign } from '../campaigns';
import { PRIVACY_DOC_CAMPAIGN, PRIVACY_DOC_PATH, renderPrivacyDoc } from './privacy-doc';

writeFileSync(PRIVACY_DOC_PATH, renderPrivacyDoc(findCampaign(PRIVACY_DOC_CAMPAIGN)!));
console.log(`wrote ${PRIVACY_DOC_PATH}`);
