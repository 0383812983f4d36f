import {
  HEALTH_CHECKS_ENABLED_ANNOTATION,
  Resolution,
  ServiceEntry,
  ServicePort,
  WorkloadEntry,
  WorkloadEntrySpec,
} from '../kinds/istio-types';
import { mergedLabels } from './merged-labels';
import { idOf } from './registry-index';
import { EndpointSource, ResolvedEndpoint } from './resolve-types';

/** An endpoint before caller-specific filtering (network, priority). */
export interface Candidate extends Omit<ResolvedEndpoint, 'priority' | 'viaGateway'> {
  /** Resolution of the ServiceEntry that produced it: DNS_ROUND_ROBIN trimming is per producer. */
  resolution: Resolution;
  /** Service port name → service port number, for DNS_ROUND_ROBIN's per-port-number rule. */
  portNumbers: Record<string, number>;
}

const UNIX_PREFIX = 'unix://';
const LOCALITY_LABEL = 'topology.istio.io/locality';
const LEGACY_LOCALITY_LABEL = 'istio-locality';
/** Go's strconv.ParseBool true spellings: istiod parses the health annotation with it. */
const GO_TRUE = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);

export function resolutionOf(service: ServiceEntry): Resolution {
  return service.spec.resolution ?? 'NONE';
}

/**
 * istiod's `isHealthy`: only a WorkloadEntry whose health-checks annotation parses as true is
 * health-gated, and then only a `Healthy` condition with status "True" lets it in (a missing
 * condition means a fresh entry that was never probed: excluded).
 */
export function isHealthy(workload: WorkloadEntry): boolean {
  if (!GO_TRUE.has(workload.metadata.annotations?.[HEALTH_CHECKS_ENABLED_ANNOTATION] ?? '')) return true;
  const condition = workload.status?.conditions?.find((c) => c.type === 'Healthy');
  return condition?.status === 'True';
}

/** Spec locality, else the topology label, else the legacy label (labels use dots for slashes). */
export function endpointLocality(spec: WorkloadEntrySpec, labels: Record<string, string>): string | null {
  if (spec.locality) return spec.locality;
  const label = labels[LOCALITY_LABEL] || labels[LEGACY_LOCALITY_LABEL];
  return label ? label.replace(/\./g, '/') : null;
}

/** Per service port: unix socket → 0, then the endpoint's ports[name], then targetPort, then number. */
export function targetPorts(spec: WorkloadEntrySpec, ports: readonly ServicePort[]): Record<string, number> {
  const unix = spec.address?.startsWith(UNIX_PREFIX) ?? false;
  const out: Record<string, number> = {};
  for (const port of ports) {
    out[port.name] = unix ? 0 : positive(spec.ports?.[port.name]) ?? positive(port.targetPort) ?? port.number;
  }
  return out;
}

/** `labels`: the entry's merged labels when the caller already has them (RegistryIndex.selectionOf). */
export function fromWorkloadEntry(
  service: ServiceEntry,
  workload: WorkloadEntry,
  labels: Record<string, string> = mergedLabels(workload),
): Candidate {
  const { namespace, name } = idOf(workload);
  const source: EndpointSource = { kind: 'WorkloadEntry', namespace, name };
  return build(service, workload.spec, labels, isHealthy(workload), source);
}

export function fromInlineEndpoint(service: ServiceEntry, spec: WorkloadEntrySpec, index: number): Candidate {
  const source: EndpointSource = { kind: 'ServiceEntry', ...idOf(service), index };
  return build(service, spec, { ...(spec.labels ?? {}) }, true, source);
}

/** DNS ServiceEntry with neither endpoints nor selector: the host itself, on targetPort or number. */
export function fromHost(service: ServiceEntry, host: string): Candidate {
  const source: EndpointSource = { kind: 'ServiceEntry', ...idOf(service) };
  return { ...build(service, { address: host }, {}, true, source), locality: null };
}

function build(
  service: ServiceEntry,
  spec: WorkloadEntrySpec,
  labels: Record<string, string>,
  healthy: boolean,
  source: EndpointSource,
): Candidate {
  const ports = service.spec.ports ?? [];
  return {
    address: endpointAddress(spec.address),
    ports: targetPorts(spec, ports),
    weight: spec.weight && spec.weight > 0 ? spec.weight : 1,
    locality: endpointLocality(spec, labels),
    network: spec.network || null,
    serviceAccount: spec.serviceAccount || null,
    labels,
    healthy,
    source,
    resolution: resolutionOf(service),
    portNumbers: portNumbersOf(ports),
  };
}

/** `Object.fromEntries(ports.map((p) => [p.name, p.number]))` without the intermediate arrays (built per endpoint). */
function portNumbersOf(ports: readonly ServicePort[]): Record<string, number> {
  const numbers: Record<string, number> = {};
  for (const port of ports) {
    // Assignment would call Object.prototype's `__proto__` setter where fromEntries defines a property.
    if (port.name === '__proto__') return Object.fromEntries(ports.map((p) => [p.name, p.number]));
    numbers[port.name] = port.number;
  }
  return numbers;
}

/** Unix sockets are addressed by their path, as istiod strips the scheme. */
function endpointAddress(address: string | undefined): string | null {
  if (!address) return null;
  return address.startsWith(UNIX_PREFIX) ? address.slice(UNIX_PREFIX.length) : address;
}

function positive(n: number | undefined): number | undefined {
  return n !== undefined && n > 0 ? n : undefined;
}
