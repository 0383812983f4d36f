import { RegistrationRequest, registrationRefusal, RegistrationScope } from './registration-scope';

const scope: RegistrationScope = { namespace: 'a', group: 'wg1', addressCIDRs: ['10.0.0.0/24', '2001:db8::/64'], maxEntries: 2, allowedLabelKeys: ['version'] };
const request = (over: Partial<RegistrationRequest> = {}): RegistrationRequest => ({ namespace: 'a', group: 'wg1', address: '10.0.0.5', name: 'wg1-10.0.0.5', ...over });

describe('registrationRefusal', () => {
  it.each<[string, RegistrationScope, RegistrationRequest, string[], RegExp | undefined]>([
    ['an address in the CIDRs', scope, request(), [], undefined],
    ['an IPv6 address in the CIDRs', scope, request({ address: '2001:db8::5' }), [], undefined],
    ['an IPv4-mapped IPv6 address in the CIDRs', scope, request({ address: '::ffff:10.0.0.9' }), [], undefined],
    ['any address without CIDRs', { ...scope, addressCIDRs: undefined }, request({ address: '192.168.1.1' }), [], undefined],
    ['an address outside the CIDRs', scope, request({ address: '10.0.1.5' }), [], /address "10\.0\.1\.5" is outside this token's addressCIDRs \(10\.0\.0\.0\/24, 2001:db8::\/64\)/],
    ['a host name where CIDRs are set', scope, request({ address: 'vm.example.com' }), [], /outside this token's addressCIDRs/],
    ['another group', scope, request({ group: 'wg2' }), [], /registers into workloadgroup "wg1" in namespace "a" only/],
    ['another namespace', scope, request({ namespace: 'b' }), [], /registers into workloadgroup "wg1" in namespace "a" only/],
    ['an allowed label', scope, request({ labels: { version: 'v2' } }), [], undefined],
    ['a label it may not set', scope, request({ labels: { app: 'payments' } }), [], /label "app" is not allowed by this token \(allowedLabelKeys: version\)/],
    ['any label without allowedLabelKeys', { ...scope, allowedLabelKeys: [] }, request({ labels: { version: 'v2' } }), [], /it allows no request labels/],
    ['an entry past maxEntries', scope, request(), ['wg1-10.0.0.1', 'wg1-10.0.0.2'], /has registered 2 entries, its maxEntries/],
    ['re-registering an entry it made at maxEntries', scope, request({ name: 'wg1-10.0.0.1' }), ['wg1-10.0.0.1', 'wg1-10.0.0.2'], undefined],
  ])('%s', (_title, given, asked, registered, refusal) => {
    const answer = registrationRefusal(given, asked, registered);
    if (refusal) expect(answer).toMatch(refusal);
    else expect(answer).toBeUndefined();
  });
});
