/** The `ports` part of istiod's ValidateServiceEntry: uniqueness, ranges, names, protocols and the TCP warning. */
import { fieldErrors, fieldPath } from '../common/field-error';
import { ServicePort } from '../kinds/istio-types';
import { emptyResult, Finding, RuleResult, superseding } from './findings';
import { DNS_LABEL_HINT, isValidPort, isValidPortName, parseProtocol, PROTOCOLS } from './primitives';
import { PORT_RANGE } from './workload-entry.rules';

export const TCP_WITHOUT_ADDRESS_WARNING =
  'addresses are required for ports serving TCP (or unset) protocol when IP Autoallocation is not enabled';

export interface PortsResult extends RuleResult {
  /** Declared port names: the keys inline endpoints may use in their `ports` map. */
  names: Set<string>;
}

const rangeError = (at: string, value: unknown): Finding =>
  superseding(fieldErrors.invalid(at, value, PORT_RANGE), `cel:port-range:${at}`, `minimum:${at}`, `maximum:${at}`);

function checkName(port: ServicePort, at: string, names: Set<string>): Finding[] {
  const namePath = fieldPath.child(at, 'name');
  if (port.name === undefined) return [superseding(fieldErrors.required(namePath, 'every port needs a name'), `required:${namePath}`)];
  const out: Finding[] = [];
  if (names.has(port.name)) out.push(superseding(fieldErrors.duplicate(namePath, port.name), `duplicate:${at}`));
  names.add(port.name);
  if (!isValidPortName(port.name)) {
    out.push(fieldErrors.invalid(namePath, port.name, `a port name must be a DNS-1123 label (${DNS_LABEL_HINT})`));
  }
  return out;
}

function checkNumbers(port: ServicePort, at: string, numbers: Set<number>): Finding[] {
  const numberPath = fieldPath.child(at, 'number');
  const out: Finding[] = [];
  if (port.number === undefined) {
    out.push(superseding(fieldErrors.required(numberPath, 'every port needs a number'), `required:${numberPath}`));
  } else {
    if (numbers.has(port.number)) out.push(superseding(fieldErrors.duplicate(numberPath, port.number), 'cel:port-number-unique:spec.ports'));
    numbers.add(port.number);
    if (!isValidPort(port.number)) out.push(rangeError(numberPath, port.number));
  }
  // targetPort 0 means "same as number" to istiod (the CRD still rejects an explicit 0).
  if (port.targetPort !== undefined && port.targetPort !== 0 && !isValidPort(port.targetPort)) {
    out.push(rangeError(fieldPath.child(at, 'targetPort'), port.targetPort));
  }
  return out;
}

function checkProtocol(port: ServicePort, at: string): Finding[] {
  const protocol = port.protocol ?? '';
  if (protocol === '' || parseProtocol(protocol)) return [];
  return [fieldErrors.notSupported(fieldPath.child(at, 'protocol'), protocol, PROTOCOLS)];
}

/** `tcpNeedsAddress`: no `addresses` and no IP auto-allocation, so TCP ports get no VIP to listen on. */
export function validateServicePorts(ports: readonly (ServicePort | null)[] | undefined, tcpNeedsAddress: boolean): PortsResult {
  const result: PortsResult = { ...emptyResult(), names: new Set() };
  const numbers = new Set<number>();
  (ports ?? []).forEach((port, i) => {
    const at = fieldPath.index('spec.ports', i);
    if (port === null || typeof port !== 'object') {
      result.errors.push(fieldErrors.invalid(at, port, 'a port must not be null'));
      return;
    }
    result.errors.push(...checkName(port, at, result.names), ...checkNumbers(port, at, numbers), ...checkProtocol(port, at));
    // Istio compares the raw string here: "tcp" does not trigger the warning, "TCP" and "" do.
    if (tcpNeedsAddress && (port.protocol === undefined || port.protocol === '' || port.protocol === 'TCP')) {
      result.warnings.push(TCP_WITHOUT_ADDRESS_WARNING);
    }
  });
  return result;
}
