// A recording transport: forwards a publisher's RTP over loopback UDP to a gst-launch child that
// depayloads and muxes it to a file (WebM for VP8/Opus, Matroska for H.264), finalised by EOS on close.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import type { RtpPacket } from 'werift';
import { SfuError } from './errors.js';
import type { Publisher, RtpSink } from './publisher.js';

interface Recipe {
  readonly caps: string;
  readonly chain: readonly string[];
  readonly container: 'webm' | 'mkv';
}

function recipe(publisher: Publisher): Recipe {
  const mime = publisher.codec.mimeType.toLowerCase();
  const rate = publisher.codec.clockRate;
  if (mime === 'video/vp8') return { caps: `application/x-rtp,media=video,clock-rate=${rate},encoding-name=VP8`, chain: ['rtpvp8depay'], container: 'webm' };
  if (mime === 'video/h264') return { caps: `application/x-rtp,media=video,clock-rate=${rate},encoding-name=H264`, chain: ['rtph264depay', '!', 'h264parse'], container: 'mkv' };
  if (mime === 'audio/opus') return { caps: `application/x-rtp,media=audio,clock-rate=${rate},encoding-name=OPUS`, chain: ['rtpopusdepay', '!', 'opusparse'], container: 'webm' };
  throw new SfuError('recording-failed', `publisher ${publisher.id}: cannot record ${publisher.codec.mimeType}`);
}

/** The file extension a publisher's recording gets. */
export function recordingExtension(publisher: Publisher): 'webm' | 'mkv' {
  return recipe(publisher).container;
}

async function freeUdpPort(): Promise<number> {
  const probe = createSocket('udp4');
  await new Promise<void>((resolve, reject) => probe.once('error', reject).bind(0, '127.0.0.1', resolve));
  const { port } = probe.address();
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

export class RecordingTransport implements RtpSink {
  readonly id = randomUUID();
  private socket: Socket | undefined;
  private child: ChildProcess | undefined;
  private port = 0;
  private detach: () => void = () => undefined;
  private closing: Promise<void> | undefined;
  packets = 0;

  private constructor(
    readonly publisher: Publisher,
    readonly path: string,
    private readonly onClose: (t: RecordingTransport) => void,
  ) {}

  static async start(publisher: Publisher, path: string, onClose: (t: RecordingTransport) => void): Promise<RecordingTransport> {
    const transport = new RecordingTransport(publisher, path, onClose);
    await transport.launch();
    return transport;
  }

  private async launch(): Promise<void> {
    const r = recipe(this.publisher);
    this.port = await freeUdpPort();
    const mux = r.container === 'webm' ? 'webmmux' : 'matroskamux';
    const args = ['-e', '-q', 'udpsrc', `address=127.0.0.1`, `port=${this.port}`, `caps=${r.caps}`, '!', 'rtpjitterbuffer', 'latency=200', '!', ...r.chain, '!', mux, '!', 'filesink', `location=${this.path}`];
    const child = spawn('gst-launch-1.0', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    this.child = child;
    child.stderr?.resume();
    child.once('exit', () => void this.close());
    this.socket = createSocket('udp4');
    this.socket.on('error', () => undefined);
    // udpsrc needs a moment to bind; packets before that are lost, and the key frame we ask for after it is what the file starts with.
    await new Promise((resolve) => setTimeout(resolve, 300));
    this.detach = this.publisher.attach(this);
    this.publisher.onClose(() => void this.close());
    this.publisher.requestKeyframe();
  }

  sendRtp(packet: RtpPacket): void {
    if (!this.socket) return;
    this.packets++;
    this.socket.send(packet.serialize(), this.port, '127.0.0.1');
  }

  /** Stops forwarding and lets GStreamer finish the file (EOS), bounded by `timeoutMs`. */
  close(timeoutMs = 5_000): Promise<void> {
    this.closing ??= (async () => {
      this.detach();
      const child = this.child;
      this.socket?.close();
      this.socket = undefined;
      if (child && child.exitCode === null && child.signalCode === null) {
        const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        child.kill('SIGINT');
        const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
        await exited;
        clearTimeout(timer);
      }
      this.onClose(this);
    })();
    return this.closing;
  }
}
