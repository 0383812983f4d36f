import { Reader } from 'protobufjs/minimal';

/** The 4 bytes every Kubernetes protobuf body starts with. */
const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);
const LENGTH_DELIMITED = 2;

type Fields = Map<number, Buffer>;

/** The length-delimited fields of one message (the only kind the review messages use), by number. */
function fieldsOf(bytes: Uint8Array): Fields {
  const reader = Reader.create(bytes);
  const fields: Fields = new Map();
  while (reader.pos < reader.len) {
    const tag = reader.uint32();
    if ((tag & 7) === LENGTH_DELIMITED) fields.set(tag >>> 3, Buffer.from(reader.bytes()));
    else reader.skipType(tag & 7);
  }
  return fields;
}

const text = (fields: Fields, field: number) => fields.get(field)?.toString('utf8');

function strings(fields: Fields | undefined, names: readonly string[]): Record<string, string> | undefined {
  if (!fields) return undefined;
  const out: Record<string, string> = {};
  names.forEach((name, i) => {
    const value = text(fields, i + 1);
    if (value !== undefined && value !== '') out[name] = value;
  });
  return out;
}

const message = (fields: Fields | undefined, field: number) => (fields?.has(field) ? fieldsOf(fields.get(field)!) : undefined);

/** authorization/v1 ResourceAttributes and NonResourceAttributes, in field order (generated.proto). */
const RESOURCE_ATTRIBUTES = ['namespace', 'verb', 'group', 'version', 'resource', 'subresource', 'name'] as const;
const NON_RESOURCE_ATTRIBUTES = ['path', 'verb'] as const;

export class ProtobufBodyError extends Error {}

/**
 * A self-review request as kubectl sends it (`application/vnd.kubernetes.protobuf`): the magic, then a
 * runtime.Unknown {1: typeMeta {1: apiVersion, 2: kind}, 2: raw}, where raw is the review
 * {1: metadata, 2: spec}. Returned as the JSON object clients send instead.
 */
export function decodeReview(body: Buffer): Record<string, unknown> {
  if (body.length < MAGIC.length || !body.subarray(0, MAGIC.length).equals(MAGIC)) throw new ProtobufBodyError('the body does not start with the Kubernetes protobuf magic');
  let unknown: Fields;
  try {
    unknown = fieldsOf(body.subarray(MAGIC.length));
    const typeMeta = message(unknown, 1);
    const review = message(unknown, 2);
    const spec = message(review, 2);
    const kind = typeMeta && text(typeMeta, 2);
    const apiVersion = typeMeta && text(typeMeta, 1);
    if (kind === 'SelfSubjectRulesReview') return { apiVersion, kind, spec: strings(spec, ['namespace']) ?? {} };
    const resourceAttributes = strings(message(spec, 1), RESOURCE_ATTRIBUTES);
    const nonResourceAttributes = strings(message(spec, 2), NON_RESOURCE_ATTRIBUTES);
    return { apiVersion, kind, spec: { ...(resourceAttributes ? { resourceAttributes } : {}), ...(nonResourceAttributes ? { nonResourceAttributes } : {}) } };
  } catch (error) {
    if (error instanceof ProtobufBodyError) throw error;
    throw new ProtobufBodyError(`the protobuf body cannot be read: ${(error as Error).message}`);
  }
}
