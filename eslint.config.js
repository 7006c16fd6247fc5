// Lint with type information so that promise mistakes (a floating promise is a lost error) fail the build.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { importBoundaries } from './lint/import-boundaries.js';
import { sizeLimits } from './lint/size-limits.js';

export default tseslint.config(
  // runtime-check.mjs is run by Bun and Deno, outside the TypeScript project the type-aware rules read.
  {
    ignores: [
      '**/dist/**',
      'packages/client/src/generated/**',
      '**/node_modules/**',
      'data/**',
      'bench/results/**',
      'packages/verify/test/support/runtime-check.mjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: {
          allowDefaultProject: ['eslint.config.js', 'lint/*.js', 'packages/server/bin/*.js'],
        },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      // The SQLite engine is synchronous behind the async Store interface; an async function without await is intended there.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    // Tests read fields of JSON answers; typing every body would add noise, not safety.
    files: ['**/*.test.ts', 'packages/*/test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  ...importBoundaries,
  ...sizeLimits,
);
