// socket.io's own parser, plus a shortcut for the relay: a `message` event is sent on as the text it
// arrived in instead of being serialised again, which saves the relay a JSON.stringify per message.
//
// The decoder tags the payload of a plain `message` event (default namespace, no ack id, exactly one
// object argument) with the packet text it came in; when that object is emitted as `message`, the
// encoder writes the tagged text. The receiver gets `42["message",<the sender's JSON>]`: byte for
// byte what socket.io would write for any sender that serialises with JSON.stringify (every
// socket.io client does), and the same value after JSON.parse for any other.
import { createRequire } from 'node:module';
import type * as IoParser from 'socket.io-parser';

// The CommonJS build is the instance socket.io itself loads; the ESM entry for Node is a debug build.
const ioParser = createRequire(import.meta.url)('socket.io-parser') as typeof IoParser;
const { PacketType } = ioParser;

const MESSAGE_PREFIX = '2["message",{';
/** A symbol key: invisible to JSON.stringify and Object.keys, and cheaper per message than a WeakMap. */
const ARRIVED_AS = Symbol('arrivedAs');

type Tagged = Record<symbol, string | undefined>;

class RelayDecoder extends ioParser.Decoder {
  private text: string | undefined;

  constructor(...args: ConstructorParameters<typeof IoParser.Decoder>) {
    super(...args);
    // Registered before socket.io's own listener, so the payload is tagged before the event is dispatched.
    this.on('decoded', (packet: IoParser.Packet) => {
      const text = this.text;
      if (text === undefined || packet.type !== PacketType.EVENT || packet.nsp !== '/' || packet.id !== undefined) return;
      const data: unknown = packet.data;
      if (!Array.isArray(data) || data.length !== 2) return;
      const payload: unknown = data[1];
      if (typeof payload === 'object' && payload !== null && !Array.isArray(payload)) (payload as Tagged)[ARRIVED_AS] = text;
    });
  }

  override add(obj: unknown): void {
    this.text = typeof obj === 'string' && obj.startsWith(MESSAGE_PREFIX) ? obj : undefined;
    try {
      super.add(obj);
    } finally {
      this.text = undefined;
    }
  }
}

class RelayEncoder extends ioParser.Encoder {
  override encode(packet: IoParser.Packet): unknown[] {
    if (packet.type === PacketType.EVENT && packet.nsp === '/' && packet.id === undefined) {
      const data: unknown = packet.data;
      if (Array.isArray(data) && data.length === 2 && data[0] === 'message' && typeof data[1] === 'object' && data[1] !== null) {
        const text = (data[1] as Tagged)[ARRIVED_AS];
        if (text !== undefined) return [text];
      }
    }
    return super.encode(packet) as unknown[];
  }
}

/** socket.io's `parser` option. */
export const relayParser = { ...ioParser, Encoder: RelayEncoder, Decoder: RelayDecoder };
