// The one error type of the expression language: compile errors say what and where, run-time errors name the expression.

export type ExpressionErrorCode =
  /** The text is not a valid expression (bad token, unexpected token, too deep). */
  | 'syntax'
  /** A name the caller did not bind, or a function that is not on the whitelist. */
  | 'unknown-name'
  /** A property that is never readable (`__proto__`, `constructor`, `prototype`). */
  | 'forbidden'
  /** Evaluation failed (reading a property of null, a forbidden computed key, …). */
  | 'runtime';

export class ExpressionError extends Error {
  override readonly name = 'ExpressionError';
  constructor(
    readonly code: ExpressionErrorCode,
    message: string,
    /** The expression's source text. */
    readonly source: string,
    /** 1-based column the problem was found at, when known. */
    readonly column?: number,
  ) {
    super(message);
  }
}

/** Property names that are never read, so no expression can reach a prototype or a constructor. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);
