import { KubeObject, OwnerReference } from '../common/kube-object';
import { FieldCause } from '../common/field-error';
import { WorkloadEntry, WorkloadEntrySpec, WorkloadGroup } from '../kinds/istio-types';

export type { WorkloadGroup };
import { kubeDNS1123SubdomainErrors } from '../validation/kube-names';

export const AUTO_REGISTRATION_GROUP_ANNOTATION = 'istio.io/autoRegistrationGroup';
/** istiod drops it from registered labels: locality is a field of the entry. */
const LOCALITY_LABEL = 'istio-locality';
const MAX_NAME = 253;


/** What a registration asks for, after defaults (the address defaults to the caller's). */
export interface RegistrationInput {
  address: string;
  network?: string;
  locality?: string;
  labels?: Record<string, string>;
  ports?: Record<string, number>;
  weight?: number;
  serviceAccount?: string;
}

/**
 * istiod's entry name: `<group>-<address with ':' → '-'>[-<network>]`, cut from the front to 253
 * characters. Returns the causes when the result is still not a DNS-1123 subdomain (istiod would fail the
 * create; we answer 422 before any write, e.g. for `fe80::1%eth0`), each naming the field the caller sent
 * that made it so (`address`, else `network`): the caller never wrote `metadata.name`.
 */
export function registeredEntryName(group: string, address: string, network?: string): { name: string; causes: FieldCause[] } {
  const cut = (text: string) => (text.length > MAX_NAME ? text.slice(text.length - MAX_NAME) : text);
  const withAddress = `${group}-${address.replaceAll(':', '-')}`;
  const name = cut(`${withAddress}${network ? `-${network}` : ''}`);
  const problems = kubeDNS1123SubdomainErrors(name);
  const field = network && kubeDNS1123SubdomainErrors(cut(withAddress)).length === 0 ? 'network' : 'address';
  const causes = problems.map((message) => ({
    field, reason: 'FieldValueInvalid' as const,
    message: `Invalid value: ${JSON.stringify(field === 'address' ? address : network)}: the entry name made from it (${JSON.stringify(name)}) is invalid: ${message}`,
  }));
  return { name, causes };
}

/** Later maps win, as istiod's mergeLabels. */
const merged = (...maps: (Record<string, string> | undefined)[]) => Object.assign({}, ...maps.filter(Boolean)) as Record<string, string>;

/**
 * The WorkloadEntry istiod's `workloadEntryFromGroup` builds: spec = template with the address; labels
 * template < group metadata < request (`istio-locality` dropped), on spec and metadata alike;
 * annotations `istio.io/autoRegistrationGroup` < group metadata annotations < ours; network and
 * locality from the request; an owner reference to the group (controller). `extraAnnotations` are the
 * registry's own (health checks enabled, registered-by), which the group cannot override.
 */
export function entryFromGroup(group: WorkloadGroup, name: string, input: RegistrationInput, extraAnnotations: Record<string, string>): WorkloadEntry {
  const template = structuredClone(group.spec.template ?? {});
  const labels = merged(template.labels, group.spec.metadata?.labels, input.labels);
  delete labels[LOCALITY_LABEL];
  const spec: WorkloadEntrySpec = { ...template, address: input.address };
  if (Object.keys(labels).length > 0) spec.labels = labels;
  else delete spec.labels;
  if (input.network) spec.network = input.network;
  if (input.locality) spec.locality = input.locality;
  if (input.ports) spec.ports = { ...(template.ports ?? {}), ...input.ports };
  if (input.weight !== undefined) spec.weight = input.weight;
  if (input.serviceAccount) spec.serviceAccount = input.serviceAccount;
  const annotations = merged({ [AUTO_REGISTRATION_GROUP_ANNOTATION]: group.metadata.name! }, group.spec.metadata?.annotations, extraAnnotations);
  return {
    apiVersion: group.apiVersion,
    kind: 'WorkloadEntry',
    metadata: {
      name,
      namespace: group.metadata.namespace,
      ...(Object.keys(labels).length > 0 ? { labels } : {}),
      annotations,
      ownerReferences: [ownerReferenceTo(group)],
    },
    spec,
  };
}

export function ownerReferenceTo(group: WorkloadGroup): OwnerReference {
  return { apiVersion: group.apiVersion, kind: 'WorkloadGroup', name: group.metadata.name!, uid: group.metadata.uid!, controller: true };
}

/**
 * Why an existing entry may not be taken over by this registration, or undefined when it is the one
 * this registration made before (same group, by uid, and the same token when a token registers).
 */
export function takeoverRefusal(existing: KubeObject, group: WorkloadGroup, tokenId: string | undefined, registeredByKey: string): string | undefined {
  const annotations = existing.metadata.annotations ?? {};
  const owner = existing.metadata.ownerReferences?.find((ref) => ref.controller);
  if (annotations[AUTO_REGISTRATION_GROUP_ANNOTATION] === undefined || !owner) return 'it was not made by a registration';
  if (owner.kind !== 'WorkloadGroup' || owner.uid !== group.metadata.uid) return `it belongs to workloadgroup "${owner.name}" (uid ${owner.uid})`;
  const registeredBy = annotations[registeredByKey];
  if (tokenId !== undefined && registeredBy !== undefined && registeredBy !== tokenId) return `it was registered by another token (${registeredBy})`;
  return undefined;
}
