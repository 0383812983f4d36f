/**
 * istiod's validateWorkloadEntry (pkg/config/validation/validation.go), used for standalone WorkloadEntries
 * (`allowFQDN` true, no service ports known) and for inline ServiceEntry endpoints with resolution STATIC
 * (`allowFQDN` false, the ServiceEntry's port names). Errors name the exact field; warnings keep Istio's text.
 */
import { fieldErrors, fieldPath } from '../common/field-error';
import { WorkloadEntrySpec } from '../kinds/istio-types';
import { emptyResult, Finding, RuleResult, superseding } from './findings';
import {
  DNS_LABEL_HINT,
  fqdnProblem,
  isIP,
  istioLabelKeyProblem,
  istioLabelValueProblem,
  isValidPort,
  isValidPortName,
  UNIX_PREFIX,
  unixAddressProblem,
} from './primitives';

export const PORT_RANGE = 'must be between 1 and 65535';

/** labels.Instance.Validate: every key and value, reported at `<path>.<key>`. */
export function validateLabelInstance(labels: Record<string, string> | undefined, path: string): Finding[] {
  return Object.entries(labels ?? {}).flatMap(([key, value]) => {
    const at = fieldPath.key(path, key);
    const keyProblem = istioLabelKeyProblem(key);
    const valueProblem = istioLabelValueProblem(value);
    return [
      ...(keyProblem ? [fieldErrors.invalid(at, key, keyProblem)] : []),
      ...(valueProblem ? [fieldErrors.invalid(at, value, valueProblem)] : []),
    ];
  });
}

const declaredNames = (names: ReadonlySet<string>): string =>
  names.size === 0 ? 'the ServiceEntry declares no ports' : `declared: ${[...names].map((n) => JSON.stringify(n)).join(', ')}`;

/** The `ports` map: keys are service port names (DNS labels), values are ports 1..65535. */
export function validateEndpointPorts(
  ports: Record<string, number> | undefined,
  path: string,
  servicePortNames: ReadonlySet<string> | undefined,
): Finding[] {
  const mapPath = fieldPath.child(path, 'ports');
  return Object.entries(ports ?? {}).flatMap(([name, port]) => {
    const at = fieldPath.key(mapPath, name);
    const out: Finding[] = [];
    if (servicePortNames && !servicePortNames.has(name)) {
      out.push(fieldErrors.invalid(at, name, `must name one of the ServiceEntry's ports (${declaredNames(servicePortNames)})`));
    }
    if (!isValidPortName(name)) {
      out.push(superseding(fieldErrors.invalid(at, name, `a port name must be a DNS-1123 label (${DNS_LABEL_HINT})`), `cel:port-names:${mapPath}`));
    }
    if (!isValidPort(port)) {
      out.push(superseding(fieldErrors.invalid(at, port, PORT_RANGE), `cel:port-range:${at}`, `minimum:${at}`, `maximum:${at}`));
    }
    return out;
  });
}

/** Detail per problem, and the CRD rules it covers ("unix://" also ends with "/", so both rules fire). */
const UNIX_PROBLEMS: Record<'empty' | 'relative' | 'directory', [string[], string]> = {
  empty: [['uds-absolute', 'uds-not-dir'], 'needs a socket path after "unix://", e.g. "unix:///var/run/app.sock" or "unix://@abstract-name"'],
  relative: [['uds-absolute'], 'a unix socket path must be absolute (start with "/") or name an abstract socket (start with "@")'],
  directory: [['uds-not-dir'], 'a unix socket path must name a file, not a directory (it must not end with "/")'],
};

function validateUnixEndpoint(spec: WorkloadEntrySpec, path: string, servicePortNames: ReadonlySet<string> | undefined): Finding[] {
  const address = spec.address ?? '';
  const at = fieldPath.child(path, 'address');
  const out: Finding[] = [];
  const problem = unixAddressProblem(address.slice(UNIX_PREFIX.length));
  if (problem) {
    const [ids, detail] = UNIX_PROBLEMS[problem];
    out.push(superseding(fieldErrors.invalid(at, address, detail), ...ids.map((id) => `cel:${id}:${at}`)));
  }
  if (Object.keys(spec.ports ?? {}).length > 0) {
    const detail = 'must not be set for a unix socket address: the socket is the whole destination';
    out.push(superseding(fieldErrors.forbidden(fieldPath.child(path, 'ports'), detail), `cel:uds-no-ports:${path}`));
  }
  if (servicePortNames && servicePortNames.size !== 1) {
    const detail = `a unix socket endpoint needs a ServiceEntry with exactly one port (it has ${servicePortNames.size})`;
    out.push(fieldErrors.invalid(at, address, detail));
  }
  return out;
}

function validateNetworkAddress(address: string, at: string, allowFQDN: boolean): Finding[] {
  if (isIP(address)) return [];
  if (!allowFQDN) {
    return [fieldErrors.invalid(at, address, 'must be an IP address or a "unix://" socket path when resolution is STATIC')];
  }
  const problem = fqdnProblem(address);
  if (!problem) return [];
  return [fieldErrors.invalid(at, address, `must be an IP address or a fully qualified domain name without wildcards or port: ${problem}`)];
}

/** validateWorkloadEntry(we, servicePortNames, allowFQDN) for the entry found at `path`. */
export function validateWorkloadEntrySpec(
  spec: WorkloadEntrySpec,
  servicePortNames: ReadonlySet<string> | undefined,
  allowFQDN: boolean,
  path = 'spec',
): RuleResult {
  const result = emptyResult();
  const address = spec.address ?? '';
  const addressPath = fieldPath.child(path, 'address');
  if (address === '') {
    if (!spec.network) {
      const detail = 'an endpoint needs an address, unless it sets network (it is then reached through that network\'s gateway)';
      result.errors.push(superseding(fieldErrors.required(addressPath, detail), `cel:address-required:${path}`));
      return result;
    }
    result.warnings.push(`address is unset with network ${JSON.stringify(spec.network)}`);
  }
  if (address.startsWith(UNIX_PREFIX)) result.errors.push(...validateUnixEndpoint(spec, path, servicePortNames));
  else if (address !== '') result.errors.push(...validateNetworkAddress(address, addressPath, allowFQDN));
  result.errors.push(...validateEndpointPorts(spec.ports, path, servicePortNames));
  result.errors.push(...validateLabelInstance(spec.labels, fieldPath.child(path, 'labels')));
  return result;
}
