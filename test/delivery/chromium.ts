import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Debian's chromium; no browser download. CHROMIUM_PATH points elsewhere. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
export const haveChromium = existsSync(CHROMIUM);
const ci = process.env.CI === 'true';

/**
 * `describe` for browser tests: skipped with a message when there is no Chromium, unless
 * CI=true, where the missing browser fails the tests instead.
 */
export function describeInChromium(what: string, name: string, tests: () => void): void {
  if (!haveChromium && !ci) {
    console.warn(
      `SKIPPED the ${what} browser tests: no Chromium at ${CHROMIUM} ` +
        '(apt-get install -y chromium, or set CHROMIUM_PATH). With CI=true they fail instead.',
    );
  }
  (haveChromium || ci ? describe : describe.skip)(name, tests);
}

/** Starts headless Chromium; with CI=true and no browser, says how to install it. */
export async function launchChromium(): Promise<Browser> {
  if (!haveChromium) {
    throw new Error(`CI=true and no Chromium at ${CHROMIUM}: install it (apt-get install -y chromium) in .ci/run`);
  }
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}
