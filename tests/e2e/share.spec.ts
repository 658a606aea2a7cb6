/**
 * Diagrams that travel, as a person sends them: Share puts the diagram in a link, the link opens
 * it in another page at its view; every edit is kept in the browser across reloads; a broken or
 * hostile link says so and opens the last diagram instead of a blank page.
 */
import { expect, test, type Page } from '@playwright/test';
import { collectErrors } from './support';
import { addNamed, fitView, link, node, openStage } from './outcomes-support';

async function names(page: Page): Promise<string[]> {
  const canvas = page.getByRole('main', { name: 'Topology' });
  return (await canvas.locator('.svelte-flow__node .name').allTextContents()).sort();
}

test('Share puts the diagram in a link; the link opens it, identical, in a new page', async ({ page, context }) => {
  const errors = collectErrors(page);
  const stage = await openStage(page);
  const audit = await addNamed(stage, 'queue', 'audit');
  await fitView(stage);
  await link(stage, node(stage, 'exchange', 'topic_logs'), audit);
  await page.getByRole('button', { name: 'Share' }).click();
  await expect(page.getByRole('status')).toContainText(/Link copied|The link is in the address bar/);
  const url = page.url();
  expect(url).toMatch(/#v1[A-Za-z0-9_-]+$/);
  const fragment = url.slice(url.indexOf('#') + 1);
  expect(fragment.length).toBeLessThan(600);
  const before = await names(page);
  const bindings = await stage.canvas.getByTestId('binding-label').allTextContents();

  const other = await context.newPage();
  const otherErrors = collectErrors(other);
  await other.goto(url);
  await expect(other.getByRole('status')).toContainText('Opened a shared diagram');
  const canvas = other.getByRole('main', { name: 'Topology' });
  await expect(canvas.locator('.svelte-flow__node')).toHaveCount(7);
  expect(await names(other)).toEqual(before);
  expect((await canvas.getByTestId('binding-label').allTextContents()).sort()).toEqual(bindings.sort());
  // Ready to play: publishing works at once.
  await canvas.locator('.svelte-flow__node-producer').getByRole('button', { name: 'Publish' }).click();
  await expect(canvas.locator('.svelte-flow__node-producer')).toContainText('sent 1');
  // The link is kept in this browser now: the address is clean, a reload shows the same diagram.
  expect(other.url()).not.toContain('#');
  expect(errors).toEqual([]);
  expect(otherErrors).toEqual([]);
});

test('every edit is kept: a reload opens the diagram as it was left', async ({ page }) => {
  const errors = collectErrors(page);
  const stage = await openStage(page);
  await addNamed(stage, 'exchange', 'billing');
  // Autosave waits for a pause in the edits.
  await page.waitForTimeout(700);
  await page.reload();
  await expect(page.getByRole('status')).toContainText('Broker running in a Web Worker');
  await expect(page.getByRole('main', { name: 'Topology' }).locator('.svelte-flow__node')).toHaveCount(7);
  expect(await names(page)).toContain('billing');
  expect(errors).toEqual([]);
});

for (const [what, fragment, message] of [
  ['garbage', '#v1%%%not-base64', /This link is damaged: it has characters a shared diagram never has/],
  ['truncated', '#v1eJyrVipLLSrOzM', /This link is damaged or cut short/],
  ['from a newer version', '#v9AAAA', /newer version/],
] as const) {
  test(`a ${what} link says so and opens the last diagram instead`, async ({ page }) => {
    const errors = collectErrors(page);
    await page.goto(`./${fragment}`);
    await expect(page.getByRole('status')).toContainText(message);
    await expect(page.getByRole('main', { name: 'Topology' }).locator('.svelte-flow__node')).toHaveCount(6);
    expect(errors).toEqual([]);
  });
}

test('?embed shows a link read-only: it plays and explains, but nothing edits it', async ({ page, context }) => {
  const errors = collectErrors(page);
  await openStage(page);
  await page.getByRole('button', { name: 'Share' }).click();
  await expect(page).toHaveURL(/#v1/);
  const fragment = page.url().slice(page.url().indexOf('#'));

  const embedded = await context.newPage();
  const embedErrors = collectErrors(embedded);
  await embedded.goto(`./?embed${fragment}`);
  const canvas = embedded.getByRole('main', { name: 'Topology' });
  await expect(canvas.locator('.svelte-flow__node')).toHaveCount(6);
  await expect(embedded.getByRole('link', { name: 'Open in the playground' })).toHaveAttribute('href', /#v1/);
  for (const name of ['Add queue', 'Undo', 'Share', 'Diagrams']) await expect(embedded.getByRole('button', { name })).toHaveCount(0);
  await expect(embedded.getByRole('region', { name: 'Inspector' })).toHaveCount(0);
  // It plays.
  const producer = canvas.locator('.svelte-flow__node-producer');
  await producer.getByRole('button', { name: 'Publish' }).click();
  await expect(producer).toContainText('sent 1');
  // Nothing edits it: Delete on a selected node, or a double-click on a binding key.
  await canvas.locator('.svelte-flow__node-queue').first().click();
  await embedded.keyboard.press('Delete');
  await expect(canvas.locator('.svelte-flow__node')).toHaveCount(6);
  // The address keeps its link (a reload shows the same), and nothing was saved in the browser.
  expect(embedded.url()).toContain('#v1');
  expect(await embedded.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('routing-playground:diagram:')).length)).toBe(1);
  expect(errors).toEqual([]);
  expect(embedErrors).toEqual([]);
});
