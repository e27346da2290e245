import { readFile } from 'node:fs/promises';
import { expect, test, type Page } from '@playwright/test';

/**
 * The browser Platform end to end: files go in through its file input and out as downloads. Driven by the
 * menu shortcuts (Ctrl+O, Ctrl+S), which the browser platform turns into the same menu events as the desktop
 * menu, so these tests do not depend on where the editor puts its buttons.
 */
async function openWithShortcut(page: Page, name: string, contents: string): Promise<void> {
  const chooser = page.waitForEvent('filechooser');
  await page.keyboard.press('Control+o');
  await (await chooser).setFiles({ name, mimeType: 'application/json', buffer: Buffer.from(contents) });
}

test.describe('project files in the browser', () => {
  test.beforeEach(async ({ page }) => {
    await page.goto('/');
    await expect(page.getByText('Wordloom', { exact: true }).first()).toBeVisible();
  });

  test('Ctrl+S downloads a valid project file, and Ctrl+O opens it again', async ({ page }) => {
    const download = page.waitForEvent('download');
    await page.keyboard.press('Control+s');
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/\.wordloom\.json$/);
    const text = await readFile(await file.path(), 'utf8');
    expect(JSON.parse(text)).toMatchObject({
      format: 'wordloom-project',
      version: 1,
      graph: { format: 'wordloom-graph' },
    });

    await openWithShortcut(page, 'again.wordloom.json', text);
    await expect(page.getByTestId('document-name')).toHaveText('again.wordloom.json');
    await expect(page.getByRole('alert')).toHaveCount(0);
  });

  test('opens a template graph file as a project', async ({ page }) => {
    const template = await readFile(new URL('../../templates/mini-gpt.json', import.meta.url), 'utf8');
    await openWithShortcut(page, 'mini-gpt.json', template);
    await expect(page.getByTestId('document-name')).toHaveText('mini-gpt.json');
    await expect(page.getByRole('alert')).toHaveCount(0);
  });

  test('explains a corrupt file with its line, and a newer file as newer, without replacing the open one', async ({
    page,
  }) => {
    const before = await page.getByTestId('document-name').textContent();
    await openWithShortcut(page, 'broken.json', '{\n  "format": "wordloom-project",\n  "version": 1,,\n}');
    await expect(page.getByRole('alert').filter({ hasText: 'broken.json' })).toHaveText(
      /broken\.json is not valid JSON: line 3, column 16/,
    );

    const future = JSON.stringify({ format: 'wordloom-project', version: 3, graph: {}, training: {}, runs: [] });
    await openWithShortcut(page, 'future.json', future);
    await expect(page.getByRole('alert').filter({ hasText: 'future.json' })).toHaveText(
      /future\.json: This project was saved by a newer Wordloom \(project version 3\); this app reads up to 1\./,
    );
    await expect(page.getByTestId('document-name')).toHaveText(before ?? '');
  });
});
