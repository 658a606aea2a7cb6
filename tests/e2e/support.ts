/** Helpers shared by the end-to-end tests. */
import { resolve } from 'node:path';
import { expect, type Locator, type Page } from '@playwright/test';

export const screenshots = resolve(import.meta.dirname, '../../test-results/screenshots');

/** Every console error and uncaught page error, to assert there are none. */
export function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  return errors;
}

/** Opens the playground and waits for the example diagram, drawn from the worker's broker. */
export async function openExample(page: Page): Promise<Locator> {
  await page.goto('./');
  await expect(page.getByRole('status')).toContainText('Broker running in a Web Worker');
  const canvas = page.getByRole('main', { name: 'Topology' });
  await expect(canvas.locator('.svelte-flow__node')).toHaveCount(6);
  return canvas;
}
