import { Browser, Locator, Page } from 'playwright-core';
import { KubeObject } from '../../src/common/kube-object';
import { paths } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';
import { bodyOf, describeInBrowser, execute as executeOn, launchChromium, openSwaggerUi, tryOut as tryOutOn } from './swagger-page';

/**
 * Swagger UI in a real browser (Debian's Chromium), used as a person uses it: open an operation, Try it
 * out, Execute with what the page prefilled (choosing only a media type or an example), then read the
 * response the page shows. Each task's result is also checked in the registry itself, and the browser
 * console must stay free of errors throughout.
 */
/** Set to a directory to keep a screenshot of each operation after it ran. */
const SCREENSHOTS = process.env.SWAGGER_UI_SCREENSHOTS;

describeInBrowser('Swagger UI browser test')('Swagger UI: every task done from the page', () => {
  let t: TestApp;
  let browser: Browser;
  let page: Page;
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    t = await startTestApp();
    browser = await launchChromium();
    page = await openSwaggerUi(browser, t.url, consoleErrors);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const tryOut = (tag: string, operationId: string) => tryOutOn(page, tag, operationId);
  const execute = (operation: Locator, screenshot: string) => executeOn(operation, SCREENSHOTS ? { dir: SCREENSHOTS, name: screenshot } : undefined);
  const stored = async (path: string) => {
    const res = await fetch(`${t.url}${path}`);
    return { code: res.status, object: (await res.json()) as KubeObject };
  };
  const requestBodyType = (operation: Locator) => operation.locator('.opblock-section-request-body select.content-type');

  it('creates the example WorkloadEntry and ServiceEntry as prefilled', async () => {
    for (const [tag, operationId, path] of [
      ['WorkloadEntry', 'createWorkloadEntry', paths.workloadEntry('details-svc', 'bookinfo')],
      ['ServiceEntry', 'createServiceEntry', paths.serviceEntry('details-svc', 'bookinfo')],
    ]) {
      const { code, shown } = await execute(await tryOut(tag, operationId), operationId);
      expect([operationId, code]).toEqual([operationId, 201]);
      expect(bodyOf(shown).metadata).toMatchObject({ name: 'details-svc', namespace: 'bookinfo' });
      expect((await stored(path)).code).toBe(200);
    }
  });

  it('reads it, and lists it with the label selector example', async () => {
    const read = await execute(await tryOut('WorkloadEntry', 'readWorkloadEntry'), 'readWorkloadEntry');
    expect(read.code).toBe(200);
    expect(bodyOf(read.shown).spec.address).toBe('2.2.2.2');
    const list = await execute(await tryOut('WorkloadEntry', 'listWorkloadEntry'), 'listWorkloadEntry');
    expect(list.code).toBe(200);
    expect(list.url).toContain('labelSelector=app%3Ddetails-legacy');
    expect(bodyOf(list.shown).items.map((o: KubeObject) => o.metadata.name)).toEqual(['details-svc']);
  });

  it('patches it with each patch type, chosen as the request body media type', async () => {
    const operation = await tryOut('WorkloadEntry', 'patchWorkloadEntry');
    expect(await requestBodyType(operation).inputValue()).toBe('application/merge-patch+json');
    const merge = await execute(operation, 'patchWorkloadEntry-merge');
    expect(merge.code).toBe(200);
    expect(bodyOf(merge.shown).spec.weight).toBe(5);
    await requestBodyType(operation).selectOption('application/json-patch+json');
    const json = await execute(operation, 'patchWorkloadEntry-json');
    expect(json.code).toBe(200);
    const { object } = await stored(paths.workloadEntry('details-svc', 'bookinfo'));
    expect(object.spec).toMatchObject({ weight: 5, labels: { app: 'details-legacy', 'instance-id': 'vm1', version: 'v2' } });
  });

  it('patches its status, leaving the spec alone', async () => {
    const { code } = await execute(await tryOut('WorkloadEntry', 'patchWorkloadEntryStatus'), 'patchWorkloadEntryStatus');
    expect(code).toBe(200);
    const { object } = await stored(paths.workloadEntry('details-svc', 'bookinfo'));
    expect(object.status).toEqual({ conditions: [expect.objectContaining({ type: 'Healthy', status: 'True' })] });
    expect(object.spec.weight).toBe(5);
  });

  it('resolves the example host to the VM', async () => {
    const { code, shown, url } = await execute(await tryOut('resolve', 'resolveHost'), 'resolveHost');
    expect(code).toBe(200);
    expect(url).toContain('host=details.bookinfo.com');
    expect(JSON.stringify(bodyOf(shown))).toContain('"address":"2.2.2.2"');
  });

  it('shows the manifest and the export in the page, as YAML', async () => {
    for (const operationId of ['getWorkloadManifest', 'exportManifests']) {
      const { code, shown } = await execute(await tryOut('manifests', operationId), operationId);
      expect([operationId, code]).toEqual([operationId, 200]);
      expect(shown).not.toContain('Download file');
      expect(shown).toMatch(/kind: WorkloadEntry\n[\s\S]*\n---\n[\s\S]*kind: ServiceEntry\n/);
      expect(shown).toContain('weight: 5');
    }
  });

  it('deletes it', async () => {
    const { code, shown } = await execute(await tryOut('WorkloadEntry', 'deleteWorkloadEntry'), 'deleteWorkloadEntry');
    expect(code).toBe(200);
    expect(bodyOf(shown)).toMatchObject({ kind: 'Status', status: 'Success' });
    expect((await stored(paths.workloadEntry('details-svc', 'bookinfo'))).code).toBe(404);
  });

  it('imports the prefilled YAML stream: the workload back, its service unchanged', async () => {
    const { code, shown } = await execute(await tryOut('manifests', 'importManifests'), 'importManifests');
    expect(code).toBe(200);
    expect(bodyOf(shown)).toMatchObject({ applied: true, results: [{ result: 'created' }, { result: 'unchanged' }] });
    expect((await stored(paths.workloadEntry('details-svc', 'bookinfo'))).object.spec.address).toBe('2.2.2.2');
  });

  it('logged no error in the browser console', () => {
    expect(consoleErrors).toEqual([]);
  });
});
