// `npm run lint`: ESLint for TypeScript and Svelte, then Prettier in check mode (see package.json).
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import importX from 'eslint-plugin-import-x';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

export default ts.config(
  { ignores: ['dist*/', 'dev-dist/', 'test-results*/', 'bench/.cache/', 'node_modules/', 'build/'] },
  js.configs.recommended,
  ...ts.configs.recommended,
  ...svelte.configs.recommended,
  prettier,
  ...svelte.configs.prettier,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    plugins: { 'import-x': importX },
    settings: { 'import-x/resolver-next': [importX.createNodeResolver({ extensions: ['.ts', '.js', '.mjs', '.svelte', '.svelte.ts'] })] },
    rules: {
      // An import cycle hides which module is the lower layer.
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      // TypeScript already reports undefined names, including build-time constants.
      'no-undef': 'off',
      // Escaping control characters from hostile files is this project's work: such patterns are deliberate.
      'no-control-regex': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // `{' '}` is how a space survives Svelte's trimming at the edge of a block: not useless.
      'svelte/no-useless-mustaches': 'off',
    },
  },
  {
    // Tests read the JSON that commands print; typing every field would add nothing a failed assertion does not say.
    files: ['tests/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: ts.parser, extraFileExtensions: ['.svelte'], svelteConfig } },
  },
  {
    // The first page (Create's form) loads src/lib/plain/ and nothing else of the core: no ASN.1
    // there, so pkijs and asn1js arrive only when a key is generated or a file is read.
    files: ['src/lib/plain/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['pkijs', 'asn1js'].map((name) => ({ name, message: 'src/lib/plain/ stays free of ASN.1: it is loaded on first paint.' })),
        },
      ],
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            {
              target: './src/lib/plain',
              from: './src/lib',
              except: ['./plain'],
              message: 'src/lib/plain/ imports only from itself, so it can never pull pkijs into the first page.',
            },
          ],
        },
      ],
    },
  },
);
