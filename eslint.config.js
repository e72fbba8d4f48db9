// Lint rules, including the design's boundaries: they fail the lint, not a code review.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
const nativeModules = ['better-sqlite3', 'oidc-provider', 'electron'];

export const boundaryMessages = {
  electron: 'Only src/main/electron/ and src/preload/ may import electron: everything else must run in plain Node.',
  node: 'src/shared and src/renderer run in the browser too: no Node built-ins or native modules.',
  ipc: 'Raw ipcMain/ipcRenderer only in src/main/electron/ipc.ts and src/preload/index.ts: use the typed wrappers.',
  cli: 'src/cli is a front door: it reaches the back end through createServices and TokenscopeApi methods, never src/main/store, keys or oauth.',
};

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'out/',
      'dist/',
      'coverage/',
      'test-results/',
      'playwright-report/',
      '.tmp/',
      'docs/',
      'bin/',
      'scripts/**/*.mjs',
      'build/**/*.mjs',
      'eslint.config.js',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node },
    },
    rules: {
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
      '@typescript-eslint/no-confusing-void-expression': 'off',
      '@typescript-eslint/no-unnecessary-condition': 'off',
      '@typescript-eslint/no-unnecessary-type-parameters': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': ['error', { paths: [{ name: 'electron', message: boundaryMessages.electron }] }],
    },
  },
  {
    files: ['src/main/electron/**', 'src/preload/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'electron', importNames: ['ipcMain', 'ipcRenderer'], message: boundaryMessages.ipc }] },
      ],
    },
  },
  {
    files: ['src/main/electron/ipc.ts', 'src/preload/index.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['src/cli/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: boundaryMessages.electron }],
          patterns: [{ regex: '(^|/)main/(store|keys|oauth)(/|\\.ts$|$)', message: boundaryMessages.cli }],
        },
      ],
    },
  },
  {
    files: ['src/shared/**', 'src/renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [...new Set([...nodeBuiltins, ...nativeModules])].map((name) => ({
            name,
            message: name === 'electron' ? boundaryMessages.electron : boundaryMessages.node,
          })),
          patterns: [{ group: ['node:*'], message: boundaryMessages.node }],
        },
      ],
    },
  },
  {
    files: ['src/renderer/**/*.tsx', 'src/renderer/**/*.ts', 'test/unit/renderer/**'],
    plugins: { 'react-hooks': reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
  {
    files: ['test/**', 'bench/**'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
    },
  },
);
