// GStreamer room/session signalling server (gst-examples simple_server.py protocol), wire-compatible
// with its clients: HELLO, SESSION relay, ROOM with JOINED/LEFT/MSG/LIST, the original ERROR texts.
import { randomBytes } from 'node:crypto';
import type { Server as HttpServer } from 'node:http';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { TypedEmitter } from '@rivulet/client';
import { closeHttpServer, createHttpServer, listen, SignallingServerError, type ListenOptions, type ServerAddress } from '../common/listen.js';
import { isSingleToken, pyRepr, pySplit } from '../common/py-text.js';
import { RateLimiter } from '../common/rate-limit.js';
import { CLOSE_POLICY, sendGuarded, startKeepAlive } from '../common/ws-guard.js';

export interface RoomServerOptions {
  /** Largest accepted frame; bigger ones close the connection with 1009 (default 1 MiB). */
  readonly maxFrameBytes?: number;
  /** Keep-alive ping interval (the original pings after 30 s of silence). */
  readonly keepAliveMs?: number;
  /** Messages per second a client may send before it is closed with 1008 (burst is twice this). */
  readonly maxMessagesPerSecond?: number;
  /** A receiver with more than this queued is dropped as a slow consumer. */
  readonly maxBufferedBytes?: number;
  /** HTTP path answering 200 "OK\n" for health checks, as the original's --health. */
  readonly healthPath?: string;
}

export interface RoomServerEvents {
  registered: [uid: string];
  disconnected: [uid: string];
  'session-started': [caller: string, callee: string];
  'room-joined': [room: string, uid: string];
  'room-left': [room: string, uid: string];
  /** A client broke the protocol; it got an ERROR text or was closed. */
  'client-error': [who: string, message: string];
}

interface Peer {
  readonly uid: string;
  readonly ws: WebSocket;
  /** null: idle; 'session': in a 1-1 session; otherwise the room id. */
  status: string | null;
  sessionWith?: string;
}

const DEFAULTS = { maxFrameBytes: 1 << 20, keepAliveMs: 30_000, maxMessagesPerSecond: 500, maxBufferedBytes: 4 << 20, healthPath: '/health' };

export class RoomServer extends TypedEmitter<RoomServerEvents> {
  private readonly options: Required<RoomServerOptions>;
  private readonly peers = new Map<string, Peer>();
  private readonly rooms = new Map<string, Set<string>>();
  private http?: HttpServer;
  private wss?: WebSocketServer;
  private stopKeepAlive?: () => void;

  constructor(options: RoomServerOptions = {}) {
    super();
    this.options = { ...DEFAULTS, ...options };
  }

  get peerCount(): number {
    return this.peers.size;
  }

  get connectionCount(): number {
    return this.wss?.clients.size ?? 0;
  }

  async start(listenOptions: ListenOptions = {}): Promise<ServerAddress> {
    if (this.http) throw new SignallingServerError('already-started', 'room server: start() called twice');
    const http = (this.http = await createHttpServer(listenOptions.tls));
    http.on('request', (req, res) => {
      const ok = req.url === this.options.healthPath;
      res.writeHead(ok ? 200 : 426, { 'content-type': 'text/plain' });
      res.end(ok ? 'OK\n' : 'Upgrade Required\n');
    });
    const wss = (this.wss = new WebSocketServer({ server: http, maxPayload: this.options.maxFrameBytes, perMessageDeflate: false }));
    wss.on('connection', (ws) => this.accept(ws));
    this.stopKeepAlive = startKeepAlive(wss, this.options.keepAliveMs);
    return listen(http, listenOptions.host ?? '127.0.0.1', listenOptions.port ?? 8443, Boolean(listenOptions.tls));
  }

  async close(): Promise<void> {
    this.stopKeepAlive?.();
    for (const ws of this.wss?.clients ?? []) ws.terminate();
    this.wss?.close();
    if (this.http) await closeHttpServer(this.http);
    this.peers.clear();
    this.rooms.clear();
    this.http = undefined;
    this.wss = undefined;
  }

  private accept(ws: WebSocket): void {
    const limiter = new RateLimiter(this.options.maxMessagesPerSecond);
    let peer: Peer | undefined;
    ws.on('error', (error) => this.emit('client-error', peer?.uid ?? 'unregistered client', error.message));
    ws.on('close', () => {
      if (peer) this.removePeer(peer);
    });
    ws.on('message', (data, isBinary) => {
      if (!limiter.take()) {
        this.emit('client-error', peer?.uid ?? 'unregistered client', 'rate limit exceeded');
        ws.close(CLOSE_POLICY, 'rate limit exceeded');
        return;
      }
      if (!peer) {
        peer = this.hello(ws, data, isBinary);
        return;
      }
      this.handle(peer, data, isBinary);
    });
  }

  /**
   * `HELLO <uid>` → `HELLO`; a bare `HELLO` → `HELLO <uid>` with a uid we make (gst-examples'
   * session-client.py and room-client.py register that way; the original crashes on it); anything
   * else closes with 1002 as the original does.
   */
  private hello(ws: WebSocket, data: RawData, isBinary: boolean): Peer | undefined {
    const parts = isBinary ? [] : pySplit(data.toString(), 1);
    if (parts[0] !== 'HELLO') {
      this.emit('client-error', 'unregistered client', 'invalid protocol');
      ws.close(1002, 'invalid protocol');
      return undefined;
    }
    const assigned = parts[1] === undefined;
    const uid = parts[1] ?? this.freshUid();
    if (!isSingleToken(uid) || this.peers.has(uid)) {
      this.emit('client-error', 'unregistered client', `invalid peer uid ${pyRepr(uid)}`);
      ws.close(1002, 'invalid peer uid');
      return undefined;
    }
    const peer: Peer = { uid, ws, status: null };
    this.peers.set(uid, peer);
    this.send(peer, assigned ? `HELLO ${uid}` : 'HELLO');
    this.emit('registered', uid);
    return peer;
  }

  private freshUid(): string {
    for (;;) {
      const uid = `peer-${randomBytes(4).toString('hex')}`;
      if (!this.peers.has(uid)) return uid;
    }
  }

  private handle(peer: Peer, data: RawData, isBinary: boolean): void {
    if (peer.status === 'session') {
      const other = peer.sessionWith === undefined ? undefined : this.peers.get(peer.sessionWith);
      if (other) sendGuarded(other.ws, toBuffer(data), this.options.maxBufferedBytes, isBinary);
      return;
    }
    if (isBinary) return this.error(peer, 'ERROR binary messages are only relayed inside a session');
    const msg = data.toString();
    if (peer.status !== null) return this.inRoom(peer, peer.status, msg);
    const command = pySplit(msg, 1)[0] ?? '';
    if (command === 'SESSION') return this.session(peer, msg);
    if (command === 'ROOM') return this.joinRoom(peer, msg);
    if (command === 'ROOM_PEER_MSG' || command === 'ROOM_PEER_LIST') return this.error(peer, `ERROR peer ${pyRepr(peer.uid)} is not in a room`);
    this.error(peer, `ERROR unknown command ${pyRepr(command)}`);
  }

  private session(peer: Peer, msg: string): void {
    const calleeId = pySplit(msg, 1)[1] ?? '';
    const callee = this.peers.get(calleeId);
    if (!callee) return this.error(peer, `ERROR peer ${pyRepr(calleeId)} not found`);
    if (callee === peer || callee.status !== null) return this.error(peer, `ERROR peer ${pyRepr(calleeId)} busy`);
    this.send(peer, 'SESSION_OK');
    peer.status = callee.status = 'session';
    peer.sessionWith = callee.uid;
    callee.sessionWith = peer.uid;
    this.emit('session-started', peer.uid, callee.uid);
  }

  private joinRoom(peer: Peer, msg: string): void {
    const roomId = pySplit(msg, 1)[1] ?? '';
    if (roomId === 'session' || !isSingleToken(roomId)) return this.error(peer, `ERROR invalid room id ${pyRepr(roomId)}`);
    let members = this.rooms.get(roomId);
    if (!members) this.rooms.set(roomId, (members = new Set()));
    // The trailing space on an empty room is what the original sends.
    this.send(peer, `ROOM_OK ${[...members].join(' ')}`);
    peer.status = roomId;
    members.add(peer.uid);
    // Encoded once: a join into a big room fans out to every member.
    const joined = Buffer.from(`ROOM_PEER_JOINED ${peer.uid}`);
    for (const uid of members) if (uid !== peer.uid) this.sendTo(uid, joined);
    this.emit('room-joined', roomId, peer.uid);
  }

  private inRoom(peer: Peer, roomId: string, msg: string): void {
    if (msg === 'ROOM_PEER_LIST') {
      const others = [...(this.rooms.get(roomId) ?? [])].filter((uid) => uid !== peer.uid);
      return this.send(peer, `ROOM_PEER_LIST ${others.join(' ')}`);
    }
    const parts = pySplit(msg, 2);
    if (parts[0] !== 'ROOM_PEER_MSG') return this.error(peer, 'ERROR invalid msg, already in room');
    const [, otherId = '', body] = parts;
    if (body === undefined) return this.error(peer, 'ERROR invalid ROOM_PEER_MSG, expected ROOM_PEER_MSG <peer_id> <msg>');
    const other = this.peers.get(otherId);
    if (!other) return this.error(peer, `ERROR peer ${pyRepr(otherId)} not found`);
    if (other.status !== roomId) return this.error(peer, `ERROR peer ${pyRepr(otherId)} is not in the room`);
    sendGuarded(other.ws, `ROOM_PEER_MSG ${peer.uid} ${body}`, this.options.maxBufferedBytes);
  }

  private removePeer(peer: Peer): void {
    if (this.peers.get(peer.uid) !== peer) return;
    this.peers.delete(peer.uid);
    if (peer.status === 'session' && peer.sessionWith !== undefined) {
      const other = this.peers.get(peer.sessionWith);
      // The session ends with the peer: close the other side to reset its state, as the original does.
      if (other?.sessionWith === peer.uid) {
        other.sessionWith = undefined;
        other.ws.close(1000);
      }
    } else if (peer.status !== null) {
      const members = this.rooms.get(peer.status);
      if (members?.delete(peer.uid)) {
        const left = Buffer.from(`ROOM_PEER_LEFT ${peer.uid}`);
        for (const uid of members) this.sendTo(uid, left);
        this.emit('room-left', peer.status, peer.uid);
        if (members.size === 0) this.rooms.delete(peer.status);
      }
    }
    this.emit('disconnected', peer.uid);
  }

  private error(peer: Peer, text: string): void {
    this.emit('client-error', peer.uid, text);
    this.send(peer, text);
  }

  private send(peer: Peer, text: string | Buffer): void {
    sendGuarded(peer.ws, text, this.options.maxBufferedBytes);
  }

  private sendTo(uid: string, text: string | Buffer): void {
    const peer = this.peers.get(uid);
    if (peer) this.send(peer, text);
  }
}

function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}
