// Compact, human lines for runtime events in the terminal.
import type { EdgeMetrics, RuntimeEvent } from '@rivulet/core';

function clock(time: number): string {
  return new Date(time).toISOString().slice(11, 19);
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
}

function formatEdge(edge: EdgeMetrics): string {
  const drops = edge.drops > 0 ? ` ${edge.drops} dropped` : '';
  return `${edge.id} ${edge.messages} msgs ${formatBytes(edge.bytes)}${drops}`;
}

function formatData(data: unknown): string {
  if (data === undefined) return '';
  let text: string;
  try {
    text = JSON.stringify(data) ?? String(data);
  } catch {
    text = String(data);
  }
  return ` ${text.length > 200 ? `${text.slice(0, 197)}...` : text}`;
}

/** One line for an event, or undefined for metrics (printed on their own schedule). */
export function formatEvent(event: RuntimeEvent): string | undefined {
  const at = clock(event.time);
  switch (event.type) {
    case 'graph-state':
      return `${at} graph ${event.graphId}: ${event.state}${event.text ? ` (${event.text})` : ''}`;
    case 'node-status': {
      const restarts = event.restarts > 0 ? ` [restarts: ${event.restarts}]` : '';
      return `${at}   ${event.nodeId}: ${event.state}${event.text ? ` (${event.text})` : ''}${restarts}`;
    }
    case 'log':
      return `${at}   [${event.level}]${event.nodeId ? ` ${event.nodeId}:` : ''} ${event.message}${formatData(event.data)}`;
    case 'metrics':
      return undefined;
  }
}

export function formatMetrics(event: Extract<RuntimeEvent, { type: 'metrics' }>): string {
  const edges = event.edges.length > 0 ? event.edges.map(formatEdge).join(' | ') : 'no edges';
  return `${clock(event.time)} metrics ${edges}`;
}
