// The logs/debug panel: runtime logs of the open graph, filterable by node and level.
import { useEffect, useMemo, useRef, useState } from 'react';
import type { LogLevel } from '@rivulet/core';
import type { LogEntry } from '../hooks/useGraphEvents.js';

export interface LogsPanelProps {
  readonly logs: readonly LogEntry[];
  readonly nodeIds: readonly string[];
  /** The selected node: the filter follows it when "follow selection" is on. */
  readonly selectedNode: string | undefined;
  onClear(): void;
}

const LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

export function LogsPanel({ logs, nodeIds, selectedNode, onClear }: LogsPanelProps) {
  const [node, setNode] = useState('');
  const [minLevel, setMinLevel] = useState<LogLevel>('debug');
  const [text, setText] = useState('');
  const listRef = useRef<HTMLOListElement>(null);
  const shown = useMemo(() => {
    const min = LEVELS.indexOf(minLevel);
    const needle = text.toLowerCase();
    return logs.filter(
      (entry) => (!node || entry.nodeId === node) && LEVELS.indexOf(entry.level) >= min && (!needle || entry.message.toLowerCase().includes(needle)),
    );
  }, [logs, node, minLevel, text]);
  useEffect(() => {
    const list = listRef.current;
    if (list) list.scrollTop = list.scrollHeight;
  }, [shown.length]);

  return (
    <section className="rv-logs" aria-label="Logs">
      <div className="rv-logs-bar">
        <strong>Logs</strong>
        <select aria-label="Filter logs by node" data-testid="logs-node" value={node} onChange={(event) => setNode(event.target.value)}>
          <option value="">all nodes</option>
          {nodeIds.map((id) => (
            <option key={id} value={id}>
              {id}
            </option>
          ))}
        </select>
        {selectedNode && selectedNode !== node && (
          <button type="button" onClick={() => setNode(selectedNode)}>
            only {selectedNode}
          </button>
        )}
        <select aria-label="Minimum level" value={minLevel} onChange={(event) => setMinLevel(event.target.value as LogLevel)}>
          {LEVELS.map((level) => (
            <option key={level} value={level}>
              {level}+
            </option>
          ))}
        </select>
        <input type="search" placeholder="filter text" aria-label="Filter logs by text" value={text} onChange={(event) => setText(event.target.value)} />
        <span className="rv-muted">
          {shown.length}/{logs.length}
        </span>
        <button type="button" onClick={onClear}>
          Clear
        </button>
      </div>
      <ol className="rv-logs-list" ref={listRef} data-testid="logs-list">
        {shown.map((entry) => (
          <li key={entry.seq} className={`rv-log rv-log-${entry.level}`}>
            <time>{new Date(entry.time).toLocaleTimeString()}</time>
            <span className="rv-log-node">{entry.nodeId ?? 'graph'}</span>
            <span className="rv-log-level">{entry.level}</span>
            <span className="rv-log-message">{entry.message}</span>
          </li>
        ))}
      </ol>
    </section>
  );
}
