// Plays a WHEP URL in a <video> and reports decoded frames, for the preview panel.
import { whepSubscribe, type WhepSession } from '@rivulet/client';

export interface Playing {
  /** Frames decoded so far (from the receiver's stats). */
  framesDecoded(): Promise<number>;
  stop(): Promise<void>;
}

export async function playWhep(url: string, video: HTMLVideoElement): Promise<Playing> {
  const session: WhepSession = await whepSubscribe(url, { RTCPeerConnection: RTCPeerConnection as never });
  try {
    const tracks = await session.tracks(10_000);
    video.muted = true;
    video.srcObject = new MediaStream(tracks as unknown as MediaStreamTrack[]);
    await video.play().catch(() => undefined);
  } catch (error) {
    await session.stop().catch(() => undefined);
    throw error;
  }
  const pc = session.pc as unknown as RTCPeerConnection;
  return {
    async framesDecoded() {
      let frames = 0;
      (await pc.getStats()).forEach((s: { type?: string; kind?: string; framesDecoded?: number }) => {
        if (s.type === 'inbound-rtp' && s.kind === 'video') frames = s.framesDecoded ?? 0;
      });
      return frames;
    },
    async stop() {
      video.srcObject = null;
      await session.stop().catch(() => undefined);
    },
  };
}
