import { ServicePort } from '../kinds/istio-types';
import { TCP_WITHOUT_ADDRESS_WARNING, validateServicePorts } from './service-entry.ports';

const run = (ports: (ServicePort | null)[], tcpNeedsAddress = false) => validateServicePorts(ports, tcpNeedsAddress);
const p = (port: Partial<ServicePort>): ServicePort => ({ name: 'http', number: 80, ...port }) as ServicePort;

describe('ValidateServiceEntry: ports', () => {
  it.each<[string, ServicePort[]]>([
    ['a named HTTP port', [p({ protocol: 'HTTP' })]],
    ['case-insensitive protocols', [p({ protocol: 'grpc-web' }), p({ name: 'b', number: 81, protocol: 'mysql' })]],
    ['no protocol (sniffed)', [p({})]],
    ['targetPort', [p({ targetPort: 8080 })]],
    ['targetPort 0 (unset to istiod)', [p({ targetPort: 0 })]],
  ])('accepts %s', (_, ports) => expect(run(ports)).toEqual({ errors: [], warnings: [], names: new Set(ports.map((x) => x.name)) }));

  it.each<[string, (ServicePort | null)[], string, string, string]>([
    ['null entry', [null], 'FieldValueInvalid', 'spec.ports[0]', 'must not be null'],
    ['duplicate name', [p({}), p({ number: 81 })], 'FieldValueDuplicate', 'spec.ports[1].name', 'Duplicate value: "http"'],
    ['duplicate number', [p({}), p({ name: 'b' })], 'FieldValueDuplicate', 'spec.ports[1].number', 'Duplicate value: 80'],
    ['targetPort out of range', [p({ targetPort: 70000 })], 'FieldValueInvalid', 'spec.ports[0].targetPort', 'Invalid value: 70000: must be between 1 and 65535'],
    ['bad name', [p({ name: 'http_1' })], 'FieldValueInvalid', 'spec.ports[0].name', 'a port name must be a DNS-1123 label'],
    ['empty name', [p({ name: '' })], 'FieldValueInvalid', 'spec.ports[0].name', 'Invalid value: ""'],
    ['missing name', [{ number: 80 } as ServicePort], 'FieldValueRequired', 'spec.ports[0].name', 'every port needs a name'],
    ['missing number', [{ name: 'a' } as ServicePort], 'FieldValueRequired', 'spec.ports[0].number', 'every port needs a number'],
    ['unknown protocol', [p({ protocol: 'QUIC' })], 'FieldValueNotSupported', 'spec.ports[0].protocol', 'Unsupported value: "QUIC": supported values: "TCP", "UDP"'],
    ['HBONE is not user-parsable', [p({ protocol: 'HBONE' })], 'FieldValueNotSupported', 'spec.ports[0].protocol', 'Unsupported value: "HBONE"'],
    ['port 0', [p({ number: 0 })], 'FieldValueInvalid', 'spec.ports[0].number', 'Invalid value: 0: must be between 1 and 65535'],
    ['port 70000', [p({ number: 70000 })], 'FieldValueInvalid', 'spec.ports[0].number', 'must be between 1 and 65535'],
  ])('rejects %s', (_, ports, reason, field, words) => {
    expect(run(ports).errors).toContainEqual(expect.objectContaining({ reason, field, message: expect.stringContaining(words) }));
  });

  it('warns once per TCP or unset port when an address is needed', () => {
    const ports = [p({ protocol: 'TCP' }), p({ name: 'b', number: 81 }), p({ name: 'c', number: 82, protocol: 'HTTP' })];
    expect(run(ports, true).warnings).toEqual([TCP_WITHOUT_ADDRESS_WARNING, TCP_WITHOUT_ADDRESS_WARNING]);
    expect(run(ports, false).warnings).toEqual([]);
  });

  it('returns the declared names for endpoint port maps', () => {
    expect(run([p({}), p({ name: 'grpc', number: 90 })]).names).toEqual(new Set(['http', 'grpc']));
  });
});
