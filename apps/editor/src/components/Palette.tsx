// The node palette: the catalogue grouped by category, searchable, draggable onto the canvas; Enter adds the first match.
import { useMemo, useState, type DragEvent, type KeyboardEvent } from 'react';
import type { NodeDescriptor } from '@rivulet/core';
import { portColour } from '../model/port-rules.js';

export const DRAG_MIME = 'application/x-rivulet-node';

export interface PaletteProps {
  readonly nodes: readonly NodeDescriptor[];
  readonly error: string | undefined;
  /** Adds a node of this type at the middle of the view. */
  onAdd(type: string): void;
}

function matches(node: NodeDescriptor, query: string): boolean {
  if (!query) return true;
  const haystack = `${node.type} ${node.title} ${node.category} ${node.description ?? ''}`.toLowerCase();
  return query
    .toLowerCase()
    .split(/\s+/)
    .every((word) => haystack.includes(word));
}

export function Palette({ nodes, error, onAdd }: PaletteProps) {
  const [query, setQuery] = useState('');
  const groups = useMemo(() => {
    const byCategory = new Map<string, NodeDescriptor[]>();
    for (const node of nodes) {
      if (!matches(node, query.trim())) continue;
      (byCategory.get(node.category) ?? byCategory.set(node.category, []).get(node.category)!).push(node);
    }
    return [...byCategory.entries()].sort(([a], [b]) => a.localeCompare(b));
  }, [nodes, query]);

  const firstAvailable = groups.flatMap(([, list]) => list).find((node) => node.available);
  const onSearchKey = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Enter' && firstAvailable) {
      onAdd(firstAvailable.type);
      setQuery('');
    } else if (event.key === 'Escape') setQuery('');
  };
  const onDragStart = (event: DragEvent<HTMLElement>, type: string) => {
    event.dataTransfer.setData(DRAG_MIME, type);
    event.dataTransfer.effectAllowed = 'copy';
  };

  return (
    <aside className="rv-palette" aria-label="Node palette">
      <input
        className="rv-search"
        type="search"
        placeholder="Search nodes — Enter adds (/)"
        aria-label="Search nodes"
        data-testid="palette-search"
        value={query}
        onChange={(event) => setQuery(event.target.value)}
        onKeyDown={onSearchKey}
      />
      {error && <p className="rv-muted">Catalogue not loaded: {error}</p>}
      <div className="rv-palette-groups">
        {groups.map(([category, list]) => (
          <section key={category} className="rv-palette-group">
            <h3>{category}</h3>
            <ul>
              {list.map((node) => (
                <li key={node.type}>
                  <button
                    type="button"
                    className="rv-palette-item"
                    draggable={node.available}
                    disabled={!node.available}
                    data-testid={`palette-${node.type}`}
                    title={node.available ? `${node.type}${node.description ? ` — ${node.description}` : ''}\nDrag onto the canvas, or press Enter to add` : `Unavailable: ${node.unavailableReason ?? 'unknown reason'}`}
                    onDragStart={(event) => onDragStart(event, node.type)}
                    onDoubleClick={() => node.available && onAdd(node.type)}
                    onKeyDown={(event) => {
                      if (event.key === 'Enter' && node.available) onAdd(node.type);
                    }}
                  >
                    <span className="rv-palette-title">{node.title}</span>
                    <span className="rv-palette-ports">
                      {[...Object.values(node.inputs), ...Object.values(node.outputs)].map((port, i) => (
                        <span key={i} className="rv-dot" style={{ background: portColour(port.type) }} />
                      ))}
                    </span>
                    {!node.available && <span className="rv-palette-reason">{node.unavailableReason}</span>}
                  </button>
                </li>
              ))}
            </ul>
          </section>
        ))}
        {groups.length === 0 && !error && <p className="rv-muted">No node matches “{query}”.</p>}
      </div>
    </aside>
  );
}
