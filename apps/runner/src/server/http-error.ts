// Errors that become JSON answers: an HTTP status, a stable code and a message.
import type { GraphIssue } from '@rivulet/core';

export class HttpError extends Error {
  override readonly name = 'HttpError';
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly issues?: readonly GraphIssue[],
  ) {
    super(message);
  }
}

/** Stable codes for the statuses fastify raises itself. */
export function codeForStatus(status: number): string {
  switch (status) {
    case 400:
      return 'bad-request';
    case 401:
      return 'unauthorized';
    case 404:
      return 'not-found';
    case 405:
      return 'method-not-allowed';
    case 413:
      return 'body-too-large';
    case 415:
      return 'unsupported-media-type';
    default:
      return status >= 500 ? 'internal-error' : 'request-error';
  }
}
