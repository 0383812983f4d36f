/**
 * istiod's ValidateWorkloadGroup (pkg/config/validation/validation.go) and validateReadinessProbe, with
 * the checks a registered entry would otherwise fail later: the template is validated as a WorkloadEntry
 * without address (each registered workload brings its own), and the group's metadata as the labels and
 * annotations every entry will carry. Errors name the exact field; every error is reported at once.
 */
import { fieldErrors, fieldPath } from '../common/field-error';
import { ReadinessProbe, WorkloadGroupSpec } from '../kinds/istio-types';
import { emptyResult, Finding, RuleResult, superseding } from './findings';
import { validateAnnotations, validateLabels } from './object-meta';
import { isValidPort } from './primitives';
import { validateEndpointPorts, validateLabelInstance } from './workload-entry.rules';

/** The methods istiod's webhook accepts; the CRD also knows `grpc`, which the webhook refuses. */
export const PROBE_METHODS = ['httpGet', 'tcpSocket', 'exec'] as const;
const ALL_METHODS = [...PROBE_METHODS, 'grpc'] as const;
const TIMINGS = ['periodSeconds', 'initialDelaySeconds', 'timeoutSeconds', 'successThreshold', 'failureThreshold'] as const;
const INT32_MAX = 2147483647;
const PROBE_HEADER_NAME = /^[-A-Za-z0-9]+$/;

/** The whole spec: template, metadata and probe, each at its own path. */
export function validateWorkloadGroupSpec(spec: WorkloadGroupSpec): RuleResult {
  const result = emptyResult();
  if (!spec.template) {
    const detail = 'a WorkloadGroup needs a template: the WorkloadEntry its workloads are registered as';
    result.errors.push(superseding(fieldErrors.required('spec.template', detail), 'required:spec.template'));
  } else {
    const template = validateTemplate(spec.template);
    result.errors.push(...template.errors);
    result.warnings.push(...template.warnings);
  }
  result.errors.push(...validateGroupMetadata(spec.metadata));
  if (spec.probe) result.errors.push(...validateReadinessProbe(spec.probe, 'spec.probe'));
  return result;
}

/** validateWorkloadEntry's rules that hold for a template; the address is each workload's own. */
function validateTemplate(template: NonNullable<WorkloadGroupSpec['template']>): RuleResult {
  const path = 'spec.template';
  const result = emptyResult();
  if (template.address !== undefined && template.address !== '') {
    const at = fieldPath.child(path, 'address');
    const detail = 'must be empty in a WorkloadGroup template: each workload registers with its own address';
    result.errors.push(superseding(fieldErrors.forbidden(at, detail), `cel:uds-absolute:${at}`, `cel:uds-not-dir:${at}`, `maxLength:${at}`, `cel:uds-no-ports:${path}`));
  }
  result.errors.push(...validateEndpointPorts(template.ports, path, undefined));
  result.errors.push(...validateLabelInstance(template.labels, fieldPath.child(path, 'labels')));
  if (Object.keys(template.labels ?? {}).length > 0) {
    result.warnings.push('spec.template.labels: Istio documents that labels should not be set in the template; set them in spec.metadata.labels');
  }
  return result;
}

/**
 * istiod checks the labels as labels.Instance; they also become every entry's metadata.labels, so
 * Kubernetes' label rules (value length, prefix) apply where Istio's found nothing, and its annotation rules.
 */
function validateGroupMetadata(metadata: WorkloadGroupSpec['metadata']): Finding[] {
  if (!metadata) return [];
  const labelsPath = 'spec.metadata.labels';
  const labels = Object.entries(metadata.labels ?? {}).flatMap(([key, value]) => {
    const istio = validateLabelInstance({ [key]: value }, labelsPath);
    return istio.length > 0 ? istio : validateLabels({ [key]: value }, fieldPath.key(labelsPath, key));
  });
  return [...labels, ...validateAnnotations(metadata.annotations, 'spec.metadata.annotations')];
}

/** validateReadinessProbe: the numbers, then exactly one method and that method's own rules. */
export function validateReadinessProbe(probe: ReadinessProbe, path: string): Finding[] {
  const out: Finding[] = [];
  for (const name of TIMINGS) {
    const value = probe[name];
    if (typeof value !== 'number') continue;
    const at = fieldPath.child(path, name);
    if (value < 0) out.push(superseding(fieldErrors.invalid(at, value, `${name} must be non-negative`), `minimum:${at}`));
    else if (value > INT32_MAX) out.push(fieldErrors.invalid(at, value, `must be at most ${INT32_MAX} (an int32)`));
  }
  const methods = ALL_METHODS.filter((m) => probe[m] !== undefined);
  if (methods.length === 0) {
    const detail = `a probe needs exactly one health check method: ${PROBE_METHODS.join(', ')}`;
    out.push(fieldErrors.required(path, detail));
    return out;
  }
  if (methods.length > 1) {
    const detail = `only one health check method may be set, found ${methods.join(', ')}`;
    out.push(superseding(fieldErrors.invalid(path, methods.join(', '), detail), `oneOf:${path}`));
    return out;
  }
  return [...out, ...validateMethod(probe, methods[0], fieldPath.child(path, methods[0]))];
}

function validateMethod(probe: ReadinessProbe, method: (typeof ALL_METHODS)[number], path: string): Finding[] {
  switch (method) {
    case 'httpGet':
      return [...validateProbePort(probe.httpGet?.port, path), ...validateScheme(probe.httpGet?.scheme, path), ...validateHeaders(probe.httpGet?.httpHeaders, path)];
    case 'tcpSocket':
      return validateProbePort(probe.tcpSocket?.port, path);
    case 'exec':
      if ((probe.exec?.command ?? []).length > 0) return [];
      return [superseding(fieldErrors.required(fieldPath.child(path, 'command'), 'exec.command is required'), `required:${path}.command`)];
    case 'grpc':
      return [fieldErrors.notSupported(path, 'grpc', [...PROBE_METHODS])];
  }
}

/** agent.ValidatePort: a missing port is port 0 to istiod. */
function validateProbePort(port: number | undefined, path: string): Finding[] {
  if (isValidPort(port)) return [];
  const at = fieldPath.child(path, 'port');
  const detail = `port number ${port ?? 0} must be in the range 1..65535`;
  const cause = port === undefined ? fieldErrors.required(at, detail) : fieldErrors.invalid(at, port, detail);
  return [superseding(cause, `required:${at}`, `cel:port-range:${at}`, `minimum:${at}`, `maximum:${at}`)];
}

function validateScheme(scheme: string | undefined, path: string): Finding[] {
  if (scheme === undefined || ['', 'HTTP', 'HTTPS'].includes(scheme)) return [];
  const at = fieldPath.child(path, 'scheme');
  return [superseding(fieldErrors.notSupported(at, scheme, ['HTTP', 'HTTPS']), `cel:http-scheme:${at}`)];
}

/** ValidateProbeHeaderName: letters, digits and `-` (the CRD also lets `_` through; istiod does not). */
function validateHeaders(headers: { name?: string }[] | undefined, path: string): Finding[] {
  return (headers ?? []).flatMap((header, i) => {
    const at = fieldPath.child(fieldPath.index(fieldPath.child(path, 'httpHeaders'), i), 'name');
    const name = header?.name ?? '';
    if (name === '') return [superseding(fieldErrors.required(at, 'header name cannot be empty'), `pattern:${at}`)];
    if (PROBE_HEADER_NAME.test(name)) return [];
    return [superseding(fieldErrors.invalid(at, name, `header name ${name} is not a valid header name (letters, digits and '-')`), `pattern:${at}`)];
  });
}
