// The privacy notice (issue 21 item 2): who saw which version when, the sub only ever the caller's.
import type { Principal } from '../../../shared/auth/principal';
import { fixedClock } from '../../../shared/domain/clock';
import { PRIVACY_NOTICE } from '../../../shared/domain/privacy-notice';
import { InvalidInputError } from '../../../shared/errors';
import { noticeAcknowledgementView, privacyNoticeView } from '../../../shared/http/privacy-notice-views';
import type { NoticeAcknowledgement, NoticeAcknowledgements } from '../../../shared/repositories/notice-repository';
import { acknowledgePrivacyNotice, getPrivacyNotice } from '../../../shared/use-cases/privacy-notice';

/** Acknowledgements in memory, keyed as the table keys them (person, version); the first one kept. */
class MemoryNotices implements NoticeAcknowledgements {
  public readonly items = new Map<string, NoticeAcknowledgement>();
  public async get(sub: string, version: string) {
    return this.items.get(`${sub}|${version}`);
  }
  public async acknowledge(ack: NoticeAcknowledgement) {
    const key = `${ack.sub}|${ack.version}`;
    if (!this.items.has(key)) this.items.set(key, ack);
    return this.items.get(key)!;
  }
}

const person = (sub: string): Principal => ({ sub, orgId: 'hongqi-kx', roles: new Set(['organizer']), city: 'xinxiang' });

describe('Function: acknowledgePrivacyNotice', () => {
  it('records the caller, the current version and the instant, and answers it in Asia/Shanghai', async () => {
    // Prepare
    const notices = new MemoryNotices();
    // Act
    const ack = await acknowledgePrivacyNotice(
      { principal: person('u-1'), body: { version: PRIVACY_NOTICE.version } },
      { notices, clock: fixedClock('2026-12-02T01:30:00Z') },
    );
    // Assess
    expect(ack).toEqual({ sub: 'u-1', version: PRIVACY_NOTICE.version, acknowledgedAt: '2026-12-02T01:30:00.000Z' });
    expect(noticeAcknowledgementView(ack)).toEqual({ version: PRIVACY_NOTICE.version, acknowledgedAt: '2026-12-02T09:30:00+08:00' });
  });

  it('refuses an older (or any other) version with 422 notice_version_not_current on `version`', async () => {
    // Act
    const attempt = acknowledgePrivacyNotice({ principal: person('u-1'), body: { version: '2020-01-01' } }, { notices: new MemoryNotices(), clock: fixedClock('2026-12-02T01:30:00Z') });
    // Assess
    await expect(attempt).rejects.toBeInstanceOf(InvalidInputError);
    await expect(attempt).rejects.toMatchObject({
      issues: [{ path: 'version', code: 'notice_version_not_current', params: { value: '2020-01-01', current: PRIVACY_NOTICE.version } }],
    });
  });

  it('takes no `sub` from the body: the person is the token’s', async () => {
    // Act
    const attempt = acknowledgePrivacyNotice(
      { principal: person('u-1'), body: { version: PRIVACY_NOTICE.version, sub: 'u-2' } },
      { notices: new MemoryNotices(), clock: fixedClock('2026-12-02T01:30:00Z') },
    );
    // Assess
    await expect(attempt).rejects.toMatchObject({ issues: [{ path: 'sub', code: 'unrecognized_key' }] });
  });

  it('keeps the first acknowledgement when the person acknowledges again', async () => {
    // Prepare
    const notices = new MemoryNotices();
    const body = { version: PRIVACY_NOTICE.version };
    await acknowledgePrivacyNotice({ principal: person('u-1'), body }, { notices, clock: fixedClock('2026-12-02T01:30:00Z') });
    // Act
    const again = await acknowledgePrivacyNotice({ principal: person('u-1'), body }, { notices, clock: fixedClock('2026-12-03T01:30:00Z') });
    // Assess
    expect(again.acknowledgedAt).toBe('2026-12-02T01:30:00.000Z');
  });
});

describe('Function: getPrivacyNotice', () => {
  it('answers the notice, Chinese first, with acknowledgedAt null until this person acknowledges, whoever else did', async () => {
    // Prepare
    const notices = new MemoryNotices();
    await acknowledgePrivacyNotice({ principal: person('u-2'), body: { version: PRIVACY_NOTICE.version } }, { notices, clock: fixedClock('2026-12-02T01:30:00Z') });
    // Act
    const mine = await getPrivacyNotice({ principal: person('u-1') }, { notices });
    const theirs = await getPrivacyNotice({ principal: person('u-2') }, { notices });
    // Assess
    expect(privacyNoticeView(mine.notice, mine.acknowledgement)).toEqual({ version: PRIVACY_NOTICE.version, acknowledgedAt: null, text: PRIVACY_NOTICE.text });
    expect(privacyNoticeView(theirs.notice, theirs.acknowledgement).acknowledgedAt).toBe('2026-12-02T09:30:00+08:00');
    expect(Object.keys(PRIVACY_NOTICE.text)).toEqual(['zh', 'en']);
  });

  it('asks again when the version changes: an acknowledgement of another version does not count', async () => {
    // Prepare
    const notices = new MemoryNotices();
    await notices.acknowledge({ sub: 'u-1', version: '2020-01-01', acknowledgedAt: '2020-01-02T00:00:00.000Z' });
    // Act
    const { acknowledgement } = await getPrivacyNotice({ principal: person('u-1') }, { notices });
    // Assess
    expect(acknowledgement).toBeUndefined();
  });
});
