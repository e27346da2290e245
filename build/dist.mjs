// `npm run dist [-- electron-builder options]`: builds the app (`npm run build`), then packages it with
// electron-builder and build/electron-builder.mjs into release/. `npm run dist -- --help` prints this usage and
// electron-builder's options without building or downloading anything.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import process from 'node:process';
import { URL, fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const CONFIG = 'build/electron-builder.mjs';
const isWindows = process.platform === 'win32';
// The npm bin shim, so electron-builder's help names itself rather than its cli.js.
const builder = join(root, 'node_modules', '.bin', isWindows ? 'electron-builder.cmd' : 'electron-builder');
const args = process.argv.slice(2);

const USAGE = `Wordloom installers: npm run dist [-- <electron-builder options>]

  npm run dist                          installers for this OS (Linux: AppImage + deb, macOS: dmg, Windows: nsis)
  npm run dist -- --linux AppImage deb  only these targets (likewise --mac dmg, --win nsis)
  npm run dist -- --dir                 an unpacked app in release/<os>-unpacked/, no installer (a quick check)

It runs \`npm run build\` first, then electron-builder --config ${CONFIG}; the output goes to release/.
The first run downloads Electron and the packaging tools (see the README, "Building installers").

electron-builder's options:
`;

const run = (command, commandArgs) => {
  const r = spawnSync(command, commandArgs, { cwd: root, stdio: 'inherit', shell: isWindows });
  if (r.error) throw r.error;
  return r.status ?? 1;
};

if (args.includes('--help') || args.includes('-h')) {
  process.stdout.write(USAGE);
  process.exit(run(builder, ['--help']));
}
const built = run(isWindows ? 'npm.cmd' : 'npm', ['run', 'build']);
if (built !== 0) process.exit(built);
process.exit(run(builder, ['--config', CONFIG, ...args]));
