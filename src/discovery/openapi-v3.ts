import { createHash } from 'node:crypto';
import { KindDefinition } from '../kinds/kind-definition';
import { reverseDomain, ServedGroupVersion, servedGroups } from './group-versions';
import { META_SCHEMA, metaSchemas, OpenApiSchema, schemaRef, TYPE_META_PROPERTIES } from './openapi-meta-schemas';
import { kindPaths } from './openapi-paths';

/**
 * OpenAPI v3 as the API server publishes it: `/openapi/v3` is an index of one document per
 * group-version, each at a URL carrying the hash of its content (so clients may cache it forever);
 * kubectl reads the document of the kind it applies, to learn that the server validates fields.
 */

/** `io.istio.networking.v1`: the prefix of the kinds' schema names in the group-version document. */
export const schemaPrefixOf = (gv: Pick<ServedGroupVersion, 'group' | 'version'>): string =>
  `${reverseDomain(gv.group)}.${gv.version}`;

const gvkExtension = (group: string, version: string, kind: string) => [{ group, kind, version }];

/** The kind's schema: the CRD's openAPIV3Schema with apiVersion, kind and metadata, as for a CRD. */
export function kindSchemas(kind: KindDefinition, prefix: string): Record<string, OpenApiSchema> {
  const crd = structuredClone(kind.schema) as OpenApiSchema & { properties?: Record<string, unknown> };
  const { properties = {}, ...rest } = crd;
  return {
    [`${prefix}.${kind.kind}`]: {
      ...rest,
      type: 'object',
      properties: {
        ...TYPE_META_PROPERTIES,
        metadata: { allOf: [schemaRef(META_SCHEMA.objectMeta)], description: "Standard object's metadata." },
        ...properties,
      },
      'x-kubernetes-group-version-kind': gvkExtension(kind.group, kind.version, kind.kind),
    },
    [`${prefix}.${kind.listKind}`]: {
      description: `${kind.listKind} is a list of ${kind.kind}`,
      type: 'object',
      required: ['items'],
      properties: {
        ...TYPE_META_PROPERTIES,
        items: { type: 'array', items: schemaRef(`${prefix}.${kind.kind}`), description: `List of ${kind.plural}.` },
        metadata: { allOf: [schemaRef(META_SCHEMA.listMeta)], description: 'Standard list metadata.' },
      },
      'x-kubernetes-group-version-kind': gvkExtension(kind.group, kind.version, kind.listKind),
    },
  };
}

/** The OpenAPI v3 document of one group-version. */
export function groupVersionDocument(gv: ServedGroupVersion, title: string): OpenApiSchema {
  const prefix = schemaPrefixOf(gv);
  return {
    openapi: '3.0.0',
    info: { title, version: gv.version },
    paths: Object.assign({}, ...gv.kinds.map((kind) => kindPaths(gv, kind, prefix))),
    components: { schemas: Object.assign(metaSchemas(), ...gv.kinds.map((kind) => kindSchemas(kind, prefix))) },
  };
}

export interface PublishedDocument {
  /** The index key: `apis/networking.istio.io/v1`. */
  key: string;
  body: string;
  hash: string;
}

/** Content hash as the API server forms it (SHA-512, upper-case hex). */
export const contentHash = (text: string): string => createHash('sha512').update(text).digest('hex').toUpperCase();

/** Every group-version document, serialised once with its hash. */
export function publishedDocuments(kinds: readonly KindDefinition[], title: string): PublishedDocument[] {
  return servedGroups(kinds).flatMap((group) =>
    group.versions.map((gv) => {
      const body = JSON.stringify(groupVersionDocument(gv, title));
      return { key: `apis/${gv.group}/${gv.version}`, body, hash: contentHash(body) };
    }),
  );
}

export const serverRelativeUrl = (doc: PublishedDocument): string => `/openapi/v3/${doc.key}?hash=${doc.hash}`;

/** `/openapi/v3`. */
export function openApiIndex(documents: readonly PublishedDocument[]) {
  return { paths: Object.fromEntries(documents.map((doc) => [doc.key, { serverRelativeURL: serverRelativeUrl(doc) }])) };
}
