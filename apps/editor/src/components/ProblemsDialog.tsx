// A dialog listing problems (a refused import, unknown node types, a failed start) in readable lines.
import { useEffect, useRef } from 'react';

export interface ProblemsDialogProps {
  readonly title: string;
  readonly problems: readonly string[];
  onClose(): void;
}

export function ProblemsDialog({ title, problems, onClose }: ProblemsDialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);
  return (
    <dialog ref={ref} className="rv-dialog" data-testid="problems-dialog" onClose={onClose} aria-label={title}>
      <h2>{title}</h2>
      <ul className="rv-problems">
        {problems.map((problem, i) => (
          <li key={i}>{problem}</li>
        ))}
      </ul>
      <form method="dialog">
        <button type="submit" autoFocus>
          Close
        </button>
      </form>
    </dialog>
  );
}
