// Global keyboard shortcuts; plain-letter keys are ignored while typing in a field.
import { useEffect, useRef } from 'react';

export interface Shortcuts {
  save(): void;
  undo(): void;
  redo(): void;
  copy(): void;
  paste(): void;
  selectAll(): void;
  clearSelection(): void;
  focusSearch(): void;
  layout(): void;
  fit(): void;
}

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

export function useShortcuts(shortcuts: Shortcuts): void {
  const latest = useRef(shortcuts);
  latest.current = shortcuts;
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const s = latest.current;
      const mod = event.ctrlKey || event.metaKey;
      const key = event.key.toLowerCase();
      const typing = isTyping(event.target);
      if (mod && key === 's') {
        event.preventDefault();
        s.save();
      } else if (mod && (key === 'y' || (key === 'z' && event.shiftKey))) {
        // The graph history owns undo, also inside param fields (they re-sync from the graph).
        event.preventDefault();
        s.redo();
      } else if (mod && key === 'z') {
        event.preventDefault();
        s.undo();
      } else if (typing) {
        return;
      } else if (mod && key === 'c') {
        s.copy();
      } else if (mod && key === 'v') {
        event.preventDefault();
        s.paste();
      } else if (mod && key === 'a') {
        event.preventDefault();
        s.selectAll();
      } else if (mod || event.altKey) {
        return;
      } else if (key === 'escape') {
        s.clearSelection();
      } else if (key === '/') {
        event.preventDefault();
        s.focusSearch();
      } else if (key === 'l') {
        s.layout();
      } else if (key === 'f') {
        s.fit();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
