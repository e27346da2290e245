import { expect, test } from '@playwright/test';
import { DATA_CREDITS } from '../../core/data/bundled/manifest';

/**
 * The About box in the browser build: opened from the toolbar (Help > About sends the same command on the desktop),
 * it lists every bundled dataset's credit and licence, keeps the keyboard, and Escape gives focus back.
 * Set WORDLOOM_SCREENSHOTS=1 to refresh docs/about.png.
 */
const SCREENSHOTS = process.env.WORDLOOM_SCREENSHOTS === '1';

test.use({ viewport: { width: 1440, height: 900 } });

test('the About box shows the version and the data credits, and Escape closes it', async ({ page }) => {
  await page.goto('/');
  await page.getByTestId('template-mini-gpt').click();
  await expect(page.getByTestId('start-screen')).toBeHidden();

  const opener = page.getByTestId('btn-about');
  await opener.click();
  const dialog = page.getByRole('dialog', { name: 'About Wordloom' });
  await expect(dialog).toBeVisible();
  await expect(page.getByTestId('about-version')).toHaveText(/^Version \d+\.\d+\.\d+ · in the browser$/);
  for (const credit of DATA_CREDITS) {
    await expect(page.getByTestId(`credit-${credit.name}`)).toContainText(credit.licence);
  }
  await expect(page.getByTestId('about-close')).toBeFocused();
  if (SCREENSHOTS) await page.screenshot({ path: 'docs/about.png' });

  await page.keyboard.press('Tab');
  await expect(dialog.getByRole('link').first()).toBeFocused();
  await page.keyboard.press('Shift+Tab');
  await expect(page.getByTestId('about-close')).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(opener).toBeFocused();
});
