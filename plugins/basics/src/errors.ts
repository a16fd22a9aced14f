// Errors raised by the basic nodes: a stable code and a message naming the node's path or expression.

export type BasicsErrorCode = 'file-read-failed' | 'file-write-failed' | 'expression-failed';

export class BasicsError extends Error {
  override readonly name = 'BasicsError';
  constructor(
    readonly code: BasicsErrorCode,
    message: string,
    readonly context: Readonly<Record<string, unknown>> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The errno code of a Node.js system error (`ENOENT`), when there is one. */
export function systemCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}
