/**
 * The lint config's own test: the one-way rule for features must fail an import that crosses
 * outside the allow-list, and let the allowed ones through. Each case lints a small file as if
 * it lived at the given path, with the project's real config.
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('.', import.meta.url));
const eslint = new ESLint({ cwd: root });

async function restrictedImports(filePath: string, specifier: string, dynamic = false): Promise<string[]> {
  const source = dynamic ? `export const load = () => import('${specifier}');\n` : `export * from '${specifier}';\n`;
  const [result] = await eslint.lintText(source, { filePath });
  if (!result) throw new Error(`no lint result for ${filePath}`);
  const fatal = result.messages.filter((m) => m.fatal);
  if (fatal.length > 0) throw new Error(fatal.map((m) => m.message).join('\n'));
  return result.messages
    .filter((m) => m.ruleId === 'no-restricted-imports' || m.ruleId === 'boundaries/dynamic-imports')
    .map((m) => m.message);
}

describe('features import one way', () => {
  it.each([
    ['a feature reaching into another feature’s internals', 'src/features/simulation/api/fixture.ts', '../../documents/api/keys.ts'],
    ['a feature rendering another feature’s component', 'src/features/documents/components/Fixture.tsx', '../../simulation/components/ScenarioBar.tsx'],
    ['a public entry along an edge the allow-list does not name', 'src/features/conflict/fixture.ts', '../documents/api/cache.ts'],
    ['the dialog’s components instead of its types', 'src/features/documents/components/Fixture.tsx', '../../conflict/components/ConflictDialog.tsx'],
    ['a detour through src/features', 'src/features/documents/fixture.ts', '../../features/awareness/api/presence.ts'],
    ['a feature importing the app', 'src/features/documents/components/Fixture.tsx', '../../../app/App.tsx'],
    ['shared code importing a feature', 'src/lib/fixture.ts', '../features/documents/api/cache.ts'],
  ])('fails %s', async (_what, filePath, specifier) => {
    const messages = await restrictedImports(filePath, specifier);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(/feature|app/);
  });

  it('holds for a lazy import() as for a static one', async () => {
    const crossing = await restrictedImports('src/features/documents/components/Fixture.tsx', '../../conflict/components/ConflictDialog.tsx', true);
    expect(crossing).toHaveLength(1);
    expect(crossing[0]).toMatch(/allow-list/);
    expect(await restrictedImports('src/features/documents/components/Fixture.tsx', '../../conflict/types.ts', true)).toEqual([]);
    expect(await restrictedImports('src/features/documents/components/Fixture.tsx', './Own.tsx', true)).toEqual([]);
    expect(await restrictedImports('src/lib/fixture.ts', '../features/inspector/components/InspectorPanel.tsx', true)).toHaveLength(1);
    expect(await restrictedImports('src/app/Fixture.tsx', '../features/conflict/components/ConflictDialog.tsx', true)).toEqual([]);
  });

  it.each([
    ['a public entry on the allow-list', 'src/features/simulation/api/fixture.ts', '../../documents/api/cache.ts'],
    ['the same entry from a file one folder up', 'src/features/awareness/fixture.ts', '../documents/api/cache.ts'],
    ['the conflict seam from the editor', 'src/features/documents/hooks/fixture.ts', '../../conflict/types.ts'],
    ['a feature’s own files', 'src/features/documents/components/Fixture.tsx', '../api/keys.ts'],
    ['the shared layers', 'src/features/conflict/fixture.ts', '../../lib/clock.ts'],
    ['the pure core', 'src/features/conflict/fixture.ts', '../../merge/index.ts'],
    ['the app composing features', 'src/app/routes/Fixture.tsx', '../../features/simulation/components/ScenarioBar.tsx'],
  ])('lets through %s', async (_what, filePath, specifier) => {
    expect(await restrictedImports(filePath, specifier)).toEqual([]);
  });
});

describe('hook files', () => {
  it('are named use-<kebab-case>.ts, one rule across the features', () => {
    const hooks = readdirSync(new URL('./src', import.meta.url), { recursive: true, encoding: 'utf8' })
      .map((path) => path.split(/[\\/]/).pop() ?? '')
      .filter((name) => /^use[A-Z-]/.test(name));
    expect(hooks.length).toBeGreaterThan(5);
    expect(hooks.filter((name) => !/^use(-[a-z0-9]+)+(\.test)?\.tsx?$/.test(name))).toEqual([]);
  });
});
