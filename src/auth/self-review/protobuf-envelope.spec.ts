import { Writer } from 'protobufjs/minimal';
import { decodeReview, ProtobufBodyError } from './protobuf-envelope';

/** Builds a body as kubectl does (field numbers from k8s.io/api/authorization/v1/generated.proto). */
function encode(build: (w: Writer) => void): Buffer {
  const w = Writer.create();
  build(w);
  return Buffer.from(w.finish());
}
const str = (w: Writer, field: number, value: string) => w.uint32((field << 3) | 2).string(value);
const msg = (w: Writer, field: number, bytes: Buffer) => w.uint32((field << 3) | 2).bytes(bytes);
const envelope = (kind: string, apiVersion: string, raw: Buffer) =>
  Buffer.concat([Buffer.from('k8s\0', 'latin1'), encode((w) => {
    msg(w, 1, encode((t) => { str(t, 1, apiVersion); str(t, 2, kind); }));
    msg(w, 2, raw);
    str(w, 4, 'application/vnd.kubernetes.protobuf');
  })]);

describe('decodeReview', () => {
  it('reads the resource attributes of a SelfSubjectAccessReview (kubectl auth can-i)', () => {
    const attributes = encode((a) => { str(a, 1, 'default'); str(a, 2, 'create'); str(a, 3, 'networking.istio.io'); str(a, 5, 'workloadentries'); str(a, 7, 'vm-1'); });
    const raw = encode((r) => { msg(r, 1, Buffer.alloc(0)); msg(r, 2, encode((s) => msg(s, 1, attributes))); });
    expect(decodeReview(envelope('SelfSubjectAccessReview', 'authorization.k8s.io/v1', raw))).toEqual({
      apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview',
      spec: { resourceAttributes: { namespace: 'default', verb: 'create', group: 'networking.istio.io', resource: 'workloadentries', name: 'vm-1' } },
    });
  });

  it('reads non-resource attributes, and the namespace of a SelfSubjectRulesReview', () => {
    const nonResource = encode((r) => msg(r, 2, encode((s) => msg(s, 2, encode((a) => { str(a, 1, '/metrics'); str(a, 2, 'get'); })))));
    expect(decodeReview(envelope('SelfSubjectAccessReview', 'authorization.k8s.io/v1', nonResource)).spec).toEqual({ nonResourceAttributes: { path: '/metrics', verb: 'get' } });
    const rules = encode((r) => msg(r, 2, encode((s) => str(s, 1, 'bookinfo'))));
    expect(decodeReview(envelope('SelfSubjectRulesReview', 'authorization.k8s.io/v1', rules))).toMatchObject({ kind: 'SelfSubjectRulesReview', spec: { namespace: 'bookinfo' } });
  });

  it.each([
    ['no magic', Buffer.from('{"kind":"x"}')],
    ['a truncated message', Buffer.concat([Buffer.from('k8s\0', 'latin1'), Buffer.from([0x0a, 0x40, 0x01])])],
  ])('refuses %s', (_title, body) => {
    expect(() => decodeReview(body)).toThrow(ProtobufBodyError);
  });
});
