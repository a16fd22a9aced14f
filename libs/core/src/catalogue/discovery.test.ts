import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { definePlugin, defineNode } from '../plugin/define.js';
import { z } from 'zod';
import { discoverPlugins, loadCatalogue, rivuletCoreVersion } from './discovery.js';

// The test plugins import the workspace's zod, as an installed plugin would import its own.
const zodUrl = import.meta.resolve('zod');

let base: string;

beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), 'rivulet-discovery-'));
});

afterEach(async () => {
  await rm(base, { recursive: true, force: true });
});

async function writeFiles(dir: string, files: Record<string, string | object>): Promise<void> {
  for (const [name, content] of Object.entries(files)) {
    const path = join(dir, name);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  }
}

/** An ES module defining a plugin object by hand, as a package built against @rivulet/core would export it. */
function pluginSource(name: string, type: string, exportAs: 'default' | 'plugin' = 'default'): string {
  return [
    `import { z } from ${JSON.stringify(zodUrl)};`,
    `const node = { type: ${JSON.stringify(type)}, title: 'Counter', category: 'test',`,
    `  params: z.object({ step: z.number().int().min(1).default(1) }), outputs: { out: { type: 'json' } },`,
    `  create: () => ({ outputs: {} }) };`,
    `const plugin = { name: ${JSON.stringify(name)}, nodes: [node], [Symbol.for('rivulet.plugin')]: true };`,
    exportAs === 'default' ? 'export default plugin;' : 'export { plugin };',
  ].join('\n');
}

function manifest(name: string, extra: Record<string, unknown> = {}): object {
  return { name, version: '1.2.0', type: 'module', keywords: ['rivulet-plugin'], ...extra };
}

describe('discoverPlugins', () => {
  it('loads good plugins and reports each broken one with its package, path and reason, skipping only those', async () => {
    const app = join(base, 'app');
    const modules = join(app, 'node_modules');
    await writeFiles(modules, {
      '@acme/plugin-good/package.json': manifest('@acme/plugin-good', { rivulet: { entry: './dist/index.js' }, peerDependencies: { '@rivulet/core': '^0.1.0' } }),
      '@acme/plugin-good/dist/index.js': pluginSource('@acme/plugin-good', 'acme/counter'),
      'plugin-named/package.json': manifest('plugin-named', { rivulet: './plugin.js' }),
      'plugin-named/plugin.js': pluginSource('plugin-named', 'named/counter', 'plugin'),
      '@acme/plugin-throws/package.json': manifest('@acme/plugin-throws', { rivulet: './index.js' }),
      '@acme/plugin-throws/index.js': "throw new Error('GStreamer bindings missing');",
      '@acme/plugin-x/package.json': manifest('@acme/plugin-x', { rivulet: './index.js', peerDependencies: { '@rivulet/core': '^2.0.0' } }),
      '@acme/plugin-x/index.js': "throw new Error('must never be imported');",
      'plugin-empty/package.json': manifest('plugin-empty', { rivulet: './index.js' }),
      'plugin-empty/index.js': 'export const something = 1;',
      'plugin-unbuilt/package.json': manifest('plugin-unbuilt', { rivulet: { entry: './dist/index.js' } }),
      'not-a-plugin/package.json': manifest('not-a-plugin'),
      'not-a-plugin/index.js': "throw new Error('must never be imported');",
    });

    const { plugins, problems } = await discoverPlugins({ roots: [app], coreVersion: '0.1.0' });

    expect(plugins.map((found) => [found.packageName, found.version, found.path, found.plugin.nodes[0]?.type])).toEqual([
      ['@acme/plugin-good', '1.2.0', join(modules, '@acme/plugin-good'), 'acme/counter'],
      ['plugin-named', '1.2.0', join(modules, 'plugin-named'), 'named/counter'],
    ]);
    const byPackage = Object.fromEntries(problems.map((problem) => [problem.package, problem]));
    expect(Object.keys(byPackage).sort()).toEqual(['@acme/plugin-throws', '@acme/plugin-x', 'plugin-empty', 'plugin-unbuilt']);
    expect(byPackage['@acme/plugin-x']).toEqual({
      package: '@acme/plugin-x',
      path: join(modules, '@acme/plugin-x'),
      message: '@acme/plugin-x 1.2.0 needs @rivulet/core ^2.0.0, this is 0.1.0',
    });
    expect(byPackage['@acme/plugin-throws']?.message).toBe('@acme/plugin-throws 1.2.0: failed to load ./index.js: GStreamer bindings missing');
    expect(byPackage['plugin-empty']?.message).toMatch(/^plugin-empty 1\.2\.0: \.\/index\.js exports no plugin/);
    expect(byPackage['plugin-unbuilt']?.message).toBe('plugin-unbuilt 1.2.0: its entry file ./dist/index.js does not exist (is the package built?)');
  });

  it('follows workspace symlinks, scans ancestors and plugin dirs, and keeps the first package of each name', async () => {
    const workspace = join(base, 'workspace');
    const app = join(workspace, 'apps', 'runner');
    const source = join(workspace, 'plugins', 'linked');
    await writeFiles(source, { 'package.json': manifest('@acme/plugin-linked', { rivulet: './index.js' }), 'index.js': pluginSource('@acme/plugin-linked', 'linked/counter') });
    await mkdir(join(workspace, 'node_modules', '@acme'), { recursive: true });
    await symlink(source, join(workspace, 'node_modules', '@acme', 'plugin-linked'), 'dir');
    // The same package name nearer the root wins over the ancestor's copy.
    await writeFiles(join(app, 'node_modules'), {
      'dup/package.json': manifest('dup', { rivulet: './index.js', version: '2.0.0' }),
      'dup/index.js': pluginSource('dup', 'dup/near'),
    });
    await writeFiles(join(workspace, 'node_modules'), {
      'dup/package.json': manifest('dup', { rivulet: './index.js' }),
      'dup/index.js': "throw new Error('the farther copy must not be imported');",
    });
    const userPlugins = join(base, 'home', '.rivulet', 'plugins');
    await writeFiles(join(userPlugins, 'node_modules'), {
      'user-plugin/package.json': manifest('user-plugin', { rivulet: './index.js' }),
      'user-plugin/index.js': pluginSource('user-plugin', 'user/counter'),
    });

    const { plugins, problems } = await discoverPlugins({ roots: [app], pluginDirs: [userPlugins] });

    expect(problems).toEqual([]);
    expect(plugins.map((found) => [found.packageName, found.version, found.plugin.nodes[0]?.type])).toEqual([
      ['dup', '2.0.0', 'dup/near'],
      ['@acme/plugin-linked', '1.2.0', 'linked/counter'],
      ['user-plugin', '1.2.0', 'user/counter'],
    ]);
  });

  it('checks the core range against this package version by default and refuses an invalid range', async () => {
    const app = join(base, 'app');
    await writeFiles(join(app, 'node_modules'), {
      'fits/package.json': manifest('fits', { rivulet: './index.js', peerDependencies: { '@rivulet/core': `^${rivuletCoreVersion}` } }),
      'fits/index.js': pluginSource('fits', 'fits/counter'),
      'garbled/package.json': manifest('garbled', { rivulet: './index.js', peerDependencies: { '@rivulet/core': 'latest-and-greatest' } }),
      'garbled/index.js': pluginSource('garbled', 'garbled/counter'),
      'escapes/package.json': manifest('escapes', { rivulet: '../fits/index.js' }),
    });
    const { plugins, problems } = await discoverPlugins({ roots: [app] });
    expect(plugins.map((found) => found.packageName)).toEqual(['fits']);
    expect(problems.map((problem) => problem.message)).toEqual([
      'escapes 1.2.0: its entry ../fits/index.js is outside the package',
      'garbled 1.2.0: its peerDependencies["@rivulet/core"] "latest-and-greatest" is not a valid version range',
    ]);
  });

  it('reports an entry that never finishes importing instead of waiting for ever', async () => {
    const app = join(base, 'app');
    await writeFiles(join(app, 'node_modules'), {
      'hangs/package.json': manifest('hangs', { rivulet: './index.js' }),
      'hangs/index.js': 'await new Promise(() => {});',
    });
    const started = Date.now();
    const { problems } = await discoverPlugins({ roots: [app], importTimeoutMs: 200 });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(problems.map((problem) => problem.message)).toEqual(['hangs 1.2.0: failed to load ./index.js: importing ./index.js took longer than 200 ms']);
  });
});

describe('loadCatalogue', () => {
  it('catalogues given and discovered plugins, with the broken packages in problems', async () => {
    const app = join(base, 'app');
    await writeFiles(join(app, 'node_modules'), {
      '@acme/plugin-good/package.json': manifest('@acme/plugin-good', { rivulet: './index.js' }),
      '@acme/plugin-good/index.js': pluginSource('@acme/plugin-good', 'acme/counter'),
      // A discovered copy of a plugin that was also given explicitly is not loaded twice.
      'builtin/package.json': manifest('@rivulet/plugin-builtin', { rivulet: './index.js' }),
      'builtin/index.js': pluginSource('@rivulet/plugin-builtin', 'builtin/other'),
      'broken/package.json': manifest('broken', { rivulet: './index.js' }),
      'broken/index.js': 'export default {',
    });
    const builtin = definePlugin({
      name: '@rivulet/plugin-builtin',
      nodes: [defineNode({ type: 'builtin/inject', title: 'Inject', category: 'input', params: z.object({}), create: () => ({}) })],
    });

    const catalogue = await loadCatalogue({ roots: [app], plugins: [builtin] });

    expect(catalogue.types()).toEqual(['acme/counter', 'builtin/inject']);
    expect(catalogue.descriptor('acme/counter')).toMatchObject({
      plugin: '@acme/plugin-good',
      pluginVersion: '1.2.0',
      outputs: { out: { type: 'json', multiple: true, live: false } },
      paramsSchema: { type: 'object', properties: { step: { type: 'integer', minimum: 1, default: 1 } } },
    });
    expect(catalogue.get('acme/counter')?.params.parse({})).toEqual({ step: 1 });
    expect(catalogue.problems).toEqual([{ package: 'broken', path: join(app, 'node_modules', 'broken'), message: expect.stringMatching(/^broken 1\.2\.0: failed to load \.\/index\.js: /) }]);
  });
});
