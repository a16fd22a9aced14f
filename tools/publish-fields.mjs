// Keeps the publishing fields of every public @rivulet/* package in step (run: node tools/publish-fields.mjs).
import { readFileSync, writeFileSync } from 'node:fs';

const packages = process.argv.slice(2);
for (const dir of packages) {
  const file = `${dir}/package.json`;
  const manifest = JSON.parse(readFileSync(file, 'utf8'));
  if (manifest.private) continue;
  manifest.license = 'MIT';
  manifest.repository = { type: 'git', url: 'git+https://github.com/rivulet/rivulet.git', directory: dir };
  manifest.engines = { node: '>=20.11' };
  manifest.publishConfig = { access: 'public' };
  const isPlugin = typeof manifest.rivulet === 'string';
  for (const field of ['dependencies', 'devDependencies']) {
    for (const [name, range] of Object.entries(manifest[field] ?? {})) {
      if (name.startsWith('@rivulet/') && range === '0.1.0') manifest[field][name] = '^0.1.0';
    }
  }
  // A plugin shares the runner's core: a peer, never a nested copy.
  if (isPlugin && manifest.dependencies?.['@rivulet/core']) {
    delete manifest.dependencies['@rivulet/core'];
    manifest.devDependencies = { ...manifest.devDependencies, '@rivulet/core': '^0.1.0' };
    manifest.peerDependencies = { ...manifest.peerDependencies, '@rivulet/core': '^0.1.0' };
  }
  writeFileSync(file, `${JSON.stringify(manifest, null, 2)}\n`);
}
