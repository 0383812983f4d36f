import { KubeObject } from '../common/kube-object';
import { ServiceEntry, WorkloadEntry } from '../kinds/istio-types';
import { serviceEntryKind } from '../kinds/service-entry.kind';
import { workloadEntryKind } from '../kinds/workload-entry.kind';
import { renderJsonList } from './json-list';
import { workloadManifest } from './workload-manifest';
import { renderYamlStream } from './yaml-stream';

/**
 * The examples Swagger UI shows for manifest, export and import: the kinds' own details-svc examples
 * (the ones create prefills), in the namespace the path examples name, rendered by the same code as
 * the routes. So they agree with the rest of the page, and import's prefilled body works as it is.
 */
export const EXAMPLE_NAMESPACE = 'bookinfo';
export const EXAMPLE_WORKLOAD = 'details-svc';

const inExampleNamespace = <T>(object: KubeObject): T =>
  ({ ...object, metadata: { ...object.metadata, namespace: EXAMPLE_NAMESPACE } }) as unknown as T;

const exampleManifests = () =>
  workloadManifest(inExampleNamespace<WorkloadEntry>(workloadEntryKind.examples[EXAMPLE_WORKLOAD].value), [
    inExampleNamespace<ServiceEntry>(serviceEntryKind.examples[EXAMPLE_WORKLOAD].value),
  ]);

/** The workload's manifest: its WorkloadEntry, then the ServiceEntry that selects it. */
export const EXAMPLE_MANIFEST_YAML = renderYamlStream(exampleManifests());

/** The same objects as export's JSON List (and import's JSON form). */
export const EXAMPLE_MANIFEST_JSON_LIST = renderJsonList(exampleManifests());
