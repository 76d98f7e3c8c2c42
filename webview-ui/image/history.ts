// Undo/redo of the annotation list as snapshots (geometry, labels, text). Answers are not part
// of the history: they come from the host and must never be undone away.

import type { Annotation } from '../../src/core/images/annotations/schema';

type Snapshot = Omit<Annotation, 'answers'>[];

const strip = (list: Annotation[]): Snapshot => list.map(({ answers: _answers, ...rest }) => structuredClone(rest));

export class History {
  private undoStack: Snapshot[] = [];
  private redoStack: Snapshot[] = [];

  /** Call before a change with the list as it was. */
  push(before: Annotation[]): void {
    this.undoStack.push(strip(before));
    if (this.undoStack.length > 200) this.undoStack.shift();
    this.redoStack = [];
  }

  undo(current: Annotation[]): Annotation[] | undefined {
    const s = this.undoStack.pop();
    if (!s) return undefined;
    this.redoStack.push(strip(current));
    return restore(s, current);
  }

  redo(current: Annotation[]): Annotation[] | undefined {
    const s = this.redoStack.pop();
    if (!s) return undefined;
    this.undoStack.push(strip(current));
    return restore(s, current);
  }

  clear(): void {
    this.undoStack = [];
    this.redoStack = [];
  }
}

function restore(s: Snapshot, current: Annotation[]): Annotation[] {
  return s.map((a) => ({ ...structuredClone(a), answers: current.find((c) => c.id === a.id)?.answers ?? [] }));
}
