import { isCIDR, isIP, parseIp } from './ip-address';

describe('isIP (Go netip.ParseAddr)', () => {
  it.each([
    '1.2.3.4',
    '0.0.0.0',
    '255.255.255.255',
    '::',
    '::1',
    '2001:db8::1',
    '001:db8::', // hex groups may have leading zeros (Istio's own CRD testdata)
    'fe80::1%eth0',
    'fe80::1%eth 0', // Go accepts any non-empty zone text, Node's net.isIP does not
    '::%eth0',
    '::ffff:1.2.3.4',
    '1:2:3:4:5:6:1.2.3.4',
    '1:2:3:4:5:6:7::',
    '::2:3:4:5:6:7:8',
    'FFFF:ffff:0:0:0:0:0:1',
  ])('accepts %s', (ip) => expect(isIP(ip)).toBe(true));

  it.each([
    '',
    '01.2.3.4', // IPv4 leading zero
    '1.2.3.04',
    '1.2.3',
    '1.2.3.4.5',
    '256.1.1.1',
    '1..2.3',
    '1.2.3.4%eth0', // zones only on IPv6
    'fe80::1%', // empty zone
    '%eth0',
    ':::1',
    '1::2::3',
    '12345::1',
    '1:2:3:4:5:6:7:8:9',
    '1:2:3:4:5:6:7:8::', // :: must stand for at least one group
    '1:2:3:4:5:6:7:1.2.3.4',
    '::ffff:01.2.3.4',
    '::1.2.3.4:5',
    'g::1',
    'example.com',
    '1.2.3.4/32',
  ])('rejects %s', (ip) => expect(isIP(ip)).toBe(false));

  it('reports the family and zone', () => {
    expect(parseIp('1.2.3.4')).toEqual({ version: 4 });
    expect(parseIp('fe80::1%eth0')).toEqual({ version: 6, zone: 'eth0' });
  });
});

describe('isCIDR (Go netip.ParsePrefix)', () => {
  it.each(['1.1.1.1/24', '10.0.0.0/8', '0.0.0.0/0', '1.2.3.4/32', '2001:db8::/48', '::/0', '::1/128', '::ffff:1.2.3.4/120'])(
    'accepts %s',
    (cidr) => expect(isCIDR(cidr)).toBe(true),
  );

  it.each(['1.1.1.1/48', '2001:db8::/132', '1.1.1.1/', '1.1.1.1/024', '1.1.1.1/+8', '1.1.1.1/-1', 'fe80::1%eth0/64', '01.1.1.1/8', '1.1.1.1'])(
    'rejects %s',
    (cidr) => expect(isCIDR(cidr)).toBe(false),
  );
});
