// Broken plugin packages a user may end up with: one that throws on import, one made for another core.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface BrokenPlugin {
  readonly name: string;
  readonly dir: string;
  /** What the runner's report about it must contain. */
  readonly expected: string;
}

async function writePackage(dir: string, manifest: Record<string, unknown>, entry: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  await writeFile(join(dir, 'index.js'), entry);
}

/** Writes both broken plugins under `root` and says how the runner must report each. */
export async function writeBrokenPlugins(root: string): Promise<BrokenPlugin[]> {
  const base = { type: 'module', keywords: ['rivulet-plugin'], rivulet: './index.js' };
  const throws = { name: 'rivulet-plugin-throws', dir: join(root, 'rivulet-plugin-throws'), expected: 'failed to load ./index.js: broken on purpose' };
  await writePackage(throws.dir, { ...base, name: throws.name, version: '1.0.0', peerDependencies: { '@rivulet/core': '^0.1.0' } }, `throw new Error('broken on purpose');\n`);
  const future = { name: 'rivulet-plugin-future', dir: join(root, 'rivulet-plugin-future'), expected: 'rivulet-plugin-future 9.0.0 needs @rivulet/core ^9.0.0, this is 0.1.0' };
  await writePackage(future.dir, { ...base, name: future.name, version: '9.0.0', peerDependencies: { '@rivulet/core': '^9.0.0' } }, `export default {};\n`);
  return [throws, future];
}
