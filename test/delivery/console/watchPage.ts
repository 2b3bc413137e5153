import type { Browser, Page } from 'playwright-core';

export interface PageWatch {
  /** Uncaught errors and console errors, in order. */
  readonly errors: string[];
  /** Every URL the page requested. */
  readonly requests: string[];
}

/**
 * A new page at the screenshot's size that records what a console test asserts on at its
 * end: the page's errors and its requests.
 */
export async function watchedPage(browser: Browser, timeoutMs: number): Promise<{ page: Page; watch: PageWatch }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.setDefaultTimeout(timeoutMs);
  const watch: PageWatch = { errors: [], requests: [] };
  page.on('pageerror', (error) => watch.errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') watch.errors.push(message.text());
  });
  page.on('request', (request) => watch.requests.push(request.url()));
  return { page, watch };
}
