// The preview's body for a previewable edge: Play/Stop, the video, and a decoded-frame counter.
import { useEffect, useRef, useState } from 'react';
import { playWhep, type Playing } from './play.js';

export interface EdgePreviewProps {
  readonly url: string;
  readonly router: string;
}

export function EdgePreview({ url, router }: EdgePreviewProps) {
  const video = useRef<HTMLVideoElement>(null);
  const playing = useRef<Playing | undefined>(undefined);
  const [state, setState] = useState<'idle' | 'starting' | 'playing' | 'error'>('idle');
  const [frames, setFrames] = useState(0);
  const [error, setError] = useState<string | undefined>();

  const stop = () => {
    const p = playing.current;
    playing.current = undefined;
    setState('idle');
    return p?.stop();
  };

  useEffect(() => {
    if (state !== 'playing') return undefined;
    const timer = setInterval(() => void playing.current?.framesDecoded().then(setFrames), 500);
    return () => clearInterval(timer);
  }, [state]);
  // A new edge (URL) or leaving the panel ends the session.
  useEffect(() => () => void stop(), [url]);

  const start = async () => {
    if (!video.current) return;
    setState('starting');
    setError(undefined);
    try {
      playing.current = await playWhep(url, video.current);
      setState('playing');
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
      setState('error');
    }
  };

  return (
    <div className="rv-preview-player" data-testid="preview-player">
      <video ref={video} muted playsInline data-testid="preview-video" style={{ width: '100%', background: '#000' }} />
      <p className="rv-muted">
        via {router}: <code>{url}</code>
      </p>
      {state === 'playing' || state === 'starting' ? (
        <button type="button" onClick={() => void stop()} data-testid="preview-stop">
          Stop
        </button>
      ) : (
        <button type="button" onClick={() => void start()} data-testid="preview-play">
          Play
        </button>
      )}
      {state === 'playing' && <span data-testid="preview-frames"> {frames} frames decoded</span>}
      {error && <p className="rv-warning">{error}</p>}
    </div>
  );
}
