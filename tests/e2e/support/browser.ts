import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium, headless; the flags keep it from phoning home during tests. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
}
