/** The back end's progress of a running export or import: a progress element and "1,200 of 5,000 tokens written". */
import { useEffect, useState } from 'react';
import { api } from '../../api-client.ts';

type ProgressType = 'export-progress' | 'import-progress';

interface Progress {
  readonly done: number;
  readonly total: number | null;
}

/** The latest progress event of `type` while `running` (null before the first one and once it stops). */
export function useTransferProgress(type: ProgressType, running: boolean): Progress | null {
  const [progress, setProgress] = useState<Progress | null>(null);
  useEffect(() => {
    if (!running) return;
    const stop = api.onEvent((e) => {
      if (e.type === type) setProgress({ done: e.done, total: e.total });
    });
    return () => {
      stop();
      setProgress(null);
    };
  }, [type, running]);
  return progress;
}

const WORDS: Record<ProgressType, { label: string; unit: string }> = {
  'export-progress': { label: 'Export progress', unit: 'tokens written' },
  'import-progress': { label: 'Import progress', unit: 'records read' },
};

export function TransferProgress({ type, progress }: { type: ProgressType; progress: Progress | null }) {
  if (progress === null) return null;
  const words = WORDS[type];
  const n = (v: number): string => v.toLocaleString();
  return (
    <div className="transfer-progress" data-testid={type} data-done={progress.done} data-total={progress.total ?? ''}>
      {progress.total !== null ? (
        <progress aria-label={words.label} value={progress.done} max={Math.max(progress.total, 1)} />
      ) : (
        <progress aria-label={words.label} />
      )}
      <span className="muted small">
        {progress.total !== null
          ? `${n(progress.done)} of ${n(progress.total)} ${words.unit}`
          : `${n(progress.done)} ${words.unit}`}
      </span>
    </div>
  );
}
