import { KINDS } from '../kinds/kinds';
import { kindNamesOf } from './import-errors';
import { parseImportStream } from './import-stream';
import { EXAMPLE_MANIFEST_JSON_LIST, EXAMPLE_MANIFEST_YAML } from './manifest-example';
import { DETAILS_YAML } from './test-fixtures';

describe('the Swagger UI manifest examples', () => {
  it('are the kinds’ details-svc examples: the Istio docs pair, labelled so that the list example selects them', () => {
    const labelled = DETAILS_YAML.replace(/namespace: bookinfo\n/g, 'namespace: bookinfo\n  labels:\n    app: details-legacy\n');
    expect(EXAMPLE_MANIFEST_YAML).toBe(labelled);
  });

  it.each([
    ['YAML stream', EXAMPLE_MANIFEST_YAML],
    ['JSON List', EXAMPLE_MANIFEST_JSON_LIST],
  ])('import reads the %s as the WorkloadEntry and its ServiceEntry', (_name, text) => {
    const documents = parseImportStream(text, { maxDocumentBytes: 1 << 20, maxDocuments: 10, maxAliases: 100, kinds: KINDS.map(kindNamesOf) });
    expect(documents.map((d) => `${d.object?.kind} ${d.object?.metadata?.namespace}/${d.object?.metadata?.name}`)).toEqual([
      'WorkloadEntry bookinfo/details-svc',
      'ServiceEntry bookinfo/details-svc',
    ]);
  });
});
