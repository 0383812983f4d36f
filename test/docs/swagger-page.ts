import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, chromium, Locator, Page } from 'playwright-core';

/**
 * Swagger UI in Debian's Chromium, driven as a person drives it, for the browser tests of test/docs:
 * the browser, the page with its console errors collected, Try it out, Execute, and what the page shows.
 */
const CHROMIUM = '/usr/bin/chromium';
const HAVE_CHROMIUM = existsSync(CHROMIUM);

/** `describe`, or `describe.skip` with a line saying why when Chromium is absent. */
export function describeInBrowser(what: string): jest.Describe {
  if (HAVE_CHROMIUM) return describe;
  console.warn(`test/docs: ${CHROMIUM} is absent (apt-get install chromium), so the ${what} is skipped`);
  return describe.skip;
}

/** Headless, with the flags this machine's closed network needs; `https` trusts the test's own CA's page. */
export function launchChromium({ https = false } = {}): Promise<Browser> {
  const args = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
  return chromium.launch({ executablePath: CHROMIUM, args: https ? [...args, '--ignore-certificate-errors'] : args });
}

/** Opens `/docs` of `baseUrl` and waits for its operations; console errors and page errors go to `errors`. */
export async function openSwaggerUi(browser: Browser, baseUrl: string, errors: string[] = [], { https = false } = {}): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 }, ...(https ? { ignoreHTTPSErrors: true } : {}) });
  page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`${baseUrl}/docs`);
  await page.locator('.opblock-tag').first().waitFor();
  return page;
}

/** Opens an operation and presses Try it out. */
export async function tryOut(page: Page, tag: string, operationId: string): Promise<Locator> {
  const operation = page.locator(`#operations-${tag}-${operationId}`);
  await operation.locator('.opblock-summary').click();
  await operation.locator('button.try-out__btn').click();
  return operation;
}

/** Presses Execute and returns the status, the body and the request URL the page then shows. */
export async function execute(operation: Locator, screenshot?: { dir: string; name: string }): Promise<{ code: number; shown: string; url: string }> {
  const clear = operation.locator('button.btn-clear');
  if (await clear.isVisible()) await clear.click();
  await operation.locator('button.execute').click();
  const response = operation.locator('.live-responses-table .response');
  await response.waitFor();
  const code = Number(await response.locator('.response-col_status').innerText());
  const shown = await response.locator('.response-col_description').innerText();
  const url = await operation.locator('.request-url pre').innerText();
  if (screenshot) await operation.screenshot({ path: join(screenshot.dir, `${screenshot.name}.png`) });
  return { code, shown, url };
}

/** The JSON object inside the response text the page shows. */
export const bodyOf = (shown: string) => JSON.parse(shown.slice(shown.indexOf('{'), shown.lastIndexOf('}') + 1));
