import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { ELECTRON_BUNDLES } from '../../build/build-electron.mjs';
import config from '../../build/electron-builder.mjs';
import viteConfig from '../../vite.config';

/**
 * `npm run dist` needs Electron's binary, which cannot be downloaded here, so the installer setup is checked without
 * it: the config against electron-builder's own schema, `files` against what `npm run build` emits, and the fuses,
 * targets, icons and signing settings the README promises.
 */
const root = fileURLToPath(new URL('../..', import.meta.url));
const read = (path: string): Buffer => readFileSync(join(root, path));

/** electron-builder's schema uses ajv-keywords' `typeof` for function-valued options (beforeBuild, afterPack…). */
function schemaValidator() {
  const ajv = new Ajv({ allErrors: true, strict: false });
  ajv.addKeyword({
    keyword: 'typeof',
    schemaType: 'string',
    validate: (type: string, data: unknown) => typeof data === type,
  });
  return ajv.compile(JSON.parse(read('node_modules/app-builder-lib/scheme.json').toString('utf8')));
}

/** A `files` glob as a RegExp over `/`-separated paths: `**` any depth, `*` within one name. */
const globToRegExp = (glob: string): RegExp =>
  new RegExp(
    `^${glob
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*\*\//g, '\u{1}')
      .replace(/\*\*/g, '.*')
      .replace(/\*/g, '[^/]*')
      .replaceAll('\u{1}', '(?:.*/)?')}$`,
  );
const patterns = (): string[] => {
  const files = config.files;
  if (!Array.isArray(files) || !files.every((f): f is string => typeof f === 'string'))
    throw new Error('build/electron-builder.mjs: files should be a list of globs');
  return files;
};
const isShipped = (path: string): boolean => {
  let shipped = false;
  for (const p of patterns()) {
    if (p.startsWith('!')) shipped &&= !globToRegExp(p.slice(1)).test(path);
    else shipped ||= globToRegExp(p).test(path);
  }
  return shipped;
};

const rendererOutDir = (): string => {
  const outDir = viteConfig.build?.outDir;
  if (!outDir) throw new Error('vite.config.ts sets no build.outDir');
  return relative(root, outDir).replaceAll('\\', '/');
};
const walk = (dir: string): string[] =>
  readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(`${dir}/${e.name}`) : [`${dir}/${e.name}`],
  );

const isBuilt = existsSync(join(root, 'dist', 'index.html')) && existsSync(join(root, 'dist-electron', 'main.cjs'));

/** The file paths inside an asar archive: a 16-byte pickle prefix, then the JSON header (a tree of `files`). */
function asarFiles(archive: string): string[] {
  const bytes = readFileSync(archive);
  const header: unknown = JSON.parse(bytes.subarray(16, 16 + bytes.readUInt32LE(12)).toString('utf8'));
  const list = (node: unknown, prefix: string): string[] => {
    if (typeof node !== 'object' || node === null || !('files' in node)) return [prefix];
    const files = node.files;
    if (typeof files !== 'object' || files === null) return [];
    return Object.entries(files).flatMap(([name, child]) => list(child, prefix ? `${prefix}/${name}` : name));
  };
  return list(header, '');
}

describe('installer configuration (build/electron-builder.mjs)', () => {
  it("validates against electron-builder's scheme.json, which rejects a broken copy", () => {
    const validate = schemaValidator();
    expect(validate(config), JSON.stringify(validate.errors, null, 2)).toBe(true);
    expect(validate({ ...config, asar: 'yes' })).toBe(false);
    expect(validate({ ...config, electronFuses: { runAsNode: false, notAFuse: true } })).toBe(false);
    expect(validate({ ...config, beforeBuild: 42 })).toBe(false);
  });

  it('ships exactly what `npm run build` emits: the Vite renderer, the esbuild bundles and package.json', () => {
    const renderer = rendererOutDir();
    expect(renderer).toBe('dist');
    const outputs = ELECTRON_BUNDLES.map((b) => b.outfile);
    expect(outputs).toEqual(['dist-electron/main.cjs', 'dist-electron/preload.cjs']);
    for (const file of [
      ...outputs,
      `${renderer}/index.html`,
      `${renderer}/assets/index-abc.js`,
      `${renderer}/assets/x.wasm`,
      'package.json',
    ])
      expect(isShipped(file), file).toBe(true);
    // Nothing else: sources, tests, node_modules, source maps, the build folder itself.
    for (const file of [
      'electron/main.ts',
      'core/index.ts',
      'node_modules/react/index.js',
      'dist-electron/main.cjs.map',
      'build/icon.png',
      'README.md',
    ])
      expect(isShipped(file), file).toBe(false);
    const roots = patterns()
      .filter((p) => !p.startsWith('!'))
      .map((p) => p.split('/')[0]);
    expect(new Set(roots)).toEqual(new Set([renderer, 'dist-electron', 'package.json']));
    // Electron starts package.json "main", which loads the preload and dist/ relative to itself.
    const pkg: unknown = JSON.parse(read('package.json').toString('utf8'));
    expect(pkg).toMatchObject({ main: outputs[0] });
    const main = read('electron/main.ts').toString('utf8');
    expect(main).toContain(`join(__dirname, '..', '${renderer}')`);
    expect(main).toContain(`join(__dirname, 'preload.cjs')`);
  });

  it.skipIf(!isBuilt)(
    'ships every file of an existing build except the source maps (skipped until `npm run build` has run)',
    () => {
      for (const file of walk('dist')) expect(isShipped(file), file).toBe(true);
      for (const file of walk('dist-electron')) expect(isShipped(file), file).toBe(!file.endsWith('.map'));
    },
  );

  it.skipIf(!isBuilt || process.platform !== 'linux')(
    'electron-builder packs exactly those files into app.asar (a stand-in Electron, fuses off; needs `npm run build`)',
    () => {
      const tmp = mkdtempSync(join(tmpdir(), 'wordloom-pack-'));
      try {
        // electronDist: a fake unpacked Electron, so nothing is downloaded; fuses need the real binary's sentinel.
        const fake = join(tmp, 'electron-dist');
        mkdirSync(fake);
        writeFileSync(join(fake, 'electron'), '#!/bin/sh\n');
        chmodSync(join(fake, 'electron'), 0o755);
        const configFile = join(tmp, 'config.mjs');
        const real = pathToFileURL(join(root, 'build', 'electron-builder.mjs')).href;
        const out = join(tmp, 'release');
        writeFileSync(
          configFile,
          `import base from ${JSON.stringify(real)};\n` +
            `export default { ...base, electronDist: ${JSON.stringify(fake)}, electronFuses: null, ` +
            `directories: { ...base.directories, output: ${JSON.stringify(out)} } };\n`,
        );
        const bin = join(root, 'node_modules', '.bin', 'electron-builder');
        execFileSync(bin, ['--config', configFile, '--linux', 'dir'], { cwd: root, stdio: 'pipe' });
        const shipped = asarFiles(join(out, 'linux-unpacked', 'resources', 'app.asar'));
        const expected = [...walk('dist'), ...walk('dist-electron').filter((f) => !f.endsWith('.map')), 'package.json'];
        expect(shipped.sort()).toEqual(expected.sort());
      } finally {
        rmSync(tmp, { recursive: true, force: true });
      }
    },
  );

  it('bundles everything, so no node_modules ship and nothing is rebuilt', async () => {
    expect(config.asar).toBe(true);
    expect(config.npmRebuild).not.toBe(false); // npmRebuild: false would skip beforeBuild, and node_modules would ship
    expect(typeof config.beforeBuild).toBe('function');
    if (typeof config.beforeBuild !== 'function') return;
    expect(
      await config.beforeBuild({ appDir: root, electronVersion: '45.3.4', platform: {} as never, arch: 'x64' }),
    ).toBe(false);
    const built = read('build/build-electron.mjs').toString('utf8');
    expect(built).toMatch(/external: \['electron'\]/);
  });

  it('flips the fuses: no run-as-node, NODE_OPTIONS or --inspect; cookies encrypted; only the validated app.asar', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableCookieEncryption: true,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
      loadBrowserProcessSpecificV8Snapshot: false,
    });
  });

  it('builds AppImage and deb, dmg and nsis, unsigned, publishing nothing', () => {
    expect(config.appId).toBe('org.wordloom.app');
    expect(config.productName).toBe('Wordloom');
    expect(config.linux?.target).toEqual(['AppImage', 'deb']);
    expect(config.mac?.target).toEqual(['dmg']);
    expect(config.win?.target).toEqual(['nsis']);
    expect(config.mac?.identity).toBeNull();
    expect(config.forceCodeSigning).toBe(false);
    expect(config.publish).toBeNull();
    const pkg: unknown = JSON.parse(read('package.json').toString('utf8'));
    expect(pkg).toMatchObject({ devDependencies: { electron: '45.3.4' } });
  });

  it('has the icons each target needs: a 512×512 PNG, an ICO up to 256 px and an ICNS', () => {
    const png = read('build/icon.png');
    expect(png.subarray(1, 4).toString('ascii')).toBe('PNG');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([512, 512]);
    expect(config.linux?.icon).toBe('build/icon.png');
    const ico = read('build/icon.ico');
    expect([ico.readUInt16LE(0), ico.readUInt16LE(2)]).toEqual([0, 1]);
    expect(ico[6]).toBe(0); // the first entry is 256 px wide (stored as 0)
    expect(config.win?.icon).toBe('build/icon.ico');
    const icns = read('build/icon.icns');
    expect(icns.subarray(0, 4).toString('ascii')).toBe('icns');
    expect(icns.readUInt32BE(4)).toBe(icns.length);
    expect(icns.includes(Buffer.from('ic09'))).toBe(true); // the 512 px image
    expect(config.mac?.icon).toBe('build/icon.icns');
  });

  it('`npm run dist -- --help` prints the usage and electron-builder options without building', () => {
    const out = execFileSync(process.execPath, [join(root, 'build', 'dist.mjs'), '--help'], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(out).toMatch(/^Wordloom installers: npm run dist/);
    expect(out).toContain('electron-builder --config build/electron-builder.mjs');
    expect(out).toMatch(/--linux\s+Build for Linux/);
    expect(out).not.toMatch(/vite v\d|building for production/);
  });
});
