import { readFileSync } from 'fs';
import { join } from 'path';
import { parse } from 'yaml';
import { CEL_RULES, celFindings } from './cel-rules';

/** Every rule string under any `x-kubernetes-validations` in the CRD YAML files. */
function crdRules(file: string): string[] {
  const found: string[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== 'object') return;
    const validations = (node as Record<string, unknown>)['x-kubernetes-validations'];
    if (Array.isArray(validations)) found.push(...validations.map((v: { rule: string }) => v.rule));
    Object.values(node).forEach(visit);
  };
  visit(parse(readFileSync(join(__dirname, '../kinds/crds', file), 'utf8')));
  return found;
}

describe('CEL rule registry', () => {
  const rules = [...crdRules('workloadentry.v1.openapi.yaml'), ...crdRules('serviceentry.v1.openapi.yaml'), ...crdRules('workloadgroup.v1.openapi.yaml')];

  it('finds the rules of the three CRDs', () => expect(new Set(rules).size).toBe(14));

  it.each([...new Set(rules)])('implements %s', (rule) => expect(CEL_RULES[rule]).toBeDefined());

  it('reports a rule it does not implement instead of passing it', () => {
    const [finding] = celFindings([{ rule: 'self.size() > 100' }], 'x', 'spec.x', 'string');
    expect(finding).toMatchObject({ reason: 'FieldValueInvalid', field: 'spec.x', message: expect.stringContaining('not implemented') });
  });
});

const rule = (text: string) => CEL_RULES[text].check;
const UDS_ABS = 'self.startsWith("unix://") ? (self.substring(7, 8) == "/" || self.substring(7, 8) == "@") : true';

describe('CEL rule semantics', () => {
  it.each<[string, unknown, boolean | { error: string }]>([
    [UDS_ABS, 'unix:///a.sock', true],
    [UDS_ABS, 'unix://@abstract', true],
    [UDS_ABS, '1.2.3.4', true],
    [UDS_ABS, 'unix://relative', false],
    [UDS_ABS, 'unix://', { error: 'index out of range: 8' }],
    ['self.startsWith("unix://") ? !self.endsWith("/") : true', 'unix:///a', true],
    ['self.startsWith("unix://") ? !self.endsWith("/") : true', 'unix:///dir/', false],
    ['0 < self && self <= 65535', 65535, true],
    ['0 < self && self <= 65535', 0, false],
    ['0 < self && self <= 65535', 70000, false],
    ['self.all(key, size(key) < 63 && key.matches("^[a-zA-Z0-9](?:[-a-zA-Z0-9]*[a-zA-Z0-9])?$"))', { http: 1, 'Web-2': 2 }, true],
    ['self.all(key, size(key) < 63 && key.matches("^[a-zA-Z0-9](?:[-a-zA-Z0-9]*[a-zA-Z0-9])?$"))', { '@': 1 }, false],
    ['self.all(key, size(key) < 63 && key.matches("^[a-zA-Z0-9](?:[-a-zA-Z0-9]*[a-zA-Z0-9])?$"))', { ['a'.repeat(63)]: 1 }, false],
    ['has(self.address) || has(self.network)', { network: 'n' }, true],
    ['has(self.address) || has(self.network)', { address: '' }, true],
    ['has(self.address) || has(self.network)', {}, false],
    ['(has(self.address) ? self.address : "").startsWith("unix://") ? !has(self.ports) : true', { address: 'unix://@a' }, true],
    ['(has(self.address) ? self.address : "").startsWith("unix://") ? !has(self.ports) : true', { address: '1.1.1.1', ports: { a: 1 } }, true],
    ['(has(self.address) ? self.address : "").startsWith("unix://") ? !has(self.ports) : true', { address: 'unix://@a', ports: {} }, false],
    ['self != "*"', '*.a.com', true],
    ['self != "*"', '*', false],
    ['self.all(l1, self.exists_one(l2, l1.number == l2.number))', [{ number: 1 }, { number: 2 }], true],
    ['self.all(l1, self.exists_one(l2, l1.number == l2.number))', [{ number: 1 }, { number: 1 }], false],
    ['self.all(l1, self.exists_one(l2, l1.number == l2.number))', [{ name: 'a' }], { error: 'no such key: number' }],
    ['!self.contains("*")', 'v1', true],
    ['!self.contains("*")', 'v*', false],
    ['(has(self.workloadSelector) ? 1 : 0) + (has(self.endpoints) ? 1 : 0) <= 1', { endpoints: [] }, true],
    ['(has(self.workloadSelector) ? 1 : 0) + (has(self.endpoints) ? 1 : 0) <= 1', { workloadSelector: {}, endpoints: [] }, false],
  ])('%s on %j gives %j', (text, self, outcome) => expect(rule(text)(self)).toEqual(outcome));

  const CIDR =
    '!((has(self.addresses) ? self.addresses : []).exists(k, k.contains("/")) && !((has(self.resolution) ? self.resolution : "NONE") in ["STATIC", "NONE"]))';
  const NONE = '((has(self.resolution) ? self.resolution : "NONE") == "NONE") ? !has(self.endpoints) : true';
  const RR = '((has(self.resolution) ? self.resolution : "") == "DNS_ROUND_ROBIN") ? ((has(self.endpoints) ? self.endpoints : []).size() <= 1) : true';
  it.each<[string, string, unknown, boolean]>([
    ['CIDR', CIDR, { addresses: ['1.0.0.0/8'] }, true],
    ['CIDR', CIDR, { addresses: ['1.0.0.0/8'], resolution: 'STATIC' }, true],
    ['CIDR', CIDR, { addresses: ['1.0.0.0/8'], resolution: 'DNS' }, false],
    ['NONE', NONE, { resolution: 'STATIC', endpoints: [] }, true],
    ['NONE', NONE, { endpoints: [] }, false],
    ['DNS_ROUND_ROBIN', RR, { resolution: 'DNS_ROUND_ROBIN', endpoints: [{}] }, true],
    ['DNS_ROUND_ROBIN', RR, { resolution: 'DNS_ROUND_ROBIN', endpoints: [{}, {}] }, false],
  ])('%s rule on %j gives %s', (_, text, self, outcome) => expect(rule(text)(self)).toBe(outcome));
});

describe('celFindings', () => {
  it('uses Kubernetes wording: the schema type as the value, the rule message as detail', () => {
    expect(celFindings([{ rule: 'self != "*"', message: 'hostname cannot be wildcard' }], '*', 'spec.hosts[0]', 'string')).toEqual([
      { reason: 'FieldValueInvalid', field: 'spec.hosts[0]', message: 'Invalid value: "string": hostname cannot be wildcard', key: 'cel:host-not-star:spec.hosts[0]' },
    ]);
  });

  it('reports runtime errors the way Kubernetes does', () => {
    const [finding] = celFindings([{ rule: UDS_ABS, message: 'UDS must be an absolute path or abstract socket' }], 'unix://', 'spec.address', 'string');
    expect(finding.message).toBe('Invalid value: "string": index out of range: 8 evaluating rule: UDS must be an absolute path or abstract socket');
  });

  it('falls back to the rule text when there is no message', () => {
    expect(celFindings([{ rule: 'self != "*"' }], '*', 'f', 'string')[0].message).toBe('Invalid value: "string": self != "*"');
  });
});
