/** Helpers shared by the end-to-end tests. */
import { resolve } from 'node:path';
import type { Page } from '@playwright/test';

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
