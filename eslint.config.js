// One linter, one flat config: typescript-eslint's recommended rules over every TS file.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// Dependencies point one way (ADR 0041). In a flat config a later block's no-restricted-imports
// replaces an earlier one's for the same file, so each block repeats the rules of the folders it is in.
const NO_INFRA = {
  group: ['../infra/*', '../../infra/*', '../../../infra/*'],
  message: 'shared/ imports nothing from infra/: put a name both need in a plain module under shared/ (e.g. shared/env-names.ts).',
};
const NO_HTTP = { group: ['../http/*'], message: 'Repositories import nothing from shared/http: pages and cursors live in shared/repositories/page.ts.' };
// What Lambda loads at a cold start (ADR 0052): an ESM import of these builtins builds their whole
// namespace, and their lazy exports load modules nobody uses (node:http: Node's undici, ~40 ms).
const EAGER_BUILTINS = ['node:http', 'node:https', 'node:util', 'http', 'https', 'util'].map((name) => ({
  name,
  message: "Take it with process.getBuiltinModule('node:…') (ADR 0052): an ESM import of it costs a cold start.",
  allowTypeImports: true,
}));
// zod comes through shared/domain/zod.ts: zod/mini (a bundle keeps what it calls; classic was ~94 KB of
// every bundle) with the English messages and the `.meta` classic gave (ADR 0053).
const NO_ZOD = {
  regex: '^zod(/.*)?$',
  message: "Import z from shared/domain/zod.ts: zod/mini with classic's English messages and meta() (ADR 0053).",
};
const NO_USE_CASES = { group: ['../use-cases/*'], message: 'shared/export imports nothing from shared/use-cases: what both need belongs in shared/domain.' };

export default tseslint.config(
  { ignores: ['node_modules/', 'cdk.out/', '.sciday/', 'coverage/', '.bench/', 'web/dist/', '.e2e-screenshots/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    files: ['functions/**/*.ts', 'events/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: EAGER_BUILTINS, patterns: [NO_ZOD] }] },
  },
  {
    files: ['shared/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: EAGER_BUILTINS, patterns: [NO_INFRA, NO_ZOD] }] },
  },
  {
    files: ['shared/repositories/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: EAGER_BUILTINS, patterns: [NO_INFRA, NO_HTTP, NO_ZOD] }] },
  },
  {
    files: ['shared/export/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: EAGER_BUILTINS, patterns: [NO_INFRA, NO_USE_CASES, NO_ZOD] }] },
  },
  {
    // The domain is pure: no AWS, no I/O, no environment, no clock of its own.
    files: ['shared/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@aws-sdk/*', '@aws-lambda-powertools/*', '@middy/*', 'aws-lambda', 'aws-cdk-lib', 'aws-cdk-lib/*'], message: 'shared/domain imports nothing from AWS.' },
            { group: ['node:*', 'fs', 'http', 'https', 'net', 'child_process'], message: 'shared/domain does no I/O.' },
            { group: ['../clients/*', '../repositories/*', '../use-cases/*', '../config', '../../infra/*'], message: 'shared/domain depends on nothing outside it.' },
            NO_ZOD,
          ],
        },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Configuration is read in shared/config.ts only.' },
        { object: 'Date', property: 'now', message: 'Take the time from an injected Clock.' },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'Take the time from an injected Clock.' },
      ],
    },
  },
  {
    files: ['**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
);
