// Lint configuration: typescript-eslint's recommended rules on the TypeScript sources, and the import boundaries of
// ARCHITECTURE.md (eslint/boundaries.js) on src/.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import medrex from './eslint/boundaries.js';

export default tseslint.config(
  { ignores: ['dist/**', 'build/**', 'node_modules/**', 'assembly/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/**/*.ts'],
    plugins: { medrex },
    rules: { 'medrex/boundaries': 'error', 'medrex/no-reexports': 'error' },
  },
);
