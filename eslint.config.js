// One linter, one flat config: typescript-eslint's recommended rules over every TS file.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

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
