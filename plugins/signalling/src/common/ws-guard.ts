// Keep-alive pings, slow-consumer protection and close codes shared by the raw WebSocket servers.
import type { WebSocket, WebSocketServer } from 'ws';

export const CLOSE_POLICY = 1008;
export const CLOSE_TOO_BIG = 1009;

const alive = new WeakSet<WebSocket>();

/**
 * Pings every client each interval; a client that did not answer the previous ping is dropped,
 * so dead peers behind NAT routers leave their rooms. Returns a stop function.
 */
export function startKeepAlive(wss: WebSocketServer, intervalMs: number): () => void {
  const onConnection = (ws: WebSocket) => {
    alive.add(ws);
    ws.on('pong', () => alive.add(ws));
  };
  wss.on('connection', onConnection);
  const timer = setInterval(() => {
    for (const ws of wss.clients) {
      if (!alive.has(ws)) {
        ws.terminate();
        continue;
      }
      alive.delete(ws);
      ws.ping();
    }
  }, intervalMs);
  timer.unref();
  return () => {
    clearInterval(timer);
    wss.off('connection', onConnection);
  };
}

/**
 * Sends unless the receiver has stopped reading: past `maxBufferedBytes` queued it is dropped
 * instead of growing server memory without bound. Returns whether it was sent.
 */
export function sendGuarded(ws: WebSocket, data: string | Buffer, maxBufferedBytes: number, binary = false): boolean {
  if (ws.readyState !== ws.OPEN) return false;
  if (ws.bufferedAmount > maxBufferedBytes) {
    ws.terminate();
    return false;
  }
  ws.send(data, { binary });
  return true;
}
