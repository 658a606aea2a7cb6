#!/usr/bin/env node
/**
 * `npm test`: every test the project has, one command, one summary.
 *
 *   1. Chromium for the end-to-end tests (CHROMIUM_PATH, default /usr/bin/chromium): installed
 *      with apt when missing and running as root; otherwise the command to install it is printed.
 *   2. Type checks (svelte-check over tsconfig.json): one test, passed or failed.
 *   3. Unit and property tests (vitest), counted from its JSON report.
 *   4. End-to-end tests (Playwright), counted from its JSON report; flaky counts as passed.
 *
 * Children's output streams live. The LAST line is `N passed, N failed, N skipped`, summed over
 * the runners; a runner that crashed, timed out or wrote no report counts as 1 failed. The exit
 * code is non-zero when anything failed.
 */

import { spawn, spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const project = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => join(project, 'node_modules', '.bin', name);
const RUNNER_TIMEOUT_MS = Number(process.env.RUNNER_TIMEOUT_MS ?? 20 * 60_000);

const log = (line) => console.log(`[run-all] ${line}`);

function isExecutable(path) {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Chromium for Playwright: returns its path, or null when it is missing and could not be had. */
function ensureChromium() {
  const path = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  if (isExecutable(path)) return path;

  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot) {
    console.error(`[run-all] Chromium is missing at ${path}. Install it with this one command, then run npm test again:`);
    console.error('sudo apt-get install -y chromium');
    process.exit(1);
  }
  log(`Chromium is missing at ${path}: installing it with apt-get (running as root).`);
  const result = spawnSync('sh', ['-c', 'apt-get update && apt-get install -y chromium'], {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  if (result.status === 0 && isExecutable(path)) return path;
  log(`Chromium could not be installed at ${path} (apt-get exit ${result.status ?? result.signal}).`);
  return null;
}

const children = new Set();
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    for (const child of children) killGroup(child, signal);
    process.exit(130);
  });
}

function killGroup(child, signal) {
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

/** Runs one command with live output; resolves with its exit code (null if killed). */
function run(command, args, env = {}) {
  return new Promise((resolvePromise) => {
    // Its own process group, so a timeout ends the whole tree (vite preview, browsers).
    const child = spawn(command, args, {
      cwd: project,
      stdio: 'inherit',
      env: { ...process.env, ...env },
      detached: true,
    });
    children.add(child);
    const timer = setTimeout(() => {
      log(`${command} ran past ${RUNNER_TIMEOUT_MS / 1000}s: stopping it.`);
      killGroup(child, 'SIGKILL');
    }, RUNNER_TIMEOUT_MS);
    child.on('error', (error) => {
      log(`could not start ${command}: ${error.message}`);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      children.delete(child);
      resolvePromise(code);
    });
  });
}

function readJson(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return null;
  }
}

const tmp = mkdtempSync(join(tmpdir(), 'routing-playground-tests-'));
const results = [];

/** Records one runner's counts; a non-zero exit with no failed test counts as one failure. */
function record(name, counts, code, note) {
  const result = { name, passed: 0, failed: 0, skipped: 0, ...counts };
  if (code !== 0 && result.failed === 0) result.failed = 1;
  results.push(result);
  const extra = note ? ` (${note})` : code === 0 ? '' : ` (exit ${code ?? 'killed'})`;
  log(`${name}: ${result.passed} passed / ${result.failed} failed / ${result.skipped} skipped${extra}`);
}

try {
  const chromium = ensureChromium();

  // Type checks: one test.
  log('type checks: svelte-check --tsconfig ./tsconfig.json');
  const checkCode = await run(bin('svelte-check'), ['--tsconfig', './tsconfig.json', '--fail-on-warnings']);
  record('type checks', checkCode === 0 ? { passed: 1 } : { failed: 1 }, checkCode);

  // Unit and property tests.
  log('unit tests: vitest run');
  const vitestReport = join(tmp, 'vitest.json');
  const vitestCode = await run(bin('vitest'), [
    'run',
    '--passWithNoTests',
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${vitestReport}`,
  ]);
  const vitest = readJson(vitestReport);
  if (vitest === null) {
    record('unit tests', { failed: 1 }, vitestCode, 'no report: vitest crashed');
  } else {
    record(
      'unit tests',
      {
        passed: vitest.numPassedTests ?? 0,
        failed: vitest.numFailedTests ?? 0,
        skipped: (vitest.numPendingTests ?? 0) + (vitest.numTodoTests ?? 0),
      },
      vitestCode,
    );
  }

  // End-to-end tests.
  if (chromium === null) {
    record('end-to-end tests', { failed: 1 }, 1, 'no Chromium');
  } else {
    log('end-to-end tests: playwright test -c tests/e2e/playwright.config.ts');
    const e2eReport = join(tmp, 'playwright.json');
    const e2eCode = await run(bin('playwright'), ['test', '-c', 'tests/e2e/playwright.config.ts'], {
      CHROMIUM_PATH: chromium,
      E2E_JSON_REPORT: e2eReport,
    });
    const e2e = existsSync(e2eReport) ? readJson(e2eReport) : null;
    if (e2e === null || typeof e2e.stats !== 'object') {
      record('end-to-end tests', { failed: 1 }, e2eCode, 'no report: playwright crashed');
    } else {
      const { expected = 0, unexpected = 0, flaky = 0, skipped = 0 } = e2e.stats;
      const errors = Array.isArray(e2e.errors) ? e2e.errors.length : 0;
      record(
        'end-to-end tests',
        { passed: expected + flaky, failed: unexpected + (unexpected === 0 && errors > 0 ? 1 : 0), skipped },
        e2eCode,
        errors > 0 ? `${errors} error(s) outside tests` : undefined,
      );
    }
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

const total = results.reduce(
  (sum, result) => ({
    passed: sum.passed + result.passed,
    failed: sum.failed + result.failed,
    skipped: sum.skipped + result.skipped,
  }),
  { passed: 0, failed: 0, skipped: 0 },
);
console.log(`${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
process.exit(total.failed > 0 ? 1 : 0);
