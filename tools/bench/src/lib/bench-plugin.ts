// Source and sink node types for benchmarks: they bind a graph to a Workload registered under an id.
import { definePlugin, defineNode, port } from '@rivulet/core';
import { z } from 'zod';
import type { WorkloadEnds } from './workload.js';

const workloads = new Map<string, WorkloadEnds>();

/** Makes a workload reachable from graph params; returns its id and a function that forgets it. */
export function registerWorkload(id: string, workload: WorkloadEnds): () => void {
  workloads.set(id, workload);
  return () => workloads.delete(id);
}

function lookup(id: string): WorkloadEnds {
  const workload = workloads.get(id);
  if (!workload) throw new Error(`no bench workload "${id}"`);
  return workload;
}

const params = z.object({ workload: z.string() }).strict();

export const benchSource = defineNode({
  type: 'bench/source',
  title: 'Bench source',
  category: 'bench',
  params,
  outputs: { out: port<unknown>('any') },
  create(ctx) {
    return { outputs: { out: lookup(ctx.params.workload).source() } };
  },
});

export const benchSink = defineNode({
  type: 'bench/sink',
  title: 'Bench sink',
  category: 'bench',
  params,
  inputs: { in: port<unknown>('any') },
  create(ctx) {
    const workload = lookup(ctx.params.workload);
    const subscription = ctx.inputs.in.subscribe({ next: (message) => workload.receive(message), error: (error: unknown) => ctx.fail(error) });
    return { dispose: () => subscription.unsubscribe() };
  },
});

export const benchPlugin = definePlugin({ name: '@rivulet/bench', version: '0.1.0', nodes: [benchSource, benchSink] });
