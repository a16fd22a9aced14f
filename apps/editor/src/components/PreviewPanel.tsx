// Live preview of a video edge: played over WHEP from the SFU router the edge's media reaches.
import type { EditorEdge, EditorGraph } from '../model/graph.js';
import { isVideoType } from '../model/port-rules.js';
import { EdgePreview } from '../preview/EdgePreview.js';
import { previewSupport } from '../preview/preview.js';

export interface PreviewPanelProps {
  readonly graph: EditorGraph;
  readonly edge: EditorEdge;
  readonly portType: string | undefined;
}

export function PreviewPanel({ graph, edge, portType }: PreviewPanelProps) {
  if (!isVideoType(portType)) return null;
  const support = previewSupport(graph, edge, location.hostname);
  return (
    <section className="rv-preview" data-testid="preview-panel" aria-label="Live preview">
      <h3>Live preview</h3>
      {support.available ? (
        <EdgePreview url={support.url} router={support.router} />
      ) : (
        <div className="rv-preview-placeholder" data-testid="preview-unavailable">
          <p>Live preview is not available for this edge.</p>
          <p className="rv-muted">{support.reason}</p>
        </div>
      )}
    </section>
  );
}
