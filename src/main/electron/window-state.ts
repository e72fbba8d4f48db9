/**
 * Remembers the main window's size, position and maximized state in `window-state.json` in the data dir;
 * a saved position that no longer lies on any display falls back to a centred default.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Rectangle, ScreenLike } from './electron-like.ts';

export const WINDOW_STATE_FILE = 'window-state.json';
export const DEFAULT_SIZE = { width: 1200, height: 800 } as const;

export interface WindowState {
  readonly bounds: { x?: number; y?: number; width: number; height: number };
  readonly maximized: boolean;
}

function isInt(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && Math.abs(value) < 100_000;
}

function intersects(a: Rectangle, b: Rectangle): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

export function loadWindowState(dataDir: string, screen: ScreenLike | null): WindowState {
  const fallback: WindowState = { bounds: { ...DEFAULT_SIZE }, maximized: false };
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(join(dataDir, WINDOW_STATE_FILE), 'utf8'));
  } catch {
    return fallback;
  }
  const v = raw as { x?: unknown; y?: unknown; width?: unknown; height?: unknown; maximized?: unknown } | null;
  if (!v || !isInt(v.width) || !isInt(v.height) || v.width < 400 || v.height < 300) return fallback;
  const maximized = v.maximized === true;
  if (!isInt(v.x) || !isInt(v.y)) return { bounds: { width: v.width, height: v.height }, maximized };
  const bounds = { x: v.x, y: v.y, width: v.width, height: v.height };
  const onScreen = screen === null || screen.getAllDisplays().some((d) => intersects(bounds, d.workArea));
  return onScreen ? { bounds, maximized } : { bounds: { width: v.width, height: v.height }, maximized };
}

export function saveWindowState(dataDir: string, bounds: Rectangle, maximized: boolean): void {
  try {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    const file = join(dataDir, WINDOW_STATE_FILE);
    const tmp = `${file}.tmp`;
    writeFileSync(tmp, JSON.stringify({ ...bounds, maximized }), { mode: 0o600 });
    renameSync(tmp, file);
  } catch {
    // Losing the window position is not worth failing a quit over.
  }
}
