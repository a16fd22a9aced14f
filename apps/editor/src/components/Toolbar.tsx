// The top bar: graph picker and file actions, history, layout, deploy (start/stop) and theme.
import { useRef, type ChangeEvent } from 'react';
import type { GraphState } from '@rivulet/core';
import type { GraphSummary } from '@rivulet/client';

export interface ToolbarProps {
  readonly graphs: readonly GraphSummary[];
  readonly currentId: string | undefined;
  readonly dirty: boolean;
  readonly canUndo: boolean;
  readonly canRedo: boolean;
  readonly graphState: GraphState | undefined;
  readonly busy: boolean;
  readonly theme: 'dark' | 'light';
  onOpen(id: string): void;
  onNew(): void;
  onDelete(): void;
  onSave(): void;
  onImport(text: string, fileName: string): void;
  onExport(): void;
  onUndo(): void;
  onRedo(): void;
  onLayout(): void;
  onFit(): void;
  onStart(): void;
  onStop(): void;
  onTheme(): void;
}

export function Toolbar(props: ToolbarProps) {
  const fileInput = useRef<HTMLInputElement>(null);
  const running = props.graphState === 'running' || props.graphState === 'starting';
  const onFile = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (file) props.onImport(await file.text(), file.name.replace(/\.json$/i, ''));
  };
  const listed = props.graphs.some((graph) => graph.id === props.currentId);
  return (
    <header className="rv-toolbar" role="toolbar" aria-label="Editor actions">
      <span className="rv-brand">Rivulet</span>
      <select aria-label="Open graph" data-testid="graph-picker" value={props.currentId ?? ''} onChange={(event) => event.target.value && props.onOpen(event.target.value)}>
        {!props.currentId && <option value="">(no graph)</option>}
        {props.currentId && !listed && <option value={props.currentId}>{props.currentId} (not saved)</option>}
        {props.graphs.map((graph) => (
          <option key={graph.id} value={graph.id}>
            {graph.name || graph.id}
            {graph.state === 'running' ? ' ▶' : ''}
            {graph.problem ? ' ⚠' : ''}
          </option>
        ))}
      </select>
      <button type="button" onClick={props.onNew} data-testid="new-graph" title="New graph">
        New
      </button>
      <button type="button" onClick={props.onSave} disabled={!props.currentId} data-testid="save" title="Save (Ctrl-S)">
        Save{props.dirty ? ' •' : ''}
      </button>
      <button type="button" onClick={() => fileInput.current?.click()} title="Import a graph JSON file">
        Import
      </button>
      <input ref={fileInput} type="file" accept=".json,application/json" hidden data-testid="import-file" onChange={(event) => void onFile(event)} />
      <button type="button" onClick={props.onExport} disabled={!props.currentId} data-testid="export" title="Export as a JSON file">
        Export
      </button>
      <button type="button" onClick={props.onDelete} disabled={!props.currentId} title="Delete this graph">
        Delete
      </button>
      <span className="rv-sep" />
      <button type="button" onClick={props.onUndo} disabled={!props.canUndo} data-testid="undo" title="Undo (Ctrl-Z)" aria-label="Undo">
        ↶
      </button>
      <button type="button" onClick={props.onRedo} disabled={!props.canRedo} data-testid="redo" title="Redo (Ctrl-Shift-Z)" aria-label="Redo">
        ↷
      </button>
      <button type="button" onClick={props.onLayout} disabled={!props.currentId} data-testid="layout" title="Auto-layout (L)">
        Layout
      </button>
      <button type="button" onClick={props.onFit} data-testid="fit" title="Fit view (F)">
        Fit
      </button>
      <span className="rv-sep" />
      {running ? (
        <button type="button" className="rv-stop" onClick={props.onStop} disabled={props.busy} data-testid="stop" title="Stop the graph">
          ■ Stop
        </button>
      ) : (
        <button type="button" className="rv-start" onClick={props.onStart} disabled={props.busy || !props.currentId} data-testid="start" title="Save and start the graph">
          ▶ Start
        </button>
      )}
      <span className={`rv-graph-state rv-state-${props.graphState ?? 'idle'}`} data-testid="graph-state">
        {props.graphState ?? 'not running'}
      </span>
      <span className="rv-spacer" />
      <button type="button" onClick={props.onTheme} title="Switch theme" aria-label="Switch theme">
        {props.theme === 'dark' ? '☀' : '☾'}
      </button>
    </header>
  );
}
