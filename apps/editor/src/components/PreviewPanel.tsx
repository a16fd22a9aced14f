// Where live preview of a video edge goes. It needs a WHEP egress from the runner (the WebRTC plugin), which is not there yet.
import type { EditorEdge } from '../model/graph.js';
import { isVideoType } from '../model/port-rules.js';
import { previewSupport } from '../preview/preview.js';

export interface PreviewPanelProps {
  readonly edge: EditorEdge;
  readonly portType: string | undefined;
}

export function PreviewPanel({ edge, portType }: PreviewPanelProps) {
  if (!isVideoType(portType)) return null;
  const support = previewSupport();
  return (
    <section className="rv-preview" data-testid="preview-panel" aria-label="Live preview">
      <h3>Live preview</h3>
      {support.available ? (
        <p className="rv-muted">Preview of {edge.from}</p>
      ) : (
        <div className="rv-preview-placeholder" data-testid="preview-unavailable">
          <p>Live preview is not available yet.</p>
          <p className="rv-muted">{support.reason}</p>
        </div>
      )}
    </section>
  );
}
