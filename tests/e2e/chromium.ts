/** Debian's Chromium with the flags this offline workplace needs (no browser download; no background network). */
export function chromiumLaunch(extraArgs: readonly string[] = []): { executablePath: string; args: string[] } {
  return {
    executablePath: process.env.PLAYWRIGHT_CHROMIUM_EXECUTABLE || '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      ...extraArgs,
    ],
  };
}
