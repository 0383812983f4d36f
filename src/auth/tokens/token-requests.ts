import { FieldCause, fieldErrors } from '../../common/field-error';
import { kubeDNS1123LabelErrors, kubeDNS1123SubdomainErrors, kubeQualifiedNameErrors } from '../../validation/kube-names';
import { isCidr, RegistrationScope } from '../registration-scope';
import { inNamespaces, registrarRules, ROLE_NAMES, RoleName, ROLES } from '../roles';
import { Rule } from '../rules';

/** What creating a token asks for, checked: the rules it will grant and when it ends. */
export interface TokenGrant {
  subject: string;
  role: RoleName | null;
  rules: Rule[];
  registration: RegistrationScope | null;
  expiresAt: Date | null;
  description: string | null;
}

const MAX_TTL_SECONDS = 10 * 365 * 24 * 3600;
const MAX_LIST = 100;
const RULE_FIELDS = ['verbs', 'apiGroups', 'resources', 'namespaces', 'resourceNames', 'nonResourceURLs'] as const;
const PRINTABLE = /^[\x21-\x7e]([\x20-\x7e]{0,251}[\x21-\x7e])?$/;

type Body = Record<string, unknown>;
const isObject = (value: unknown): value is Body => typeof value === 'object' && value !== null && !Array.isArray(value);

function stringList(body: Body, field: string, path: string, causes: FieldCause[], each?: (value: string, at: string) => string[]): string[] | undefined {
  const value = body[field];
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string' || item.length > 253)) {
    causes.push(fieldErrors.typeInvalid(path, value, 'must be a list of strings (each at most 253 characters)'));
    return undefined;
  }
  if (value.length > MAX_LIST) causes.push(fieldErrors.tooMany(path, value.length, MAX_LIST));
  value.forEach((item, i) => each?.(item, `${path}[${i}]`).forEach((message) => causes.push(fieldErrors.invalid(`${path}[${i}]`, item, message))));
  return value as string[];
}

function expiryOf(body: Body, now: number, causes: FieldCause[]): Date | null {
  const { ttlSeconds, expiresAt } = body;
  if (ttlSeconds !== undefined && expiresAt !== undefined) causes.push(fieldErrors.forbidden('expiresAt', 'set ttlSeconds or expiresAt, not both'));
  if (ttlSeconds !== undefined) {
    if (!Number.isInteger(ttlSeconds) || (ttlSeconds as number) < 60 || (ttlSeconds as number) > MAX_TTL_SECONDS) {
      causes.push(fieldErrors.invalid('ttlSeconds', ttlSeconds, `must be a whole number of seconds from 60 to ${MAX_TTL_SECONDS}`));
      return null;
    }
    return new Date(now + (ttlSeconds as number) * 1000);
  }
  if (expiresAt === undefined || expiresAt === null) return null;
  const time = typeof expiresAt === 'string' && /^\d{4}-\d\d-\d\dT/.test(expiresAt) ? Date.parse(expiresAt) : NaN;
  if (Number.isNaN(time) || time <= now) causes.push(fieldErrors.invalid('expiresAt', expiresAt, 'must be an RFC 3339 time in the future'));
  return Number.isNaN(time) ? null : new Date(time);
}

function common(body: Body, now: number, causes: FieldCause[], defaultSubject?: string) {
  const subject = body.subject ?? defaultSubject;
  if (typeof subject !== 'string' || !PRINTABLE.test(subject)) causes.push(fieldErrors.invalid('subject', subject ?? null, 'must be 1 to 253 printable ASCII characters, e.g. "alice" or "ci:deploy"'));
  const description = body.description ?? null;
  if (description !== null && (typeof description !== 'string' || description.length > 1024)) causes.push(fieldErrors.invalid('description', description, 'must be text of at most 1024 characters'));
  return { subject: subject as string, description: description as string | null, expiresAt: expiryOf(body, now, causes) };
}

function rulesOf(value: unknown, causes: FieldCause[]): Rule[] {
  if (!Array.isArray(value) || value.length === 0 || value.length > 50) {
    causes.push(fieldErrors.invalid('rules', value, 'must be a list of 1 to 50 rules'));
    return [];
  }
  return value.map((rule, i) => {
    const path = `rules[${i}]`;
    if (!isObject(rule)) {
      causes.push(fieldErrors.typeInvalid(path, rule, 'must be an object'));
      return { verbs: [] };
    }
    const unknown = Object.keys(rule).filter((key) => !(RULE_FIELDS as readonly string[]).includes(key));
    unknown.forEach((key) => causes.push(fieldErrors.notSupported(`${path}.${key}`, key, RULE_FIELDS)));
    const checked: Rule = { verbs: [] };
    for (const field of RULE_FIELDS) {
      const list = stringList(rule, field, `${path}.${field}`, causes);
      if (list) checked[field] = list;
    }
    if (!checked.verbs.length) causes.push(fieldErrors.required(`${path}.verbs`));
    if (!!checked.resources?.length === !!checked.nonResourceURLs?.length) causes.push(fieldErrors.invalid(path, rule, 'must name either resources or nonResourceURLs'));
    return checked;
  });
}

/** A token body: `{subject, role, namespaces?}` or `{subject, rules}`, and `ttlSeconds` or `expiresAt`. */
export function tokenGrantOf(body: unknown, now: number): { grant?: TokenGrant; causes: FieldCause[] } {
  const causes: FieldCause[] = [];
  if (!isObject(body)) return { causes: [fieldErrors.required('spec', 'the body must be an object')] };
  const { subject, description, expiresAt } = common(body, now, causes);
  const namespaces = stringList(body, 'namespaces', 'namespaces', causes, kubeDNS1123LabelErrors);
  let role: RoleName | null = null;
  let rules: Rule[] = [];
  if ((body.role === undefined) === (body.rules === undefined)) causes.push(fieldErrors.required('role', 'set role or rules, not both'));
  else if (body.role !== undefined) {
    if (!ROLE_NAMES.includes(body.role as RoleName)) causes.push(fieldErrors.notSupported('role', body.role, ROLE_NAMES));
    else [role, rules] = [body.role as RoleName, inNamespaces(ROLES[body.role as RoleName], namespaces)];
  } else {
    if (namespaces) causes.push(fieldErrors.forbidden('namespaces', 'goes with role; put namespaces into each rule instead'));
    rules = rulesOf(body.rules, causes);
  }
  return causes.length ? { causes } : { causes, grant: { subject, role, rules, registration: null, expiresAt, description } };
}

/** A registration token body for namespace `namespace`: `{group, addressCIDRs?, maxEntries?, allowedLabelKeys?, ttlSeconds? | expiresAt?}`. */
export function registrationGrantOf(namespace: string, body: unknown, now: number): { grant?: TokenGrant; causes: FieldCause[] } {
  const causes: FieldCause[] = [];
  if (!isObject(body)) return { causes: [fieldErrors.required('group', 'the body must be an object naming the WorkloadGroup')] };
  const group = body.group;
  if (typeof group !== 'string') causes.push(fieldErrors.required('group', 'the WorkloadGroup this token registers into'));
  else kubeDNS1123SubdomainErrors(group).forEach((message) => causes.push(fieldErrors.invalid('group', group, message)));
  const { subject, description, expiresAt } = common(body, now, causes, `registrar:${namespace}/${String(group)}`);
  const addressCIDRs = stringList(body, 'addressCIDRs', 'addressCIDRs', causes, (cidr) => (isCidr(cidr) ? [] : ['must be a CIDR, e.g. 10.0.0.0/24']));
  const allowedLabelKeys = stringList(body, 'allowedLabelKeys', 'allowedLabelKeys', causes, kubeQualifiedNameErrors) ?? [];
  const maxEntries = body.maxEntries;
  if (maxEntries !== undefined && (!Number.isInteger(maxEntries) || (maxEntries as number) < 1 || (maxEntries as number) > 1_000_000)) {
    causes.push(fieldErrors.invalid('maxEntries', maxEntries, 'must be a whole number from 1 to 1000000'));
  }
  if (causes.length) return { causes };
  const registration: RegistrationScope = {
    namespace, group: group as string, allowedLabelKeys,
    ...(addressCIDRs ? { addressCIDRs } : {}), ...(maxEntries !== undefined ? { maxEntries: maxEntries as number } : {}),
  };
  const rules = registrarRules({ namespace, group: group as string });
  return { causes, grant: { subject, role: 'registrar', rules, registration, expiresAt, description } };
}
