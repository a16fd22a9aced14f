// Errors as values with a stable code, a human message and a path into the graph document.

export type IssuePath = readonly (string | number)[];

/** One problem found in a graph, with where it is. */
export interface GraphIssue {
  readonly code: GraphIssueCode;
  readonly message: string;
  /** Path into the graph document, e.g. ['nodes', 2, 'params', 'bitrateKbps']. */
  readonly path: IssuePath;
  /** Line and column (1-based) in the source text, when the graph came from a file. */
  readonly line?: number;
  readonly column?: number;
}

export type GraphIssueCode =
  | 'json-syntax'
  | 'invalid-document'
  | 'unknown-node-type'
  | 'node-unavailable'
  | 'invalid-param'
  | 'duplicate-node-id'
  | 'edge-unknown-node'
  | 'edge-unknown-port'
  | 'edge-type-mismatch'
  | 'duplicate-edge'
  | 'input-fed-twice';

/** Thrown when a graph cannot run; carries every issue at once. */
export class GraphError extends Error {
  override readonly name = 'GraphError';
  constructor(
    readonly code: GraphIssueCode | 'invalid-graph',
    message: string,
    readonly issues: readonly GraphIssue[] = [],
  ) {
    super(message);
  }
}

/** Runtime failures (node create/dispose, plugin loading), with the node or package they concern. */
export class RuntimeError extends Error {
  override readonly name = 'RuntimeError';
  constructor(
    readonly code: 'node-create-failed' | 'node-failed' | 'dispose-timeout' | 'graph-running' | 'graph-not-found' | 'plugin-load-failed',
    message: string,
    readonly context: Readonly<Record<string, unknown>> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A readable message from anything thrown. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'string') return error;
  try {
    return JSON.stringify(error);
  } catch {
    return String(error);
  }
}

/** Formats a path the way people read it: nodes[2].params.bitrateKbps */
export function formatPath(path: IssuePath): string {
  let out = '';
  for (const part of path) out += typeof part === 'number' ? `[${part}]` : out ? `.${part}` : part;
  return out;
}
