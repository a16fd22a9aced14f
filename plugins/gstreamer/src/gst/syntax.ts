// gst-launch description syntax: element specs → argv tokens, with user values quoted safely.

export type PropValue = string | number | boolean;

/** One GStreamer element in a description. `role` names it inside its node (defaults to the factory). */
export interface ElementSpec {
  readonly factory: string;
  /** Undefined values are left out (GStreamer's default applies). */
  readonly props?: Readonly<Record<string, PropValue | undefined>>;
  readonly role?: string;
  /** The user param this element mostly reflects, named in errors it reports (e.g. `device`). */
  readonly param?: string;
  /** Properties whose values are secrets (a passphrase): shown masked in explain text, logs and errors. */
  readonly secret?: readonly string[];
}

const FACTORY = /^[a-z0-9][a-z0-9_-]*$/i;
const PROP_NAME = /^[a-z][a-z0-9-]*$/i;
const NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/**
 * Quotes a property value for gst-launch: always double-quoted, with `\` and `"` escaped, so
 * spaces, `!`, `,` or `=` in a user's path or URL can never start a new element or property.
 * gst-launch escapes spaces outside quotes in each argv entry, so a value must stay one token.
 */
export function quoteValue(value: PropValue): string {
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`property value ${value} is not a finite number`);
    return String(value);
  }
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** `key="value"` as one argv token. */
export function propToken(key: string, value: PropValue): string {
  if (!PROP_NAME.test(key)) throw new TypeError(`invalid GStreamer property name "${key}"`);
  return `${key}=${quoteValue(value)}`;
}

/** Tokens for one element: factory, `name=…`, then its properties. */
export function elementTokens(spec: ElementSpec, name?: string): string[] {
  if (!FACTORY.test(spec.factory)) throw new TypeError(`invalid GStreamer element name "${spec.factory}"`);
  const tokens = [spec.factory];
  if (name !== undefined) {
    if (!NAME.test(name)) throw new TypeError(`invalid element instance name "${name}"`);
    tokens.push(`name=${name}`);
  }
  for (const [key, value] of Object.entries(spec.props ?? {})) if (value !== undefined) tokens.push(propToken(key, value));
  return tokens;
}

/** A reference to a named element (`name.`), used to link branches. */
export function refToken(name: string): string {
  if (!NAME.test(name)) throw new TypeError(`invalid element reference "${name}"`);
  return `${name}.`;
}

/** The description as people read it (explain output); argv tokens are what actually runs. */
export function describeTokens(tokens: readonly string[]): string {
  const lines: string[] = [];
  let line: string[] = [];
  for (const token of tokens) {
    if (token === '\n') {
      if (line.length) lines.push(line.join(' '));
      line = [];
    } else line.push(token);
  }
  if (line.length) lines.push(line.join(' '));
  return lines.join('\n  ');
}
