import { lstat, mkdir, mkdtemp, readFile, readlink, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Command } from 'commander';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pluginsCommand } from './command.js';
import { runnerCoreDir } from './plugins-dir.js';

// Every package here is a local folder: npm never needs the registry (offline is forced).
interface Fixture {
  readonly name: string;
  readonly coreRange?: string;
  readonly body: string;
}

// The plugin object is made by hand (what definePlugin returns): Vitest's workers resolve
// @rivulet/core to its TypeScript sources, which Node's own import() cannot load. Resolving
// the core from the plugin still proves the plugins folder links the runner's copy.
const goodPlugin = (name: string, type: string): Fixture => ({
  name,
  body: `import { createRequire } from 'node:module';
createRequire(import.meta.url).resolve('@rivulet/core/package.json');
const node = { type: '${type}', title: 'One', category: 'test', params: {}, create: () => ({}) };
export default { [Symbol.for('rivulet.plugin')]: true, name: '${name}', nodes: [node] };
`,
});

describe('rivulet plugins', () => {
  let root: string;
  let dir: string;
  let stdout: string;
  let stderr: string;

  async function writeFixture(fixture: Fixture): Promise<string> {
    const folder = join(root, 'src', fixture.name);
    await mkdir(folder, { recursive: true });
    const manifest = {
      name: fixture.name,
      version: '1.0.0',
      type: 'module',
      keywords: ['rivulet-plugin'],
      rivulet: './index.js',
      peerDependencies: { '@rivulet/core': fixture.coreRange ?? '^0.1.0' },
    };
    await writeFile(join(folder, 'package.json'), JSON.stringify(manifest));
    await writeFile(join(folder, 'index.js'), fixture.body);
    return folder;
  }

  async function plugins(...args: string[]): Promise<number> {
    let code = -1;
    const program = new Command('rivulet').exitOverride();
    program.addCommand(
      pluginsCommand({
        io: {
          cwd: root,
          env: { ...process.env, npm_config_offline: 'true', npm_config_update_notifier: 'false' },
          stdout: { write: (text: string) => (stdout += text) },
          stderr: { write: (text: string) => (stderr += text) },
        },
        setExitCode: (value) => (code = value),
        npmTimeoutMs: 60_000,
      }),
    );
    await program.parseAsync(['plugins', ...args, '--plugins', dir], { from: 'user' });
    return code;
  }

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'rivulet-plugins-'));
    dir = join(root, 'user-plugins');
    stdout = '';
    stderr = '';
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('adds a plugin from a folder, sharing the runner’s core, and lists its node types', async () => {
    await writeFixture(goodPlugin('rivulet-plugin-one', 'one/thing'));
    expect(await plugins('add', './src/rivulet-plugin-one')).toBe(0);
    expect(stdout).toContain('added rivulet-plugin-one 1.0.0: one/thing');

    const core = join(dir, 'node_modules', '@rivulet', 'core');
    expect((await lstat(core)).isSymbolicLink()).toBe(true);
    expect(resolve(join(dir, 'node_modules', '@rivulet'), await readlink(core))).toBe(runnerCoreDir());

    stdout = '';
    expect(await plugins('list', '--json')).toBe(0);
    const listed = JSON.parse(stdout);
    expect(listed.dir).toBe(dir);
    expect(listed.plugins).toEqual([{ name: 'rivulet-plugin-one', spec: 'file:tarballs/rivulet-plugin-one-1.0.0.tgz', version: '1.0.0', nodeTypes: ['one/thing'] }]);
  }, 90_000);

  it('refuses a plugin whose core range does not match, says which versions, and uninstalls it', async () => {
    await writeFixture({ ...goodPlugin('rivulet-plugin-future', 'future/thing'), coreRange: '^9.0.0' });
    expect(await plugins('add', './src/rivulet-plugin-future')).toBe(1);
    expect(stderr).toContain('refused: rivulet-plugin-future 1.0.0 needs @rivulet/core ^9.0.0, this is 0.1.0');
    expect(stderr).toContain('removed rivulet-plugin-future again');
    const manifest = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8'));
    expect(Object.keys(manifest.dependencies)).toEqual(['@rivulet/core']);
  }, 90_000);

  it('keeps a refused plugin with --force and lists it as refused beside the good ones', async () => {
    await writeFixture(goodPlugin('rivulet-plugin-one', 'one/thing'));
    await writeFixture({ name: 'rivulet-plugin-broken', body: `throw new Error('boom at import');\n` });
    expect(await plugins('add', './src/rivulet-plugin-one', './src/rivulet-plugin-broken', '--force')).toBe(0);
    expect(stderr).toContain('refused: rivulet-plugin-broken 1.0.0: failed to load ./index.js: boom at import');
    stdout = '';
    expect(await plugins('list')).toBe(0);
    expect(stdout).toContain('rivulet-plugin-one 1.0.0: one/thing');
    expect(stdout).toContain('refused: rivulet-plugin-broken 1.0.0: failed to load ./index.js: boom at import');
  }, 90_000);

  it('removes an installed plugin and refuses to remove one that is not there', async () => {
    await writeFixture(goodPlugin('rivulet-plugin-one', 'one/thing'));
    expect(await plugins('add', './src/rivulet-plugin-one')).toBe(0);
    expect(await plugins('remove', 'rivulet-plugin-nope')).toBe(1);
    expect(stderr).toContain(`not installed in ${dir}: rivulet-plugin-nope`);
    expect(await plugins('remove', 'rivulet-plugin-one')).toBe(0);
    expect(stdout).toContain('removed rivulet-plugin-one');
    stdout = '';
    expect(await plugins('list')).toBe(0);
    expect(stdout).toContain(`No plugins in ${dir}`);
  }, 90_000);

  it('fails with a message naming the path when a local spec does not exist', async () => {
    expect(await plugins('add', './src/missing')).toBe(1);
    expect(stderr).toContain(`./src/missing: no such file or folder (${join(root, 'src', 'missing')})`);
  }, 30_000);

  it('reports npm’s own error when a package cannot be installed', async () => {
    expect(await plugins('add', 'rivulet-plugin-that-is-not-in-the-cache-zzz')).toBe(1);
    expect(stderr).toMatch(/rivulet plugins: npm install .* failed \(exit \d+\)/);
  }, 90_000);
});
