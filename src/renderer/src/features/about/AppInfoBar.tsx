/** Shows where the back end runs and keeps its history: proof the UI talks to a real back end. */
import { useEffect } from 'react';
import { api } from '../../api-client.ts';
import { useResult } from '../../ui/use-result.ts';

export function AppInfoBar() {
  const [info, reload] = useResult(() => api.appInfo(), []);
  useEffect(
    () =>
      api.onEvent((e) => {
        if (e.type === 'tokens-changed') reload();
      }),
    [reload],
  );
  if (info.state !== 'ok') return <span className="muted">{info.state === 'loading' ? 'connecting…' : info.error.code}</span>;
  const v = info.value;
  return (
    <span className="app-info" data-testid="app-info">
      v{v.version} · {v.mode} · SQLite {v.sqliteVersion} · {v.tokenCount} {v.tokenCount === 1 ? 'token' : 'tokens'} ·{' '}
      <span className="mono">{v.dataDir}</span>
    </span>
  );
}
