// Named-stream signalling server (rtclite streams.py protocol): one publisher and any number of
// subscribers per WebSocket path, EVENT notifications, NOTIFY relay and the sha1 access scheme.
import { createHash, randomInt } from 'node:crypto';
import type { IncomingMessage, Server as HttpServer } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { TypedEmitter } from '@rivulet/client';
import { closeHttpServer, createHttpServer, listen, SignallingServerError, type ListenOptions, type ServerAddress } from '../common/listen.js';
import { RateLimiter } from '../common/rate-limit.js';
import { CLOSE_POLICY, sendGuarded, startKeepAlive } from '../common/ws-guard.js';

export type StreamMode = 'publish' | 'subscribe';
export type StreamEventType = 'created' | 'subscribed' | 'unsubscribed' | 'published' | 'unpublished';

export interface NamedStreamServerOptions {
  readonly maxFrameBytes?: number;
  readonly keepAliveMs?: number;
  readonly maxMessagesPerSecond?: number;
  readonly maxBufferedBytes?: number;
  /** Returned to `{"method":"GET","resource":"/peerconnection"}` (no public STUN by default: nothing leaves the machine). */
  readonly iceServers?: readonly unknown[];
}

export interface NamedStreamServerEvents {
  joined: [path: string, id: string, mode: StreamMode];
  left: [path: string, id: string, mode: StreamMode];
  refused: [url: string, reason: string];
  'client-error': [who: string, message: string];
}

interface Member {
  readonly ws: WebSocket;
  readonly id: string;
  readonly mode: StreamMode;
  readonly stream: Stream;
}

interface Stream {
  readonly key: string;
  readonly members: Map<string, Member>;
}

const PUBLISHER_ID = '0';
const URL_PATTERN = /^(.*)\?mode=(publish|subscribe)$/s;
const DEFAULTS = { maxFrameBytes: 1 << 20, keepAliveMs: 30_000, maxMessagesPerSecond: 500, maxBufferedBytes: 4 << 20, iceServers: [] as readonly unknown[] };

/** The key a stream is stored under: a publisher on /sha1/<path> is found by subscribers at /sha1/<sha1hex(path)>. */
export function streamKey(path: string, mode: StreamMode): string {
  if (mode === 'publish' && path.startsWith('/sha1/')) return `/sha1/${createHash('sha1').update(path.slice(5)).digest('hex')}`;
  return path;
}

export class NamedStreamServer extends TypedEmitter<NamedStreamServerEvents> {
  private readonly options: Required<NamedStreamServerOptions>;
  private readonly streams = new Map<string, Stream>();
  private http?: HttpServer;
  private wss?: WebSocketServer;
  private stopKeepAlive?: () => void;

  constructor(options: NamedStreamServerOptions = {}) {
    super();
    this.options = { ...DEFAULTS, ...options };
  }

  get streamCount(): number {
    return this.streams.size;
  }

  get connectionCount(): number {
    return this.wss?.clients.size ?? 0;
  }

  async start(listenOptions: ListenOptions = {}): Promise<ServerAddress> {
    if (this.http) throw new SignallingServerError('already-started', 'named-stream server: start() called twice');
    const http = (this.http = await createHttpServer(listenOptions.tls));
    http.on('request', (_req, res) => {
      res.writeHead(426, { 'content-type': 'text/plain' });
      res.end('Upgrade Required\n');
    });
    const wss = (this.wss = new WebSocketServer({ noServer: true, maxPayload: this.options.maxFrameBytes, perMessageDeflate: false }));
    http.on('upgrade', (req, socket, head) => this.upgrade(wss, req, socket, head));
    this.stopKeepAlive = startKeepAlive(wss, this.options.keepAliveMs);
    return listen(http, listenOptions.host ?? '127.0.0.1', listenOptions.port ?? 0, Boolean(listenOptions.tls));
  }

  async close(): Promise<void> {
    this.stopKeepAlive?.();
    for (const ws of this.wss?.clients ?? []) ws.terminate();
    this.wss?.close();
    if (this.http) await closeHttpServer(this.http);
    this.streams.clear();
    this.http = undefined;
    this.wss = undefined;
  }

  /** Refuses at the handshake, as the original does, a bad path/mode or a second publisher. */
  private upgrade(wss: WebSocketServer, req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => undefined);
    const url = req.url ?? '';
    const match = URL_PATTERN.exec(url);
    if (!match) return this.refuse(socket, url, 'incorrect path or mode');
    const [, path = '', mode] = match as unknown as [string, string, StreamMode];
    if (mode === 'publish' && this.streams.get(streamKey(path, mode))?.members.has(PUBLISHER_ID)) return this.refuse(socket, url, 'publisher exists');
    wss.handleUpgrade(req, socket, head, (ws) => {
      wss.emit('connection', ws, req);
      this.open(ws, path, mode);
    });
  }

  private refuse(socket: Duplex, url: string, reason: string): void {
    this.emit('refused', url, reason);
    socket.end(`HTTP/1.1 400 Bad Request - ${reason}\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(reason)}\r\nConnection: close\r\n\r\n${reason}`);
  }

  private open(ws: WebSocket, path: string, mode: StreamMode): void {
    ws.on('error', (error) => this.emit('client-error', path, error.message));
    const key = streamKey(path, mode);
    let stream = this.streams.get(key);
    if (!stream) this.streams.set(key, (stream = { key, members: new Map() }));
    if (mode === 'publish' && stream.members.has(PUBLISHER_ID)) {
      // Two publishers raced through the handshake: the later one loses.
      ws.close(CLOSE_POLICY, 'publisher exists');
      return;
    }
    const member: Member = { ws, mode, stream, id: mode === 'publish' ? PUBLISHER_ID : this.freshId(stream) };
    stream.members.set(member.id, member);
    const limiter = new RateLimiter(this.options.maxMessagesPerSecond);
    ws.on('close', () => this.leave(member));
    ws.on('message', (data, isBinary) => {
      if (!limiter.take()) {
        this.emit('client-error', describe(member), 'rate limit exceeded');
        ws.close(CLOSE_POLICY, 'rate limit exceeded');
        return;
      }
      this.message(member, data, isBinary);
    });

    this.event(member, 'created', member.id);
    const publisher = stream.members.get(PUBLISHER_ID);
    if (mode === 'publish') {
      for (const other of stream.members.values()) {
        if (other === member) continue;
        this.event(other, 'published', member.id);
        this.event(member, 'subscribed', other.id);
      }
    } else if (publisher) {
      this.event(member, 'published', publisher.id);
      this.event(publisher, 'subscribed', member.id);
    }
    this.emit('joined', key, member.id, mode);
  }

  private leave(member: Member): void {
    const { stream } = member;
    if (stream.members.get(member.id) !== member) return;
    stream.members.delete(member.id);
    if (stream.members.size === 0) this.streams.delete(stream.key);
    else if (member.mode === 'publish') for (const other of stream.members.values()) this.event(other, 'unpublished', member.id);
    else {
      const publisher = stream.members.get(PUBLISHER_ID);
      if (publisher) this.event(publisher, 'unsubscribed', member.id);
    }
    this.emit('left', stream.key, member.id, member.mode);
  }

  private message(member: Member, data: RawData, isBinary: boolean): void {
    if (isBinary) return this.fail(member, 'binary frames are not supported', undefined);
    const text = data.toString();
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return this.fail(member, 'message is not JSON', undefined);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return this.fail(member, 'message is not a JSON object', undefined);
    const msg = parsed as Record<string, unknown>;
    if (msg['method'] === 'GET' && msg['resource'] === '/peerconnection') {
      const response: Record<string, unknown> = { code: 'success', result: { configuration: { iceServers: this.options.iceServers } } };
      if ('msg_id' in msg) response['msg_id'] = msg['msg_id'];
      this.send(member, JSON.stringify(response));
      return;
    }
    if (msg['method'] !== 'NOTIFY') return this.fail(member, `unknown method ${JSON.stringify(msg['method'] ?? null)}`, msg['msg_id']);
    const to = normaliseId(msg['to']);
    const target = to === undefined ? undefined : member.stream.members.get(to);
    if (!target) return this.fail(member, `no client ${JSON.stringify(msg['to'] ?? null)} on ${member.stream.key}`, msg['msg_id']);
    sendGuarded(target.ws, relayed(text, msg, to as string, member.id), this.options.maxBufferedBytes);
  }

  /** Errors go back to the offender in the shape of the original's GET responses; clients that don't know it ignore it. */
  private fail(member: Member, reason: string, msgId: unknown): void {
    this.emit('client-error', describe(member), reason);
    const response: Record<string, unknown> = { code: 'failed', reason };
    if (msgId !== undefined) response['msg_id'] = msgId;
    this.send(member, JSON.stringify(response));
  }

  private event(member: Member, type: StreamEventType, id: string): void {
    this.send(member, JSON.stringify({ method: 'EVENT', data: { type, id } }));
  }

  private send(member: Member, text: string): void {
    sendGuarded(member.ws, text, this.options.maxBufferedBytes);
  }

  private freshId(stream: Stream): string {
    // Random ids in 1..10000 as the original; widen the range if a path ever fills it.
    const range = stream.members.size < 5_000 ? 10_000 : 1_000_000_000;
    for (;;) {
      const id = String(randomInt(1, range + 1));
      if (!stream.members.has(id)) return id;
    }
  }
}

const NOTIFY_HEAD = /^\{"method":"NOTIFY","to":(?:"(\d+)"|(\d+)),/;

/**
 * The NOTIFY as delivered: `to` swapped for `from`, everything else untouched. A message already in
 * the usual compact shape is forwarded by swapping its head (no re-serialisation: relays are the hot
 * path); the parse above has validated it, and the checks here make sure no later duplicate key
 * changed its meaning.
 */
function relayed(text: string, msg: Record<string, unknown>, to: string, from: string): string {
  const head = NOTIFY_HEAD.exec(text);
  if (head && (head[1] ?? head[2]) === to && String(msg['to']) === to && !('from' in msg)) return `{"method":"NOTIFY","from":"${from}",${text.slice(head[0].length)}`;
  const { method: _method, to: _to, from: _from, ...rest } = msg;
  return JSON.stringify({ method: 'NOTIFY', from, ...rest });
}

/** The original does int(data['to']): "12", 12 and " 12 " all name client 12. */
function normaliseId(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isInteger(value)) return String(value);
  if (typeof value === 'string' && /^\s*[+-]?\d+\s*$/.test(value)) return String(Number.parseInt(value, 10));
  return undefined;
}

function describe(member: Member): string {
  return `${member.mode === 'publish' ? 'publisher' : 'subscriber'} ${member.id} on ${member.stream.key}`;
}
