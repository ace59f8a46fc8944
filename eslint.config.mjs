// ESLint (make lint): the page's classic scripts, the build's Node helper and the Node tests.
// Types are tsc's job (tsconfig.json); these rules catch what it does not: a script that leaks a global
// or forgets 'use strict', a browser global used by mistake, old syntax, files and lines grown too long.
import js from '@eslint/js';
import globals from 'globals';

// Window properties a missing declaration would silently read (`status`, `name`, `event`…).
const confusingGlobals = ['event', 'name', 'status', 'length', 'top', 'parent', 'self', 'close', 'open', 'find',
  'print', 'stop', 'focus', 'blur', 'closed', 'opener', 'origin', 'external', 'frames', 'screen'];

export default [
  { ignores: ['node_modules/', '_site/', '_site.*/', 'tests/golden/', 'bench/', '.venv/'] },
  js.configs.recommended,
  {
    rules: {
      eqeqeq: ['error', 'always', { null: 'ignore' }], // == null: null or undefined, on purpose
      'no-var': 'error',
      'prefer-const': 'error',
      'prefer-arrow-callback': 'error',
      'object-shorthand': 'error',
      'prefer-template': 'error',
      'no-shadow': ['error', { builtinGlobals: false }],
      'no-unused-vars': ['error', { caughtErrors: 'all' }],
      'max-lines': ['error', { max: 400 }],
      'max-len': ['error', { code: 120, ignoreUrls: true }], // core until ESLint 11
    },
  },
  {
    // Classic scripts (the site opens from file://, where modules are blocked): each one a strict IIFE that
    // sets only the globals page-globals.d.ts lists.
    files: ['static/js/**/*.js'],
    languageOptions: { ecmaVersion: 2022, sourceType: 'script', globals: globals.browser },
    rules: {
      strict: ['error', 'function'],
      'no-implicit-globals': 'error',
      'no-restricted-globals': ['error', ...confusingGlobals],
    },
  },
  {
    files: ['reader/*.mjs', 'eslint.config.mjs'],
    languageOptions: { ecmaVersion: 2024, sourceType: 'module', globals: globals.node },
  },
  {
    // Node tests: long cases read best whole (as ruff's E501 is off for tests/).
    files: ['tests/js/**/*.js', 'tests/js/**/*.cjs'],
    languageOptions: { ecmaVersion: 2024, sourceType: 'commonjs', globals: globals.node },
    rules: { 'max-len': 'off', 'max-lines': 'off', 'no-shadow': 'off' },
  },
];
