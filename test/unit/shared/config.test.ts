import { loadCampaignCacheTtlMs, loadClaimNames, loadConfig, loadTableCopyConfig, loadWebOrigin } from '../../../shared/config';
import { ConfigError } from '../../../shared/errors';

describe('Function: loadConfig', () => {
  it('returns the named resources and base settings, frozen', () => {
    const config = loadConfig(
      { tables: ['main'], queues: ['media-uploads'], buckets: ['media'] },
      { MAIN_TABLE_NAME: 't', MEDIA_UPLOADS_QUEUE_URL: 'http://q', MEDIA_BUCKET_NAME: 'b', S3_FORCE_PATH_STYLE: 'true' },
    );
    expect(config).toEqual({
      region: 'us-east-1',
      stage: 'local',
      s3ForcePathStyle: true,
      tables: { main: 't' },
      queues: { 'media-uploads': 'http://q' },
      buckets: { media: 'b' },
    });
    expect(Object.isFrozen(config.tables)).toBe(true);
  });

  it('fails at cold start listing every missing variable', () => {
    expect(() => loadConfig({ tables: ['main', 'audit'], buckets: ['media'] }, {})).toThrow(
      new ConfigError('Missing or invalid environment variables: MAIN_TABLE_NAME, AUDIT_TABLE_NAME, MEDIA_BUCKET_NAME'),
    );
  });

  it('rejects a malformed setting', () => {
    expect(() => loadConfig({}, { S3_FORCE_PATH_STYLE: 'yes' })).toThrow(/S3_FORCE_PATH_STYLE/);
  });
});

describe('Function: loadClaimNames', () => {
  it('reads the claim names a provider uses, defaulting to orgId, roles and city, and Xinxiang as the home city', () => {
    expect(loadClaimNames({})).toEqual({ orgId: 'orgId', roles: 'roles', city: 'city', homeCity: 'xinxiang' });
    expect(
      loadClaimNames({ JWT_CLAIM_ORG_ID: 'custom:orgId', JWT_CLAIM_ROLES: 'custom:roles', JWT_CLAIM_CITY: 'custom:city', SCIDAY_HOME_CITY: 'anyang' }),
    ).toEqual({ orgId: 'custom:orgId', roles: 'custom:roles', city: 'custom:city', homeCity: 'anyang' });
    expect(Object.isFrozen(loadClaimNames({}))).toBe(true);
  });

  it('treats empty variables as unset', () => {
    expect(loadClaimNames({ JWT_CLAIM_CITY: '', SCIDAY_HOME_CITY: '' })).toMatchObject({ city: 'city', homeCity: 'xinxiang' });
  });

  it.each(['Xinxiang', 'xin xiang', '-xinxiang', 'a'.repeat(65), '新乡'])('fails at cold start on a home city that is not a slug (%s)', (homeCity) => {
    expect(() => loadClaimNames({ SCIDAY_HOME_CITY: homeCity })).toThrow(ConfigError);
    expect(() => loadClaimNames({ SCIDAY_HOME_CITY: homeCity })).toThrow(/SCIDAY_HOME_CITY/);
  });
});

describe('Function: loadCampaignCacheTtlMs', () => {
  it('keeps a campaign 30 s by default (unset or empty)', () => {
    expect(loadCampaignCacheTtlMs({})).toBe(30_000);
    expect(loadCampaignCacheTtlMs({ CAMPAIGN_CACHE_TTL_SECONDS: '' })).toBe(30_000);
  });

  it('reads seconds, 0 (read the table every time) to an hour, as milliseconds', () => {
    expect(loadCampaignCacheTtlMs({ CAMPAIGN_CACHE_TTL_SECONDS: '0' })).toBe(0);
    expect(loadCampaignCacheTtlMs({ CAMPAIGN_CACHE_TTL_SECONDS: '5' })).toBe(5_000);
    expect(loadCampaignCacheTtlMs({ CAMPAIGN_CACHE_TTL_SECONDS: '0.5' })).toBe(500);
    expect(loadCampaignCacheTtlMs({ CAMPAIGN_CACHE_TTL_SECONDS: '3600' })).toBe(3_600_000);
  });

  it.each(['-1', '3601', 'soon', 'NaN', 'Infinity'])('fails at cold start on %s', (raw) => {
    expect(() => loadCampaignCacheTtlMs({ CAMPAIGN_CACHE_TTL_SECONDS: raw })).toThrow(ConfigError);
    expect(() => loadCampaignCacheTtlMs({ CAMPAIGN_CACHE_TTL_SECONDS: raw })).toThrow(/CAMPAIGN_CACHE_TTL_SECONDS/);
  });
});

describe('Function: loadTableCopyConfig', () => {
  const arn = 'arn:aws:dynamodb:cn-north-1:123456789012:table/SciDay-prod-main';

  it('answers no copies when unset, a Scan on one machine, and the point-in-time export with its table on AWS', () => {
    expect(loadTableCopyConfig({})).toBeUndefined();
    expect(loadTableCopyConfig({ TABLE_COPY_MODE: 'scan' })).toEqual({ mode: 'scan' });
    expect(loadTableCopyConfig({ TABLE_COPY_MODE: 'point-in-time', TABLE_COPY_TABLE_ARN: arn })).toEqual({ mode: 'point-in-time', tableArn: arn });
    expect(loadTableCopyConfig({ TABLE_COPY_MODE: 'point-in-time', TABLE_COPY_TABLE_ARN: arn.replace('aws:', 'aws-cn:') })).toMatchObject({ mode: 'point-in-time' });
  });

  it('fails at cold start on an unknown mode or a table ARN that is not one', () => {
    expect(() => loadTableCopyConfig({ TABLE_COPY_MODE: 'dump' })).toThrow(ConfigError);
    expect(() => loadTableCopyConfig({ TABLE_COPY_MODE: 'point-in-time' })).toThrow(/TABLE_COPY_TABLE_ARN/);
    expect(() => loadTableCopyConfig({ TABLE_COPY_MODE: 'point-in-time', TABLE_COPY_TABLE_ARN: `${arn}/index/gsi1` })).toThrow(/TABLE_COPY_TABLE_ARN/);
  });
});

describe('Function: loadWebOrigin', () => {
  it('is absent on one machine and an https origin on AWS, and refuses anything else', () => {
    expect(loadWebOrigin({})).toBeUndefined();
    expect(loadWebOrigin({ SCIDAY_WEB_ORIGIN: '' })).toBeUndefined();
    expect(loadWebOrigin({ SCIDAY_WEB_ORIGIN: 'https://kepu.example.cn' })).toBe('https://kepu.example.cn');
    for (const raw of ['http://kepu.example.cn', 'https://kepu.example.cn/', 'https://kepu.example.cn/x', 'kepu.example.cn']) {
      expect(() => loadWebOrigin({ SCIDAY_WEB_ORIGIN: raw })).toThrow(ConfigError);
    }
  });
});
