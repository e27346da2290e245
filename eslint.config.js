import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules', 'dist', 'dist-electron', 'release', 'test-results', 'playwright-report'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['core/**/*.ts'],
    ignores: ['core/cli/**', 'core/node/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['react', 'react-dom', '@xyflow/*', 'zustand', 'electron'], message: 'core/ runs in Node, a worker and the page: no UI or Electron imports.' },
            { group: ['node:*', 'fs', 'path', 'os'], message: 'core/ has no Node APIs; use core/node or core/cli adapters.' },
          ],
        },
      ],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    rules: { 'no-restricted-imports': ['error', { paths: [{ name: 'electron', message: 'The renderer talks to main only through window.api (preload).' }] }] },
  },
);
