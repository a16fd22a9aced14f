import { execFile } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify, stripVTControlCharacters } from 'node:util';
import { fileURLToPath } from 'node:url';
import { readJson, type Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { pluginGenerator, PluginGeneratorError } from './generator.js';

const run = promisify(execFile);
const workspaceRoot = fileURLToPath(new URL('../../../../../', import.meta.url));

describe('the plugin generator', () => {
  let tree: Tree;

  beforeEach(() => {
    tree = createTreeWithEmptyWorkspace();
    tree.write('tsconfig.json', JSON.stringify({ files: [], references: [{ path: './libs/core' }] }));
  });

  it('writes plugins/<name> as @rivulet/plugin-<name>, wired like the other plugins', async () => {
    await pluginGenerator(tree, { name: 'osc' });
    for (const file of ['package.json', 'README.md', 'src/index.ts', 'src/scale.ts', 'src/scale.test.ts', 'tsconfig.json', 'tsconfig.lib.json', 'tsconfig.spec.json', 'vitest.config.ts']) {
      expect(tree.exists(`plugins/osc/${file}`), file).toBe(true);
    }
    const pkg = readJson(tree, 'plugins/osc/package.json');
    expect(pkg).toMatchObject({ name: '@rivulet/plugin-osc', rivulet: './dist/index.js', keywords: expect.arrayContaining(['rivulet-plugin']) });
    expect(tree.read('plugins/osc/src/scale.ts', 'utf8')).toContain(`type: 'osc/scale'`);
    expect(tree.read('plugins/osc/vitest.config.ts', 'utf8')).toContain(`'../../vitest.shared.ts'`);
  });

  it('adds the package to the root tsconfig references once, as nx sync would', async () => {
    await pluginGenerator(tree, { name: 'osc' });
    await pluginGenerator(tree, { name: 'midi' });
    expect(readJson(tree, 'tsconfig.json').references).toEqual([{ path: './libs/core' }, { path: './plugins/osc' }, { path: './plugins/midi' }]);
  });

  it('refuses a folder that already has files and a package name already taken', async () => {
    await pluginGenerator(tree, { name: 'osc' });
    await expect(pluginGenerator(tree, { name: 'osc' })).rejects.toThrow(PluginGeneratorError);
    await expect(pluginGenerator(tree, { name: 'osc' })).rejects.toThrow('plugins/osc exists and is not empty');
    await expect(pluginGenerator(tree, { name: 'osc2', packageName: '@rivulet/plugin-osc' })).rejects.toThrow('already named @rivulet/plugin-osc');
  });

  it('puts the package in --directory with paths back to the workspace root', async () => {
    await pluginGenerator(tree, { name: 'osc', directory: 'plugins/vendor/osc' });
    expect(readJson(tree, 'plugins/vendor/osc/tsconfig.lib.json').extends).toBe('../../../tsconfig.base.json');
  });
});

describe('a generated workspace plugin', () => {
  // Written under the workspace's ignored tmp/ folder so it resolves tsconfig.base.json, vitest.shared.ts and @rivulet/core.
  const root = `tmp/generator-test-${process.pid}/probe`;

  afterAll(async () => {
    await rm(join(workspaceRoot, dirname(root)), { recursive: true, force: true });
  });

  it('typechecks, builds and passes its own tests straight after generation', async () => {
    const tree = createTreeWithEmptyWorkspace();
    await pluginGenerator(tree, { name: 'probe', directory: root });
    for (const change of tree.listChanges()) {
      if (change.type !== 'CREATE' || !change.path.startsWith(root) || !change.content) continue;
      await mkdir(dirname(join(workspaceRoot, change.path)), { recursive: true });
      await writeFile(join(workspaceRoot, change.path), change.content);
    }
    await run('npx', ['--no-install', 'tsc', '-b', `${root}/tsconfig.json`], { cwd: workspaceRoot, timeout: 100_000 });
    await run('npx', ['--no-install', 'vitest', 'run'], { cwd: join(workspaceRoot, root), timeout: 60_000 });
    // The shared Vitest settings write a JSON report beside the package.
    const report = JSON.parse(await readFile(join(workspaceRoot, root, 'test-results/vitest.json'), 'utf8'));
    expect({ passed: report.numPassedTests, failed: report.numFailedTests }).toEqual({ passed: 4, failed: 0 });
    expect(await readFile(join(workspaceRoot, root, 'dist/index.d.ts'), 'utf8')).toContain('scale');
  }, 170_000);
});

describe('nx g @rivulet/tools:plugin', () => {
  beforeAll(async () => {
    // Nx loads the generator from dist/, so build it (and the template package it imports).
    await run('npx', ['--no-install', 'tsc', '-b', 'tools/plugin-generator/tsconfig.lib.json'], { cwd: workspaceRoot, timeout: 90_000 });
  }, 100_000);

  it('is found by Nx in this workspace and lists the files it would create', async () => {
    const result = await run('npx', ['--no-install', 'nx', 'g', '@rivulet/tools:plugin', 'dry-run-probe', '--dry-run', '--no-interactive'], {
      cwd: workspaceRoot,
      timeout: 90_000,
      env: { ...process.env, NX_DAEMON: 'false', NX_TUI: 'false', NX_NO_CLOUD: 'true' },
    });
    // Nx colours its output when its parent (e.g. nx run-many) forces colour.
    const [stdout, stderr] = [result.stdout, result.stderr].map((text) => stripVTControlCharacters(text));
    expect(stdout).toContain('CREATE plugins/dry-run-probe/src/scale.ts');
    expect(stdout).toContain('CREATE plugins/dry-run-probe/package.json');
    expect(stdout).toContain('UPDATE tsconfig.json');
    expect(stdout + stderr).toContain('"dryRun" flag means no changes were made');
  });
});
