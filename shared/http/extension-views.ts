/** An extension as the API answers it (`POST`/`GET …/extensions`): times in the campaign's zone. */
import * as z from '../domain/zod';
import type { Campaign } from '../domain/campaign';
import { personal } from '../domain/privacy';
import type { ExtensionRecord } from '../repositories/extension-repository';
import { extensionSchema } from '../schemas/extension.schema';
import { id } from '../schemas/text';
import { instant, type ViewOf } from '../schemas/output';
import { zoned } from './zoned-instant';

/** The extension granted: the request as validated, with who granted it and when. */
export const extensionViewSchema = (c: Campaign) =>
  z.looseObject({
    ...extensionSchema(c).shape,
    extensionId: z.uuid(),
    campaignId: id(),
    grantedBy: z.meta(z.string(), { description: 'The admin who granted it (`sub`).', ...personal('actor', 'accountability') }),
    grantedAt: instant(),
  });
export type ExtensionView = ViewOf<ReturnType<typeof extensionViewSchema>>;

export function extensionView(e: ExtensionRecord, campaign: Campaign): ExtensionView {
  return {
    extensionId: e.extensionId,
    campaignId: e.campaignId,
    organizationId: e.organizationId,
    ...(e.activityId ? { activityId: e.activityId } : {}),
    milestone: e.milestone,
    until: zoned(e.until, campaign),
    reason: e.reason,
    grantedBy: e.grantedBy,
    grantedAt: zoned(e.grantedAt, campaign),
  };
}
