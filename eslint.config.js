import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';

/** The layers of DESIGN.md: files under `files` may not import from `banned`. */
function layer(files, banned, message) {
  return [
    {
      files: [files],
      rules: { 'no-restricted-imports': ['error', { patterns: [{ group: banned, message }] }] },
    },
  ];
}

export default tseslint.config(
  { ignores: ['dist', 'node_modules', 'public/models', 'public/wasm', '.cache', '.data'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['src/**', 'sw/**', 'server/**', 'scripts/**'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts', '.tsx', '.js', '.mjs'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.tsx', '.js', '.mjs'] })],
    },
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] },
  },
  {
    languageOptions: { globals: { ...globals.browser, ...globals.worker, ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  ...layer(
    'src/gpu/**',
    ['**/workers/**', '**/app/**', '**/sw/**', '**/server/**'],
    'src/gpu is imported by workers and imports only src/shared.',
  ),
  ...layer(
    'src/shared/**',
    ['**/workers/**', '**/app/**', '**/gpu/**', '**/sw/**', '**/server/**'],
    'src/shared imports nothing above it.',
  ),
  ...layer(
    'src/workers/**',
    ['**/app/**', '**/sw/**', '**/server/**'],
    'Workers do not import the app, the service worker or the server.',
  ),
  ...layer(
    'sw/**',
    ['**/app/**', '**/workers/**', '**/gpu/**', '**/server/**'],
    'The service worker imports only src/shared.',
  ),
  ...layer(
    'server/**',
    ['**/src/app/**', '**/src/workers/**', '**/src/gpu/**', '**/sw/**'],
    'The server imports only src/shared.',
  ),
  {
    files: ['src/app/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/gpu/**'], message: 'The app reaches the GPU only through a worker client.' },
            {
              group: ['**/workers/*/*', '!**/workers/*/client', '!**/workers/*/api'],
              message: 'The app talks to workers only through src/workers/*/client.ts.',
            },
          ],
        },
      ],
    },
  },
);
