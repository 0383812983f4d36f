/** The per-resolution part of istiod's ValidateServiceEntry (NONE, STATIC, DNS, DNS_ROUND_ROBIN, DYNAMIC_DNS). */
import { fieldErrors, fieldPath } from '../common/field-error';
import { RESOLUTIONS, ServiceEntrySpec, WorkloadEntrySpec } from '../kinds/istio-types';
import { emptyResult, Finding, merge, RuleResult, superseding } from './findings';
import { fqdnProblem, isIP, isTcpProtocol, parseProtocol, UNIX_PREFIX } from './primitives';
import { validateEndpointPorts, validateLabelInstance, validateWorkloadEntrySpec } from './workload-entry.rules';

export const USE_WAYPOINT_LABEL = 'istio.io/use-waypoint';
export const SELECTOR_WITH_NONE_WARNING = 'workloadSelector should not be set when resolution mode is NONE';
export const MULTI_HOST_TCP_WARNING =
  'service entry can not have more than one host specified simultaneously with address and tcp port';

export interface ResolutionContext {
  spec: ServiceEntrySpec;
  resolution: string;
  portNames: ReadonlySet<string>;
  labels: Record<string, string>;
}

const endpointPath = (i: number) => fieldPath.index('spec.endpoints', i);

function validateNone({ spec }: ResolutionContext): RuleResult {
  const result = emptyResult();
  if ((spec.endpoints ?? []).length > 0) {
    const detail = 'endpoints cannot be set when resolution is NONE (the default): traffic goes to the address the client connected to';
    result.errors.push(superseding(fieldErrors.forbidden('spec.endpoints', detail), 'cel:none-no-endpoints:spec'));
  }
  if (spec.workloadSelector) result.warnings.push(SELECTOR_WITH_NONE_WARNING);
  return result;
}

function validateStatic({ spec, portNames }: ResolutionContext): RuleResult {
  const result = emptyResult();
  (spec.endpoints ?? []).forEach((ep, i) => merge(result, validateWorkloadEntrySpec(ep, portNames, false, endpointPath(i))));
  return result;
}

/** DNS endpoints: an IP or a resolvable name is required (no unix sockets, no network-only entries). */
function dnsEndpointErrors(ep: WorkloadEntrySpec, i: number, ctx: ResolutionContext): Finding[] {
  const path = endpointPath(i);
  const at = fieldPath.child(path, 'address');
  const address = ep.address ?? '';
  const out: Finding[] = [];
  if (address === '') {
    const detail = `resolution ${ctx.resolution} needs an address on every endpoint (network-only endpoints are not supported)`;
    out.push(superseding(fieldErrors.required(at, detail), `cel:address-required:${path}`));
  } else if (address.startsWith(UNIX_PREFIX)) {
    out.push(fieldErrors.invalid(at, address, 'unix socket addresses are only supported with resolution STATIC'));
  } else if (!isIP(address) && fqdnProblem(address)) {
    out.push(fieldErrors.invalid(at, address, `must be an IP address or a fully qualified domain name: ${fqdnProblem(address)}`));
  }
  out.push(...validateLabelInstance(ep.labels, fieldPath.child(path, 'labels')));
  return [...out, ...validateEndpointPorts(ep.ports, path, ctx.portNames)];
}

function validateDns(ctx: ResolutionContext): RuleResult {
  const { spec, resolution } = ctx;
  const result = emptyResult();
  const endpoints = spec.endpoints ?? [];
  if (endpoints.length === 0) {
    spec.hosts.forEach((host, i) => {
      const problem = fqdnProblem(host);
      if (!problem) return;
      const detail = `with resolution ${resolution} and no endpoints the host itself is looked up in DNS, so it must be a fully qualified domain name: ${problem}`;
      result.errors.push(fieldErrors.invalid(fieldPath.index('spec.hosts', i), host, detail));
    });
  }
  if (resolution === 'DNS_ROUND_ROBIN' && endpoints.length > 1) {
    const detail = `resolution DNS_ROUND_ROBIN uses a single endpoint, but ${endpoints.length} are listed`;
    result.errors.push(superseding(fieldErrors.forbidden('spec.endpoints', detail), 'cel:dnsrr-single-endpoint:spec'));
  }
  endpoints.forEach((ep, i) => result.errors.push(...dnsEndpointErrors(ep, i, ctx)));
  const tcpPort = (spec.ports ?? []).some((p) => isTcpProtocol(parseProtocol(p.protocol ?? '')));
  if ((spec.addresses ?? []).length > 0 && tcpPort && spec.hosts.length > 1) result.warnings.push(MULTI_HOST_TCP_WARNING);
  return result;
}

const DYNAMIC_DNS_PROTOCOLS = new Set(['HTTP', 'TLS', 'GRPC', 'HTTP2']);

/** A waypoint is in use when the label names one (anything but empty or "none"). */
const usesWaypoint = (labels: Record<string, string>): boolean => {
  const value = labels[USE_WAYPOINT_LABEL];
  return value !== undefined && value !== '' && value.toLowerCase() !== 'none';
};

function validateDynamicDns({ spec, labels }: ResolutionContext): Finding[] {
  const out: Finding[] = [];
  spec.hosts.forEach((host, i) => {
    if (host.startsWith('*')) return;
    out.push(fieldErrors.invalid(fieldPath.index('spec.hosts', i), host, 'resolution DYNAMIC_DNS needs wildcard hosts such as "*.example.com"'));
  });
  if ((spec.addresses ?? []).length > 0) {
    out.push(fieldErrors.forbidden('spec.addresses', 'cannot be set with resolution DYNAMIC_DNS: routes are built from the hosts'));
  }
  if ((spec.endpoints ?? []).length > 0) {
    const detail = "cannot be set with resolution DYNAMIC_DNS: the destination is resolved from each request's host name";
    out.push(fieldErrors.forbidden('spec.endpoints', detail));
  }
  (spec.ports ?? []).forEach((port, i) => {
    const at = fieldPath.child(fieldPath.index('spec.ports', i), 'protocol');
    const protocol = parseProtocol(port.protocol ?? '');
    if (protocol && DYNAMIC_DNS_PROTOCOLS.has(protocol)) return;
    const detail = 'resolution DYNAMIC_DNS supports only HTTP, TLS, GRPC and HTTP2 ports';
    out.push(port.protocol ? fieldErrors.invalid(at, port.protocol, detail) : fieldErrors.required(at, detail));
  });
  if (spec.location === 'MESH_INTERNAL' && usesWaypoint(labels)) {
    const detail =
      'resolution DYNAMIC_DNS with MESH_INTERNAL is not supported when the ServiceEntry uses a waypoint ' +
      `(label "${USE_WAYPOINT_LABEL}"); use MESH_EXTERNAL`;
    out.push(fieldErrors.invalid('spec.location', spec.location, detail));
  }
  return out;
}

export function validateResolution(ctx: ResolutionContext): RuleResult {
  switch (ctx.resolution) {
    case 'NONE':
      return validateNone(ctx);
    case 'STATIC':
      return validateStatic(ctx);
    case 'DNS':
    case 'DNS_ROUND_ROBIN':
      return validateDns(ctx);
    case 'DYNAMIC_DNS':
      return { errors: validateDynamicDns(ctx), warnings: [] };
    default: {
      const error = fieldErrors.notSupported('spec.resolution', ctx.resolution, RESOLUTIONS);
      return { errors: [superseding(error, 'enum:spec.resolution')], warnings: [] };
    }
  }
}
