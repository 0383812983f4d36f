/**
 * istiod's ValidateServiceEntry (pkg/config/validation/validation.go), in its order: workload selector (which
 * aborts on error), selector/endpoints exclusivity, hosts, addresses, ports, resolution-specific rules,
 * multiple hosts with non-HTTP ports, exportTo. Errors name the exact field; warnings keep Istio's text.
 */
import { fieldErrors, fieldPath } from '../common/field-error';
import { ServiceEntrySpec } from '../kinds/istio-types';
import { validateExportTo } from './export-to';
import { emptyResult, Finding, merge, RuleResult, superseding } from './findings';
import { ipOrCidrProblem, isHttpProtocol, isPartialWildcard, isTlsProtocol, parseProtocol, wildcardDomainProblem } from './primitives';
import { validateServicePorts } from './service-entry.ports';
import { validateResolution } from './service-entry.resolution';

export const AUTOALLOCATE_LABEL = 'networking.istio.io/enable-autoallocate-ip';
export const EMPTY_SELECTOR_WARNING =
  'service entry: workload selector specified without labels, will be applied to all services in namespace';

export interface ServiceEntryContext {
  namespace: string;
  labels?: Record<string, string>;
  /** PILOT_ENABLE_IP_AUTOALLOCATE, on by default in istiod. */
  ipAutoAllocate?: boolean;
}

/** ValidateAlphaWorkloadSelector: empty keys and `*` anywhere are errors that stop the whole webhook. */
function selectorErrors(spec: ServiceEntrySpec): Finding[] {
  const labelsPath = 'spec.workloadSelector.labels';
  return Object.entries(spec.workloadSelector?.labels ?? {}).flatMap(([key, value]) => {
    const at = fieldPath.key(labelsPath, key);
    const out: Finding[] = [];
    if (key === '') out.push(fieldErrors.invalid(labelsPath, key, 'a workload selector label key must not be empty'));
    if (key.includes('*') || value.includes('*')) {
      const detail = 'wildcards ("*") are not supported in workload selector labels';
      out.push(superseding(fieldErrors.invalid(at, key.includes('*') ? key : value, detail), `cel:selector-no-wildcard:${at}`));
    }
    return out;
  });
}

function hostErrors(spec: ServiceEntrySpec, resolution: string): RuleResult {
  const result = emptyResult();
  if (spec.hosts.length === 0) {
    const error = fieldErrors.required('spec.hosts', 'a ServiceEntry needs at least one host');
    result.errors.push(superseding(error, 'required:spec.hosts', 'minItems:spec.hosts'));
  }
  spec.hosts.forEach((host, i) => {
    const at = fieldPath.index('spec.hosts', i);
    if (host === '*') {
      const detail = 'a host cannot be just "*"; use a domain wildcard such as "*.example.com"';
      result.errors.push(superseding(fieldErrors.invalid(at, host, detail), `cel:host-not-star:${at}`));
      return;
    }
    const problem = wildcardDomainProblem(host);
    if (problem) result.errors.push(fieldErrors.invalid(at, host, problem));
    if (resolution !== 'DYNAMIC_DNS' && isPartialWildcard(host)) result.warnings.push(`partial wildcard ${JSON.stringify(host)} not allowed`);
  });
  return result;
}

function addressErrors(spec: ServiceEntrySpec, resolution: string): Finding[] {
  const out: Finding[] = [];
  (spec.addresses ?? []).forEach((address, i) => {
    const at = fieldPath.index('spec.addresses', i);
    const problem = ipOrCidrProblem(address);
    if (problem) out.push(fieldErrors.invalid(at, address, problem));
    if (address.includes('/') && resolution !== 'NONE' && resolution !== 'STATIC') {
      const detail = `CIDR blocks are only allowed with resolution NONE or STATIC (resolution is ${resolution})`;
      out.push(superseding(fieldErrors.invalid(at, address, detail), 'cel:cidr-resolution:spec'));
    }
  });
  return out;
}

/** Without HTTP Host or TLS SNI, several hosts on one port cannot be told apart (NONE ignores hosts). */
function multiHostErrors(spec: ServiceEntrySpec, resolution: string): Finding[] {
  if (resolution === 'NONE' || spec.hosts.length <= 1) return [];
  return (spec.ports ?? []).flatMap((port, i) => {
    const protocol = parseProtocol(port.protocol ?? '');
    if (isHttpProtocol(protocol) || isTlsProtocol(protocol)) return [];
    const at = fieldPath.child(fieldPath.index('spec.ports', i), 'protocol');
    const detail =
      `with several hosts and resolution ${resolution}, every port must use an HTTP-based protocol or TLS/HTTPS ` +
      'so requests can be told apart by Host header or SNI (an unset protocol counts as TCP)';
    return [fieldErrors.invalid(at, port.protocol ?? '', detail)];
  });
}

/** ShouldV2AutoAllocateIPFromConfig: feature on, resolution not NONE, no opt-out label, no addresses. */
export function autoAllocatesIP(spec: ServiceEntrySpec, resolution: string, ctx: ServiceEntryContext): boolean {
  if (ctx.ipAutoAllocate === false || resolution === 'NONE') return false;
  if ((ctx.labels?.[AUTOALLOCATE_LABEL] ?? '').toLowerCase() === 'false') return false;
  return (spec.addresses ?? []).length === 0;
}

export function validateServiceEntrySpec(spec: ServiceEntrySpec, ctx: ServiceEntryContext): RuleResult {
  const selectorProblems = selectorErrors(spec);
  if (selectorProblems.length > 0) return { errors: selectorProblems, warnings: [] };
  const result = emptyResult();
  const resolution = spec.resolution ?? 'NONE';
  if (spec.workloadSelector && Object.keys(spec.workloadSelector.labels ?? {}).length === 0) result.warnings.push(EMPTY_SELECTOR_WARNING);
  if (spec.workloadSelector && (spec.endpoints ?? []).length > 0) {
    const detail = 'may not be set together with workloadSelector: endpoints come either from this list or from the selected workloads';
    result.errors.push(superseding(fieldErrors.forbidden('spec.endpoints', detail), 'cel:selector-xor-endpoints:spec'));
  }
  merge(result, hostErrors(spec, resolution));
  result.errors.push(...addressErrors(spec, resolution));
  const tcpNeedsAddress = (spec.addresses ?? []).length === 0 && !autoAllocatesIP(spec, resolution, ctx);
  const ports = validateServicePorts(spec.ports, tcpNeedsAddress);
  merge(result, ports);
  merge(result, validateResolution({ spec, resolution, portNames: ports.names, labels: ctx.labels ?? {} }));
  result.errors.push(...multiHostErrors(spec, resolution));
  result.errors.push(...validateExportTo(ctx.namespace, spec.exportTo, true));
  return result;
}
