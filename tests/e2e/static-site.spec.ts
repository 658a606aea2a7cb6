/**
 * The built site as people get it: served from a subpath of some static host, used offline once
 * loaded, and the single-file build opened from disk. Each plays a preset, so the page, its lazy
 * panels and the broker worker all have to load in that setting.
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, test, type Page } from '@playwright/test';
import { singleFileDir, siteDir } from './site';
import { collectErrors } from './support';

const SUBPATH = '/docs/tools/routing-playground/';
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
};

/** A plain static host that has the site under SUBPATH and nothing anywhere else. */
function serveUnderSubpath(): Promise<Server> {
  const server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://host').pathname);
    const inside = path.startsWith(SUBPATH) ? normalize(path.slice(SUBPATH.length)) : null;
    const file = inside === null || inside.startsWith('..') ? null : join(siteDir, inside === '.' || inside === '' ? 'index.html' : inside);
    if (!file || !existsSync(file) || !statSync(file).isFile()) {
      response.writeHead(404).end('not found');
      return;
    }
    response.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(response);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

let server: Server;
let siteURL: string;
test.beforeAll(async () => {
  server = await serveUnderSubpath();
  siteURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}${SUBPATH}`;
});
test.afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** Opens the Topics preset from the gallery and publishes its first key: both queues get it. */
async function playTopics(page: Page): Promise<void> {
  await expect(page.getByRole('status')).toContainText('Broker running in a Web Worker');
  await page.getByRole('button', { name: 'Diagrams' }).click();
  const dialog = page.getByRole('dialog', { name: 'Diagrams' });
  await dialog.getByRole('region', { name: 'Presets' }).getByRole('button', { name: /^Topics/ }).click();
  await expect(dialog).toBeHidden();
  const canvas = page.getByRole('main', { name: 'Topology' });
  await canvas.locator('.svelte-flow__node-producer').getByRole('button', { name: 'Publish' }).click();
  for (const consumer of ['receive_logs_topic-1', 'receive_logs_topic-2']) {
    await expect(canvas.locator('.svelte-flow__node-consumer').filter({ has: page.getByTitle(consumer, { exact: true }) }).getByTestId('delivered')).toHaveText('1');
  }
}

test('the site works from a subpath of a plain static host, favicon and lazy panels included', async ({ page }) => {
  const errors = collectErrors(page);
  const missing: string[] = [];
  page.on('response', (response) => {
    if (response.status() >= 400) missing.push(`${response.status()} ${response.url()}`);
  });
  await page.goto(siteURL);
  await playTopics(page);
  // The worker's own lazy chunk (the binding analysis) loads from the subpath too.
  await expect(page.getByRole('tab', { name: /^Findings/ })).toContainText(/\d/);
  const icon = await page.locator('link[rel="icon"]').evaluate((link: HTMLLinkElement) => link.href);
  expect(icon).toBe(`${siteURL}favicon.svg`);
  expect((await page.request.get(icon)).status()).toBe(200);
  expect(missing).toEqual([]);
  expect(errors).toEqual([]);
});

test.describe('offline', () => {
  test.use({ serviceWorkers: 'allow' });

  test('once loaded, the site keeps working offline, even panels never opened online', async ({ page, context }) => {
    const errors = collectErrors(page);
    await page.goto(siteURL);
    await expect(page.getByRole('status')).toContainText('Broker running in a Web Worker');
    // The service worker has cached the whole build and controls the page.
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
      if (!navigator.serviceWorker.controller) await new Promise((resolve) => navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true }));
    });
    await context.setOffline(true);
    await page.reload();
    await playTopics(page);
    // The Topic lab was never opened online: its chunk comes from the cache.
    await page.getByRole('button', { name: 'Topic lab' }).click();
    await expect(page.getByRole('dialog', { name: 'Topic lab' })).toBeVisible();
    await context.setOffline(false);
    expect(errors).toEqual([]);
  });
});

test('the single-file build runs a preset opened from disk, asking the network for nothing', async ({ page }) => {
  const errors = collectErrors(page);
  const fetched: string[] = [];
  page.on('request', (request) => {
    if (!/^(file|data|blob):/.test(request.url())) fetched.push(request.url());
  });
  const file = join(singleFileDir, 'index.html');
  expect(existsSync(file), `${file} is built by \`npm run build\``).toBe(true);
  await page.goto(pathToFileURL(file).href);
  await playTopics(page);
  await expect(page.getByRole('tab', { name: /^Findings/ })).toContainText(/\d/);
  expect(fetched).toEqual([]);
  expect(errors).toEqual([]);
});
