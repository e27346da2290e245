// electron-builder configuration for the desktop installers (`npm run dist`, see build/dist.mjs and the README's
// "Building installers"). Checked against electron-builder's own JSON schema by tests/electron/packaging.test.ts,
// which also checks that `files` is exactly what `npm run build` emits.

/** @type {import('electron-builder').Configuration} */
const config = {
  appId: 'org.wordloom.app',
  productName: 'Wordloom',
  copyright: 'Copyright © the Wordloom authors (MIT licence)',
  directories: { output: 'release', buildResources: 'build' },

  // Only the built app: the renderer from `vite build` (dist/), main and preload from build/build-electron.mjs
  // (dist-electron/, without their source maps), and package.json (Electron reads "main" from it).
  files: ['dist/**/*', 'dist-electron/*.cjs', 'package.json'],
  asar: true,
  // Both bundles are self-contained (esbuild inlines everything main needs except `electron`; Vite bundles the page),
  // so no node_modules ship and there is nothing native to rebuild. Resolving false tells electron-builder that
  // dependencies are "handled externally": it neither installs nor copies them.
  beforeBuild: async () => false,

  // Electron fuses, flipped in the packaged binary (docs: electronjs.org/docs/latest/tutorial/fuses).
  electronFuses: {
    runAsNode: false, // ELECTRON_RUN_AS_NODE cannot turn the app into a plain Node.js
    enableNodeOptionsEnvironmentVariable: false, // NODE_OPTIONS / NODE_EXTRA_CA_CERTS are ignored
    enableNodeCliInspectArguments: false, // --inspect, --inspect-brk and SIGUSR1 cannot attach a debugger
    enableCookieEncryption: true, // the cookie store on disk is encrypted with the OS keychain
    enableEmbeddedAsarIntegrityValidation: true, // app.asar is checked against its hash (macOS; Windows)
    onlyLoadAppFromAsar: true, // no app/ folder next to app.asar can replace the validated code
    grantFileProtocolExtraPrivileges: false, // the app is served from app://, file:// gets no extra powers
    loadBrowserProcessSpecificV8Snapshot: false,
  },

  // Code signing is OFF: `identity: null` (macOS) and no certificate (Windows) build unsigned installers, which
  // macOS Gatekeeper and Windows SmartScreen warn about. To sign, see the README ("Signing"): remove
  // `identity: null`, set CSC_LINK / CSC_KEY_PASSWORD (or WIN_CSC_LINK / WIN_CSC_KEY_PASSWORD) in the environment,
  // and for macOS notarization also APPLE_ID, APPLE_APP_SPECIFIC_PASSWORD and APPLE_TEAM_ID with `notarize: true`.
  forceCodeSigning: false,
  mac: {
    target: ['dmg'],
    icon: 'build/icon.icns',
    category: 'public.app-category.education',
    hardenedRuntime: true,
    identity: null,
    notarize: false,
  },
  dmg: { title: '${productName} ${version}' },
  win: { target: ['nsis'], icon: 'build/icon.ico' },
  nsis: { oneClick: false, perMachine: false, allowToChangeInstallationDirectory: true },
  linux: {
    target: ['AppImage', 'deb'],
    icon: 'build/icon.png',
    category: 'Education',
    executableName: 'wordloom',
    // The deb needs a maintainer (package.json has no author): set a real contact before publishing.
    maintainer: 'The Wordloom authors',
    synopsis: 'Build language models by wiring blocks on a canvas.',
  },
  artifactName: '${productName}-${version}-${os}-${arch}.${ext}',
  // Installers are published by hand; never upload from a build.
  publish: null,
};

export default config;
