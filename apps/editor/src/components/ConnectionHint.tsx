// While a connection is being dragged: the target port's type, or why the connection would be refused.
import { useConnection } from '@xyflow/react';
import type { EditorGraph } from '../model/graph.js';
import { checkConnection, type Catalogue } from '../model/port-rules.js';

export interface ConnectionHintProps {
  readonly graph: EditorGraph;
  readonly catalogue: Catalogue;
}

export function ConnectionHint({ graph, catalogue }: ConnectionHintProps) {
  const connection = useConnection();
  if (!connection.inProgress || !connection.toHandle) return null;
  const { fromHandle, toHandle } = connection;
  // Dragging may start from an input: the edge then runs the other way.
  const [source, target] = fromHandle.type === 'source' ? [fromHandle, toHandle] : [toHandle, fromHandle];
  const check = checkConnection(graph, catalogue, { source: source.nodeId, sourceHandle: source.id ?? null, target: target.nodeId, targetHandle: target.id ?? null });
  return (
    <div className={`rv-connection-hint ${check.ok ? 'rv-ok' : 'rv-refused'}`} data-testid="connection-hint" role="status">
      {check.ok ? `connect ${source.nodeId}.${source.id} → ${target.nodeId}.${target.id}` : `refused: ${check.reason}`}
    </div>
  );
}
