// The plugin template: files under template/ (shared + one folder per layout), filled in with names.
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PluginNames } from './names.js';
import { VERSIONS } from './versions.js';

/**
 * `standalone`: a package that builds and tests on its own (its own tsconfig, vitest and
 * dev dependencies). `workspace`: a package inside the Rivulet monorepo, wired like
 * plugins/basics (shared tsconfig.base.json and vitest.shared.ts).
 */
export type PluginLayout = 'standalone' | 'workspace';

export interface RenderOptions {
  readonly names: PluginNames;
  readonly layout: PluginLayout;
  readonly description?: string;
  /** Where the package lives relative to the workspace root (workspace layout; used in the README). */
  readonly projectRoot?: string;
}

export interface PluginFile {
  /** Relative path inside the new package, with `/` separators. */
  readonly path: string;
  readonly content: string;
}

export class TemplateError extends Error {
  override readonly name = 'TemplateError';
  constructor(
    readonly code: 'unknown-placeholder',
    message: string,
  ) {
    super(message);
  }
}

/** The template folder shipped with this package (beside src/ and dist/). */
export const templateDir = fileURLToPath(new URL('../template/', import.meta.url));

const PLACEHOLDER = /\{\{(\w+)\}\}/g;
// npm pack drops files named .gitignore, so the template ships it without the dot.
const RENAMES: Readonly<Record<string, string>> = { gitignore: '.gitignore' };

/** The placeholder values for one plugin. */
export function templateValues(options: RenderOptions): Readonly<Record<string, string>> {
  const { names, layout } = options;
  const description = options.description ?? `${names.title}: a Rivulet plugin.`;
  const root = options.projectRoot ?? `plugins/${names.name}`;
  const commands =
    layout === 'standalone'
      ? { buildCommand: 'npm run build', testCommand: 'npm test', publishCommand: 'npm publish' }
      : {
          buildCommand: `npx nx build ${names.packageName}`,
          testCommand: `npx nx test ${names.packageName}`,
          publishCommand: `npx nx build ${names.packageName} && npm publish --workspace ${root}`,
        };
  return {
    ...VERSIONS,
    ...commands,
    rootOffset: '../'.repeat(root.split('/').filter(Boolean).length),
    name: names.name,
    packageName: names.packageName,
    title: names.title,
    description,
    descriptionJson: JSON.stringify(description).slice(1, -1),
  };
}

/** Replaces every `{{key}}`; a key without a value is an error naming the file. */
export function fill(text: string, values: Readonly<Record<string, string>>, file: string): string {
  return text.replace(PLACEHOLDER, (_match, key: string) => {
    const value = values[key];
    if (value === undefined) throw new TemplateError('unknown-placeholder', `template ${file}: no value for {{${key}}}`);
    return value;
  });
}

async function listFiles(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...(await listFiles(path)));
    else if (entry.isFile()) found.push(path);
  }
  return found;
}

function outputPath(templatePath: string): string {
  const parts = templatePath.split(sep);
  const last = parts.pop()!.replace(/\.tmpl$/, '');
  return [...parts, RENAMES[last] ?? last].join('/');
}

/** Every file of a new plugin package, filled in: the shared files plus the layout's own. */
export async function renderPlugin(options: RenderOptions): Promise<PluginFile[]> {
  const values = templateValues(options);
  const files = new Map<string, string>();
  for (const part of ['common', options.layout]) {
    const dir = join(templateDir, part);
    for (const file of await listFiles(dir)) {
      const name = relative(dir, file);
      files.set(outputPath(name), fill(await readFile(file, 'utf8'), values, `${part}/${name}`));
    }
  }
  return [...files.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([path, content]) => ({ path, content }));
}
