/**
 * The privacy notice as `GET /v1/me/privacy-notice` answers it, and an acknowledgement as
 * `PUT` leaves it. Times in Asia/Shanghai: the notice belongs to no campaign, and every campaign
 * of ours is there.
 */
import * as z from '../domain/zod';
import { personal } from '../domain/privacy';
import type { PRIVACY_NOTICE } from '../domain/privacy-notice';
import { formatInstant } from '../domain/time';
import type { NoticeAcknowledgement } from '../repositories/notice-repository';
import { bilingual, instant, type ViewOf } from '../schemas/output';

const NOTICE_TIME_ZONE = 'Asia/Shanghai';

export const noticeAcknowledgementViewSchema = z.looseObject({
  version: z.string(),
  acknowledgedAt: z.meta(instant(), personal('acknowledgement', 'notice-record', 'person')),
});
export type NoticeAcknowledgementView = ViewOf<typeof noticeAcknowledgementViewSchema>;

export const privacyNoticeViewSchema = z.looseObject({
  version: z.meta(z.string(), { description: 'Send it back with `PUT` once read.' }),
  acknowledgedAt: z.nullable(z.meta(instant(), personal('acknowledgement', 'notice-record', 'person'))),
  text: bilingual(),
});
export type PrivacyNoticeView = ViewOf<typeof privacyNoticeViewSchema>;

export function noticeAcknowledgementView(a: NoticeAcknowledgement): NoticeAcknowledgementView {
  return { version: a.version, acknowledgedAt: formatInstant(new Date(a.acknowledgedAt), NOTICE_TIME_ZONE) };
}

export function privacyNoticeView(notice: typeof PRIVACY_NOTICE, acknowledgement: NoticeAcknowledgement | undefined): PrivacyNoticeView {
  return {
    version: notice.version,
    acknowledgedAt: acknowledgement ? formatInstant(new Date(acknowledgement.acknowledgedAt), NOTICE_TIME_ZONE) : null,
    text: notice.text,
  };
}
