import js from '@eslint/js';
import security from 'eslint-plugin-security';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

export default defineConfig(
  { ignores: ['dist/', 'plop-templates/'] },
  js.configs.recommended,
  tseslint.configs.strictTypeChecked,
  security.configs.recommended,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['*.js'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // Code built from strings is code an attacker may get to write.
      'no-eval': 'error',
      'no-implied-eval': 'off',
      '@typescript-eslint/no-implied-eval': 'error',
      'no-new-func': 'error',
      'no-script-url': 'error',
      // A promise nobody awaits is an error nobody handles. (node:test awaits its own tests.)
      '@typescript-eslint/no-floating-promises': [
        'error',
        { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['test', 'describe', 'it', 'suite'] }] },
      ],
      // `any` switches type checking off; values from outside must be validated, not trusted.
      '@typescript-eslint/no-explicit-any': 'error',
      // Express 5 handlers and middleware may return promises: a rejection reaches the error handler.
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      // Flags every `obj[key]`, typed or not; in TypeScript the types already say which keys exist.
      'security/detect-object-injection': 'off',
    },
  },
  {
    // Tests write to temporary folders of their own making; the rule is for paths a request could steer.
    files: ['test/**'],
    rules: { 'security/detect-non-literal-fs-filename': 'off' },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    extends: [tseslint.configs.disableTypeChecked],
  },
  {
    // scripts/require-node.cjs runs on any Node, older ones included, so it is CommonJS.
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
