// The one error the client throws: the HTTP status, the server's stable code and its message.
import type { GraphIssue } from '@rivulet/core';

export class RivuletApiError extends Error {
  override readonly name = 'RivuletApiError';
  constructor(
    /** HTTP status, or 0 when the server could not be reached. */
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues: readonly GraphIssue[] = [],
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
