// ESLint for the whole repository (pnpm lint). Rules that catch bugs are on; rules that only restate
// taste, or that fire on idioms this code uses on purpose, are off, each with the reason beside it.
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import jsxA11y from 'eslint-plugin-jsx-a11y';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// A leading _ marks what a signature or a destructuring needs but the code does not use
// (Express's four-argument error handler, a property left out of a rest object).
const unusedVars = [
  'error',
  { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true },
];

export default defineConfig(
  globalIgnores(['**/dist/', 'test-results/', 'playwright-report/', 'data/']),
  {
    // The scripts that build, start and test, run by Node as they are.
    files: ['**/*.{js,mjs}'],
    extends: [js.configs.recommended],
    languageOptions: { globals: globals.node },
    rules: { 'no-unused-vars': unusedVars },
  },
  {
    // The TypeScript that is built, typechecked and tested.
    files: [
      'apps/server/{src,test,scripts}/**/*.ts',
      'apps/*/*.config.ts',
      'apps/console/src/**/*.{ts,tsx}',
      'apps/console/vite/**/*.ts',
      'packages/*/src/**/*.ts',
      'e2e/**/*.ts',
      '*.config.ts',
    ],
    extends: [js.configs.recommended, tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: {
        // Each file is checked with the tsconfig.json nearest to it; the one file outside every
        // tsconfig's folder, playwright.config.ts, with the end-to-end tests' own.
        projectService: { allowDefaultProject: ['playwright.config.ts'], defaultProject: 'e2e/tsconfig.json' },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': unusedVars,
      // An async function without await is how this code implements a promise-returning interface
      // synchronously (SQLite's storage, the in-memory attempt gate, fetch stubs in tests): a throw
      // inside still becomes a rejection, as callers expect.
      '@typescript-eslint/require-await': 'off',
      // Errors handed over by Node-style callbacks are passed on as they come (typed any or unknown);
      // rejecting with a value known not to be an Error is still caught.
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingAny: true, allowThrowingUnknown: true }],
      // Its findings here are the validations that look for control characters on purpose, written
      // as escapes (\u0000-\u001f), which cannot be there by accident.
      'no-control-regex': 'off',
    },
  },
  {
    // Tests read JSON responses (supertest's res.body, fetch's json()) and vitest's matchers
    // (expect.any) as any, and assert on them: the no-unsafe-* rules would flag every such line.
    files: ['apps/server/test/**', '**/*.test.{ts,tsx}', 'e2e/**'],
    rules: {
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    files: ['apps/console/**/*.{ts,tsx}'],
    extends: [jsxA11y.flatConfigs.recommended],
    plugins: { 'react-hooks': reactHooks },
    // The two rules of hooks; the plugin's other rules are the React Compiler's, which the console
    // does not use (its purity rule, for one, flags Date.now() in a render that shows what has expired).
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
    },
  },
  {
    // Prettier may put a computed member of a long chain on a line of its own (request(app), then
    // [c.method](path) below it), which this rule reads as a missing semicolon; with the semicolons
    // Prettier writes, the hazard it guards against cannot arise.
    rules: { 'no-unexpected-multiline': 'off' },
  },
);
