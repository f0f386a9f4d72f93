// Webhook URLs are sealed at rest (ADR 0048): AES-256-GCM bound to the unit's settings item.
import { AesGcmSealer, isSealed, openWebhookUrl, webhookContext } from '../../../shared/clients/secret-sealer';
import { maskWebhookUrl } from '../../../shared/domain/webhook-address';

describe('Class: AesGcmSealer', () => {
  const sealer = new AesGcmSealer(async () => Buffer.alloc(32, 'k'));
  const url = 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx-4bc4-97a0-0ec2sif1de3d';
  const hongqi = webhookContext('2021-xinxiang', 'hongqi-kx');

  it('opens what it sealed, for the same item only; each seal is new ciphertext', async () => {
    const sealed = await sealer.seal(url, hongqi);
    expect(isSealed(sealed)).toBe(true);
    expect(sealed).not.toContain('693a91f6');
    expect(await sealer.open(sealed, hongqi)).toBe(url);
    expect(await sealer.seal(url, hongqi)).not.toBe(sealed);
    await expect(sealer.open(sealed, webhookContext('2021-xinxiang', 'weibin-kx'))).rejects.toThrow();
  });

  it('refuses a value altered, cut, sealed with another key, or not sealed at all', async () => {
    const sealed = await sealer.seal(url, hongqi);
    const raw = Buffer.from(sealed.slice('sealed:v1:'.length), 'base64url');
    raw[20] = (raw[20] as number) ^ 1;
    await expect(sealer.open(`sealed:v1:${raw.toString('base64url')}`, hongqi)).rejects.toThrow();
    await expect(sealer.open(sealed.slice(0, 20), hongqi)).rejects.toThrow();
    await expect(new AesGcmSealer(async () => Buffer.alloc(32, 'other')).open(sealed, hongqi)).rejects.toThrow();
    await expect(sealer.open(url, hongqi)).rejects.toThrow('not a sealed value');
  });

  it('answers a URL stored in clear before ADR 0048 as it is (openWebhookUrl)', async () => {
    expect(await openWebhookUrl(url, hongqi, sealer)).toBe(url);
    expect(await openWebhookUrl(await sealer.seal(url, hongqi), hongqi, sealer)).toBe(url);
  });
});

describe('Function: maskWebhookUrl', () => {
  it('keeps the scheme, host and last 4 characters', () => {
    expect(maskWebhookUrl('https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a-91f6')).toBe('https://qyapi.weixin.qq.com/…91f6');
    expect(maskWebhookUrl('https://hooks.example.cn/科普日')).toBe('https://hooks.example.cn/…/科普日');
    expect(maskWebhookUrl('not a url')).toBe('… url');
  });
});
