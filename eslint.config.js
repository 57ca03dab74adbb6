// @ts-check
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  // src/generated is generator output: its style is the generator's, not ours.
  {
    ignores: [
      'src/generated/**',
      'dist/**',
      'coverage/**',
      'bench/.tmp/**',
      '.tmp/**',
      'docs/api/**',
      'node_modules/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { ...globals.node },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
    },
  },
  // The emulator dashboard's script runs in the browser, as written.
  {
    files: ['src/emulator/dashboard/assets/*.js'],
    languageOptions: { globals: { ...globals.browser }, sourceType: 'script' },
  },
);
