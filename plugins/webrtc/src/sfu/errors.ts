// Errors of the SFU: a stable code, a message naming the transport or publisher, and the HTTP status a client sees.

export type SfuErrorCode =
  | 'bad-sdp'
  | 'unknown-publisher'
  | 'unknown-session'
  | 'stale-answer'
  | 'unauthorized'
  | 'closed'
  | 'negotiation-failed'
  | 'recording-failed';

const STATUS: Record<SfuErrorCode, number> = {
  'bad-sdp': 400,
  'unknown-publisher': 400,
  'unknown-session': 404,
  'stale-answer': 400,
  unauthorized: 401,
  closed: 410,
  'negotiation-failed': 400,
  'recording-failed': 500,
};

export class SfuError extends Error {
  override readonly name = 'SfuError';
  readonly status: number;
  constructor(
    readonly code: SfuErrorCode,
    message: string,
  ) {
    super(message);
    this.status = STATUS[code];
  }
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
