/**
 * Who main listens to and what it opens outside the app, as plain functions (tested in Node,
 * tests/electron/trust.test.ts). Electron's security checklist: "Validate the sender of all IPC messages" and
 * "Do not use shell.openExternal with untrusted content".
 */
import { DATA_CREDITS } from '../core/data/bundled/manifest';

/**
 * The sending frame of an IpcMainInvokeEvent (`senderFrame`, a WebFrameMain, null once the frame is gone): its URL and
 * whether it is a main frame (no parent). Read field by field, since the event crosses from code we do not own.
 */
function senderFrame(event: unknown): { url: string; isMainFrame: boolean } | undefined {
  if (typeof event !== 'object' || event === null || !('senderFrame' in event)) return undefined;
  const frame = event.senderFrame;
  if (typeof frame !== 'object' || frame === null || !('url' in frame) || !('parent' in frame)) return undefined;
  return typeof frame.url === 'string' ? { url: frame.url, isMainFrame: frame.parent === null } : undefined;
}

/** An origin as `scheme://host[:port]`. Node's URL gives the opaque origin "null" for app://, so it is built by hand. */
const originOf = (url: string): string | undefined => {
  try {
    const u = new URL(url);
    return u.host ? `${u.protocol}//${u.host}` : undefined;
  } catch {
    return undefined;
  }
};

/**
 * Why an IPC message must be refused, or undefined when it comes from the main frame of a page on one of
 * `origins` (the app's APP_ORIGIN, and the dev server's while `npm run web` serves the UI). A subframe (an iframe,
 * which the CSP and will-attach-webview should already prevent) or any other origin is refused.
 */
export function senderProblem(event: unknown, origins: readonly string[]): string | undefined {
  const frame = senderFrame(event);
  if (!frame) return 'IPC refused: the sending frame is gone or unknown.';
  if (!frame.isMainFrame) return `IPC refused: it came from a subframe (${originOf(frame.url) ?? 'no origin'}).`;
  const origin = originOf(frame.url);
  if (!origin || !origins.includes(origin))
    return `IPC refused: ${origin ?? 'a page without an origin'} is not the app.`;
  return undefined;
}

/**
 * The only pages the app opens in the user's browser: the licences its About box links to (the documentation the
 * app itself shows). Anything else a page asks to open is refused, whatever its scheme.
 */
export const EXTERNAL_LINKS: ReadonlySet<string> = new Set(
  DATA_CREDITS.flatMap((c) => (c.licenceUrl ? [new URL(c.licenceUrl).href] : [])),
);

/** Whether `url` may be handed to shell.openExternal: https, no credentials, exactly one of `allowed`. */
export function isAllowedExternalUrl(url: string, allowed: ReadonlySet<string> = EXTERNAL_LINKS): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  return u.protocol === 'https:' && u.username === '' && u.password === '' && allowed.has(u.href);
}
