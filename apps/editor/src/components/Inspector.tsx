// The side panel: the selected node's params, the selected edge's details and preview, or the graph's own settings.
import type { NodeDescriptor } from '@rivulet/core';
import type { EditorEdge, EditorGraph, EditorNode } from '../model/graph.js';
import type { EdgeRates, LiveNodeStatus } from '../model/graph-flow.js';
import { describeRates } from '../model/rates.js';
import { ParamForm } from './ParamForm.js';
import { PreviewPanel } from './PreviewPanel.js';

export interface InspectorProps {
  readonly graph: EditorGraph;
  readonly node: EditorNode | undefined;
  readonly descriptor: NodeDescriptor | undefined;
  readonly status: LiveNodeStatus | undefined;
  readonly nodeProblems: readonly string[];
  readonly paramProblems: Readonly<Record<string, string>>;
  readonly edge: EditorEdge | undefined;
  readonly edgeType: string | undefined;
  readonly edgeRates: EdgeRates | undefined;
  readonly selectionSize: number;
  readonly generalProblems: readonly string[];
  onParam(nodeId: string, key: string, value: unknown): void;
  onNodeName(nodeId: string, name: string): void;
  onGraphName(name: string): void;
  onGraphDescription(description: string): void;
}

export function Inspector(props: InspectorProps) {
  const { graph, node, descriptor, edge } = props;
  if (props.selectionSize > 1) {
    return (
      <aside className="rv-inspector" aria-label="Inspector">
        <h2>{props.selectionSize} selected</h2>
        <p className="rv-muted">Delete removes them; Ctrl-C / Ctrl-V copies; drag moves them together.</p>
      </aside>
    );
  }
  if (node) {
    return (
      <aside className="rv-inspector" aria-label="Inspector">
        <h2>{descriptor?.title ?? node.type}</h2>
        <p className="rv-muted">
          <code>{node.id}</code> · <code>{node.type}</code>
          {descriptor?.plugin ? ` · ${descriptor.plugin}` : ''}
        </p>
        {descriptor?.description && <p>{descriptor.description}</p>}
        {props.status && (
          <p className={`rv-status-line rv-state-${props.status.state}`}>
            <span className="rv-status-dot" /> {props.status.state}
            {props.status.text ? ` — ${props.status.text}` : ''}
          </p>
        )}
        <div className="rv-field">
          <label htmlFor="node-name">Display name</label>
          <input id="node-name" data-testid="node-name" value={node.name ?? ''} placeholder={descriptor?.title ?? ''} onChange={(event) => props.onNodeName(node.id, event.target.value)} />
        </div>
        {descriptor ? (
          <ParamForm nodeId={node.id} descriptor={descriptor} params={node.params ?? {}} serverProblems={props.paramProblems} onChange={(key, value) => props.onParam(node.id, key, value)} />
        ) : (
          <>
            <p className="rv-warning">Unknown node type: install the plugin that provides {node.type}. Its params are kept as they are:</p>
            <pre className="rv-code">{JSON.stringify(node.params ?? {}, null, 2)}</pre>
          </>
        )}
        {props.nodeProblems.length > 0 && (
          <ul className="rv-problems" aria-label="Problems">
            {props.nodeProblems.map((problem, i) => (
              <li key={i}>{problem}</li>
            ))}
          </ul>
        )}
      </aside>
    );
  }
  if (edge) {
    return (
      <aside className="rv-inspector" aria-label="Inspector">
        <h2>Edge</h2>
        <p>
          <code>{edge.from}</code> → <code>{edge.to}</code>
        </p>
        <p className="rv-muted">type {props.edgeType ?? 'unknown'}</p>
        {props.edgeRates && <p data-testid="edge-rates">{describeRates(props.edgeRates)}</p>}
        <PreviewPanel graph={graph} edge={edge} portType={props.edgeType} />
      </aside>
    );
  }
  return (
    <aside className="rv-inspector" aria-label="Inspector">
      <h2>Graph</h2>
      <div className="rv-field">
        <label htmlFor="graph-name">Name</label>
        <input id="graph-name" data-testid="graph-name" value={graph.name ?? ''} onChange={(event) => props.onGraphName(event.target.value)} />
      </div>
      <div className="rv-field">
        <label htmlFor="graph-description">Description</label>
        <textarea id="graph-description" rows={3} value={graph.description ?? ''} onChange={(event) => props.onGraphDescription(event.target.value)} />
      </div>
      <p className="rv-muted">
        id <code>{graph.id}</code> · {graph.nodes.length} nodes · {graph.edges.length} edges
      </p>
      {props.generalProblems.length > 0 && (
        <ul className="rv-problems" aria-label="Problems">
          {props.generalProblems.map((problem, i) => (
            <li key={i}>{problem}</li>
          ))}
        </ul>
      )}
      <h3>Keys</h3>
      <dl className="rv-keys">
        <dt>Ctrl-S</dt>
        <dd>save</dd>
        <dt>Ctrl-Z / Ctrl-Shift-Z</dt>
        <dd>undo / redo</dd>
        <dt>Ctrl-C / Ctrl-V</dt>
        <dd>copy / paste</dd>
        <dt>Delete</dt>
        <dd>remove selection</dd>
        <dt>/</dt>
        <dd>search the palette (Enter adds)</dd>
        <dt>Shift-drag</dt>
        <dd>select several</dd>
        <dt>L / F</dt>
        <dd>auto-layout / fit view</dd>
      </dl>
    </aside>
  );
}
