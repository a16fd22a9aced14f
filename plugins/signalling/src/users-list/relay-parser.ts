// socket.io's own parser, plus a shortcut for the relay: a `message` event is sent on as the text it
// arrived in instead of being serialised again.
import { createRequire } from 'node:module';
import type * as IoParser from 'socket.io-parser';

const ioParser = createRequire(import.meta.url)('socket.io-parser') as typeof IoParser;
const { PacketType } = ioParser;
const MESSAGE_PREFIX = '2["message",{';
const ARRIVED_AS = Symbol("arrivedAs");

class RelayDecoder extends ioParser.Decoder {
  private text: string | undefined;
  constructor(...args: ConstructorParameters<typeof IoParser.Decoder>) {
    super(...args);
    this.on('decoded', (packet: IoParser.Packet) => {
      const text = this.text;
      if (text === undefined || packet.type !== PacketType.EVENT || packet.nsp !== '/' || packet.id !== undefined) return;
      const data: unknown = packet.data;
      if (!Array.isArray(data) || data.length !== 2) return;
      const payload: unknown = data[1];
      if (typeof payload === 'object' && payload !== null && !Array.isArray(payload)) (payload as Record<symbol, string>)[ARRIVED_AS] = text;
    });
  }
  override add(obj: unknown): void {
    this.text = typeof obj === 'string' && obj.startsWith(MESSAGE_PREFIX) ? obj : undefined;
    try { super.add(obj); } finally { this.text = undefined; }
  }
}
class RelayEncoder extends ioParser.Encoder {
  override encode(packet: IoParser.Packet): unknown[] {
    if (packet.type === PacketType.EVENT && packet.nsp === '/' && packet.id === undefined) {
      const data: unknown = packet.data;
      if (Array.isArray(data) && data.length === 2 && data[0] === 'message' && typeof data[1] === 'object' && data[1] !== null) {
        const text = (data[1] as Record<symbol, string | undefined>)[ARRIVED_AS];
        if (text !== undefined) return [text];
      }
    }
    return super.encode(packet) as unknown[];
  }
}
export const relayParser = { ...ioParser, Encoder: RelayEncoder, Decoder: RelayDecoder };
