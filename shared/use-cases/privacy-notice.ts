/**
 * The privacy notice and a person's acknowledgement of it (issue 21 item 2): any signed-in person,
 * about themselves only: the `sub` is the token's, never a parameter.
 *
 * Primary course of `acknowledgePrivacyNotice`:
 * 1. Validate `{ version }`; it must be the current notice's (422 `notice_version_not_current`:
 *    the person read an older text, so they read again).
 * 2. Record who, which version and when (the first acknowledgement is kept).
 */
import type { Principal } from '../auth/principal';
import type { Clock } from '../domain/clock';
import { safeParseFields } from '../domain/issues';
import { PRIVACY_NOTICE } from '../domain/privacy-notice';
import { InvalidInputError } from '../errors';
import type { NoticeAcknowledgement, NoticeAcknowledgements } from '../repositories/notice-repository';
import { noticeAcknowledgementSchema } from '../schemas/privacy-notice.schema';

export interface PrivacyNoticeDeps {
  readonly notices: NoticeAcknowledgements;
  readonly clock: Clock;
}

/** The current notice and when the caller acknowledged it (`undefined`: not yet, so the app asks). */
export async function getPrivacyNotice(
  input: { principal: Principal },
  deps: Pick<PrivacyNoticeDeps, 'notices'>,
): Promise<{ notice: typeof PRIVACY_NOTICE; acknowledgement: NoticeAcknowledgement | undefined }> {
  return { notice: PRIVACY_NOTICE, acknowledgement: await deps.notices.get(input.principal.sub, PRIVACY_NOTICE.version) };
}

/** Records that the caller saw the current notice. */
export async function acknowledgePrivacyNotice(input: { principal: Principal; body: unknown }, deps: PrivacyNoticeDeps): Promise<NoticeAcknowledgement> {
  const parsed = safeParseFields(noticeAcknowledgementSchema, input.body);
  if (!parsed.success) throw new InvalidInputError('the acknowledgement is not valid', parsed.issues);
  const { version } = parsed.data;
  if (version !== PRIVACY_NOTICE.version) {
    throw new InvalidInputError('not the current privacy notice', [
      { path: 'version', code: 'notice_version_not_current', params: { value: version, current: PRIVACY_NOTICE.version } },
    ]);
  }
  return deps.notices.acknowledge({ sub: input.principal.sub, version, acknowledgedAt: deps.clock.now().toISOString() });
}
