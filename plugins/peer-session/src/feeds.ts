// Outgoing and incoming peer feeds: MPEG-TS over SRT, as GStreamer fragments that fuse with their neighbours.
import { port, type AnyNodeDefinition } from '@rivulet/core';
import { defineGstNode, GstBuildError, type GstMessage, type GstNodeSpec, type GstSignal, type NodeStatusUpdate, type StatsSource } from '@rivulet/plugin-gstreamer';
import { z } from 'zod';
import { reportProblems, resolveSession, sessionOf, sessionParamsShape, type ResolvedSession, type SessionParams } from './session.js';

type Fragment = ReturnType<GstNodeSpec<z.ZodType, Record<never, never>, Record<never, never>>['fragment']>;
type ElementSpec = Fragment['chain'][number];

/** The channel param must name a channel of the given side; the error lists the channels allowed. */
function checkChannel(side: 'local' | 'remote', channel: string, session: ResolvedSession, ctx: z.RefinementCtx): void {
  const peer = side === 'local' ? session.local : session.remote;
  if (peer.channels.some((c) => c.label === channel)) return;
  const allowed = peer.channels.map((c) => c.label);
  const other = (side === 'local' ? session.remote : session.local).channels.some((c) => c.label === channel);
  const why = other ? `is a channel of the ${side === 'local' ? 'remote' : 'local'} peer ${side === 'local' ? session.remote.label : session.local.label}` : 'is not a channel of the session';
  ctx.addIssue({
    code: 'custom',
    path: ['channel'],
    message: `channel ${channel} ${why}; an ${side === 'local' ? 'outgoing' : 'incoming'} feed uses a channel of the ${side} peer ${peer.label}: ${allowed.length ? allowed.join(', ') : '(it has none)'}`,
  });
}

/** The refinement both feeds share: the session resolves, and the channel belongs to the right peer. */
function refineFeed(side: 'local' | 'remote') {
  return (params: SessionParams & { channel: string }, ctx: z.RefinementCtx): void => {
    const result = resolveSession(params);
    if (!result.ok) return reportProblems(result.problems, ctx);
    checkChannel(side, params.channel, result.session, ctx);
  };
}

const channelParam = (side: string) => z.string().min(1).describe(`A channel of the ${side} peer`);

function channelPort(peer: ResolvedSession['local'], label: string): number {
  return peer.channels.find((c) => c.label === label)!.port;
}

/** SRT properties both ends share: passphrase, key length, latency. */
function srtSecurity(session: ResolvedSession): Record<string, string | number> {
  return {
    passphrase: session.passphrase,
    ...(session.keyLength !== undefined ? { pbkeylen: session.keyLength } : {}),
    latency: session.latencyMs,
  };
}

/** Properties of srtsink/srtsrc masked wherever the pipeline is shown (explain, logs, errors). */
const SRT_SECRETS = ['passphrase'] as const;

/** What srtsrc's warnings say about the link: a wrong passphrase, or a peer that went away. */
export function callerStatus(message: GstMessage): NodeStatusUpdate | undefined {
  if (/Failed to authenticate|Incorrect passphrase|decrypt/i.test(message.text)) return { state: 'error', text: 'authentication failed: wrong passphrase?' };
  if (/Trying to reconnect|Connection (does not exist|was broken|lost)/i.test(message.text)) return { state: 'running', text: 'reconnecting' };
  return undefined;
}

const WAITING: NodeStatusUpdate = { state: 'running', text: 'waiting for peer' };

/**
 * The listener's view of its peers, from srtsink's signals. A peer that died is removed only when
 * SRT times it out, often after its restarted self has connected again: callers are counted.
 */
export function listenerStatus(): (signal: GstSignal) => NodeStatusUpdate | undefined {
  const callers = new Set<string>();
  const shown = (): NodeStatusUpdate => (callers.size ? { state: 'running', text: `connected (${[...callers].join(', ')})` } : WAITING);
  return (signal) => {
    const address = (index: number): string => String(signal.args[index] ?? 'unknown address');
    if (signal.signal === 'caller-added') callers.add(address(1));
    else if (signal.signal === 'caller-removed') callers.delete(address(1));
    else if (signal.signal === 'caller-rejected' && callers.size === 0) {
      return { state: 'running', text: `waiting for peer (refused ${address(0)}: ${String(signal.args[1] ?? 'no reason given')})` };
    } else return undefined;
    return shown();
  };
}

type Figures = Record<string, unknown>;
const figure = (from: Figures | undefined, key: string): number => (typeof from?.[key] === 'number' ? (from[key] as number) : 0);

/** SRT's own figures for one link: round trip, rate, loss and retransmissions. */
export function srtFigures(link: Figures | undefined, direction: 'send' | 'receive'): Record<string, number> {
  const sending = direction === 'send';
  return {
    'srt.rttMs': figure(link, 'rtt-ms'),
    'srt.kbps': Math.round(figure(link, sending ? 'send-rate-mbps' : 'receive-rate-mbps') * 1000),
    'srt.lostPackets': figure(link, sending ? 'packets-sent-lost' : 'packets-received-lost'),
    'srt.retransmittedPackets': figure(link, 'packets-retransmitted'),
    ...(sending ? {} : { 'srt.bytesReceived': figure(link, 'bytes-received') }),
  };
}

/** srtsink (listener) keeps a structure per connected caller: the figures are its first caller's. */
const listenerStats: StatsSource = {
  role: 'srt',
  property: 'stats',
  metrics(value) {
    const callers = (value as { callers?: Figures[] } | null)?.callers ?? [];
    return { 'srt.peers': callers.length, ...srtFigures(callers[0], 'send') };
  },
};

/** srtsrc (caller): its figures, and "connected" once bytes arrive (after a restart of the peer, too). */
function callerStats(remote: string): StatsSource {
  let lastBytes = 0;
  return {
    role: 'srt',
    property: 'stats',
    metrics: (value) => srtFigures(value as Figures | undefined, 'receive'),
    status(value) {
      const bytes = figure(value as Figures | undefined, 'bytes-received');
      const arriving = bytes > lastBytes;
      lastBytes = bytes;
      return arriving ? { state: 'running', text: `connected (${remote})` } : undefined;
    },
  };
}

const outgoingParams = z
  .object({
    ...sessionParamsShape,
    channel: channelParam('local'),
    videoBitrateKbps: z.number().int().min(64).max(50_000).default(2000),
    keyIntMax: z.number().int().min(1).max(1000).default(60),
    audioBitrateKbps: z.number().int().min(6).max(510).default(64),
  })
  .strict()
  .superRefine(refineFeed('local'));

export const outgoingFeed: AnyNodeDefinition = defineGstNode({
  type: 'peer-session/outgoing-feed',
  title: 'Outgoing peer feed',
  category: 'transports',
  description:
    'Listens on a channel of the local peer (SRT listener, encrypted) and sends its video (x264) and/or audio (Opus) muxed in MPEG-TS. Raw inputs are encoded; H.264/Opus inputs pass through.',
  params: outgoingParams,
  inputs: {
    video: port('video/*', { description: 'raw video (encoded with x264) or H.264' }),
    audio: port('audio/*', { description: 'raw audio (encoded with Opus) or Opus' }),
  },
  elements: ['mpegtsmux', 'srtsink', 'x264enc', 'opusenc', 'h264parse', 'opusparse', 'videoconvert', 'audioconvert', 'audioresample'],
  fragment: (p, nodeId) => {
    const session = sessionOf(p);
    const listenPort = channelPort(session.local, p.channel);
    return {
      playing: WAITING,
      signal: listenerStatus(),
      stats: listenerStats,
      chain: [
        // alignment=7: seven TS packets per SRT payload (1316 bytes), what SRT tools expect.
        { factory: 'mpegtsmux', role: 'mux', props: { alignment: 7 } },
        {
          factory: 'srtsink',
          role: 'srt',
          param: 'channel',
          secret: SRT_SECRETS,
          // localaddress/localport, not uri=srt://host:port: GStreamer 1.22.0's listener given a uri
          // fails its first write after 3 s with "Connection does not exist".
          props: { mode: 'listener', localaddress: session.listenAddress, localport: listenPort, ...srtSecurity(session), 'wait-for-connection': true, sync: false },
        },
      ],
      adapt(upstreamType, inputPort): ElementSpec[] {
        const [family, codec] = upstreamType.split('/');
        const generic = codec === undefined || codec === '*' || upstreamType === 'any';
        if (inputPort === 'video' && family === 'video') {
          if (codec === 'h264') return [{ factory: 'h264parse', role: 'video_parse' }, { factory: 'queue', role: 'video_queue' }];
          if (codec === 'raw' || generic) {
            return [
              { factory: 'videoconvert' },
              // x264 would pick High 4:4:4 for RGB-ish input, which many players refuse.
              { factory: 'capsfilter', role: 'i420', props: { caps: 'video/x-raw,format=I420' } },
              { factory: 'x264enc', param: 'videoBitrateKbps', props: { bitrate: p.videoBitrateKbps, tune: 'zerolatency', 'speed-preset': 'veryfast', 'key-int-max': p.keyIntMax } },
              { factory: 'queue', role: 'video_queue' },
            ];
          }
        }
        if (inputPort === 'audio' && family === 'audio') {
          if (codec === 'opus') return [{ factory: 'opusparse', role: 'audio_parse' }, { factory: 'queue', role: 'audio_queue' }];
          if (codec === 'raw' || generic) {
            return [
              { factory: 'audioconvert' },
              { factory: 'audioresample' },
              { factory: 'opusenc', param: 'audioBitrateKbps', props: { bitrate: p.audioBitrateKbps * 1000 } },
              { factory: 'queue', role: 'audio_queue' },
            ];
          }
        }
        const accepts = inputPort === 'video' ? 'video/raw or video/h264' : 'audio/raw or audio/opus';
        throw new GstBuildError('unsupported-input', nodeId, `node ${nodeId}, input ${inputPort}: cannot send ${upstreamType} (accepts ${accepts})`);
      },
    };
  },
});

const incomingParams = z
  .object({ ...sessionParamsShape, channel: channelParam('remote') })
  .strict()
  .superRefine(refineFeed('remote'));

export const incomingFeed: AnyNodeDefinition = defineGstNode({
  type: 'peer-session/incoming-feed',
  title: 'Incoming peer feed',
  category: 'transports',
  description: "Calls the remote peer's host on one of its channels (SRT caller, encrypted, reconnecting) and outputs the H.264 video and Opus audio it receives.",
  params: incomingParams,
  outputs: {
    video: port('video/h264'),
    audio: port('audio/opus'),
  },
  elements: ['srtsrc', 'tsdemux', 'h264parse', 'opusparse', 'queue'],
  fragment: (p) => {
    const session = sessionOf(p);
    const remotePort = channelPort(session.remote, p.channel);
    return {
      chain: [
        {
          factory: 'srtsrc',
          role: 'srt',
          param: 'channel',
          secret: SRT_SECRETS,
          // The local port is dynamic (the seed's rule); auto-reconnect keeps calling after the peer restarts.
          props: { mode: 'caller', uri: `srt://${session.remote.host}:${remotePort}`, ...srtSecurity(session), 'auto-reconnect': true },
        },
        { factory: 'tsdemux', role: 'demux' },
      ],
      outputs: {
        video: { linkCaps: 'video/x-h264', branch: [{ factory: 'queue', role: 'video_queue' }, { factory: 'h264parse', role: 'video_parse' }] },
        audio: { linkCaps: 'audio/x-opus', branch: [{ factory: 'queue', role: 'audio_queue' }, { factory: 'opusparse', role: 'audio_parse' }] },
      },
      status: callerStatus,
      playing: { state: 'running', text: `calling ${session.remote.host}:${remotePort}` },
      stats: callerStats(`${session.remote.host}:${remotePort}`),
    };
  },
});
