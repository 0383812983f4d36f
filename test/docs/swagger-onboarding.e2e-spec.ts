import { Browser, Locator, Page } from 'playwright-core';
import { aWorkloadGroup, paths } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';
import { bodyOf, describeInBrowser, execute as executeOn, launchChromium, openSwaggerUi, tryOut as tryOutOn } from './swagger-page';

/**
 * VM onboarding from Swagger UI in a real browser: register with the prefilled example, heartbeat the
 * entry it made with each prefilled example, and deregister it with DELETE, as the page offers them.
 */

describeInBrowser('Swagger UI onboarding test')('Swagger UI: register, heartbeat, deregister', () => {
  let t: TestApp;
  let browser: Browser;
  let page: Page;
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    t = await startTestApp();
    // The group the examples register into (bookinfo/details-svc), as an operator creates it.
    const created = await fetch(`${t.url}${paths.workloadGroups('bookinfo')}`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(aWorkloadGroup('details-svc')),
    });
    expect(created.status).toBe(201);
    browser = await launchChromium();
    page = await openSwaggerUi(browser, t.url, consoleErrors);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const tryOut = (tag: string, operationId: string) => tryOutOn(page, tag, operationId);
  const execute = async (operation: Locator) => {
    const { code, shown } = await executeOn(operation);
    return { code, body: bodyOf(shown) };
  };
  const entry = (name: string) => fetch(`${t.url}${paths.workloadEntry(name, 'bookinfo')}`).then(async (r) => ({ code: r.status, object: (await r.json()) as any }));

  it('registers the VM of the prefilled example: 201, its entry and its lease', async () => {
    const { code, body } = await execute(await tryOut('onboarding', 'registerWorkloadGroupEntry'));
    expect(code).toBe(201);
    expect(body).toMatchObject({ kind: 'Registration', workloadEntry: { metadata: { name: 'details-svc-10.0.0.5' } }, lease: { leaseDurationSeconds: 40 } });
    expect((await entry('details-svc-10.0.0.5')).code).toBe(200);
  });

  it('heartbeats it with each example: healthy, then failing its check', async () => {
    const operation = await tryOut('onboarding', 'heartbeatWorkloadEntry');
    const alive = await execute(operation);
    expect(alive).toMatchObject({ code: 200, body: { kind: 'Heartbeat', health: { status: 'True' } } });
    await operation.locator('.opblock-section-request-body select').last().selectOption({ label: 'Alive, failing its check: traffic stops' });
    const failing = await execute(operation);
    expect(failing).toMatchObject({ code: 200, body: { health: { status: 'False', reason: 'Reported' } } });
    const { object } = await entry('details-svc-10.0.0.5');
    expect(object.status.conditions).toEqual([expect.objectContaining({ type: 'Healthy', status: 'False', message: 'HTTP probe on :8080/health answered 503' })]);
  });

  it('deregisters it with DELETE, and its next heartbeat is the 404 that says register again', async () => {
    const operation = await tryOut('WorkloadEntry', 'deleteWorkloadEntry');
    const name = operation.locator('tr[data-param-name="name"] input');
    await name.fill('details-svc-10.0.0.5');
    expect((await execute(operation)).code).toBe(200);
    expect((await entry('details-svc-10.0.0.5')).code).toBe(404);
    const heartbeat = page.locator('#operations-onboarding-heartbeatWorkloadEntry');
    expect((await execute(heartbeat)).code).toBe(404);
  });

  it('logged no error in the browser console but the 404 it was asked for', () => {
    expect(consoleErrors).toEqual(['Failed to load resource: the server responded with a status of 404 (Not Found)']);
  });
});
