// Reading and writing the bits of GStreamer caps strings that media messages carry.

/** A field of a caps string: `clock-rate=(int)90000` → "90000". */
export function capsField(caps: string, field: string): string | undefined {
  const match = new RegExp(`(?:^|[,;]\\s*)${field.replace(/[-]/g, '\\-')}=(?:\\([a-z0-9]+\\))?("(?:[^"\\\\]|\\\\.)*"|[^,;]*)`, 'i').exec(caps);
  if (!match) return undefined;
  const raw = match[1]!.trim();
  return raw.startsWith('"') ? raw.slice(1, -1) : raw;
}

/** The media type at the start of caps: `video/x-h264`. */
export function capsMediaType(caps: string): string {
  return caps.split(/[,;]/, 1)[0]!.trim();
}

const CODECS: Readonly<Record<string, string>> = {
  'video/x-h264': 'H264', 'video/x-h265': 'H265', 'video/x-vp8': 'VP8', 'video/x-vp9': 'VP9', 'video/x-av1': 'AV1',
  'audio/x-opus': 'OPUS', 'video/x-raw': 'RAW', 'audio/x-raw': 'RAW',
};
const CAPS_OF_CODEC: Readonly<Record<string, string>> = {
  H264: 'video/x-h264, stream-format=(string)byte-stream, alignment=(string)au',
  VP8: 'video/x-vp8',
  VP9: 'video/x-vp9',
  OPUS: 'audio/x-opus, channel-mapping-family=(int)0',
};

export function codecOfCaps(caps: string): string {
  const type = capsMediaType(caps);
  return CODECS[type] ?? type.split('/')[1]?.replace(/^x-/, '').toUpperCase() ?? 'UNKNOWN';
}

/** Caps for an encoded codec name, when the frame carries none. */
export function capsOfCodec(codec: string): string | undefined {
  return CAPS_OF_CODEC[codec.toUpperCase()];
}

/** RTP caps for a packet stream, as rtp depayloaders want them. */
export function rtpCaps(p: { codec: string; payloadType: number; clockRate: number; media?: string }): string {
  const media = p.media ?? (p.codec.toUpperCase() === 'OPUS' ? 'audio' : 'video');
  const encoding = p.codec.toUpperCase() === 'OPUS' ? 'OPUS' : p.codec.toUpperCase();
  return `application/x-rtp, media=(string)${media}, clock-rate=(int)${p.clockRate}, encoding-name=(string)${encoding}, payload=(int)${p.payloadType}`;
}
