// One edge: drawn in its port type's colour, with live counters (msgs/s, bitrate, drops) while the graph runs.
import { memo } from 'react';
import { BaseEdge, EdgeLabelRenderer, getBezierPath, type EdgeProps } from '@xyflow/react';
import type { FlowEdge } from '../model/graph-flow.js';
import { portColour } from '../model/port-rules.js';
import { describeRates, formatRates } from '../model/rates.js';

function RivuletEdgeView({ id, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, data, selected, markerEnd }: EdgeProps<FlowEdge>) {
  const [path, labelX, labelY] = getBezierPath({ sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition });
  const colour = data?.problem ? 'var(--rv-error)' : portColour(data?.portType);
  const rates = data?.rates;
  const fusedNote = !rates && data?.fused && data.running ? 'inside GStreamer' : undefined;
  return (
    <>
      <BaseEdge id={id} path={path} {...(markerEnd ? { markerEnd } : {})} style={{ stroke: colour, strokeWidth: selected ? 3 : 2 }} />
      {(rates || data?.problem || fusedNote) && (
        <EdgeLabelRenderer>
          <div
            className={`rv-edge-label${data?.problem ? ' rv-edge-problem' : ''}`}
            style={{ transform: `translate(-50%, -50%) translate(${labelX}px, ${labelY}px)` }}
            data-testid={`edge-label-${id}`}
            data-messages={rates?.messages ?? 0}
            title={data?.problem ?? (rates ? describeRates(rates) : fusedNote ? 'Both nodes run in one GStreamer pipeline: the data stays inside it, so there is no Node-side counter' : undefined)}
          >
            {data?.problem ?? (rates ? formatRates(rates) : fusedNote)}
          </div>
        </EdgeLabelRenderer>
      )}
    </>
  );
}

export const RivuletEdge = memo(RivuletEdgeView);
