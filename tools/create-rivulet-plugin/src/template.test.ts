import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { pluginNames } from './names.js';
import { fill, renderPlugin, TemplateError } from './template.js';
import { CORE_VERSION, VERSIONS } from './versions.js';

const workspaceRoot = new URL('../../../', import.meta.url);
const readJson = (path: string) => JSON.parse(readFileSync(new URL(path, workspaceRoot), 'utf8')) as Record<string, Record<string, string>>;

async function render(layout: 'standalone' | 'workspace') {
  const files = await renderPlugin({ names: pluginNames('acme-scale'), layout, description: 'Scales "numbers"' });
  return new Map(files.map((file) => [file.path, file.content]));
}

describe('renderPlugin', () => {
  it('gives a standalone plugin its sources, test, README and its own build and test set-up', async () => {
    const files = await render('standalone');
    expect([...files.keys()]).toEqual([
      '.gitignore',
      'package.json',
      'README.md',
      'src/index.ts',
      'src/scale.test.ts',
      'src/scale.ts',
      'tsconfig.json',
      'vitest.config.ts',
    ]);
    for (const [path, content] of files) expect(content, path).not.toMatch(/\{\{|\}\}/);
  });

  it('writes a package.json the runner discovers and npm can publish', async () => {
    const pkg = JSON.parse((await render('standalone')).get('package.json')!);
    expect(pkg).toMatchObject({
      name: 'rivulet-plugin-acme-scale',
      description: 'Scales "numbers"',
      type: 'module',
      rivulet: './dist/index.js',
      types: './dist/index.d.ts',
      exports: { '.': { types: './dist/index.d.ts', import: './dist/index.js' } },
      files: expect.arrayContaining(['dist', 'README.md']),
      peerDependencies: { '@rivulet/core': `^${CORE_VERSION}` },
      dependencies: { zod: VERSIONS.zodRange, rxjs: VERSIONS.rxjsRange },
      scripts: { build: 'tsc -p tsconfig.json', test: 'vitest run' },
    });
    expect(pkg.keywords).toContain('rivulet-plugin');
    expect(Object.keys(pkg.devDependencies)).toEqual(['@rivulet/core', '@types/node', 'typescript', 'vitest']);
  });

  it('wires a workspace plugin like plugins/basics', async () => {
    const files = await render('workspace');
    expect([...files.keys()]).toContain('tsconfig.lib.json');
    expect([...files.keys()]).not.toContain('.gitignore');
    const pkg = JSON.parse(files.get('package.json')!);
    expect(pkg.exports['.']['@rivulet/source']).toBe('./src/index.ts');
    expect(pkg.dependencies['@rivulet/core']).toBe(CORE_VERSION);
    expect(files.get('vitest.config.ts')).toContain(`from '../../vitest.shared.ts'`);
    expect(JSON.parse(files.get('tsconfig.lib.json')!).references).toEqual([{ path: '../../libs/core/tsconfig.lib.json' }]);
    expect(files.get('src/scale.ts')).toBe((await render('standalone')).get('src/scale.ts'));
  });

  it('finds the workspace root from a deeper project folder', async () => {
    const files = await renderPlugin({ names: pluginNames('deep'), layout: 'workspace', projectRoot: 'plugins/vendor/deep' });
    expect(JSON.parse(files.find((file) => file.path === 'tsconfig.json')!.content).extends).toBe('../../../tsconfig.base.json');
  });

  it('documents a graph that feeds the example node from basics/inject into basics/file-out', async () => {
    const readme = (await render('standalone')).get('README.md')!;
    const graph = JSON.parse(/```json\n([\s\S]*?)```/.exec(readme)![1]!);
    expect(graph.nodes.map((node: { type: string }) => node.type)).toEqual(['basics/inject', 'acme-scale/scale', 'basics/file-out']);
    expect(graph.edges).toEqual([
      { from: 'count.out', to: 'scale.in' },
      { from: 'scale.out', to: 'save.in' },
    ]);
  });

  it('stays in step with the versions the workspace uses', () => {
    expect(readJson('libs/core/package.json')['version']).toBe(CORE_VERSION);
    const coreDeps = readJson('libs/core/package.json')['dependencies']!;
    expect(VERSIONS.zodRange).toBe(coreDeps['zod']);
    expect(VERSIONS.rxjsRange).toBe(coreDeps['rxjs']);
    const rootDev = readJson('package.json')['devDependencies']!;
    expect(VERSIONS.typescriptRange).toBe(`^${rootDev['typescript']}`);
    expect(VERSIONS.vitestRange).toBe(`^${rootDev['vitest']}`);
  });
});

describe('fill', () => {
  it('names the file and the placeholder that has no value', () => {
    expect(() => fill('a {{nope}} b', {}, 'common/x.tmpl')).toThrow(TemplateError);
    expect(() => fill('a {{nope}} b', {}, 'common/x.tmpl')).toThrow('template common/x.tmpl: no value for {{nope}}');
  });
});

describe('docs/writing-a-plugin.md', () => {
  it('shows the example node, plugin and test exactly as the template generates them', async () => {
    const doc = readFileSync(new URL('docs/writing-a-plugin.md', workspaceRoot), 'utf8');
    const files = await renderPlugin({ names: pluginNames('acme'), layout: 'standalone' });
    for (const path of ['src/scale.ts', 'src/index.ts', 'src/scale.test.ts']) {
      const content = files.find((file) => file.path === path)!.content;
      expect(doc, path).toContain('```ts\n' + content.trimEnd() + '\n```');
    }
  });
});
