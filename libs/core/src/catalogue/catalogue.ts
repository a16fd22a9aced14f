// The catalogue: every node type the runtime knows, with ports and params as JSON Schema.
import { z } from 'zod';
import type { AnyNodeDefinition, Availability, Fuser, Plugin } from '../plugin/define.js';
import { acceptsMultiple, type PortMap } from '../plugin/port.js';
import { errorMessage } from '../errors.js';

export interface PortDescriptor {
  readonly type: string;
  readonly multiple: boolean;
  readonly live: boolean;
  readonly description?: string;
}

export type JsonSchema = Readonly<Record<string, unknown>>;

export interface NodeDescriptor {
  readonly type: string;
  readonly title: string;
  readonly category: string;
  readonly description?: string;
  readonly plugin: string;
  readonly pluginVersion?: string;
  readonly inputs: Readonly<Record<string, PortDescriptor>>;
  readonly outputs: Readonly<Record<string, PortDescriptor>>;
  /** JSON Schema (draft 2020-12) of the params, as a user writes them (defaults optional). */
  readonly paramsSchema: JsonSchema;
  /** Top-level param names that are secret. */
  readonly secrets: readonly string[];
  readonly fusion?: string;
  readonly available: boolean;
  readonly unavailableReason?: string;
}

/** A plugin package that could not be loaded, or a node type that was refused. */
export interface PluginProblem {
  readonly package: string;
  readonly path?: string;
  readonly message: string;
}

interface Entry {
  readonly definition: AnyNodeDefinition;
  readonly plugin: Plugin;
  availability?: Promise<Availability>;
  descriptor?: Omit<NodeDescriptor, 'available' | 'unavailableReason'>;
}

function describePorts(ports: PortMap | undefined): Record<string, PortDescriptor> {
  const out: Record<string, PortDescriptor> = {};
  for (const [name, spec] of Object.entries(ports ?? {})) {
    out[name] = { type: spec.type, multiple: acceptsMultiple(spec), live: spec.live ?? false, ...(spec.description ? { description: spec.description } : {}) };
  }
  return out;
}

/** JSON Schema of a params schema, as the user writes it (so defaulted fields are optional). */
export function paramsJsonSchema(schema: z.ZodType): JsonSchema {
  return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
}

/** Names of top-level params marked with secret(). */
export function secretParamNames(schema: JsonSchema): string[] {
  const properties = (schema['properties'] ?? {}) as Record<string, Record<string, unknown>>;
  return Object.entries(properties)
    .filter(([, property]) => property['secret'] === true)
    .map(([name]) => name);
}

export class Catalogue {
  private readonly entries = new Map<string, Entry>();
  private readonly fusers = new Map<string, Fuser>();
  private readonly pluginList: Plugin[] = [];
  readonly problems: PluginProblem[] = [];

  constructor(plugins: readonly Plugin[] = []) {
    for (const plugin of plugins) this.add(plugin);
  }

  /** Adds a plugin's node types; a type already taken is reported in `problems` and skipped. */
  add(plugin: Plugin): void {
    this.pluginList.push(plugin);
    for (const definition of plugin.nodes) {
      const taken = this.entries.get(definition.type);
      if (taken) {
        this.problems.push({ package: plugin.name, message: `node type ${definition.type} is already provided by ${taken.plugin.name}; skipped` });
        continue;
      }
      this.entries.set(definition.type, { definition, plugin });
    }
    for (const fuser of plugin.fusers ?? []) {
      if (!this.fusers.has(fuser.family)) this.fusers.set(fuser.family, fuser);
    }
  }

  get plugins(): readonly Plugin[] {
    return this.pluginList;
  }

  get(type: string): AnyNodeDefinition | undefined {
    return this.entries.get(type)?.definition;
  }

  pluginOf(type: string): Plugin | undefined {
    return this.entries.get(type)?.plugin;
  }

  types(): string[] {
    return [...this.entries.keys()].sort();
  }

  fuser(family: string): Fuser | undefined {
    return this.fusers.get(family);
  }

  /** Whether a node type can run on this machine (checked once, then cached). */
  availability(type: string): Promise<Availability> {
    const entry = this.entries.get(type);
    if (!entry) return Promise.resolve({ available: false, reason: `unknown node type ${type}` });
    entry.availability ??= (async (): Promise<Availability> => {
      try {
        return (await entry.definition.available?.()) ?? { available: true };
      } catch (error) {
        return { available: false, reason: `availability check failed: ${errorMessage(error)}` };
      }
    })();
    return entry.availability;
  }

  /** Descriptor of one node type, without the availability check. */
  descriptor(type: string): Omit<NodeDescriptor, 'available' | 'unavailableReason'> | undefined {
    const entry = this.entries.get(type);
    if (!entry) return undefined;
    if (!entry.descriptor) {
      const { definition, plugin } = entry;
      const paramsSchema = paramsJsonSchema(definition.params);
      entry.descriptor = {
        type: definition.type,
        title: definition.title,
        category: definition.category,
        ...(definition.description ? { description: definition.description } : {}),
        plugin: plugin.name,
        ...(plugin.version ? { pluginVersion: plugin.version } : {}),
        inputs: describePorts(definition.inputs),
        outputs: describePorts(definition.outputs),
        paramsSchema,
        secrets: secretParamNames(paramsSchema),
        ...(definition.fusion ? { fusion: definition.fusion } : {}),
      };
    }
    return entry.descriptor;
  }

  /** Every node type, sorted by category then type, with availability checked. */
  async describe(): Promise<NodeDescriptor[]> {
    const types = this.types();
    const described = await Promise.all(
      types.map(async (type) => {
        const availability = await this.availability(type);
        return {
          ...this.descriptor(type)!,
          available: availability.available,
          ...(availability.available ? {} : { unavailableReason: availability.reason }),
        };
      }),
    );
    return described.sort((a, b) => a.category.localeCompare(b.category) || a.type.localeCompare(b.type));
  }
}
