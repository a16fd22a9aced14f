// What a GStreamer node compiles to: a chain of elements, its output branches and input adapters.
import type { NodeState } from '@rivulet/core';
import type { GstMessage, GstSignal } from './process.js';
import type { ElementSpec } from './syntax.js';

/** A node status a fragment derives from a GStreamer message (e.g. `running`, `reconnecting`). */
export interface NodeStatusUpdate {
  readonly state: NodeState;
  readonly text: string;
}

export interface OutputBranch {
  /** Caps on the link out of the chain's last element (picks a pad of decodebin-like elements). */
  readonly linkCaps?: string;
  /** Elements after the chain's last element for this port; empty means the last element itself. */
  readonly branch?: readonly ElementSpec[];
  /** The type that actually flows, when the node declares a wildcard (e.g. from-node). */
  readonly type?: string;
}

/** A user-written description whose element names are already made unique (gstreamer/pipeline). */
export interface RawDescription {
  readonly tokens: readonly string[];
  /** Instance names of the elements that receive the `in` port and feed the `out` port. */
  readonly input?: string;
  readonly output?: string;
  /** Every instance name the description defines, so errors map back to the node. */
  readonly names: readonly string[];
}

export interface Fragment {
  /** Elements linked with `!`; the first one receives inputs, the last one feeds outputs. */
  readonly chain: readonly ElementSpec[];
  readonly raw?: RawDescription;
  readonly outputs?: Readonly<Record<string, OutputBranch>>;
  /**
   * Elements placed on an incoming link, chosen by the upstream port type (a parser before a
   * muxer, a payloader before the Node boundary). Throws a GstBuildError when it cannot accept it.
   */
  adapt?(upstreamType: string, inputPort: string): readonly ElementSpec[];
  /**
   * Maps a warning or error GStreamer posted from one of this node's elements to a node status;
   * undefined leaves the status alone. Secret values in the message are already masked.
   */
  status?(message: GstMessage): NodeStatusUpdate | undefined;
  /** Maps an element signal (srtsink's `caller-added`, `caller-removed`…) to a node status. */
  signal?(signal: GstSignal): NodeStatusUpdate | undefined;
  /** The status once the pipeline plays, when plain `running` says too little (e.g. waiting for a peer). */
  readonly playing?: NodeStatusUpdate;
  /** An element property read once a second while the pipeline runs, turned into node metrics. */
  readonly stats?: StatsSource;
  /**
   * The element (by role) that answers key-frame requests arriving on an input of type
   * `control/keyframe`: an encoder, which then emits a key frame at once.
   */
  readonly keyframeRole?: string;
}

export interface StatsSource {
  /** Role of the element in this fragment's chain. */
  readonly role: string;
  readonly property: string;
  /** Turns the property value (GStreamer structures arrive as objects) into named figures. */
  metrics(value: unknown): Readonly<Record<string, number>>;
  /** A status the figures imply (data arriving again: connected); undefined leaves it alone. */
  status?(value: unknown): NodeStatusUpdate | undefined;
}

/** Builds a node's fragment from its validated params. */
export type FragmentBuilder<P = unknown> = (params: P, nodeId: string) => Fragment;

/** A description that cannot be built: names the node and, where known, the param. */
export class GstBuildError extends Error {
  override readonly name = 'GstBuildError';
  constructor(
    readonly code: 'unsupported-input' | 'invalid-param' | 'not-gstreamer' | 'missing-element',
    readonly nodeId: string,
    message: string,
    readonly param?: string,
  ) {
    super(message);
  }
}
