/**
 * Every `x-kubernetes-validations` rule of the WorkloadEntry, ServiceEntry and WorkloadGroup CRDs, as a TypeScript predicate
 * keyed by the exact `rule` text. A CRD upgrade that adds a rule fails the spec that cross-checks the YAML, and
 * an unknown rule met at runtime is reported rather than silently passed.
 */
import { fieldErrors } from '../common/field-error';
import { Finding, withKey } from './findings';
import { CelValidation, isObject } from './schema-types';

/** CEL evaluates to true/false, or fails at runtime (e.g. substring past the end of the string). */
export type CelOutcome = boolean | { error: string };

export interface CelRuleImpl {
  /** Short id used in dedupe keys (`cel:<id>:<path>`) so webhook findings can supersede the CRD one. */
  id: string;
  check(self: unknown): CelOutcome;
}

type Obj = Record<string, unknown>;
const has = (self: unknown, field: string): boolean => isObject(self) && self[field] !== undefined;
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** CEL `substring(start, end)` works on code points and fails when `end` is past the end. */
function substring(s: string, start: number, end: number): string | { error: string } {
  const chars = [...s];
  if (end > chars.length) return { error: `index out of range: ${end}` };
  return chars.slice(start, end).join('');
}

function udsAbsoluteOrAbstract(self: unknown): CelOutcome {
  const s = str(self);
  if (!s.startsWith('unix://')) return true;
  const next = substring(s, 7, 8);
  return typeof next === 'string' ? next === '/' || next === '@' : next;
}

const PORT_NAME = /^[a-zA-Z0-9](?:[-a-zA-Z0-9]*[a-zA-Z0-9])?$/;
const resolutionOr = (self: unknown, fallback: string): string => (has(self, 'resolution') ? str((self as Obj).resolution) : fallback);
const listOf = (self: unknown, field: string): unknown[] => {
  const v = isObject(self) ? self[field] : undefined;
  return Array.isArray(v) ? v : [];
};

/** Every item's `number` occurs exactly once; a missing `number` is a CEL runtime error ("no such key"). */
function portNumbersUnique(self: unknown): CelOutcome {
  const items = Array.isArray(self) ? self : [];
  if (items.some((p) => !has(p, 'number'))) return { error: 'no such key: number' };
  const numbers = items.map((p) => (p as Obj).number);
  return numbers.every((n) => numbers.filter((m) => m === n).length === 1);
}

export const CEL_RULES: Readonly<Record<string, CelRuleImpl>> = {
  'self.startsWith("unix://") ? (self.substring(7, 8) == "/" || self.substring(7, 8) == "@") : true': {
    id: 'uds-absolute',
    check: udsAbsoluteOrAbstract,
  },
  'self.startsWith("unix://") ? !self.endsWith("/") : true': {
    id: 'uds-not-dir',
    check: (self) => !str(self).startsWith('unix://') || !str(self).endsWith('/'),
  },
  '0 < self && self <= 65535': {
    id: 'port-range',
    check: (self) => typeof self === 'number' && 0 < self && self <= 65535,
  },
  'self.all(key, size(key) < 63 && key.matches("^[a-zA-Z0-9](?:[-a-zA-Z0-9]*[a-zA-Z0-9])?$"))': {
    id: 'port-names',
    check: (self) => Object.keys(isObject(self) ? self : {}).every((k) => [...k].length < 63 && PORT_NAME.test(k)),
  },
  'has(self.address) || has(self.network)': {
    id: 'address-required',
    check: (self) => has(self, 'address') || has(self, 'network'),
  },
  '(has(self.address) ? self.address : "").startsWith("unix://") ? !has(self.ports) : true': {
    id: 'uds-no-ports',
    check: (self) => !str(isObject(self) ? self.address : undefined).startsWith('unix://') || !has(self, 'ports'),
  },
  'self in ["", "HTTP", "HTTPS"]': { id: 'http-scheme', check: (self) => ['', 'HTTP', 'HTTPS'].includes(str(self)) },
  'self != "*"': { id: 'host-not-star', check: (self) => self !== '*' },
  'self.all(l1, self.exists_one(l2, l1.number == l2.number))': { id: 'port-number-unique', check: portNumbersUnique },
  '!self.contains("*")': { id: 'selector-no-wildcard', check: (self) => !str(self).includes('*') },
  '(has(self.workloadSelector) ? 1 : 0) + (has(self.endpoints) ? 1 : 0) <= 1': {
    id: 'selector-xor-endpoints',
    check: (self) => !(has(self, 'workloadSelector') && has(self, 'endpoints')),
  },
  '!((has(self.addresses) ? self.addresses : []).exists(k, k.contains("/")) && !((has(self.resolution) ? self.resolution : "NONE") in ["STATIC", "NONE"]))':
    {
      id: 'cidr-resolution',
      check: (self) =>
        !(listOf(self, 'addresses').some((a) => str(a).includes('/')) && !['STATIC', 'NONE'].includes(resolutionOr(self, 'NONE'))),
    },
  '((has(self.resolution) ? self.resolution : "NONE") == "NONE") ? !has(self.endpoints) : true': {
    id: 'none-no-endpoints',
    check: (self) => resolutionOr(self, 'NONE') !== 'NONE' || !has(self, 'endpoints'),
  },
  '((has(self.resolution) ? self.resolution : "") == "DNS_ROUND_ROBIN") ? ((has(self.endpoints) ? self.endpoints : []).size() <= 1) : true':
    {
      id: 'dnsrr-single-endpoint',
      check: (self) => resolutionOr(self, '') !== 'DNS_ROUND_ROBIN' || listOf(self, 'endpoints').length <= 1,
    },
};

/** ruleErrorString: the rule's message when it has one, else the rule text. */
const ruleText = (v: CelValidation): string => (v.message ? v.message.trim() : v.rule);

/**
 * Evaluates the rules declared at one schema node. Failures read like kube-apiserver's:
 * `Invalid value: "<schema type>": <message>`, or `<runtime error> evaluating rule: <message>`.
 */
export function celFindings(rules: readonly CelValidation[], self: unknown, path: string, schemaType: string): Finding[] {
  const out: Finding[] = [];
  for (const rule of rules) {
    const impl = CEL_RULES[rule.rule];
    if (!impl) {
      out.push(fieldErrors.invalid(path, schemaType, `validation rule not implemented by this server: ${rule.rule}`));
      continue;
    }
    const outcome = impl.check(self);
    if (outcome === true) continue;
    const detail = outcome === false ? ruleText(rule) : `${outcome.error} evaluating rule: ${ruleText(rule)}`;
    out.push(withKey(fieldErrors.invalid(path, schemaType, detail), `cel:${impl.id}:${path}`));
  }
  return out;
}
