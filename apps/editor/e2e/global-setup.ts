// Before the browser tests: build the editor (when dist is missing or older than its sources) so `rivulet serve` serves it.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const editorRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newestMtime(join(path, name))));
}

export default function setup(): void {
  const built = join(editorRoot, 'dist', 'index.html');
  const sources = Math.max(newestMtime(join(editorRoot, 'src')), newestMtime(join(editorRoot, 'index.html')), newestMtime(join(editorRoot, 'vite.config.ts')));
  if (existsSync(built) && statSync(built).mtimeMs >= sources) return;
  const result = spawnSync(process.execPath, [join(editorRoot, '..', '..', 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'], {
    cwd: editorRoot,
    // Vitest sets NODE_ENV=test, which would bundle React's development build.
    env: { ...process.env, NODE_ENV: 'production' },
    stdio: 'inherit',
    timeout: 180_000,
  });
  if (result.status !== 0) throw new Error(`building the editor failed (vite build exited with ${result.status ?? result.signal})`);
}
