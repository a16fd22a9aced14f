// Compiles a fusion group of GStreamer nodes into ONE gst-launch description (argv tokens).
import { KEYFRAME_PORT_TYPE, SECRET_MASK, type AnyNodeDefinition, type FusionGroup, type FusionMember } from '@rivulet/core';
import { GstBuildError, type Fragment, type FragmentBuilder } from './fragment.js';
import { describeTokens, elementTokens, propToken, quoteValue, refToken, type ElementSpec } from './syntax.js';

/** A node definition that knows its GStreamer fragment (see defineGstNode). */
export interface GstDefinition extends AnyNodeDefinition {
  readonly gstFragment: FragmentBuilder<never>;
}

export function isGstDefinition(definition: AnyNodeDefinition): definition is GstDefinition {
  return typeof (definition as Partial<GstDefinition>).gstFragment === 'function';
}

export interface CompiledPipeline {
  /** argv after `gst-launch-1.0 -e` (segment breaks removed). */
  readonly argv: readonly string[];
  /** The description as people read it: one linked segment per line, secret values masked. */
  readonly text: string;
  /** Boundary output key (`node.port`) → child fd it is written to (GDP-framed). */
  readonly outputFds: ReadonlyMap<string, number>;
  /** Boundary input key → child fd it is read from (GDP-framed). */
  readonly inputFds: ReadonlyMap<string, number>;
  /** Boundary output key → the type that flows there. */
  readonly outputTypes: ReadonlyMap<string, string>;
  /** The node (and the param it reflects) an element instance belongs to. */
  ownerOf(elementName: string): { readonly node: string; readonly param?: string } | undefined;
  /** Masks every secret property value in a text (a GStreamer message, an error) before it is shown. */
  redact(text: string): string;
  /** A member's fragment, for its status, statistics and control hooks. */
  fragment(nodeId: string): Fragment | undefined;
  /** The instance name of a member's element with this role (the first, if several). */
  element(nodeId: string, role: string): string | undefined;
  /** Control inputs (`control/keyframe`) that get no pipe: key → the element that answers them. */
  readonly keyframeInputs: ReadonlyMap<string, { readonly node: string; readonly element: string }>;
}

const SEPARATOR = '__';
const FIRST_EXTRA_FD = 3;

interface Built {
  readonly member: FusionMember;
  readonly fragment: Fragment;
  readonly names: string[];
}

function buildFragment(member: FusionMember): Fragment {
  if (!isGstDefinition(member.definition)) {
    throw new GstBuildError('not-gstreamer', member.id, `node ${member.id} (${member.type}) is not a GStreamer node`);
  }
  return (member.definition.gstFragment as FragmentBuilder<unknown>)(member.params, member.id);
}

/** Gives every element of every node a unique instance name `<node>__<role>`. */
class Namer {
  private readonly used = new Set<string>();
  /** Role (or factory) → the first instance name given for it. */
  readonly byRole = new Map<string, string>();
  constructor(
    private readonly nodeId: string,
    private readonly owners: Map<string, { node: string; param?: string }>,
  ) {}
  name(spec: ElementSpec): string {
    const base = `${this.nodeId}${SEPARATOR}${(spec.role ?? spec.factory).replace(/[^A-Za-z0-9_-]/g, '_')}`;
    let name = base;
    for (let i = 2; this.used.has(name); i++) name = `${base}${i}`;
    this.used.add(name);
    if (!this.byRole.has(spec.role ?? spec.factory)) this.byRole.set(spec.role ?? spec.factory, name);
    this.owners.set(name, { node: this.nodeId, ...(spec.param ? { param: spec.param } : {}) });
    return name;
  }
}

export function compileGroup(group: FusionGroup): CompiledPipeline {
  const tokens: string[] = [];
  const namers = new Map<string, Namer>();
  const owners = new Map<string, { node: string; param?: string }>();
  const built = new Map<string, Built>();
  const byId = new Map(group.members.map((m) => [m.id, m] as const));
  // Only argv carries secret values; the text people see gets the masked token instead.
  const maskedTokens = new Map<string, string>();
  const secretValues = new Set<string>();
  const noteSecrets = (spec: ElementSpec): void => {
    for (const key of spec.secret ?? []) {
      const value = spec.props?.[key];
      if (value === undefined || value === '') continue;
      maskedTokens.set(propToken(key, value), propToken(key, SECRET_MASK));
      secretValues.add(String(value));
      secretValues.add(quoteValue(value));
    }
  };

  const namer = (nodeId: string): Namer => {
    let n = namers.get(nodeId);
    if (!n) namers.set(nodeId, (n = new Namer(nodeId, owners)));
    return n;
  };
  const emit = (nodeId: string, specs: readonly ElementSpec[], lead: string[] = []): string[] => {
    const names: string[] = [];
    const out = [...lead];
    for (const spec of specs) {
      const name = namer(nodeId).name(spec);
      names.push(name);
      if (out.length) out.push('!');
      noteSecrets(spec);
      out.push(...elementTokens(spec, name));
    }
    return names.length || lead.length ? (tokens.push(...out, '\n'), names) : names;
  };

  // 1. Every member's own chain.
  for (const member of group.members) {
    const fragment = buildFragment(member);
    if (fragment.raw) {
      tokens.push(...fragment.raw.tokens, '\n');
      for (const name of fragment.raw.names) owners.set(name, { node: member.id });
      built.set(member.id, { member, fragment, names: [fragment.raw.input ?? '', fragment.raw.output ?? ''] });
      continue;
    }
    if (fragment.chain.length === 0) throw new GstBuildError('invalid-param', member.id, `node ${member.id} compiles to no element`);
    built.set(member.id, { member, fragment, names: emit(member.id, fragment.chain) });
  }

  const outputType = (nodeId: string, port: string): string => {
    const b = built.get(nodeId);
    return b?.fragment.outputs?.[port]?.type ?? b?.member.definition.outputs?.[port]?.type ?? 'any';
  };
  const inputType = (nodeId: string, port: string): string => byId.get(nodeId)?.definition.inputs?.[port]?.type ?? 'any';
  const adapters = (nodeId: string, port: string, upstreamType: string): readonly ElementSpec[] =>
    built.get(nodeId)?.fragment.adapt?.(upstreamType, port) ?? [];
  const inputRef = (nodeId: string): string => {
    const name = built.get(nodeId)?.names[0];
    if (!name) throw new GstBuildError('invalid-param', nodeId, `node ${nodeId}, param description: its input is connected but no element is named "in"`, 'description');
    return refToken(name);
  };
  const outputName = (nodeId: string, names: readonly string[]): string => {
    const name = names[names.length - 1];
    if (!name) throw new GstBuildError('invalid-param', nodeId, `node ${nodeId}, param description: its output is connected but no element is named "out"`, 'description');
    return name;
  };

  // 2. Each used output: its branch, a tee when it fans out, then one link per consumer.
  const outputFds = new Map<string, number>();
  const inputFds = new Map<string, number>();
  const outputTypes = new Map<string, string>();
  let nextFd = FIRST_EXTRA_FD;

  const consumers = new Map<string, { kind: 'edge'; node: string; port: string }[]>();
  for (const edge of group.edges) {
    const key = `${edge.from.node}.${edge.from.port}`;
    consumers.set(key, [...(consumers.get(key) ?? []), { kind: 'edge', node: edge.to.node, port: edge.to.port }]);
  }
  // The runtime lists unconnected outputs as boundaries too; if it marks them (connected: false),
  // they get no pipe, so e.g. an unused decoded audio branch costs nothing.
  const connectedFlag = new Map(group.outputs.map((o) => [o.key, o.connected] as const));
  const boundaryOut = new Set(group.outputs.filter((o) => connectedFlag.get(o.key) !== false).map((o) => o.key));
  /**
   * Optional branches (a decodebin's video/audio) that never get a pad would hold the whole
   * pipeline: their sink never prerolls nor sees EOS. Without the runtime saying the port is
   * connected, one is built for Node only when none of its siblings is used inside the group.
   */
  const optionalWanted = (nodeId: string, port: string, fragment: Fragment): boolean => {
    const key = `${nodeId}.${port}`;
    if (consumers.get(key)?.length) return true;
    const flag = connectedFlag.get(key);
    if (flag !== undefined) return flag;
    const siblings = Object.entries(fragment.outputs ?? {}).filter(([, o]) => o.linkCaps);
    return !siblings.some(([other]) => consumers.get(`${nodeId}.${other}`)?.length);
  };

  for (const { member, fragment, names } of built.values()) {
    const ports = Object.keys(member.definition.outputs ?? {});
    for (const port of ports) {
      const key = `${member.id}.${port}`;
      const internal = consumers.get(key) ?? [];
      const spec0 = fragment.outputs?.[port];
      const toNode = boundaryOut.has(key) && (!spec0?.linkCaps || optionalWanted(member.id, port, fragment));
      const count = internal.length + (toNode ? 1 : 0);
      // A raw description without an `out` element has no output to offer; the runtime lists
      // unconnected outputs as boundaries too, so that is only an error for an edge we know of.
      if (fragment.raw && !fragment.raw.output && internal.length === 0) continue;
      const spec = fragment.outputs?.[port] ?? {};
      if (count === 0 && (spec.branch?.length || spec.linkCaps)) continue; // optional branch nobody uses
      let ref = refToken(outputName(member.id, names));
      if (spec.branch?.length || spec.linkCaps) {
        const lead = [ref, ...(spec.linkCaps ? ['!', spec.linkCaps] : [])];
        const branchNames = emit(member.id, spec.branch ?? [{ factory: 'identity', role: `${port}_out` }], lead);
        ref = refToken(branchNames[branchNames.length - 1]!);
      }
      if (count === 0) {
        emit(member.id, [{ factory: 'fakesink', role: `${port}_unused`, props: { sync: false, async: false } }], [ref]);
        continue;
      }
      const fanOut = count > 1;
      if (fanOut) {
        const [tee] = emit(member.id, [{ factory: 'tee', role: `${port}_tee` }], [ref]);
        ref = refToken(tee!);
      }
      const type = outputType(member.id, port);
      for (const consumer of internal) {
        const specs: ElementSpec[] = [
          ...(fanOut ? [{ factory: 'queue', role: `${port}_to_${consumer.node}` }] : []),
          ...adapters(consumer.node, consumer.port, type),
        ];
        emit(consumer.node, specs, [ref]);
        tokens.splice(tokens.length - 1, 0, '!', inputRef(consumer.node));
      }
      if (toNode) {
        const fd = nextFd++;
        outputFds.set(key, fd);
        outputTypes.set(key, type);
        emit(
          member.id,
          [
            ...(fanOut ? [{ factory: 'queue', role: `${port}_to_node` }] : []),
            { factory: 'gdppay', role: `${port}_gdppay`, props: { 'crc-header': false } },
            // Not async=false: a sink that skips preroll can miss the EOS of a short non-live stream.
            { factory: 'fdsink', role: `${port}_fdsink`, props: { fd, sync: false } },
          ],
          [ref],
        );
      }
    }
  }

  // 3. Inputs fed from Node: a pipe from the runtime, GDP-framed, into the member's input.
  //    Key-frame requests are no media: they become control messages to the member's encoder.
  const elementOf = (nodeId: string, role: string): string | undefined => namers.get(nodeId)?.byRole.get(role);
  const keyframeInputs = new Map<string, { node: string; element: string }>();
  for (const input of group.inputs) {
    if (inputType(input.node, input.port) === KEYFRAME_PORT_TYPE) {
      const role = built.get(input.node)?.fragment.keyframeRole;
      const element = role ? elementOf(input.node, role) : undefined;
      if (!element) throw new GstBuildError('unsupported-input', input.node, `node ${input.node}, input ${input.port}: no element of this node answers key-frame requests`);
      keyframeInputs.set(input.key, { node: input.node, element });
      continue;
    }
    if (built.get(input.node)?.fragment.raw && !built.get(input.node)?.fragment.raw?.input) {
      throw new GstBuildError('invalid-param', input.node, `node ${input.node}, param description: its input is connected but no element is named "in"`, 'description');
    }
    const fd = nextFd++;
    inputFds.set(input.key, fd);
    const specs: ElementSpec[] = [
      { factory: 'fdsrc', role: `${input.port}_fdsrc`, props: { fd } },
      { factory: 'gdpdepay', role: `${input.port}_gdpdepay` },
      ...adapters(input.node, input.port, input.type || inputType(input.node, input.port)),
    ];
    emit(input.node, specs);
    tokens.splice(tokens.length - 1, 0, '!', inputRef(input.node));
  }

  return {
    argv: tokens.filter((t) => t !== '\n'),
    text: describeTokens(tokens.map((t) => maskedTokens.get(t) ?? t)),
    outputFds,
    inputFds,
    outputTypes,
    ownerOf(elementName) {
      const exact = owners.get(elementName);
      if (exact) return exact;
      // Children of bins we named (decodebin's demuxer…) are reported under the bin's path.
      const node = [...byId.keys()].filter((id) => elementName.startsWith(`${id}${SEPARATOR}`)).sort((a, b) => b.length - a.length)[0];
      return node ? { node } : undefined;
    },
    redact: (text) => redactValues(text, secretValues),
    fragment: (nodeId) => built.get(nodeId)?.fragment,
    element: elementOf,
    keyframeInputs,
  };
}

/** Replaces each secret value (longest first, so a quoted form goes whole) with the mask. */
export function redactValues(text: string, values: ReadonlySet<string>): string {
  let out = text;
  for (const value of [...values].sort((a, b) => b.length - a.length)) out = out.split(value).join(SECRET_MASK);
  return out;
}
