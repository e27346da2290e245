import { readFile } from 'node:fs/promises';
import { expect, test, type Locator, type Page } from '@playwright/test';
import type { Graph } from '../../core/graph/model';
import { inferGraph } from '../../core/shapes/infer';

/**
 * Issue 13, items 4 and 6: open a TransformerBlock, expand it (same parameter total, same logits with the
 * same weights), group blocks, collapse, save, reopen, undo; and room to work (the dock does not push the
 * graph out of view, a block dropped at the right edge is not hidden). Screenshots go to test-results/blocks/.
 */

const SHOTS = 'test-results/blocks';
/** WORDLOOM_SCREENSHOTS=1 also refreshes the README's docs/look-inside.png and docs/groups.png. */
const DOCS = process.env.WORDLOOM_SCREENSHOTS === '1';

const graphOf = (page: Page): Promise<Graph> =>
  page.evaluate(() => {
    const hook = window.__wordloom;
    if (!hook) throw new Error('window.__wordloom is missing: build with VITE_WORDLOOM_TEST_HOOK=1');
    return hook.store.getState().graph;
  });

async function openMiniGpt(page: Page): Promise<void> {
  await page.goto('/');
  await page.getByTestId('template-mini-gpt').click();
  await expect(page.getByTestId('start-screen')).toBeHidden();
  await expect(page.getByTestId('node-block2')).toBeVisible();
  // V follows the dataset's tokenizer, which answers from the worker some time after the graph shows: wait for
  // it, so that the totals compared below are all taken under the dataset's binding, not the default one.
  await expect
    .poll(() => page.evaluate(() => window.__wordloom!.store.getState().tokenPreview !== null), { timeout: 60_000 })
    .toBe(true);
}

/** Is all of `inner` inside `outer` on screen (1 px of slack for borders)? */
async function isInside(inner: Locator, outer: Locator): Promise<boolean> {
  const a = await inner.boundingBox();
  const b = await outer.boundingBox();
  if (!a || !b) return false;
  return a.x >= b.x - 1 && a.y >= b.y - 1 && a.x + a.width <= b.x + b.width + 1 && a.y + a.height <= b.y + b.height + 1;
}

test.describe('open a block, expand it, group blocks', () => {
  test('open a TransformerBlock → expand → same parameter total and same logits', async ({ page }) => {
    await openMiniGpt(page);
    const before = await graphOf(page);

    await page.getByTestId('node-block2').dblclick();
    const dialog = page.getByTestId('look-inside');
    await expect(dialog).toBeVisible();
    for (const id of ['block2_ln1', 'block2_attn', 'block2_add1', 'block2_ln2', 'block2_ff', 'block2_add2'])
      await expect(dialog.getByTestId(`inside-${id}`)).toBeVisible();
    // A shape on every wire: 8 wires inside, plus the one out; D = 128 throughout at T = 64.
    await expect(dialog.getByTestId('look-inside-shape')).toHaveCount(9);
    await expect(dialog.getByTestId('look-inside-shape').first()).toHaveText('[64, 128]');
    await expect(dialog.getByTestId('look-inside-total')).toContainText('the same as the block');
    await page.screenshot({ path: `${SHOTS}/look-inside.png` });
    if (DOCS) await page.screenshot({ path: 'docs/look-inside.png' });

    await dialog.getByTestId('look-inside-expand').click();
    await expect(dialog).toBeHidden();
    await expect(page.getByTestId('node-block2')).toHaveCount(0);
    await expect(page.getByTestId('node-block2_attn')).toBeVisible();
    // The total of the graph before, under the binding in force now.
    const binding = await page.evaluate(() => window.__wordloom!.store.getState().binding);
    const total = inferGraph(before, binding).totals.params;
    await expect(page.getByTestId('total-params')).toHaveText(total.toLocaleString('en-US'));
    expect(await page.evaluate(() => window.__wordloom!.store.getState().binding)).toEqual(binding);
    await expect(page.getByTestId('status-ok')).toBeVisible();
    await page.getByTestId('btn-fit').click();
    await page.screenshot({ path: `${SHOTS}/expanded.png` });

    // Same logits with the same weights, in the page's tf.js: two windows, one padded after 40 tokens.
    const tokens = [0, 1].map((row) =>
      Array.from({ length: 64 }, (_, i) => (row === 1 && i >= 40 ? 0 : 1 + ((i * 31 + row * 17) % 60))),
    );
    const check = await page.evaluate(([g, t]) => window.__wordloom!.checkExpansion(g, 'block2', t), [
      before,
      tokens,
    ] as const);
    console.log(
      `expand block2 in Chromium: max |Δlogit| ${check.maxDiff.toExponential(2)} (max |logit| ${check.scale.toFixed(2)}, ${check.copied} weights copied)`,
    );
    expect(check.sameEdit).toBe(true);
    expect(check.scale).toBeGreaterThan(0.1);
    expect(check.maxDiff).toBeLessThan(1e-4);

    await page.keyboard.press('Control+z');
    await expect(page.getByTestId('node-block2')).toBeVisible();
    await expect(page.getByTestId('node-block2_attn')).toHaveCount(0);
    expect(await graphOf(page)).toEqual(before);
  });

  test('group three blocks → collapse → save → reopen → the group is there → undo restores', async ({ page }) => {
    await openMiniGpt(page);
    await page.getByTestId('node-block1').click();
    await page.getByTestId('node-block2').click({ modifiers: ['Control'] });
    await page.getByTestId('node-block3').click({ modifiers: ['Control'] });
    await expect(page.getByTestId('inspector')).toContainText('3 blocks selected');
    await page.getByTestId('group-button').click();
    const group = page.getByTestId('group-group_1');
    await expect(group).toBeVisible();
    await page.getByTestId('group-name-group_1').fill('Middle layers');
    await page.getByTestId('group-fold-group_1').click();
    await expect(group).toHaveAttribute('data-collapsed', 'true');
    for (const id of ['block1', 'block2', 'block3']) await expect(page.getByTestId(`node-${id}`)).toBeHidden();
    await expect(page.getByTestId('group-summary-group_1')).toHaveText(/^3 blocks · .+ params$/);
    await expect(page.getByTestId('edge-label-e3')).toBeVisible(); // pos → block1 now ends at the group
    await expect(page.getByTestId('edge-label-e6')).toBeVisible(); // block3 → block4 now starts at it
    await expect(page.getByTestId('edge-label-e4')).toHaveCount(0); // inside it: hidden
    await page.getByTestId('btn-fit').click();
    await page.screenshot({ path: `${SHOTS}/group-collapsed.png` });
    if (DOCS) await page.screenshot({ path: 'docs/groups.png' });

    const download = page.waitForEvent('download');
    await page.keyboard.press('Control+s');
    const text = await readFile(await (await download).path(), 'utf8');
    const saved = JSON.parse(text) as { graph: Graph };
    expect(saved.graph.version).toBe(2);
    expect(saved.graph.groups).toEqual([
      { id: 'group_1', name: 'Middle layers', nodes: ['block1', 'block2', 'block3'], collapsed: true },
    ]);

    await page.getByTestId('btn-new').click();
    await page.getByTestId('template-blank').click();
    await expect(page.getByTestId('group-group_1')).toHaveCount(0);
    const chooser = page.waitForEvent('filechooser');
    await page.keyboard.press('Control+o');
    await (
      await chooser
    ).setFiles({ name: 'grouped.wordloom.json', mimeType: 'application/json', buffer: Buffer.from(text) });
    await expect(page.getByTestId('document-name')).toHaveText('grouped.wordloom.json');
    await expect(page.getByTestId('group-group_1')).toHaveAttribute('data-collapsed', 'true');
    await expect(page.getByTestId('group-name-group_1')).toHaveValue('Middle layers');

    // Open it, then ungroup: each is one step, and undo walks back to the reopened, collapsed group.
    await page.getByTestId('group-fold-group_1').click();
    await expect(page.getByTestId('node-block2')).toBeVisible();
    await page.getByRole('button', { name: 'Ungroup Middle layers' }).click();
    await expect(page.getByTestId('group-group_1')).toHaveCount(0);
    await page.keyboard.press('Control+z');
    await expect(page.getByTestId('group-group_1')).toHaveAttribute('data-collapsed', 'false');
    await page.keyboard.press('Control+z');
    await expect(page.getByTestId('group-group_1')).toHaveAttribute('data-collapsed', 'true');
    expect((await graphOf(page)).groups).toEqual(saved.graph.groups);
  });
});

test.describe('room to work', () => {
  test('opening the training dock keeps the whole graph in view', async ({ page }) => {
    await openMiniGpt(page);
    const canvas = page.getByTestId('canvas');
    const fold = page.getByTitle('Hide the dock');
    if ((await fold.count()) > 0) await fold.click();
    await expect(page.getByTestId('train-dock')).not.toHaveClass(/\bopen\b/);
    await page.getByTestId('btn-fit').click();
    await page.getByTestId('dock-tab-train').click();
    await expect(page.getByTestId('train-dock')).toHaveClass(/\bopen\b/);
    for (const id of ['in', 'block1', 'block4', 'head'])
      await expect.poll(() => isInside(page.getByTestId(`node-${id}`), canvas)).toBe(true);
    await page.screenshot({ path: `${SHOTS}/dock-open.png` });
  });

  test('a block dropped at the right edge of the canvas lands fully in view, not under the inspector', async ({
    page,
  }) => {
    await openMiniGpt(page);
    const canvas = page.getByTestId('canvas');
    const box = await canvas.boundingBox();
    if (!box) throw new Error('no canvas');
    await page.getByTestId('palette-LayerNorm').dragTo(canvas, { targetPosition: { x: box.width - 6, y: 60 } });
    const node = page.getByTestId('node-layer_norm_1');
    await expect(node).toBeVisible();
    expect(await isInside(node, canvas)).toBe(true);
    const inspector = await page.getByTestId('inspector').boundingBox();
    const dropped = await node.boundingBox();
    expect(dropped && inspector && dropped.x + dropped.width <= inspector.x).toBe(true);
    await page.screenshot({ path: `${SHOTS}/drop-right-edge.png` });
  });
});
