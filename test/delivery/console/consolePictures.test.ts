import { jest } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { describeInChromium, launchChromium } from '../chromium.js';
import { startGateway, type RunningGateway } from '../../../src/gateway/startGateway.js';
import { createSources } from '../../../src/gateway/createSources.js';
import { validateConfig } from '../../../src/config/load.js';
import { silentLogger } from '../../../src/platform/logger.js';
import { affordancesWhere, composed } from '../../helpers/gateway.js';
import { Backends } from '../../helpers/servers.js';
import { ClusterDouble } from './clusterDouble.js';
import { watchedPage, type PageWatch } from './watchPage.js';

jest.setTimeout(60_000);

/** Set to a path (docs/console.png) to save a screenshot of the console with the gRPC service down. */
const SCREENSHOT = process.env.AG_CONSOLE_SCREENSHOT;

describeInChromium('console pictures', 'the console draws the system: dependency graph and timeline', () => {
  const backends = new Backends();
  let gateway: RunningGateway;
  let cluster: ClusterDouble;
  let browser: Browser;
  let page: Page;
  let watch: PageWatch;

  const node = (key: string, state?: string) =>
    page.locator(`#graph [data-node="${key}"]${state ? `[data-state="${state}"]` : ''}`);
  const edge = (from: string, to: string) => page.locator(`#graph path[data-from="${from}"][data-to="${to}"]`);
  /** The states of a lane's bands, oldest first. */
  const bandStates = (lane: string) =>
    page
      .locator(`#timeline [data-lane="${lane}"] rect.band`)
      .evaluateAll((rects) => rects.map((r) => r.getAttribute('data-state')));

  beforeAll(async () => {
    browser = await launchChromium();
    await backends.startAll();
    const base = backends.gatewayConfig();
    // The manifests' Deployments (k8s/base), watched by a double of the Kubernetes source.
    const config = validateConfig({
      server: { port: 0 },
      availability: { settleMs: 0, probe: { intervalMs: 100, timeoutMs: 3000 } },
      composition: { sdlRetryMs: 50 },
      limits: { rateLimit: false },
      backends: {
        'invoices-service': {
          grpc: base.backends['invoices-service']!.grpc,
          kubernetes: { deployments: ['invoices-service'] },
        },
      },
      subgraphs: {
        customers: { url: base.subgraphs.customers!.url, kubernetes: { deployments: ['customers'] } },
        invoices: {
          url: base.subgraphs.invoices!.url,
          dependsOn: ['invoices-service'],
          kubernetes: { deployments: ['invoices'] },
        },
      },
    });
    cluster = new ClusterDouble(config, { customers: 3, invoices: 2, 'invoices-service': 2 });
    gateway = await startGateway({
      config,
      sources: [...(await createSources(config, silentLogger)), cluster],
      logger: silentLogger,
    });
    ({ page, watch } = await watchedPage(browser, 15_000));
  });
  afterAll(async () => {
    await browser?.close();
    await gateway?.close();
    await backends.stopAll();
  });

  test('subgraph → backend → Deployment with replicas, colored live as the gRPC service stops and restarts', async () => {
    await page.goto(`${gateway.url}/console`);
    await node('subgraph:invoices', 'up').waitFor();
    await node('backend:invoices-service', 'up').waitFor();
    const service = node('workload:kubernetes deployment shop/invoices-service', 'up');
    expect(await service.textContent()).toContain('deployment shop/invoices-service 2/2');
    await edge('subgraph:invoices', 'backend:invoices-service').waitFor({ state: 'attached' });
    await edge('backend:invoices-service', 'workload:kubernetes deployment shop/invoices-service').waitFor({
      state: 'attached',
    });
    await edge('subgraph:invoices', 'workload:kubernetes deployment shop/invoices').waitFor({ state: 'attached' });
    await edge('subgraph:customers', 'workload:kubernetes deployment shop/customers').waitFor({ state: 'attached' });
    // The gRPC probe is the backend's, not the subgraph's.
    expect(await node('backend:invoices-service').locator('title').textContent()).toContain('grpc invoices-service');
    await page.locator('#timeline [data-lane="invoices"] rect.band.up').waitFor();

    cluster.scale('invoices-service', 2, 1);
    const short = node('workload:kubernetes deployment shop/invoices-service', 'short');
    await short.waitFor();
    expect(await short.textContent()).toContain('deployment shop/invoices-service 1/2');

    await backends.stopGrpc();
    await node('backend:invoices-service', 'down').waitFor();
    await node('subgraph:invoices', 'down').waitFor();
    await node('subgraph:customers', 'up').waitFor();
    const down = page.locator('#timeline [data-lane="invoices"] rect.band.down');
    await down.waitFor();
    expect(await down.first().locator('title').textContent()).toMatch(/^invoices down .*: grpc invoices-service: /);

    // What was unavailable in the last 5 minutes: the invoices operations, not the customers ones.
    await page.locator('#timeline-span').selectOption('5');
    await page.getByRole('button', { name: 'last 5 min' }).click();
    const rows = page.locator('#interval-body tr');
    await page
      .locator('#interval-body tr[data-unavailable-operation="createInvoice"][data-of-subgraph="invoices"]')
      .waitFor();
    expect(
      await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-unavailable-operation')).sort()),
    ).toEqual(['createInvoice', 'invoice', 'invoices']);
    expect(await page.locator('#interval-title').textContent()).toMatch(/^Unavailable between /);

    await backends.startGrpc();
    await affordancesWhere(gateway, composed('invoices'));
    await node('subgraph:invoices', 'up').waitFor();
    await node('backend:invoices-service', 'up').waitFor();
    // Up again after the outage (consecutive down bands differ in their reasons: unavailable, then left out).
    await page.locator('#timeline [data-lane="invoices"] rect.band.down ~ rect.band.up').waitFor({ state: 'attached' });
    const states = await bandStates('invoices');
    expect(states.filter((state, i) => state !== states[i - 1])).toEqual(['up', 'down', 'up']);

    // A click on a down band selects just it.
    await page.locator('#timeline-span').selectOption('1');
    const first = down.first();
    const box = (await first.boundingBox())!;
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    const band = await first.evaluate((r) => `${r.getAttribute('data-from')}-${r.getAttribute('data-to')}`);
    expect(Number(await page.locator('#timeline rect.selection').getAttribute('width'))).toBeGreaterThan(0);
    expect(await rows.count()).toBe(3);
    expect(band).toMatch(/^\d+-\d+$/);
    if (SCREENSHOT) {
      // A picture worth keeping: the time back up shows too (the timeline slides every 10 s).
      await page.waitForFunction(
        (timeline) =>
          Number(timeline.querySelector('[data-lane="invoices"] rect.band:last-of-type')?.getAttribute('width')) > 80,
        await page.locator('#timeline').elementHandle(),
        { timeout: 30_000 },
      );
      await first.click();
      await page.screenshot({ path: SCREENSHOT });
    }

    // A drag over the time before the outage: nothing was unavailable.
    const lanes = (await page.locator('#timeline svg').boundingBox())!;
    const outage = (await first.boundingBox())!;
    await page.mouse.move(outage.x - 40, lanes.y + 5);
    await page.mouse.down();
    await page.mouse.move(outage.x - 10, lanes.y + 20, { steps: 4 });
    await page.mouse.up();
    await page
      .locator('#interval-note', { hasText: 'Every operation could be called throughout this interval.' })
      .waitFor();
    expect(await rows.count()).toBe(0);
    await page.locator('#interval-clear').click();
    await page.locator('#interval').waitFor({ state: 'hidden' });

    expect(await bandStates('customers')).toEqual(['up']);
    // No CDN, nothing fetched from elsewhere at run time.
    expect(watch.requests.filter((url) => !url.startsWith(`${gateway.url}/`) && !url.startsWith('data:'))).toEqual([]);
    expect(watch.errors).toEqual([]);
  });
});
