import { jest } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import {
  serveSyntheticSubgraphs,
  syntheticName,
  type SyntheticServer,
} from '../../bench/reaction/syntheticSubgraphs.js';
import { describeInChromium, launchChromium } from '../delivery/chromium.js';
import { startGateway, type RunningGateway } from '../../src/gateway/startGateway.js';
import { validateConfig } from '../../src/config/load.js';
import { silentLogger } from '../../src/platform/logger.js';
import { StaticSource } from '../../src/sources/staticSource.js';
import { affordancesWhere, composed } from '../helpers/gateway.js';
import { watchedPage, type PageWatch } from '../delivery/console/watchPage.js';

// Composing a hundred subgraphs takes seconds on a loaded 2-core machine.
jest.setTimeout(120_000);

const COUNT = 100;
const FLIPS = 2;

describeInChromium('console at scale', 'the console with the 100 synthetic subgraphs of the benchmark', () => {
  let synthetic: SyntheticServer;
  let source: StaticSource;
  let gateway: RunningGateway;
  let browser: Browser;
  let page: Page;
  let watch: PageWatch;
  const names = Array.from({ length: COUNT }, (_, i) => syntheticName(i + 1));

  /** A performance entry of the page, by name: a mark's time since navigation start, a measure's duration. */
  const entry = (name: string) =>
    page.evaluate((n) => {
      const found = performance.getEntriesByName(n).at(-1);
      return found && (found.entryType === 'mark' ? found.startTime : found.duration);
    }, name);
  const elements = () => page.locator('*').count();
  /** The filter draws at once, in the input's event handler. */
  const lanes = () => page.locator('#timeline [data-lane]').count();

  beforeAll(async () => {
    synthetic = await serveSyntheticSubgraphs(COUNT);
    source = new StaticSource(Object.fromEntries(names.map((name) => [name, true])));
    const config = validateConfig({
      server: { port: 0 },
      availability: { settleMs: 0 },
      // A hundred SDL reads at once on a loaded machine: more than the default 2 s each.
      composition: { sdlRetryMs: 50, sdlTimeoutMs: 10_000 },
      limits: { rateLimit: false },
      subgraphs: Object.fromEntries(
        names.map((name) => [name, { url: `${synthetic.baseUrl}/${name}/graphql`, probe: false }]),
      ),
    });
    [gateway, browser] = await Promise.all([
      startGateway({ config, sources: [source], logger: silentLogger }),
      launchChromium(),
    ]);
    ({ page, watch } = await watchedPage(browser, 30_000));
  });
  afterAll(async () => {
    await browser?.close();
    await gateway?.close();
    await synthetic?.close();
  });

  test('draws a hundred subgraphs and their lanes, follows flips of one, filters, and does not grow', async () => {
    await affordancesWhere(gateway, (a) => a.subgraphs.every((s) => s.available));
    await page.goto(`${gateway.url}/console`);
    await page.locator('#timeline [data-lane="s100"] rect.band.up').waitFor({ state: 'attached' });
    expect(await page.locator('#graph [data-node^="subgraph:"]').count()).toBe(COUNT);
    expect(await page.locator('#timeline [data-lane]').count()).toBe(COUNT);
    // None needs a backend or a workload: a grid of chips, not a column a hundred rows high.
    expect((await page.locator('#graph svg').boundingBox())!.height).toBeLessThan(600);
    const firstRender = await entry('console first render');
    const firstTimeline = await entry('console first timeline');
    const elementsBefore = await elements();

    const renders: number[] = [];
    const timelines: number[] = [];
    for (let flip = 1; flip <= FLIPS; flip++) {
      const up = flip % 2 === 0;
      source.set('s7', up, up ? 'set up' : 'readiness probe failing');
      await affordancesWhere(gateway, composed('s7', up));
      await page.locator(`#graph [data-node="subgraph:s7"][data-state="${up ? 'up' : 'down'}"]`).waitFor();
      await page.locator('#timeline [data-lane="s7"] rect.band').nth(flip).waitFor({ state: 'attached' });
      renders.push((await entry('console render'))!);
      timelines.push((await entry('console timeline'))!);
    }
    const bands = await page.locator('#timeline [data-lane="s7"] rect.band').count();
    expect(bands).toBeGreaterThanOrEqual(FLIPS + 1);
    // The page holds the picture of the current state and the hour: a few elements per transition, no more.
    const elementsAfter = await elements();
    expect(elementsAfter - elementsBefore).toBeLessThan(10 * (bands + FLIPS));

    await page.locator('#filter').fill('s7');
    expect(await lanes()).toBe(11);
    await page.locator('#problems-only').check();
    expect(await lanes()).toBe(1);
    expect(
      await page.locator('#graph [data-node]').evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-node'))),
    ).toEqual(['subgraph:s7']);

    const ms = (values: number[]) => values.map((v) => v.toFixed(1)).join(', ');
    console.log(
      `console with ${COUNT} subgraphs in Chromium: first render at ${firstRender!.toFixed(0)} ms, ` +
        `timeline with the history at ${firstTimeline!.toFixed(0)} ms after navigation start; ` +
        `per update: render ${ms(renders)} ms (tables, graph and timeline), of it the timeline ${ms(timelines)} ms; ` +
        `${elementsBefore} elements before the flips, ${elementsAfter} after`,
    );
    // Sanity bounds only: a loaded machine is slow, a quadratic render would be far slower.
    expect(Math.max(...renders)).toBeLessThan(1000);
    expect(watch.errors).toEqual([]);
  });
});
