import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { DATA_CREDITS } from '../../../core/data/bundled/manifest';
import { AboutDialog } from '../../../renderer/panels/AboutDialog';
import type { AppInfo } from '../../../renderer/services/platform';

afterEach(cleanup);

const info: AppInfo = {
  name: 'Wordloom',
  version: '1.2.3',
  platform: 'desktop',
  versions: { electron: '45.3.4', chrome: '142.0', node: '22.1.0' },
};

/** A page with an opener button and the dialog it opens, as the toolbar does. */
function Harness({ loadInfo = async () => info }: { loadInfo?: () => Promise<AppInfo> }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" onClick={() => setOpen(true)}>
        About
      </button>
      <span data-testid="state">{open ? 'open' : 'closed'}</span>
      {open && <AboutDialog loadInfo={loadInfo} onClose={() => setOpen(false)} />}
    </>
  );
}

async function openDialog(loadInfo?: () => Promise<AppInfo>): Promise<HTMLElement> {
  render(<Harness loadInfo={loadInfo} />);
  const opener = screen.getByRole('button', { name: 'About' });
  opener.focus();
  await act(async () => fireEvent.click(opener));
  return opener;
}

describe('About dialog', () => {
  it('shows the version, the runtime and every bundled dataset with its licence and credit', async () => {
    await openDialog();
    const dialog = screen.getByRole('dialog', { name: 'About Wordloom' });
    expect(dialog.getAttribute('aria-modal')).toBe('true');
    expect(screen.getByTestId('about-version').textContent).toBe('Version 1.2.3 · desktop app');
    expect(screen.getByTestId('about-runtime').textContent).toBe('electron 45.3.4 · chrome 142.0 · node 22.1.0');
    expect(DATA_CREDITS.length).toBeGreaterThanOrEqual(5);
    for (const credit of DATA_CREDITS) {
      const item = screen.getByTestId(`credit-${credit.name}`);
      expect(item.textContent).toContain(credit.attribution);
      expect(item.textContent).toContain(credit.licence);
      const link = item.querySelector('a');
      if (credit.licenceUrl) {
        expect(link?.getAttribute('href')).toBe(credit.licenceUrl);
        expect(link?.getAttribute('target')).toBe('_blank'); // main opens it in the browser (allow-listed)
        expect(link?.getAttribute('rel')).toMatch(/noopener/);
      } else expect(link).toBeNull();
    }
  });

  it('says why when the version cannot be read', async () => {
    await openDialog(async () => Promise.reject(new Error('app:getInfo failed')));
    expect(screen.getByTestId('about-version').textContent).toBe('Version unknown: app:getInfo failed');
  });

  it('takes focus, keeps Tab and Shift+Tab inside, and Escape closes it and returns focus to the opener', async () => {
    const opener = await openDialog();
    const dialog = screen.getByRole('dialog');
    const close = screen.getByTestId('about-close');
    expect(document.activeElement).toBe(close);
    const links = dialog.querySelectorAll('a');
    const first = links[0];
    // Tab from the last focusable (Close) wraps to the first link; Shift+Tab from there wraps back.
    fireEvent.keyDown(close, { key: 'Tab' });
    expect(document.activeElement).toBe(first);
    fireEvent.keyDown(first as Element, { key: 'Tab', shiftKey: true });
    expect(document.activeElement).toBe(close);
    // Focus pulled outside (a click on the page behind) is brought back by the next Tab.
    opener.focus();
    fireEvent.keyDown(opener, { key: 'Tab' });
    expect(dialog.contains(document.activeElement)).toBe(true);

    fireEvent.keyDown(document.activeElement as Element, { key: 'Escape' });
    expect(screen.getByTestId('state').textContent).toBe('closed');
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(document.activeElement).toBe(opener);
  });

  it('closes from its Close button and from a click on the backdrop, not from a click inside', async () => {
    await openDialog();
    fireEvent.mouseDown(screen.getByTestId('about-credits'));
    expect(screen.getByTestId('state').textContent).toBe('open');
    fireEvent.click(screen.getByTestId('about-close'));
    expect(screen.getByTestId('state').textContent).toBe('closed');
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'About' })));
    fireEvent.mouseDown(screen.getByRole('dialog').parentElement as Element);
    expect(screen.getByTestId('state').textContent).toBe('closed');
  });
});
