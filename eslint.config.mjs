import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';

const electronBan = {
  paths: [{ name: 'electron', message: 'Only src/main, src/preload and src/hosts may import electron.' }],
};

export default tseslint.config(
  {
    ignores: [
      'out/**',
      'dist/**',
      'node_modules/**',
      'reports/**',
      'test-results/**',
      'resources/**',
      '**/*.cjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...svelte.configs['flat/recommended'],
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-console': 'off',
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: {
      globals: { ...globals.browser },
      parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.svelte'] },
    },
  },
  // Folder boundaries (architecture.md): enforced here, so a wrong import fails `npm run lint`.
  {
    files: ['src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [...electronBan.paths],
          patterns: [
            { group: ['node:*'], message: 'src/shared is runtime-neutral: no Node built-ins.' },
            {
              group: [
                '**/services/**',
                '**/main/**',
                '**/hosts/**',
                '**/server/**',
                '**/cli/**',
                '**/renderer/**',
              ],
              message: 'src/shared imports only src/shared.',
            },
          ],
        },
      ],
    },
  },
  {
    files: [
      'src/services/**/*.ts',
      'src/server/**/*.ts',
      'src/cli/**/*.ts',
      'helpers/**/*.ts',
      'test/**/*.ts',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          ...electronBan,
          patterns: [
            {
              group: ['**/main/**', '**/renderer/**', '**/preload/**'],
              message: 'Node code never imports the Electron shell or the renderer.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/renderer/**/*.ts', 'src/renderer/**/*.svelte'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [...electronBan.paths],
          patterns: [
            { group: ['node:*', 'fs', 'path', 'child_process', 'os'], message: 'The renderer has no Node.' },
            {
              group: [
                '**/services/**',
                '**/main/**',
                '**/hosts/**',
                '**/server/**',
                '**/cli/**',
                '**/preload/**',
              ],
              message: 'The renderer imports only src/shared and its own lib (the api client).',
            },
          ],
        },
      ],
    },
  },
);
