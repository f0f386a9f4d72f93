import {
  classifyAddress,
  hostToResolve,
  isAllowedAddress,
  parseIpv6,
  resolvedAddressesProblem,
  STRICT_WEBHOOK_POLICY,
  webhookHost,
  webhookUrlProblem,
  type AddressKind,
} from '../../../shared/domain/webhook-address';

const LOCAL = { allowLoopback: true };

describe('Function: classifyAddress', () => {
  it.each<[string, AddressKind]>([
    // IPv4
    ['8.8.8.8', 'public'],
    ['1.1.1.1', 'public'],
    ['101.226.4.6', 'public'],
    ['172.15.255.255', 'public'],
    ['172.32.0.0', 'public'],
    ['100.63.255.255', 'public'],
    ['100.128.0.0', 'public'],
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['10.0.0.1', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'link-local'],
    ['100.64.0.1', 'shared'],
    ['100.127.255.255', 'shared'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'reserved'],
    ['192.0.0.8', 'reserved'],
    ['192.0.2.10', 'documentation'],
    ['198.51.100.7', 'documentation'],
    ['203.0.113.99', 'documentation'],
    ['198.18.0.1', 'benchmark'],
    ['198.19.255.255', 'benchmark'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['240.0.0.1', 'reserved'],
    ['255.255.255.255', 'broadcast'],
    // IPv6
    ['2400:3200::1', 'public'],
    ['2001:4860:4860::8888', 'public'],
    ['::1', 'loopback'],
    ['[::1]', 'loopback'],
    ['0:0:0:0:0:0:0:1', 'loopback'],
    ['::', 'unspecified'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['febf::1', 'link-local'],
    ['fc00::1', 'unique-local'],
    ['fd12:3456:789a::1', 'unique-local'],
    ['fec0::1', 'private'],
    ['ff02::1', 'multicast'],
    ['2001:db8::1', 'documentation'],
    ['3fff::1', 'documentation'],
    ['2001::1', 'reserved'], // Teredo
    ['100::1', 'reserved'],
    ['::7f00:1', 'reserved'], // IPv4-compatible, deprecated
    ['4000::1', 'reserved'], // outside 2000::/3
    // IPv4 inside IPv6: judged by the IPv4 address
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::FFFF:A9FE:A9FE', 'link-local'],
    ['::ffff:10.0.0.1', 'private'],
    ['::ffff:8.8.8.8', 'public'],
    ['64:ff9b::10.0.0.1', 'private'],
    ['64:ff9b::a9fe:a9fe', 'link-local'],
    ['64:ff9b::808:808', 'public'],
    ['64:ff9b:1::1', 'reserved'],
    ['2002:7f00:1::1', 'loopback'], // 6to4 of 127.0.0.1
    ['2002:808:808::1', 'public'],
  ])('%s is %s', (ip, kind) => {
    expect(classifyAddress(ip)).toBe(kind);
  });

  it.each(['example.cn', 'localhost', '', '1.2.3', '256.1.1.1', '010.0.0.1', '1::2::3', '1:2:3:4:5:6:7:8:9', '::ffff:1.2.3', 'gggg::1', '12345::'])(
    '%j is not an IP address',
    (s) => {
      expect(classifyAddress(s)).toBeUndefined();
    },
  );

  it('reads every IPv6 spelling of one address alike', () => {
    const n = parseIpv6('2001:db8:0:0:0:0:0:1');
    expect(parseIpv6('2001:DB8::1')).toBe(n);
    expect(parseIpv6('[2001:db8::0:1]')).toBe(n);
    expect(parseIpv6('::ffff:127.0.0.1')).toBe(parseIpv6('::ffff:7f00:1'));
  });
});

describe('Function: isAllowedAddress', () => {
  it('allows public addresses, loopback only where allowed, and nothing else', () => {
    expect(isAllowedAddress('8.8.8.8', STRICT_WEBHOOK_POLICY)).toBe(true);
    expect(isAllowedAddress('127.0.0.1', STRICT_WEBHOOK_POLICY)).toBe(false);
    expect(isAllowedAddress('127.0.0.1', LOCAL)).toBe(true);
    expect(isAllowedAddress('::ffff:127.0.0.1', LOCAL)).toBe(true);
    expect(isAllowedAddress('10.0.0.1', LOCAL)).toBe(false);
    expect(isAllowedAddress('169.254.169.254', LOCAL)).toBe(false);
    expect(isAllowedAddress('not-an-ip', LOCAL)).toBe(false);
  });
});

describe('Function: webhookUrlProblem', () => {
  it.each<[string, string | undefined]>([
    ['https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc', undefined],
    ['https://oapi.dingtalk.com/robot/send?access_token=abc', undefined],
    ['https://8.8.8.8/hook', undefined],
    ['https://[2400:3200::1]:8443/hook', undefined],
    ['https://10.0.0.1/', 'webhook_address_not_allowed'],
    ['https://192.168.0.10:8080/robot', 'webhook_address_not_allowed'],
    ['http://169.254.169.254/latest/meta-data/', 'webhook_address_not_allowed'],
    ['https://169.254.169.254/', 'webhook_address_not_allowed'],
    ['https://100.64.1.1/', 'webhook_address_not_allowed'],
    ['https://0.0.0.0/', 'webhook_address_not_allowed'],
    ['https://0/', 'webhook_address_not_allowed'],
    ['https://255.255.255.255/', 'webhook_address_not_allowed'],
    ['https://224.0.0.1/', 'webhook_address_not_allowed'],
    ['https://192.0.2.1/', 'webhook_address_not_allowed'],
    ['https://198.18.0.1/', 'webhook_address_not_allowed'],
    ['https://[::1]/', 'webhook_address_not_allowed'],
    ['https://[::]/', 'webhook_address_not_allowed'],
    ['https://[fe80::1]/', 'webhook_address_not_allowed'],
    ['https://[fd00::1]/', 'webhook_address_not_allowed'],
    ['https://[ff02::1]/', 'webhook_address_not_allowed'],
    ['https://[::ffff:127.0.0.1]/', 'webhook_address_not_allowed'],
    ['https://[::ffff:a9fe:a9fe]/', 'webhook_address_not_allowed'],
    ['https://[64:ff9b::10.0.0.1]/', 'webhook_address_not_allowed'],
    // Odd IPv4 spellings: the URL parser reads them as the HTTP client would
    ['http://2130706433/', 'webhook_address_not_allowed'],
    ['https://2130706433/', 'webhook_address_not_allowed'],
    ['https://0x7f.1/', 'webhook_address_not_allowed'],
    ['https://0x7f000001/', 'webhook_address_not_allowed'],
    ['https://0177.0.0.1/', 'webhook_address_not_allowed'],
    ['https://127.1/', 'webhook_address_not_allowed'],
    ['https://127.0.0.1./', 'webhook_address_not_allowed'],
    ['https://%31%32%37.0.0.1/', 'webhook_address_not_allowed'],
    ['https://１２７.０.０.１/', 'webhook_address_not_allowed'],
    ['https://0xa9.0xfe.0xa9.0xfe/', 'webhook_address_not_allowed'],
    ['https://10.1/', 'webhook_address_not_allowed'],
    ['https://localhost/', 'webhook_address_not_allowed'],
    ['https://LOCALHOST./', 'webhook_address_not_allowed'],
    ['https://robot.localhost:9000/', 'webhook_address_not_allowed'],
    // Scheme, credentials, not a URL
    ['http://hooks.example.cn/x', 'https_required'],
    ['ftp://hooks.example.cn/x', 'https_required'],
    ['file:///etc/passwd', 'https_required'],
    ['gopher://127.0.0.1:6379/', 'https_required'],
    ['https://user:secret@hooks.example.cn/', 'invalid_url'],
    ['https://token@hooks.example.cn/', 'invalid_url'],
    ['hooks.example.cn/x', 'invalid_url'],
    ['https://', 'invalid_url'],
    ['not a url', 'invalid_url'],
  ])('%s → %s outside the local runtime', (url, problem) => {
    expect(webhookUrlProblem(url, STRICT_WEBHOOK_POLICY)).toBe(problem);
  });

  it.each<[string, string | undefined]>([
    ['http://127.0.0.1:8080/hook', undefined],
    ['https://127.0.0.1/hook', undefined],
    ['http://[::1]:8080/', undefined],
    ['http://localhost:3000/', undefined],
    ['http://robot.localhost/', undefined],
    ['http://2130706433/', undefined],
    ['http://[::ffff:127.0.0.1]/', undefined],
    ['https://10.0.0.1/', 'webhook_address_not_allowed'],
    ['http://169.254.169.254/', 'webhook_address_not_allowed'],
    ['https://[fe80::1]/', 'webhook_address_not_allowed'],
    ['http://hooks.example.cn/', 'https_required'],
    ['http://user:pw@127.0.0.1/', 'invalid_url'],
  ])('%s → %s in the local runtime (loopback allowed)', (url, problem) => {
    expect(webhookUrlProblem(url, LOCAL)).toBe(problem);
  });
});

describe('Function: hostToResolve', () => {
  it('names the host DNS must answer, and nothing for IP hosts and localhost', () => {
    expect(hostToResolve('https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k')).toBe('qyapi.weixin.qq.com');
    expect(hostToResolve('https://钉钉.example.cn/')).toBe('xn--164aa.example.cn');
    expect(hostToResolve('https://10.0.0.1/')).toBeUndefined();
    expect(hostToResolve('https://0x7f.1/')).toBeUndefined();
    expect(hostToResolve('https://[::1]/')).toBeUndefined();
    expect(hostToResolve('http://robot.localhost/')).toBeUndefined();
    expect(hostToResolve('not a url')).toBeUndefined();
  });
});

describe('Function: resolvedAddressesProblem', () => {
  it('refuses a name when any address it resolves to is not public', () => {
    expect(resolvedAddressesProblem(['8.8.8.8', '2001:4860:4860::8888'], STRICT_WEBHOOK_POLICY)).toBeUndefined();
    expect(resolvedAddressesProblem(['8.8.8.8', '10.0.0.1'], STRICT_WEBHOOK_POLICY)).toBe('webhook_address_not_allowed');
    expect(resolvedAddressesProblem(['::ffff:169.254.169.254'], LOCAL)).toBe('webhook_address_not_allowed');
    expect(resolvedAddressesProblem(['127.0.0.1', '::1'], STRICT_WEBHOOK_POLICY)).toBe('webhook_address_not_allowed');
    expect(resolvedAddressesProblem(['127.0.0.1', '::1'], LOCAL)).toBeUndefined();
  });
});

describe('Function: webhookHost', () => {
  it('keeps the host and port only: the query carries the robot’s token', () => {
    expect(webhookHost('https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=secret-token')).toBe('qyapi.weixin.qq.com');
    expect(webhookHost('http://127.0.0.1:8080/x?access_token=t')).toBe('127.0.0.1:8080');
    expect(webhookHost('nonsense')).toBe('(not a URL)');
  });
});
