import { existsSync } from 'node:fs';
import { Browser, chromium, Locator, Page } from 'playwright-core';
import { aWorkloadGroup, paths } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * VM onboarding from Swagger UI in a real browser: register with the prefilled example, heartbeat the
 * entry it made with each prefilled example, and deregister it with DELETE, as the page offers them.
 */
const CHROMIUM = '/usr/bin/chromium';
const describeInBrowser = existsSync(CHROMIUM) ? describe : describe.skip;

describeInBrowser('Swagger UI: register, heartbeat, deregister', () => {
  let t: TestApp;
  let browser: Browser;
  let page: Page;
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    t = await startTestApp();
    // The group the examples register into (bookinfo/details), as an operator creates it.
    const created = await fetch(`${t.url}${paths.workloadGroups('bookinfo')}`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(aWorkloadGroup('details')),
    });
    expect(created.status).toBe(201);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
    page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    page.on('console', (message) => message.type() === 'error' && consoleErrors.push(message.text()));
    page.on('pageerror', (error) => consoleErrors.push(error.message));
    await page.goto(`${t.url}/docs`);
    await page.locator('.opblock-tag').first().waitFor();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function tryOut(tag: string, operationId: string): Promise<Locator> {
    const operation = page.locator(`#operations-${tag}-${operationId}`);
    await operation.locator('.opblock-summary').click();
    await operation.locator('button.try-out__btn').click();
    return operation;
  }
  async function execute(operation: Locator): Promise<{ code: number; body: any }> {
    const clear = operation.locator('button.btn-clear');
    if (await clear.isVisible()) await clear.click();
    await operation.locator('button.execute').click();
    const response = operation.locator('.live-responses-table .response');
    await response.waitFor();
    const code = Number(await response.locator('.response-col_status').innerText());
    const shown = await response.locator('.response-col_description').innerText();
    return { code, body: JSON.parse(shown.slice(shown.indexOf('{'), shown.lastIndexOf('}') + 1)) };
  }
  const entry = (name: string) => fetch(`${t.url}${paths.workloadEntry(name, 'bookinfo')}`).then(async (r) => ({ code: r.status, object: (await r.json()) as any }));

  it('registers the VM of the prefilled example: 201, its entry and its lease', async () => {
    const { code, body } = await execute(await tryOut('onboarding', 'registerWorkloadGroupEntry'));
    expect(code).toBe(201);
    expect(body).toMatchObject({ kind: 'Registration', workloadEntry: { metadata: { name: 'details-10.0.0.5' } }, lease: { leaseDurationSeconds: 40 } });
    expect((await entry('details-10.0.0.5')).code).toBe(200);
  });

  it('heartbeats it with each example: healthy, then failing its check', async () => {
    const operation = await tryOut('onboarding', 'heartbeatWorkloadEntry');
    const alive = await execute(operation);
    expect(alive).toMatchObject({ code: 200, body: { kind: 'Heartbeat', health: { status: 'True' } } });
    await operation.locator('.opblock-section-request-body select').last().selectOption({ label: 'Alive, failing its check: traffic stops' });
    const failing = await execute(operation);
    expect(failing).toMatchObject({ code: 200, body: { health: { status: 'False', reason: 'Reported' } } });
    const { object } = await entry('details-10.0.0.5');
    expect(object.status.conditions).toEqual([expect.objectContaining({ type: 'Healthy', status: 'False', message: 'HTTP probe on :8080/health answered 503' })]);
  });

  it('deregisters it with DELETE, and its next heartbeat is the 404 that says register again', async () => {
    const operation = await tryOut('WorkloadEntry', 'deleteWorkloadEntry');
    const name = operation.locator('tr[data-param-name="name"] input');
    await name.fill('details-10.0.0.5');
    expect((await execute(operation)).code).toBe(200);
    expect((await entry('details-10.0.0.5')).code).toBe(404);
    const heartbeat = page.locator('#operations-onboarding-heartbeatWorkloadEntry');
    expect((await execute(heartbeat)).code).toBe(404);
  });

  it('logged no error in the browser console but the 404 it was asked for', () => {
    expect(consoleErrors).toEqual(['Failed to load resource: the server responded with a status of 404 (Not Found)']);
  });
});
