// A plugin author's whole path, outside the workspace, with the packages as npm would ship them:
// generate → build → test → pack → install into a fresh project → `rivulet nodes` → `rivulet run`.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeBrokenPlugins, type BrokenPlugin } from './fixtures.js';
import { run, start, stop, strangerEnv, waitFor } from './shell.js';

const workspaceRoot = fileURLToPath(new URL('../../../', import.meta.url));
const PACKAGES = { core: 'libs/core', client: 'libs/client', basics: 'plugins/basics', runner: 'apps/runner', create: 'tools/create-rivulet-plugin' } as const;
type PackageKey = keyof typeof PACKAGES;
const PLUGIN = 'e2e-scale';

interface NodesReport {
  readonly nodes: readonly { readonly type: string; readonly plugin: string }[];
  readonly problems: readonly { readonly package: string; readonly message: string }[];
}

describe('a plugin author’s path from npm create to a running graph, outside the workspace', () => {
  let tmp: string;
  let env: NodeJS.ProcessEnv;
  const tarballs = {} as Record<PackageKey | 'plugin', string>;
  let pluginDir: string;
  let appDir: string;
  let broken: BrokenPlugin[];
  let runner: ReturnType<typeof start> | undefined;

  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'rivulet-e2e-'));
    env = strangerEnv(join(tmp, 'home'));
    await mkdir(join(tmp, 'home'));
    // The same build as `nx run-many -t build` for these packages (tsc --build, incremental).
    const dirs = Object.values(PACKAGES).map((dir) => `${dir}/tsconfig.lib.json`);
    await run('npx', ['--no-install', 'tsc', '--build', ...dirs], { cwd: workspaceRoot, env: process.env, timeoutMs: 150_000 });
    await mkdir(join(tmp, 'tarballs'));
    for (const [key, dir] of Object.entries(PACKAGES) as [PackageKey, string][]) {
      const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', join(tmp, 'tarballs')], { cwd: join(workspaceRoot, dir), env, timeoutMs: 60_000 });
      tarballs[key] = join(tmp, 'tarballs', (JSON.parse(stdout) as { filename: string }[])[0]!.filename);
    }
  }, 240_000);

  afterAll(async () => {
    if (runner) await stop(runner, 'SIGKILL', 5_000);
    if (tmp) await rm(tmp, { recursive: true, force: true });
  }, 30_000);

  it('packs every package it needs with built ESM and declaration files', async () => {
    for (const key of ['core', 'client', 'basics', 'runner'] as const) {
      const { stdout } = await run('tar', ['-tzf', tarballs[key]], { cwd: tmp, env, timeoutMs: 10_000 });
      expect(stdout, key).toContain('package/dist/index.js');
      expect(stdout, key).toContain('package/dist/index.d.ts');
      expect(stdout, key).not.toMatch(/\.test\.(js|d\.ts)\b/);
    }
    const { stdout } = await run('tar', ['-tzf', tarballs.runner], { cwd: tmp, env, timeoutMs: 10_000 });
    expect(stdout).toContain('package/dist/main.js');
  });

  it('generates a plugin with npm create rivulet-plugin that builds and passes its own tests straight away', async () => {
    const created = await run('npm', ['exec', '--yes', `--package=${tarballs.create}`, '--', 'create-rivulet-plugin', PLUGIN], { cwd: tmp, env, timeoutMs: 60_000 });
    expect(created.stdout).toContain(`Created rivulet-plugin-${PLUGIN} in ${PLUGIN}`);
    pluginDir = join(tmp, PLUGIN);
    // The plugin's own dev dependencies come from npm; @rivulet/core is not published yet, so it comes from its tarball.
    await run('npm', ['install', '--save-dev', tarballs.core], { cwd: pluginDir, env, timeoutMs: 120_000 });
    await run('npm', ['run', 'build'], { cwd: pluginDir, env, timeoutMs: 60_000 });
    expect(existsSync(join(pluginDir, 'dist', 'index.d.ts'))).toBe(true);
    const tested = await run('npm', ['test'], { cwd: pluginDir, env, timeoutMs: 60_000 });
    expect(tested.stdout).toMatch(/Tests\s+4 passed \(4\)/);
    const packed = await run('npm', ['pack', '--json'], { cwd: pluginDir, env, timeoutMs: 60_000 });
    tarballs.plugin = join(pluginDir, (JSON.parse(packed.stdout.slice(packed.stdout.indexOf('['))) as { filename: string }[])[0]!.filename);
  }, 240_000);

  it('installs the tarballs into a fresh project where rivulet nodes lists the new node and skips the broken plugins', async () => {
    appDir = join(tmp, 'app');
    await mkdir(appDir);
    await writeFile(join(appDir, 'package.json'), JSON.stringify({ name: 'e2e-app', version: '0.0.0', private: true, type: 'module' }));
    await run('npm', ['install', tarballs.core, tarballs.client, tarballs.basics, tarballs.runner, tarballs.plugin], { cwd: appDir, env, timeoutMs: 150_000 });
    // A user can still end up with broken plugins (npm --legacy-peer-deps, a bad release): the runner must cope.
    broken = await writeBrokenPlugins(join(tmp, 'broken'));
    await run('npm', ['install', '--legacy-peer-deps', ...broken.map((plugin) => plugin.dir)], { cwd: appDir, env, timeoutMs: 60_000 });

    const { stdout, stderr } = await run('npx', ['--no-install', 'rivulet', 'nodes', '--json'], { cwd: appDir, env, timeoutMs: 60_000 });
    const report = JSON.parse(stdout) as NodesReport;
    const types = report.nodes.map((node) => node.type);
    expect(types).toContain(`${PLUGIN}/scale`);
    expect(types).toEqual(expect.arrayContaining(['basics/inject', 'basics/file-out']));
    expect(report.nodes.find((node) => node.type === `${PLUGIN}/scale`)?.plugin).toBe(`rivulet-plugin-${PLUGIN}`);
    for (const plugin of broken) {
      expect(report.problems.find((problem) => problem.package === plugin.name)?.message, plugin.name).toContain(plugin.expected);
      expect(stderr).toContain(plugin.expected);
    }
  }, 240_000);

  it('runs a graph basics/inject → the new node → basics/file-out, writes the scaled numbers and stops cleanly on SIGTERM', async () => {
    const output = join(tmp, 'scaled.jsonl');
    const graph = {
      rivulet: 1,
      id: 'e2e-scale',
      name: 'End-to-end scale',
      nodes: [
        // No limit: the graph stays live until SIGTERM, which must stop it cleanly.
        { id: 'count', type: 'basics/inject', params: { intervalMs: 50, expression: 'n' } },
        { id: 'scale', type: `${PLUGIN}/scale`, params: { factor: 2.5 } },
        { id: 'save', type: 'basics/file-out', params: { path: output, mode: 'lines' } },
      ],
      edges: [
        { from: 'count.out', to: 'scale.in' },
        { from: 'scale.out', to: 'save.in' },
      ],
    };
    await writeFile(join(appDir, 'scale.graph.json'), JSON.stringify(graph, null, 2));
    await run('npx', ['--no-install', 'rivulet', 'validate', 'scale.graph.json'], { cwd: appDir, env, timeoutMs: 30_000 });

    // The installed bin, started by node directly so SIGTERM reaches the runner itself.
    runner = start(process.execPath, [join(appDir, 'node_modules', '@rivulet', 'runner', 'dist', 'main.js'), 'run', 'scale.graph.json'], { cwd: appDir, env });
    const lines = async () => (existsSync(output) ? (await readFile(output, 'utf8')).trim().split('\n') : []);
    await waitFor(async () => (await lines()).length >= 4 || runner!.exitCode !== null, 30_000, () => `4 lines in ${output}; runner said:\n${runner!.output()}`);
    expect((await lines()).slice(0, 4).map((line) => JSON.parse(line) as unknown)).toEqual([2.5, 5, 7.5, 10]);
    expect(await stop(runner, 'SIGTERM', 15_000)).toBe(0);
    expect(runner.output()).toContain('scale: running');
  }, 120_000);

  it('manages a user plugins folder with rivulet plugins add/list/remove, and the runner loads the plugin from there', async () => {
    const userPlugins = join(tmp, 'user-plugins');
    const rivulet = (...args: string[]) => run('npx', ['--no-install', 'rivulet', ...args], { cwd: appDir, env, timeoutMs: 120_000 });
    const nodeTypes = async () => (JSON.parse((await rivulet('nodes', '--json', '--plugins', userPlugins)).stdout) as NodesReport).nodes.map((node) => node.type);
    // Out of the project, so only the plugins folder can provide it.
    await run('npm', ['uninstall', `rivulet-plugin-${PLUGIN}`], { cwd: appDir, env, timeoutMs: 60_000 });
    expect(await nodeTypes()).not.toContain(`${PLUGIN}/scale`);

    const added = await rivulet('plugins', 'add', tarballs.plugin, '--plugins', userPlugins);
    expect(added.stdout).toContain(`added rivulet-plugin-${PLUGIN} 0.1.0: ${PLUGIN}/scale`);
    const future = broken.find((plugin) => plugin.name === 'rivulet-plugin-future')!;
    await expect(rivulet('plugins', 'add', future.dir, '--plugins', userPlugins)).rejects.toThrow(future.expected);

    expect((await rivulet('plugins', 'list', '--plugins', userPlugins)).stdout).toContain(`rivulet-plugin-${PLUGIN} 0.1.0: ${PLUGIN}/scale`);
    expect(await nodeTypes()).toContain(`${PLUGIN}/scale`);
    await rivulet('validate', 'scale.graph.json', '--plugins', userPlugins);

    expect((await rivulet('plugins', 'remove', `rivulet-plugin-${PLUGIN}`, '--plugins', userPlugins)).stdout).toContain(`removed rivulet-plugin-${PLUGIN}`);
    expect(await nodeTypes()).not.toContain(`${PLUGIN}/scale`);
  }, 240_000);
});
