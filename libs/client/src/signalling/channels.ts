// Adapters from each protocol client to one SignalMessage duplex: what a client node's ports carry.
import { Observable, share } from 'rxjs';
import type { NamedStreamClient } from './named-stream.js';
import type { RoomClient, SessionClient } from './room.js';
import { gstJson, namedStreamData, parseErrorText, usersListMessage, type SignalMessage } from './signal.js';
import type { UsersListClient } from './users-list.js';

/** The signalling server's own complaint (a bad command, an unknown peer): no peer sent it. */
function serverError(reason: string): SignalMessage {
  return { kind: 'error', code: 'server', reason };
}

export interface SignalChannel {
  /** Inbound offers/answers/candidates/presence/errors (peers' and the server's); completes when the connection closes. */
  readonly messages: Observable<SignalMessage>;
  /** Sends to `message.peer`, or the default peer; returns false when there is nobody to send to or it cannot be encoded. */
  send(message: SignalMessage): boolean;
  close(): void;
}

/** Remembers whom to talk to when an outbound message names no peer: the last peer heard from or seen joining. */
class PeerMemory {
  last?: string;
  readonly present = new Set<string>();
  joined(peer: string): void {
    this.present.add(peer);
    this.last ??= peer;
  }
  left(peer: string): void {
    this.present.delete(peer);
    if (this.last === peer) this.last = [...this.present].at(-1);
  }
  heard(peer: string | undefined): void {
    if (peer !== undefined) this.last = peer;
  }
  target(message: SignalMessage): string | undefined {
    return message.peer ?? this.last;
  }
}

export function roomChannel(client: RoomClient): SignalChannel {
  const memory = new PeerMemory();
  for (const peer of client.peers) memory.joined(peer);
  const messages = new Observable<SignalMessage>((subscriber) => {
    const offs = [
      client.on('peer-joined', (peer) => {
        memory.joined(peer);
        subscriber.next({ kind: 'peer-joined', peer });
      }),
      client.on('peer-left', (peer) => {
        memory.left(peer);
        subscriber.next({ kind: 'peer-left', peer });
      }),
      client.on('message', (from, text) => {
        const message = gstJson.decode(text, from);
        if (!message) return;
        memory.heard(from);
        subscriber.next(message);
      }),
      client.on('error', (text) => subscriber.next(serverError(text))),
      client.on('close', () => subscriber.complete()),
    ];
    // Members already in the room when we joined are announced like later arrivals.
    for (const peer of client.peers) subscriber.next({ kind: 'peer-joined', peer });
    return () => offs.forEach((off) => off());
  }).pipe(share());
  return {
    messages,
    send(message) {
      const to = memory.target(message);
      const text = gstJson.encode(message);
      if (to === undefined || text === undefined) return false;
      client.send(to, text);
      return true;
    },
    close: () => client.close(),
  };
}

export function sessionChannel(client: SessionClient): SignalChannel {
  const messages = new Observable<SignalMessage>((subscriber) => {
    if (client.peer !== undefined) subscriber.next({ kind: 'peer-joined', peer: client.peer });
    const offs = [
      client.on('message', (text) => {
        const message = gstJson.decode(text, client.peer);
        if (message) subscriber.next(message);
      }),
      // In a session the server relays everything verbatim, so an ERROR text is the other side's (or, before
      // the call, the server's): the client reports both as `error` events.
      client.on('error', (text) => {
        const message = parseErrorText(text, client.peer);
        if (message) subscriber.next(message);
      }),
      client.on('close', () => {
        subscriber.next({ kind: 'bye', ...(client.peer === undefined ? {} : { peer: client.peer }) });
        subscriber.complete();
      }),
    ];
    return () => offs.forEach((off) => off());
  }).pipe(share());
  return {
    messages,
    send(message) {
      // A session has one other side, and it ends by disconnecting.
      if (message.kind === 'bye') {
        client.close();
        return true;
      }
      const text = gstJson.encode(message);
      if (text === undefined) return false;
      client.send(text);
      return true;
    },
    close: () => client.close(),
  };
}

export function namedStreamChannel(client: NamedStreamClient): SignalChannel {
  const memory = new PeerMemory();
  const messages = new Observable<SignalMessage>((subscriber) => {
    const arrived = (peer: string) => {
      memory.joined(peer);
      subscriber.next({ kind: 'peer-joined', peer });
    };
    const gone = (peer: string) => {
      memory.left(peer);
      subscriber.next({ kind: 'peer-left', peer });
    };
    const offs = [
      client.on('published', arrived),
      client.on('subscribed', arrived),
      client.on('unpublished', gone),
      client.on('unsubscribed', gone),
      client.on('notify', (from, data) => {
        const message = namedStreamData.decode(data, from);
        if (!message) return;
        memory.heard(from);
        subscriber.next(message);
      }),
      client.on('error', (reason) => subscriber.next(serverError(reason))),
      client.on('close', () => subscriber.complete()),
    ];
    return () => offs.forEach((off) => off());
  }).pipe(share());
  return {
    messages,
    send(message) {
      const to = memory.target(message);
      const data = namedStreamData.encode(message);
      if (to === undefined || data === undefined) return false;
      client.notify(to, data);
      return true;
    },
    close: () => client.close(),
  };
}

export function usersListChannel(client: UsersListClient): SignalChannel {
  const memory = new PeerMemory();
  let known = new Set<string>();
  const messages = new Observable<SignalMessage>((subscriber) => {
    const onList = (ids: string[]) => {
      const now = new Set(ids.filter((id) => id !== client.id));
      for (const id of now) {
        if (known.has(id)) continue;
        memory.joined(id);
        subscriber.next({ kind: 'peer-joined', peer: id });
      }
      for (const id of known) {
        if (now.has(id)) continue;
        memory.left(id);
        subscriber.next({ kind: 'peer-left', peer: id });
      }
      known = now;
    };
    const offs = [
      client.on('usersList', onList),
      client.on('message', (value) => {
        const message = usersListMessage.decode(value);
        if (!message) return;
        memory.heard(message.peer);
        subscriber.next(message);
      }),
      client.on('error', (error) => subscriber.next(serverError(`${error.code}: ${error.message}`))),
      client.on('close', () => subscriber.complete()),
    ];
    return () => offs.forEach((off) => off());
  }).pipe(share());
  return {
    messages,
    send(message) {
      const to = memory.target(message);
      if (to === undefined) return false;
      const value = usersListMessage.encode(message, to, client.id);
      if (!value) return false;
      client.send(value as Record<string, unknown> & { id: string });
      return true;
    },
    close: () => client.close(),
  };
}
