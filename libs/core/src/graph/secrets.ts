// Secret params in graph documents: masked in API answers and logs, kept when an edited graph comes back masked.
import type { Catalogue } from '../catalogue/catalogue.js';
import { SECRET_MASK } from '../plugin/secret.js';

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function secretNames(catalogue: Catalogue, type: unknown): readonly string[] {
  return typeof type === 'string' ? (catalogue.descriptor(type)?.secrets ?? []) : [];
}

/** Applies `change` to each node that has secret params set, copying only what changes. */
function mapSecretNodes<T>(document: T, catalogue: Catalogue, change: (node: JsonObject, params: JsonObject, secrets: readonly string[], index: number) => JsonObject): T {
  if (!isObject(document) || !Array.isArray(document['nodes'])) return document;
  let changed = false;
  const nodes = document['nodes'].map((node: unknown, index: number) => {
    if (!isObject(node) || !isObject(node['params'])) return node;
    const secrets = secretNames(catalogue, node['type']).filter((name) => Object.hasOwn(node['params'] as JsonObject, name));
    if (secrets.length === 0) return node;
    const params = change(node, node['params'], secrets, index);
    if (params === node['params']) return node;
    changed = true;
    return { ...node, params };
  });
  return changed ? ({ ...document, nodes } as T) : document;
}

/**
 * A copy of the graph with every secret param value replaced by SECRET_MASK, for API answers
 * and logs. Works on raw (unvalidated) documents too; node types the catalogue does not know
 * are left as they are, since which of their params are secret is unknown.
 */
export function redactSecrets<T>(document: T, catalogue: Catalogue): T {
  return mapSecretNodes(document, catalogue, (_node, params, secrets) => {
    const masked: JsonObject = { ...params };
    for (const name of secrets) if (masked[name] !== undefined) masked[name] = SECRET_MASK;
    return masked;
  });
}

/**
 * When an edited graph comes back with SECRET_MASK for a secret param, puts back the value
 * stored for the same node (same id and type), so the editor can save without knowing it.
 * A mask with no stored value to restore is removed rather than saved as the secret itself,
 * so validation reports the param as missing.
 */
export function restoreSecrets<T>(incoming: T, stored: unknown, catalogue: Catalogue): T {
  const storedNodes = new Map<string, JsonObject>();
  if (isObject(stored) && Array.isArray(stored['nodes'])) {
    for (const node of stored['nodes']) if (isObject(node) && typeof node['id'] === 'string') storedNodes.set(node['id'], node);
  }
  return mapSecretNodes(incoming, catalogue, (node, params, secrets) => {
    const masked = secrets.filter((name) => params[name] === SECRET_MASK);
    if (masked.length === 0) return params;
    const previous = typeof node['id'] === 'string' ? storedNodes.get(node['id']) : undefined;
    const previousParams = previous && previous['type'] === node['type'] && isObject(previous['params']) ? previous['params'] : {};
    const restored: JsonObject = { ...params };
    for (const name of masked) {
      if (previousParams[name] !== undefined && previousParams[name] !== SECRET_MASK) restored[name] = previousParams[name];
      else delete restored[name];
    }
    return restored;
  });
}
