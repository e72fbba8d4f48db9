/** Text pasted anywhere in the app (the global paste shortcut) waits here for the Inspect screen to pick it up. */
let pending: string | null = null;
const listeners = new Set<() => void>();

export function offerPaste(text: string): void {
  pending = text;
  for (const l of listeners) l();
}

export function takePaste(): string | null {
  const t = pending;
  pending = null;
  return t;
}

export function onPaste(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** True when a paste event belongs to a text field, which handles it itself. */
export function isEditableTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || target.tagName === 'INPUT' || target.tagName === 'TEXTAREA' || target.tagName === 'SELECT';
}
