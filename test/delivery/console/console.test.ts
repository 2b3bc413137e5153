import { jest } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { describeInChromium, launchChromium } from '../chromium.js';
import { startGateway, type RunningGateway } from '../../../src/gateway/startGateway.js';
import type { AvailabilitySource, CheckStatus } from '../../../src/availability/types.js';
import { silentLogger } from '../../../src/platform/logger.js';
import { affordancesWhere, composed } from '../../helpers/gateway.js';
import { Backends } from '../../helpers/servers.js';
import { serveSplitEntity } from '../../helpers/splitEntity.js';
import { validateConfig } from '../../../src/config/load.js';
import { StaticSource } from '../../../src/sources/staticSource.js';

jest.setTimeout(30_000);

describe('the /console route', () => {
  const backends = new Backends();
  let gateway: RunningGateway;

  beforeAll(async () => {
    await backends.reservePorts();
    gateway = await startGateway({ config: backends.gatewayConfig(), logger: silentLogger });
  });
  afterAll(async () => {
    await gateway?.close();
  });

  test('serves one self-contained page: no external URL, a strict CSP, GET and HEAD only', async () => {
    const response = await fetch(`${gateway.url}/console`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const csp = response.headers.get('content-security-policy')!;
    expect(csp).toMatch(
      /default-src 'none'; script-src 'sha256-[\w+/=]+'; style-src 'sha256-[\w+/=]+'; connect-src 'self'/,
    );
    const html = await response.text();
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    // fetch with a streaming body, not EventSource: it sends the caller's token.
    expect(html).not.toContain('new EventSource');
    expect(html).toContain('id="token"');

    const head = await fetch(`${gateway.url}/console`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(Number(head.headers.get('content-length'))).toBe(Buffer.byteLength(html));
    expect((await fetch(`${gateway.url}/console`, { method: 'POST' })).status).toBe(405);
  });
});

describeInChromium('web console', 'the web console in headless Chromium', () => {
  const backends = new Backends();
  let gateway: RunningGateway;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];
  const foreignRequests: string[] = [];
  let documentLoads = 0;

  const subgraphRow = (name: string, status: 'up' | 'down') =>
    page.locator(`tr[data-subgraph="${name}"][data-status="${status}"]`);
  const operationRow = (name: string, available: boolean) =>
    page.locator(`tr[data-operation="${name}"][data-available="${available}"]`);

  beforeAll(async () => {
    browser = await launchChromium();
    await backends.startAll();
    gateway = await startGateway({ config: backends.gatewayConfig(), logger: silentLogger });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.setDefaultTimeout(10_000);
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(message.text());
    });
    page.on('request', (request) => {
      if (!request.url().startsWith(`${gateway.url}/`) && !request.url().startsWith('data:')) {
        foreignRequests.push(request.url());
      }
      if (request.resourceType() === 'document') documentLoads++;
    });
  });
  afterEach(async () => {
    if (!backends.customers) await backends.startCustomers();
    await affordancesWhere(gateway, composed('customers'));
  });
  afterAll(async () => {
    await browser?.close();
    await gateway?.close();
    await backends.stopAll();
  });

  test('shows every subgraph up and runs an example document', async () => {
    await page.goto(`${gateway.url}/console`);
    await page.locator('#connection', { hasText: 'live' }).waitFor();
    await subgraphRow('customers', 'up').waitFor();
    await subgraphRow('invoices', 'up').waitFor();
    await operationRow('createInvoice', true).waitFor();

    await page.locator('tr[data-operation="customer"] button', { hasText: 'Try' }).click();
    expect(await page.locator('#operation').inputValue()).toBe('customer');
    expect(await page.locator('#document').textContent()).toMatch(/^query Customer\(\$id: ID!\)/);
    await page.locator('#variables').fill('{ "id": "2" }');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await page.locator('#result[data-outcome="ok"]', { hasText: 'Grace Hopper' }).waitFor();
    expect(await page.locator('#run-status').textContent()).toBe('Done (HTTP 200)');
  });

  test('shows customers down and its operations disabled without a reload, then back', async () => {
    await backends.stopCustomers();
    await affordancesWhere(gateway, composed('customers', false));
    const down = subgraphRow('customers', 'down');
    await down.waitFor();
    expect(await down.locator('.reason').textContent()).toMatch(/^http customers: /);
    await subgraphRow('invoices', 'up').waitFor();
    for (const name of ['customer', 'customers', 'createCustomer']) {
      const row = operationRow(name, false);
      await row.waitFor();
      expect(await row.locator('button').isDisabled()).toBe(true);
      expect(await row.locator('.reason').textContent()).toContain('subgraph customers is unavailable');
    }
    // The runner still has `customer` selected: it says why and will not run it.
    await page.locator('#operation-note', { hasText: 'customer is unavailable: subgraph customers' }).waitFor();
    expect(await page.locator('#run').isDisabled()).toBe(true);
    expect(await page.locator('#operation option[value="customer"]').isDisabled()).toBe(true);
    await operationRow('createInvoice', true).waitFor();

    await backends.startCustomers();
    await subgraphRow('customers', 'up').waitFor();
    await operationRow('createCustomer', true).waitFor();
    await page.locator('#operation-note:empty').waitFor({ state: 'attached' });
    expect(await page.locator('#run').isDisabled()).toBe(false);
    // The variables typed before the outage are still there.
    expect(await page.locator('#variables').inputValue()).toBe('{ "id": "2" }');

    expect(documentLoads).toBe(1);
    expect(foreignRequests).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  test('shows the replica counts the checks carry (Kubernetes), a dash where they have none', async () => {
    const since = new Date();
    const check = (subgraph: string, replicas?: CheckStatus['replicas']): CheckStatus => ({
      id: `deployment shop/${subgraph}`,
      subgraph,
      ok: true,
      reason: 'a reason that does not say how many',
      since,
      replicas,
    });
    const kubernetes: AvailabilitySource = {
      name: 'kubernetes',
      start: async () => {},
      snapshot: () => [check('customers', { available: 2, desired: 3 }), check('invoices')],
      stop: async () => {},
    };
    const counted = await startGateway({
      config: backends.gatewayConfig(),
      sources: [kubernetes],
      logger: silentLogger,
    });
    try {
      await page.goto(`${counted.url}/console`);
      const replicas = (name: string) => subgraphRow(name, 'up').locator('td').nth(2);
      await replicas('customers').filter({ hasText: '2/3 deployment shop/customers' }).waitFor();
      expect(await replicas('invoices').textContent()).toBe('\u2014');
      expect(pageErrors).toEqual([]);
    } finally {
      // Off the page first: it would try to reconnect to the closed gateway.
      await page.goto('about:blank');
      await counted.close();
    }
  });

  test('lists what a reduced schema leaves out, with why, and hides the list when nothing is', async () => {
    const served = await serveSplitEntity();
    const source = new StaticSource({ a: true, b: true, c: true });
    const config = validateConfig({ server: { port: 0 }, limits: { rateLimit: false }, subgraphs: served.subgraphs });
    const split = await startGateway({ config, logger: silentLogger, sources: [source] });
    try {
      await page.goto(`${split.url}/console`);
      await page.locator('#subgraphs-body tr[data-subgraph="a"][data-status="up"]').waitFor();
      expect(await page.locator('#removed-section').isHidden()).toBe(true);
      source.set('a', false, 'readiness probe failing');
      const shipping = page.locator('#removed-body tr[data-coordinate="Product.shipping"]');
      await shipping.waitFor();
      expect(await shipping.locator('td').nth(1).textContent()).toBe('b');
      expect(await shipping.locator('td.reason').textContent()).toBe(
        'Product.shipping requires Product.price from subgraph a, which is down (static: readiness probe failing)',
      );
      source.set('a', true);
      await page.locator('#removed-section').waitFor({ state: 'hidden' });
      expect(pageErrors).toEqual([]);
    } finally {
      await page.goto('about:blank');
      await split.close();
      await served.close();
    }
  });
});
