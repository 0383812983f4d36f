import { Browser, Page } from 'playwright-core';
import { startSecureTestApp, SecureTestApp } from '../support/secure-app';
import { describeInBrowser, launchChromium, openSwaggerUi } from './swagger-page';

/**
 * Swagger UI against the default (HTTPS, authentication on), as a person uses it: an operation tried
 * without a token answers 401; after Authorize with a token, the same Execute answers 200.
 */

describeInBrowser('Swagger UI Authorize test')('Swagger UI: Authorize with a token, then Try it out', () => {
  let t: SecureTestApp;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    t = await startSecureTestApp();
    // The page's certificate is signed by the CA this test generated; the browser does not know it.
    browser = await launchChromium({ https: true });
    page = await openSwaggerUi(browser, t.url, [], { https: true });
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function executeListWorkloadEntries(): Promise<number> {
    const operation = page.locator('#operations-WorkloadEntry-listWorkloadEntry');
    if (!(await operation.locator('button.execute').isVisible())) {
      if (!(await operation.locator('button.try-out__btn').isVisible())) await operation.locator('.opblock-summary').click();
      await operation.locator('button.try-out__btn').click();
    }
    const clear = operation.locator('button.btn-clear');
    if (await clear.isVisible()) await clear.click();
    await operation.locator('button.execute').click();
    const response = operation.locator('.live-responses-table .response');
    await response.waitFor();
    // The cell reads "401" and, for codes the document does not list, "Undocumented".
    return Number.parseInt(await response.locator('.response-col_status').innerText(), 10);
  }

  it('answers 401 before Authorize and 200 after, with the token it was given', async () => {
    expect(await executeListWorkloadEntries()).toBe(401);
    await page.locator('button.authorize').first().click();
    await page.locator('.auth-container input').first().fill(t.adminToken);
    await page.locator('.auth-btn-wrapper button.authorize').click();
    await page.locator('.auth-btn-wrapper button.btn-done').click();
    expect(await executeListWorkloadEntries()).toBe(200);
  });
});
