// defineGstNode: a GStreamer node type = params + ports + its fragment; create runs a group of one.
import { defineNode, type AnyNodeDefinition, type BoundaryPort, type FusionGroup, type NodeContext, type NodeDefinition, type PortMap } from '@rivulet/core';
import type { Observable } from 'rxjs';
import type { z } from 'zod';
import { createFused, FAMILY } from '../fuser.js';
import type { GstDefinition } from './compile.js';
import type { FragmentBuilder } from './fragment.js';
import { elementsAvailable } from './inspect.js';

export interface GstNodeSpec<S extends z.ZodType, I extends PortMap, O extends PortMap>
  extends Omit<NodeDefinition<S, I, O>, 'create' | 'available' | 'fusion'> {
  /** Elements that must be installed for the node to be available. */
  readonly elements: readonly string[];
  readonly fragment: FragmentBuilder<z.output<S>>;
}

function boundaryPorts(nodeId: string, ports: PortMap | undefined): BoundaryPort[] {
  return Object.entries(ports ?? {}).map(([port, spec]) => ({ node: nodeId, port, key: `${nodeId}.${port}`, type: spec.type }));
}

export function defineGstNode<S extends z.ZodType, I extends PortMap = Record<never, never>, O extends PortMap = Record<never, never>>(
  spec: GstNodeSpec<S, I, O>,
): NodeDefinition<S, I, O> & GstDefinition {
  const { elements, fragment, ...rest } = spec;
  const definition = defineNode<S, I, O>({
    ...rest,
    fusion: FAMILY,
    available: () => elementsAvailable(elements),
    // Run unfused, this node is a group of one: the same compiler, one child process.
    async create(ctx: NodeContext<z.output<S>, I>) {
      const group: FusionGroup = {
        family: FAMILY,
        members: [{ id: ctx.nodeId, type: spec.type, params: ctx.params, definition: definition as AnyNodeDefinition }],
        edges: [],
        inputs: boundaryPorts(ctx.nodeId, spec.inputs),
        outputs: boundaryPorts(ctx.nodeId, spec.outputs),
      };
      const inputs: Record<string, Observable<unknown>> = {};
      for (const [port, input] of Object.entries(ctx.inputs as Record<string, Observable<unknown>>)) inputs[`${ctx.nodeId}.${port}`] = input;
      const instance = await createFused({
        graphId: ctx.graphId,
        group,
        inputs,
        log: ctx.log,
        status: (_node, state, text) => ctx.status(state, text),
        metrics: (_node, values) => ctx.metrics(values),
        fail: (error) => ctx.fail(error),
        signal: ctx.signal,
      });
      const outputs: Record<string, unknown> = {};
      for (const [key, output] of Object.entries(instance.outputs ?? {})) outputs[key.slice(ctx.nodeId.length + 1)] = output;
      return { outputs: outputs as never, ...(instance.dispose ? { dispose: () => instance.dispose!() } : {}) };
    },
    ...({ gstFragment: fragment } as object),
  } as NodeDefinition<S, I, O>);
  return definition as NodeDefinition<S, I, O> & GstDefinition;
}
