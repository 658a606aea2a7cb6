/**
 * Where the end-to-end tests' build goes: `dist` (E2E_OUT_DIR for parallel local runs, one
 * folder per checkout) and, beside it, the single-file build (`<dir>-single/index.html`).
 */
import { resolve } from 'node:path';

const project = resolve(import.meta.dirname, '../..');

export const siteDir = resolve(project, process.env.E2E_OUT_DIR ?? 'dist');
export const singleFileDir = `${siteDir}-single`;
