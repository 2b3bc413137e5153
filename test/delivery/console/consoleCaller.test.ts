import { jest } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { describeInChromium, launchChromium } from '../chromium.js';
import { token } from '../../helpers/jwks.js';
import { securedGateway } from '../../helpers/securedGateway.js';

jest.setTimeout(30_000);

describeInChromium('console caller', 'the web console with a token, in headless Chromium', () => {
  const fixture = securedGateway();
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];
  const requests: { url: string; authorization?: string }[] = [];

  const operationRow = (name: string, available: boolean) =>
    page.locator(`tr[data-operation="${name}"][data-available="${available}"]`);
  const caller = (text: string) => page.locator('#caller', { hasText: text });
  /** Evaluated in the page, which has the DOM's sessionStorage (this file is type-checked for Node). */
  const storedToken = () => page.evaluate("sessionStorage.getItem('affordance-gateway:token')");
  const useToken = async (value: string) => {
    await page.locator('#token').fill(value);
    await page.getByRole('button', { name: 'Use', exact: true }).click();
  };

  beforeAll(async () => {
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.setDefaultTimeout(10_000);
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('request', (request) =>
      requests.push({ url: request.url(), authorization: request.headers().authorization }),
    );
  });
  afterAll(async () => {
    await browser?.close();
  });

  test('two tokens with different scopes see different affordances; anonymous sees what needs a token', async () => {
    const reader = await token(fixture.key, { scope: 'reports:read' });
    const writer = await token(fixture.key, { scope: 'reports:read reports:write' });
    await page.goto(`${fixture.gateway.url}/console`);

    await caller('as: anonymous').waitFor();
    for (const name of ['secret', 'reports', 'publish']) {
      await page.locator(`tr[data-operation="${name}"][data-reason-kind="UNAUTHENTICATED"]`).waitFor();
    }

    await useToken(reader);
    await caller('as: token, scopes reports:read').waitFor();
    await operationRow('reports', true).waitFor();
    const publish = page.locator('tr[data-operation="publish"][data-reason-kind="FORBIDDEN"]');
    await publish.waitFor();
    expect(await publish.locator('.reason').textContent()).toContain('FORBIDDEN requires scope reports:write');
    expect(await publish.locator('button').isDisabled()).toBe(true);

    await useToken(`Bearer ${writer}\n`);
    await caller('as: token, scopes reports:read reports:write').waitFor();
    await operationRow('publish', true).waitFor();
    expect(await page.locator('tr[data-available="false"]').count()).toBe(0);

    // The runner sends the token: `secret` (@authenticated) answers.
    await page.locator('tr[data-operation="secret"] button', { hasText: 'Try' }).click();
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await page.locator('#result[data-outcome="ok"]', { hasText: 'the secret' }).waitFor();

    // Kept for this tab: a reload follows the stream as the same caller.
    await page.reload();
    await caller('as: token, scopes reports:read reports:write').waitFor();
    expect(await storedToken()).toBe(writer);

    const streams = requests.filter((r) => r.url.endsWith('/affordances/stream'));
    expect(streams.map((r) => r.authorization)).toEqual(
      expect.arrayContaining([undefined, `Bearer ${reader}`, `Bearer ${writer}`]),
    );
    expect(requests.filter((r) => r.url.includes(reader) || r.url.includes(writer))).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  test('a refused token says so and shows no view; clearing it goes back to anonymous', async () => {
    await page.goto(`${fixture.gateway.url}/console`);
    await useToken(await token(fixture.key, { expiresIn: -600 }));
    await page.locator('#connection.closed', { hasText: 'token refused: the token has expired' }).waitFor();
    await caller('as: nobody (the token was refused)').waitFor();

    await page.getByRole('button', { name: 'Clear', exact: true }).click();
    await caller('as: anonymous').waitFor();
    await page.locator('#connection', { hasText: 'live' }).waitFor();
    expect(await storedToken()).toBeNull();
    expect(pageErrors).toEqual([]);
  });
});
