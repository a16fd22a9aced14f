// Names of a new plugin: its short name (node type prefix, folder), npm package name and title.

export interface PluginNames {
  /** Short name: the prefix of node types (`<name>/scale`) and the default folder name. */
  readonly name: string;
  /** npm package name. */
  readonly packageName: string;
  /** Human title, e.g. "Acme scaler". */
  readonly title: string;
}

export class PluginNameError extends Error {
  override readonly name = 'PluginNameError';
  constructor(
    readonly code: 'invalid-name' | 'invalid-package-name',
    message: string,
  ) {
    super(message);
  }
}

const SHORT_NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
// npm's rules for new package names, lowercase only.
const PACKAGE_NAME = /^(@[a-z0-9][a-z0-9._-]*\/)?[a-z0-9][a-z0-9._-]*$/;
const MAX_SHORT = 50;

/**
 * Derives the names from what the author typed: a short name (`acme-scale` → package
 * `rivulet-plugin-acme-scale`) or a package name (`@acme/rivulet-plugin-scale` → short
 * name `scale`). `packageName` overrides the package name outright.
 */
export function pluginNames(input: string, options: { packageName?: string; packagePrefix?: string } = {}): PluginNames {
  const typed = input.trim();
  const unscoped = typed.replace(/^@[^/]+\//, '');
  const name = unscoped.replace(/^rivulet-plugin-/, '').replace(/^plugin-/, '');
  if (!SHORT_NAME.test(name) || name.length > MAX_SHORT) {
    throw new PluginNameError(
      'invalid-name',
      `plugin name "${input}": use lowercase letters, digits and single dashes, starting with a letter (at most ${MAX_SHORT}), e.g. "acme-scale"`,
    );
  }
  const looksLikePackage = typed !== name;
  const packageName = options.packageName ?? (looksLikePackage ? typed : `${options.packagePrefix ?? 'rivulet-plugin-'}${name}`);
  if (!PACKAGE_NAME.test(packageName) || packageName.length > 214) {
    throw new PluginNameError('invalid-package-name', `package name "${packageName}" is not a valid npm package name`);
  }
  return { name, packageName, title: titleOf(name) };
}

function titleOf(name: string): string {
  const words = name.split('-').join(' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}
