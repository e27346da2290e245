import { readFile, readdir } from 'node:fs/promises';
import { expect, test, type Page } from '@playwright/test';
import type { Graph } from '../../core/graph/model';
import { addNode } from '../../core/graph/ops';
import { connect } from '../../core/shapes/connect';
import { inferGraph } from '../../core/shapes/infer';

/**
 * The editor in the browser build: palette drags, wiring by dragging handle to handle, shapes on edges,
 * refusals that say why, invalid params flagged, undo/redo, save → reload → open, templates, quick add.
 * The store is read through window.__wordloom (test builds only) to compare whole graphs exactly.
 */

const TEMPLATE_DIR = new URL('../../templates/', import.meta.url);

async function startBlank(page: Page): Promise<void> {
  await page.goto('/');
  await page.getByTestId('template-blank').click();
  await expect(page.getByTestId('start-screen')).toBeHidden();
  // Fold the training dock (open by default) so the whole canvas is free to build on, as a user sketching would.
  await expect(async () => {
    const fold = page.getByTitle('Hide the dock');
    if ((await fold.count()) > 0) await fold.click();
    await expect(page.getByTestId('train-dock')).not.toHaveClass(/\bopen\b/, { timeout: 500 });
  }).toPass();
}

async function openTemplate(page: Page, id: string): Promise<void> {
  await page.getByTestId('btn-new').click();
  await page.getByTestId(`template-${id}`).click();
  await expect(page.getByTestId('start-screen')).toBeHidden();
}

/** HTML5 drag from the palette onto the canvas at (x, y) inside the canvas. */
async function dragBlock(page: Page, type: string, x: number, y: number): Promise<void> {
  await page.getByTestId(`palette-${type}`).dragTo(page.getByTestId('canvas'), { targetPosition: { x, y } });
}

/** Drags from one handle to another with the mouse, as a user wires two blocks. */
async function wire(page: Page, from: string, to: string): Promise<void> {
  const a = await page.getByTestId(`handle-${from}`).boundingBox();
  const b = await page.getByTestId(`handle-${to}`).boundingBox();
  if (!a || !b) throw new Error(`handle ${a ? to : from} is not on screen`);
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 8 });
  await page.mouse.up();
}

const graphOf = (page: Page): Promise<Graph> =>
  page.evaluate(() => {
    const hook = window.__wordloom;
    if (!hook) throw new Error('window.__wordloom is missing: build with VITE_WORDLOOM_TEST_HOOK=1');
    return hook.store.getState().graph;
  });

test.describe('the editor', () => {
  test('builds a model by dragging blocks from the palette and wiring them; edges show shapes', async ({ page }) => {
    await startBlank(page);
    await dragBlock(page, 'TokenInput', 100, 120);
    await dragBlock(page, 'Embedding', 360, 120);
    await dragBlock(page, 'TransformerBlock', 100, 330);
    await dragBlock(page, 'NextTokenHead', 360, 330);
    await page.getByTestId('btn-fit').click();
    for (const id of ['token_input_1', 'embedding_1', 'transformer_block_1', 'next_token_head_1']) {
      await expect(page.getByTestId(`node-${id}`)).toBeVisible();
    }

    await wire(page, 'token_input_1-out', 'embedding_1-in');
    await wire(page, 'embedding_1-out', 'transformer_block_1-in');
    await wire(page, 'transformer_block_1-out', 'next_token_head_1-in');

    await expect(page.getByTestId('edge-label-e1')).toHaveText('[64]');
    await expect(page.getByTestId('edge-label-e2')).toHaveText('[64, 64]');
    await expect(page.getByTestId('edge-label-e3')).toHaveText('[64, 64]');
    await expect(page.getByTestId('status-ok')).toBeVisible();

    // The same graph built by core in Node gives the parameter total the status bar must show.
    let g: Graph = { format: 'wordloom-graph', version: 1, name: 'Untitled', nodes: [], edges: [] };
    for (const t of ['TokenInput', 'Embedding', 'TransformerBlock', 'NextTokenHead']) g = addNode(g, t, { x: 0, y: 0 });
    const ids = g.nodes.map((n) => n.id);
    for (let i = 0; i + 1 < ids.length; i++) {
      const r = connect(g, { node: ids[i], port: 'out' }, { node: ids[i + 1], port: 'in' });
      if ('error' in r) throw new Error(r.error);
      g = r.graph;
    }
    // V comes from the dataset the training dock has chosen, as it does for the user (it may still be arriving).
    await expect(async () => {
      const binding = await page.evaluate(() => window.__wordloom?.store.getState().binding);
      if (!binding) throw new Error('no binding in the store');
      const expected = inferGraph(g, binding).totals.params;
      expect(expected).toBeGreaterThan(0);
      await expect(page.getByTestId('total-params')).toHaveText(expected.toLocaleString('en-US'), { timeout: 1000 });
    }).toPass();
  });

  test('refuses an incompatible connection and says why', async ({ page }) => {
    await startBlank(page);
    await page.getByTestId('palette-TokenInput').click();
    await page.getByTestId('palette-NextTokenHead').click();
    await page.getByTestId('btn-fit').click();
    await wire(page, 'token_input_1-out', 'next_token_head_1-in');
    await expect(page.getByTestId('toast')).toContainText(
      'NextTokenHead "next_token_head_1".in takes a sequence, but "token_input_1" gives tokens.',
    );
    await expect(page.locator('.react-flow__edge')).toHaveCount(0);
    expect((await graphOf(page)).edges).toEqual([]);
  });

  test('an invalid param is kept as typed, flagged in red, and badges its block', async ({ page }) => {
    await page.goto('/');
    await openTemplate(page, 'lstm-lm');
    await page.getByTestId('node-emb').click();
    const dim = page.getByTestId('param-dim');
    await dim.fill('0');
    await expect(page.getByTestId('param-error-dim')).toHaveText(
      'Embedding "emb": dim must be between 1 and 4096, got 0.',
    );
    await expect(dim).toHaveValue('0');
    const badge = page.getByTestId('error-badge-emb');
    await expect(badge).toBeVisible();
    await badge.hover();
    await expect(badge.getByRole('tooltip')).toBeVisible();
    await expect(badge).toHaveAttribute('title', /dim must be between 1 and 4096, got 0/);
    expect((await graphOf(page)).nodes.find((n) => n.id === 'emb')?.params.dim).toBe(0);

    await dim.fill('96');
    await expect(badge).toBeHidden();
    await expect(page.getByTestId('status-ok')).toBeVisible();
  });

  test('undo and redo restore the exact earlier graphs', async ({ page }) => {
    await page.goto('/');
    await openTemplate(page, 'char-rnn');
    const states = [await graphOf(page)];
    await page.getByTestId('palette-Dropout').click();
    await expect(page.getByTestId('node-dropout_1')).toBeVisible();
    states.push(await graphOf(page));
    await page.getByTestId('param-rate').fill('0.3');
    await expect.poll(async () => (await graphOf(page)).nodes.at(-1)?.params.rate).toBe(0.3);
    states.push(await graphOf(page));
    await page.getByTestId('node-rnn').click();
    await page.keyboard.press('Delete');
    await expect(page.getByTestId('node-rnn')).toBeHidden();
    states.push(await graphOf(page));

    await page.getByTestId('btn-undo').click();
    await expect(page.getByTestId('node-rnn')).toBeVisible();
    expect(await graphOf(page)).toEqual(states[2]);
    await page.keyboard.press('Control+z');
    await expect.poll(() => graphOf(page)).toEqual(states[1]);
    await page.getByTestId('btn-undo').click();
    await expect(page.getByTestId('node-dropout_1')).toBeHidden();
    expect(await graphOf(page)).toEqual(states[0]);

    await page.keyboard.press('Control+Shift+z');
    await expect.poll(() => graphOf(page)).toEqual(states[1]);
    await page.keyboard.press('Control+y');
    await expect.poll(() => graphOf(page)).toEqual(states[2]);
    await page.getByTestId('btn-redo').click();
    await expect(page.getByTestId('node-rnn')).toBeHidden();
    expect(await graphOf(page)).toEqual(states[3]);
  });

  test('save, reload and open give back the same graph', async ({ page }) => {
    await page.goto('/');
    await openTemplate(page, 'mini-gpt');
    await page.getByTestId('node-block2').click();
    await page.getByTestId('param-heads').fill('8');
    await expect.poll(async () => (await graphOf(page)).nodes.find((n) => n.id === 'block2')?.params.heads).toBe(8);
    const before = await graphOf(page);

    const download = page.waitForEvent('download');
    await page.getByTestId('btn-save').click();
    const text = await readFile(await (await download).path(), 'utf8');
    expect(JSON.parse(text).graph).toEqual(before);

    await page.reload();
    const chooser = page.waitForEvent('filechooser');
    await page.getByTestId('start-open').click();
    await (
      await chooser
    ).setFiles({ name: 'mine.wordloom.json', mimeType: 'application/json', buffer: Buffer.from(text) });
    await expect(page.getByTestId('document-name')).toHaveText('mine.wordloom.json');
    expect(await graphOf(page)).toEqual(before);
    await expect(page.locator('.layer-node')).toHaveCount(before.nodes.length);
    await expect(page.getByTestId('status-ok')).toBeVisible();
  });

  test('every template opens with no diagnostics', async ({ page }) => {
    const ids = (await readdir(TEMPLATE_DIR)).filter((f) => f.endsWith('.json')).map((f) => f.replace(/\.json$/, ''));
    expect(ids.length).toBeGreaterThan(0);
    await page.goto('/');
    for (const id of ids) {
      await openTemplate(page, id);
      const file: Graph = JSON.parse(await readFile(new URL(`${id}.json`, TEMPLATE_DIR), 'utf8'));
      await expect(page.locator('.layer-node')).toHaveCount(file.nodes.length);
      await expect(page.getByTestId('status-ok'), `template ${id}`).toBeVisible();
      await expect(page.locator('.error-badge')).toHaveCount(0);
    }
  });

  test('quick add: Space or a double-click, type part of a name, Enter', async ({ page }) => {
    await startBlank(page);
    await page.getByTestId('canvas').click({ position: { x: 300, y: 300 } });
    await page.keyboard.press('Space');
    await page.getByTestId('quick-add-input').fill('lst');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('node-lstm_1')).toBeVisible();
    await expect(page.getByTestId('quick-add')).toBeHidden();

    await page.getByTestId('canvas').dblclick({ position: { x: 200, y: 420 } });
    await page.getByTestId('quick-add-input').fill('next tok');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('node-next_token_head_1')).toBeVisible();
  });

  test('copy and paste duplicate the selected blocks with fresh ids', async ({ page }) => {
    await page.goto('/');
    await openTemplate(page, 'gru-lm');
    await page.getByTestId('node-gru').click();
    await page.keyboard.press('Control+c');
    await page.keyboard.press('Control+v');
    await expect(page.getByTestId('node-gru_1')).toBeVisible();
    const g = await graphOf(page);
    expect(g.nodes.find((n) => n.id === 'gru_1')?.params).toEqual(g.nodes.find((n) => n.id === 'gru')?.params);
  });
});
