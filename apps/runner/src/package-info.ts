// Where the runner package lives and its version (src/ and dist/ are both one level below it).
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

export const packageDir = fileURLToPath(new URL('..', import.meta.url));

export function runnerVersion(): string {
  const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { version?: unknown };
  return typeof manifest.version === 'string' ? manifest.version : '0.0.0';
}

/**
 * The editor's built files: beside the runner in the workspace, or packed inside the runner
 * (`editor/`, copied by prepack) when it was installed from npm.
 */
export const editorDistDir = [join(packageDir, '..', 'editor', 'dist'), join(packageDir, 'editor')].find((dir) =>
  existsSync(join(dir, 'index.html')),
) ?? join(packageDir, '..', 'editor', 'dist');

/** The demo graph shipped with the runner (copied into dist by the build). */
export const demoGraphFile = fileURLToPath(new URL('./demo/demo.graph.json', import.meta.url));
