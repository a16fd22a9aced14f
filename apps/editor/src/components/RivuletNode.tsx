// One graph node on the canvas: title, live status, a typed handle per port, and its problems.
import { memo } from 'react';
import { Handle, Position, type NodeProps } from '@xyflow/react';
import type { PortDescriptor } from '@rivulet/core';
import type { FlowNode } from '../model/graph-flow.js';
import { portColour } from '../model/port-rules.js';

interface PortRow {
  readonly name: string;
  readonly type: string | undefined;
  readonly description?: string;
}

function rows(known: Readonly<Record<string, PortDescriptor>> | undefined, extra: readonly string[]): PortRow[] {
  return [
    ...Object.entries(known ?? {}).map(([name, port]) => ({ name, type: port.type, ...(port.description ? { description: port.description } : {}) })),
    ...extra.map((name) => ({ name, type: undefined })),
  ];
}

function RivuletNodeView({ data, selected }: NodeProps<FlowNode>) {
  const { node, descriptor, status, problems } = data;
  const inputs = rows(descriptor?.inputs, data.extraInputs);
  const outputs = rows(descriptor?.outputs, data.extraOutputs);
  const state = status?.state ?? 'idle';
  const classes = ['rv-node', `rv-state-${state}`, selected ? 'rv-selected' : '', descriptor ? '' : 'rv-unknown', problems.length > 0 ? 'rv-has-problems' : '', descriptor && !descriptor.available ? 'rv-unavailable' : '']
    .filter(Boolean)
    .join(' ');
  const portCount = Math.max(inputs.length, outputs.length);
  return (
    <div className={classes} data-testid={`node-${node.id}`} data-state={state} aria-label={`node ${node.id} (${node.type}), ${state}`}>
      <header className="rv-node-head">
        <span className="rv-node-title">{node.name ?? descriptor?.title ?? node.type}</span>
        <span className="rv-node-id">{node.id}</span>
      </header>
      <div className="rv-node-type">{node.type}</div>
      {!descriptor && <div className="rv-node-warning">unknown node type: its plugin is not installed</div>}
      {descriptor && !descriptor.available && <div className="rv-node-warning">unavailable: {descriptor.unavailableReason}</div>}
      <div className="rv-ports" style={{ minHeight: portCount * 22 }}>
        <div className="rv-port-col">
          {inputs.map((port) => (
            <div className="rv-port rv-port-in" key={port.name} title={port.description ?? `${port.name}: ${port.type ?? 'unknown type'}`}>
              <Handle
                type="target"
                position={Position.Left}
                id={port.name}
                className="rv-handle"
                style={{ background: portColour(port.type) }}
                data-testid={`handle-${node.id}-in-${port.name}`}
                data-port-type={port.type}
              />
              <span className="rv-port-name">{port.name}</span>
              <span className="rv-port-type" style={{ color: portColour(port.type) }}>
                {port.type ?? '?'}
              </span>
            </div>
          ))}
        </div>
        <div className="rv-port-col rv-port-col-out">
          {outputs.map((port) => (
            <div className="rv-port rv-port-out" key={port.name} title={port.description ?? `${port.name}: ${port.type ?? 'unknown type'}`}>
              <span className="rv-port-type" style={{ color: portColour(port.type) }}>
                {port.type ?? '?'}
              </span>
              <span className="rv-port-name">{port.name}</span>
              <Handle
                type="source"
                position={Position.Right}
                id={port.name}
                className="rv-handle"
                style={{ background: portColour(port.type) }}
                data-testid={`handle-${node.id}-out-${port.name}`}
                data-port-type={port.type}
              />
            </div>
          ))}
        </div>
      </div>
      <footer className="rv-node-status" data-testid={`status-${node.id}`}>
        <span className="rv-status-dot" />
        <span className="rv-status-state">{state}</span>
        {status?.text && <span className="rv-status-text">{status.text}</span>}
      </footer>
      {status?.metrics && Object.keys(status.metrics).length > 0 && (
        <div className="rv-node-metrics" data-testid={`metrics-${node.id}`}>
          {Object.entries(status.metrics)
            .slice(0, 4)
            .map(([key, value]) => (
              <span key={key}>
                {key} <b>{value}</b>
              </span>
            ))}
        </div>
      )}
      {problems.length > 0 && (
        <ul className="rv-node-problems" data-testid={`problems-${node.id}`}>
          {problems.slice(0, 3).map((problem, i) => (
            <li key={i}>{problem}</li>
          ))}
          {problems.length > 3 && <li>and {problems.length - 3} more</li>}
        </ul>
      )}
    </div>
  );
}

export const RivuletNode = memo(RivuletNodeView);
