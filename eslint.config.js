// @ts-check
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

/** Node built-ins, with and without the node: prefix (Node's own list, so none is forgotten): banned in browser and shared code. */
const nodeBuiltins = builtinModules.filter((m) => !m.startsWith('_')).map((m) => m.replace(/^node:/u, ''));

const dexieBan = { group: ['dexie', 'dexie/*'], message: 'Dexie is only imported under src/app/db (architecture.md).' };
const dbDriverBan = {
  group: ['pg', 'pg/*', '@electric-sql/pglite', '@electric-sql/pglite/*', 'drizzle-orm', 'drizzle-orm/*', 'drizzle-kit'],
  message: 'The database driver and Drizzle are only imported under src/server/db.',
};
// A regex, not a gitignore group: the group 'domain' would also match '#shared/domain/…'.
const nodeBan = { regex: `^(node:.*|(${nodeBuiltins.map((m) => m.replace(/[/]/gu, '\\/')).join('|')})(/.*)?)$`, message: 'No Node built-ins in browser or shared code.' };
const serverBan = { group: ['#server/*', '**/server/**'], message: 'The app must not import server code.' };
const appBan = { group: ['#app/*', '**/app/**'], message: 'The server must not import app code.' };
/**
 * Every word on screen comes from src/app/i18n (excalidraw's JSXText rule,
 * widened): text with a letter written straight into JSX, or any Chinese in
 * a string of app code outside src/app/i18n, is an error. Punctuation and
 * symbols ('‹', '·', '—') may stay.
 */
const CHINESE = '/[\\u3400-\\u9fff]/u';
const literalUiText = [
  { selector: 'JSXText[value=/[A-Za-z\\u3400-\\u9fff]/u]', message: 'Text on screen comes from src/app/i18n, not a literal in JSX.' },
  { selector: `Literal[value=${CHINESE}]`, message: 'Chinese text lives in src/app/i18n, not in a string here.' },
  { selector: `TemplateElement[value.raw=${CHINESE}]`, message: 'Chinese text lives in src/app/i18n, not in a template here.' },
];
/**
 * The server's words too: a message in Chinese lives in src/server/messages.
 * What may hold Chinese elsewhere is data, not messages: the roster file
 * format (import/columns.ts headers, import/vocabulary.ts accepted words),
 * the stored enum values (db/schema) and the demo county (cli/demo*).
 */
const serverMessages = [
  { selector: `Literal[value=${CHINESE}]`, message: 'Chinese text lives in src/server/messages, not in a string here.' },
  { selector: `TemplateElement[value.raw=${CHINESE}]`, message: 'Chinese text lives in src/server/messages, not in a template here.' },
];
const sharedIsLeaf = { group: ['#app/*', '#server/*', '**/app/**', '**/server/**'], message: 'src/shared imports nothing from app or server.' };

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', 'dev-dist/**', 'src/server/db/migrations/**', 'test-results/**', 'types/**'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/no-confusing-void-expression': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  { files: ['eslint.config.js'], ...tseslint.configs.disableTypeChecked },
  {
    files: ['src/app/**/*.{ts,tsx}'],
    languageOptions: { globals: globals.browser },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-syntax': ['error', ...literalUiText],
      'no-restricted-imports': ['error', { patterns: [dexieBan, dbDriverBan, nodeBan, serverBan] }],
    },
  },
  {
    files: ['src/app/i18n/**/*.ts'],
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    files: ['src/app/db/**/*.{ts,tsx}'],
    rules: { 'no-restricted-imports': ['error', { patterns: [dbDriverBan, nodeBan, serverBan] }] },
  },
  {
    files: ['src/shared/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [dexieBan, dbDriverBan, nodeBan, sharedIsLeaf] }] },
  },
  {
    files: ['src/server/**/*.ts'],
    languageOptions: { globals: globals.node },
    rules: {
      // Fastify plugins and route modules are async by contract, with or without an await inside.
      '@typescript-eslint/require-await': 'off', 'no-restricted-imports': ['error', { patterns: [dexieBan, dbDriverBan, appBan] }] },
  },
  {
    files: ['src/server/**/*.ts'],
    ignores: ['src/server/messages/**', 'src/server/import/columns.ts', 'src/server/import/vocabulary.ts', 'src/server/db/schema/**', 'src/server/cli/demo/**', 'src/server/cli/demo-data.ts'],
    rules: { 'no-restricted-syntax': ['error', ...serverMessages] },
  },
  {
    files: ['src/server/db/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [dexieBan, appBan] }] },
  },
  {
    files: ['test/**/*.{ts,tsx}', 'scripts/**/*.ts', '*.config.ts'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
);
