import { readdirSync } from 'node:fs';
import js from '@eslint/js';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

/**
 * Features import one way. A feature imports its own files, src/lib, src/protocol and src/merge;
 * from another feature only that feature's public entry, and only where this one allow-list says
 * so. Pages that bring features together are composed in src/app, which may import anything.
 */
export const crossFeatureImports = {
  // The editor hands the conflict dialog its input and gets a resolution back.
  documents: ['conflict/types.ts'],
  // Server events and scenario results go into the documents cache through its one seam; the
  // stream's conflict counts go into the stats cache through its own.
  awareness: ['documents/api/cache.ts', 'stats/api/cache.ts'],
  simulation: ['documents/api/cache.ts'],
};

const features = readdirSync(new URL('./src/features', import.meta.url), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);

const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A relative specifier that climbs into `folder` (another feature, or the app), directly or by way of src/features. */
const into = (folder) => `^(\\.\\./)+(features/)?${escape(folder)}/`;

/** The imports `feature` may not make: other features' files off the allow-list, and the app. */
function restrictedFor(feature) {
  const allowed = crossFeatureImports[feature] ?? [];
  const others = features.filter((other) => other !== feature).map((other) => {
    const entries = allowed.filter((path) => path.startsWith(`${other}/`)).map((path) => escape(path.slice(other.length + 1)));
    return entries.length > 0 ? `${into(other)}(?!(${entries.join('|')})$)` : into(other);
  });
  return [
    {
      regex: others.join('|'),
      message: `A feature imports another feature only through a public entry on the allow-list (crossFeatureImports in eslint.config.js); compose pages in src/app instead.`,
    },
    { regex: into('app'), message: 'Features never import the app: the app composes them.' },
  ];
}

/**
 * no-restricted-imports reads static imports only; `import('…')` (a lazy chunk) must follow the
 * same zones, so this rule applies the same patterns to dynamic imports.
 */
const boundaries = {
  rules: {
    'dynamic-imports': {
      meta: { type: 'problem', schema: [{ type: 'array' }] },
      create(context) {
        const patterns = context.options[0].map(({ regex, message }) => ({ regex: new RegExp(regex), message }));
        return {
          ImportExpression(node) {
            if (node.source.type !== 'Literal' || typeof node.source.value !== 'string') return;
            const hit = patterns.find(({ regex }) => regex.test(node.source.value));
            if (hit) context.report({ node, message: `'${node.source.value}' import is restricted from being used by a pattern. ${hit.message}` });
          },
        };
      },
    },
  },
};

const libPatterns = [{ regex: '^(\\.\\./)+(features|app)/', message: 'src/lib is shared by the features: it imports none of them, nor the app.' }];

export default tseslint.config(
  { ignores: ['dist', 'data', 'node_modules', 'test-results', 'playwright-report', 'reports', '.stryker-tmp'] },
  {
    files: ['**/*.{ts,tsx}'],
    extends: [js.configs.recommended, ...tseslint.configs.recommended],
    languageOptions: { ecmaVersion: 2023, globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['src/**/*.tsx'],
    plugins: { 'react-hooks': reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
  {
    // The pure core runs in browsers and in Node: no DOM, no node:* imports.
    files: ['src/merge/**/*.ts', 'src/protocol/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['node:*', 'react', 'react-dom'] }],
    },
  },
  ...features.map((feature) => ({
    files: [`src/features/${feature}/**/*.{ts,tsx}`],
    plugins: { boundaries },
    rules: {
      'no-restricted-imports': ['error', { patterns: restrictedFor(feature) }],
      'boundaries/dynamic-imports': ['error', restrictedFor(feature)],
    },
  })),
  {
    // Shared code serves the features, never the other way round.
    files: ['src/lib/**/*.{ts,tsx}'],
    plugins: { boundaries },
    rules: {
      'no-restricted-imports': ['error', { patterns: libPatterns }],
      'boundaries/dynamic-imports': ['error', libPatterns],
    },
  },
);
