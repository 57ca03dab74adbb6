/**
 * The one browser setup of the dashboard's browser test and of its screenshot script: Debian's
 * Chromium (no browser download: `apt-get install -y chromium`, as .ci/run does), driven by
 * playwright-core, headless, with a fresh profile, and with Chromium's background traffic off
 * (without those flags it keeps calling Google's services, which a closed network answers with
 * a flood of failures).
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Where Debian's `chromium` package puts it (CHROMIUM_PATH overrides). */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const hasChromium = () => existsSync(CHROMIUM_PATH);

/** Starts Chromium; each launch gets a fresh --user-data-dir, removed when it closes. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_FLAGS });
}
