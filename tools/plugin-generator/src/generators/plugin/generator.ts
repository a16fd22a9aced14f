// `nx g @rivulet/tools:plugin <name>`: a plugin package in plugins/<name>, from create-rivulet-plugin's template.
import { logger, readJson, updateJson, type GeneratorCallback, type Tree } from '@nx/devkit';
import { pluginNames, renderPlugin } from 'create-rivulet-plugin';

export interface PluginGeneratorOptions {
  /** Short plugin name: node types are `<name>/…`, the folder is plugins/<name>. */
  readonly name: string;
  readonly directory?: string;
  readonly packageName?: string;
  readonly description?: string;
}

export class PluginGeneratorError extends Error {
  override readonly name = 'PluginGeneratorError';
  constructor(
    readonly code: 'target-not-empty' | 'package-exists',
    message: string,
  ) {
    super(message);
  }
}

interface TsconfigWithReferences {
  references?: { path: string }[];
}

function normaliseRoot(directory: string): string {
  return directory.replace(/\\/g, '/').replace(/^\.\//, '').replace(/\/+$/, '');
}

/** Names of the workspace packages, read from package.json files the tree knows. */
function workspacePackageNames(tree: Tree): Set<string> {
  const names = new Set<string>();
  for (const group of ['libs', 'apps', 'plugins', 'tools']) {
    if (!tree.exists(group)) continue;
    for (const child of tree.children(group)) {
      const path = `${group}/${child}/package.json`;
      if (tree.exists(path)) names.add(readJson<{ name?: string }>(tree, path).name ?? '');
    }
  }
  return names;
}

export async function pluginGenerator(tree: Tree, options: PluginGeneratorOptions): Promise<GeneratorCallback> {
  const names = pluginNames(options.name, {
    packagePrefix: '@rivulet/plugin-',
    ...(options.packageName === undefined ? {} : { packageName: options.packageName }),
  });
  const root = normaliseRoot(options.directory ?? `plugins/${names.name}`);
  if (tree.exists(root) && tree.children(root).length > 0) {
    throw new PluginGeneratorError('target-not-empty', `${root} exists and is not empty; choose another name or --directory`);
  }
  if (workspacePackageNames(tree).has(names.packageName)) {
    throw new PluginGeneratorError('package-exists', `a workspace package is already named ${names.packageName}`);
  }
  const files = await renderPlugin({
    names,
    layout: 'workspace',
    projectRoot: root,
    ...(options.description === undefined ? {} : { description: options.description }),
  });
  for (const file of files) tree.write(`${root}/${file.path}`, file.content);

  // What `nx sync` would add: the root solution tsconfig references every package.
  if (tree.exists('tsconfig.json')) {
    updateJson<TsconfigWithReferences>(tree, 'tsconfig.json', (json) => {
      const references = json.references ?? [];
      if (!references.some((reference) => normaliseRoot(reference.path) === root)) references.push({ path: `./${root}` });
      json.references = references;
      return json;
    });
  }

  return () => {
    logger.info(`Created ${names.packageName} in ${root} (node type ${names.name}/scale).`);
    logger.info(`Next: npm install (links the new workspace package), npx nx sync, npx nx test ${names.packageName}`);
  };
}

export default pluginGenerator;
