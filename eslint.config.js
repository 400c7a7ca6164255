import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['dist', 'node_modules', 'public/models', 'public/wasm', '.cache', '.data'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.worker, ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
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
