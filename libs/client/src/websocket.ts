// The small part of the WebSocket interface the client uses, met by the browser's WebSocket and by `ws`.

/** Method-derived function types are checked bivariantly, so `ws`'s richer event types fit. */
type Handler<E> = { bivariance(event: E): void }['bivariance'];

export interface WebSocketLike {
  readonly readyState: number;
  onopen: Handler<unknown> | null;
  onmessage: Handler<{ readonly data: unknown }> | null;
  onclose: Handler<{ readonly code: number; readonly reason: string }> | null;
  onerror: Handler<unknown> | null;
  close(code?: number, reason?: string): void;
}

export type WebSocketConstructor = new (url: string) => WebSocketLike;

/** Text of a message frame, whether it arrived as a string, a Node Buffer or an ArrayBuffer. */
export function frameText(data: unknown): string | undefined {
  if (typeof data === 'string') return data;
  if (data instanceof ArrayBuffer) return new TextDecoder().decode(data);
  if (data instanceof Uint8Array) return new TextDecoder().decode(data);
  return undefined;
}
