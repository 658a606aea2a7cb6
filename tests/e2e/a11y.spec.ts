/**
 * Accessibility, checked with axe-core in both themes: the page with a node selected (the
 * inspector shows its fields) and right after a publish (dots and marks on the canvas, badges on
 * the cards). No colour-contrast violation, no serious or critical one, no console error.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { collectErrors } from './support';
import { mark, node, openStage, select, setField, speed, useTheme, exampleIds, type Stage } from './outcomes-support';

test.describe.configure({ timeout: 60_000 });

async function audit(page: Page) {
  return new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    // Experimental, so off by default: a button's visible text must be part of its name.
    .options({ rules: { 'label-content-name-mismatch': { enabled: true } } })
    // Svelte Flow's minimap is an <svg role="img"> of coloured rectangles: axe measures its node
    // rectangles as text-less graphics, which it cannot judge; the nodes it mirrors are checked.
    .exclude('.svelte-flow__minimap')
    .analyze();
}

function summary(violations: Awaited<ReturnType<typeof audit>>['violations']): string[] {
  return violations.flatMap((v) =>
    v.nodes.map((n) => `${v.id} (${v.impact}): ${n.target.join(' ')} — ${n.failureSummary?.split('\n').slice(1).join(' ')}`),
  );
}

/** Colour contrast is checked on its own too, with nothing filtered out. */
function contrast(violations: Awaited<ReturnType<typeof audit>>['violations']): string[] {
  return violations.filter((v) => v.id === 'color-contrast').flatMap((v) => v.nodes.map((n) => n.target.join(' ')));
}

/** Badges on every kind of card: TTL, DLX, max-length, priority, flags, AE, mandatory, failures. */
async function decorate(stage: Stage): Promise<void> {
  await select(stage, node(stage, 'queue', 'orange'));
  await setField(stage, 'Message TTL (ms)', '5000');
  await setField(stage, 'Max length', '10');
  await setField(stage, 'Dead-letter exchange', 'dlx');
  await setField(stage, 'Max priority', '10');
  await select(stage, node(stage, 'exchange', 'topic_logs'));
  await setField(stage, 'Alternate exchange', 'ae');
  await select(stage, node(stage, 'consumer', 'worker-lazy'));
  await setField(stage, 'Failure rate (0–1)', '0.5');
  await select(stage, node(stage, 'producer', 'emit_log_topic'));
  await stage.inspector.getByLabel('Mandatory', { exact: true }).check();
}

for (const theme of ['light', 'dark'] as const) {
  test(`no contrast or serious violations in the ${theme} theme, with a node selected and marks showing`, async ({ page }) => {
    const errors = collectErrors(page);
    await page.emulateMedia({ colorScheme: theme });
    const stage = await openStage(page);
    await useTheme(page, theme);
    await speed(stage, '0.25');
    await decorate(stage);

    // A node selected: the inspector shows the producer's fields.
    await expect(stage.inspector.getByLabel('Routing key')).toBeVisible();
    const selected = await audit(page);
    expect(contrast(selected.violations)).toEqual([]);
    expect(summary(selected.violations)).toEqual([]);

    // After publishes: delivered (dots), unroutable and returned (marks at the exchange and producer).
    const id = await exampleIds(stage);
    await node(stage, 'producer', 'emit_log_topic').getByRole('button', { name: 'Publish' }).click();
    await expect(node(stage, 'consumer', 'worker-orange').getByTestId('in-flight')).toHaveText('1');
    const key = stage.inspector.getByLabel('Routing key');
    await key.fill('quick.brown.fox');
    await key.press('Enter');
    await expect(mark(stage, id.exchange, 'unroutable')).toBeVisible();
    await expect(mark(stage, id.producer, 'returned')).toBeVisible();
    const busy = await audit(page);
    expect(contrast(busy.violations)).toEqual([]);
    expect(summary(busy.violations)).toEqual([]);
    expect(errors).toEqual([]);
  });
}

test('the system scheme alone (no theme chosen) passes too, in dark', async ({ page }) => {
  const errors = collectErrors(page);
  await page.emulateMedia({ colorScheme: 'dark' });
  const stage = await openStage(page);
  await expect(page.locator('html')).not.toHaveAttribute('data-theme', /./);
  await select(stage, node(stage, 'queue', 'orange'));
  await expect(stage.inspector.getByLabel('Name', { exact: true })).toHaveValue('orange');
  const result = await audit(page);
  expect(contrast(result.violations)).toEqual([]);
  expect(summary(result.violations)).toEqual([]);
  expect(errors).toEqual([]);
});

for (const theme of ['light', 'dark'] as const) {
  test(`the explanations pass too in the ${theme} theme: event log, findings, what-if, console, commands and the message inspector`, async ({ page }) => {
    const errors = collectErrors(page);
    const stage = await openStage(page);
    await useTheme(page, theme);
    // A warning and an error among the findings, so every tone of flag and pill is on screen.
    await select(stage, node(stage, 'queue', 'orange'));
    await setField(stage, 'Dead-letter exchange', 'gone');
    const producer = node(stage, 'producer', 'emit_log_topic');
    await producer.getByRole('button', { name: 'Publish' }).click();
    const drawer = page.getByRole('region', { name: 'Explanations' });
    for (const tab of ['Event log', 'Findings', 'What if', 'Console', 'Commands']) {
      await drawer.getByRole('tab', { name: new RegExp(`^${tab}`) }).click();
      await expect(drawer.getByRole('tabpanel')).toBeVisible();
      if (tab === 'Findings') await expect(drawer.locator('li.finding').first()).toBeVisible();
      if (tab === 'What if') await expect(drawer.getByRole('tabpanel')).toContainText('Would reach');
      if (tab === 'Console') {
        // Output, an error in its tone, and the completions line.
        const command = drawer.getByRole('textbox', { name: 'Command' });
        await command.fill('rabbitmqctl list_queues name messages');
        await command.press('Enter');
        await command.fill('rabbitmqctl list_nope');
        await command.press('Enter');
        await command.fill('rabbitmqctl list_');
        await command.press('Tab');
        await expect(drawer.getByRole('status', { name: 'Completions' })).toBeVisible();
      }
      if (tab === 'Commands') await expect(drawer.getByRole('list', { name: 'Commands' })).toContainText('rabbitmqadmin');
      const result = await audit(page);
      expect(contrast(result.violations), tab).toEqual([]);
      expect(summary(result.violations), tab).toEqual([]);
    }
    await drawer.getByRole('tab', { name: /^Event log/ }).click();
    await drawer.getByRole('button', { name: /^#1 published/ }).click();
    const view = page.getByRole('region', { name: 'Message inspector' });
    await view.getByRole('combobox', { name: 'Why not here?' }).selectOption('lazy');
    await expect(view.locator('.answer')).toBeVisible();
    const result = await audit(page);
    expect(contrast(result.violations)).toEqual([]);
    expect(summary(result.violations)).toEqual([]);
    expect(errors).toEqual([]);
  });
}
