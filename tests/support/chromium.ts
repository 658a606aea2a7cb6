/**
 * The system's Chromium, as every browser run here starts it (end-to-end tests, bench:ui):
 * Debian's build at CHROMIUM_PATH (default /usr/bin/chromium), never a downloaded browser.
 */
export const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

export const chromiumArgs: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
