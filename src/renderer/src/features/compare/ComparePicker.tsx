/** Compare's token picker: each line tells tokens apart by kind, grant, issue time, preview and status. */
import { api } from '../../api-client.ts';
import { ErrorBanner } from '../../ui/ErrorBanner.tsx';
import { routeHref } from '../../ui/route.ts';
import { SafeText } from '../../ui/SafeText.tsx';
import { StatusChip } from '../../ui/StatusChip.tsx';
import { formatLocal } from '../../ui/time-format.ts';
import { useResult } from '../../ui/use-result.ts';

const KIND: Readonly<Record<string, string>> = {
  access_token: 'Access token',
  refresh_token: 'Refresh token',
  id_token: 'ID token',
  unknown: 'Token',
};

export function ComparePicker() {
  const [page] = useResult(() => api.listTokens({ limit: 50 }), []);
  return (
    <section className="panel wide" aria-labelledby="compare-title">
      <h2 id="compare-title">Compare across formats</h2>
      <p>
        Pick a token: Tokenscope shows how each of the six documented token formats would hold it, field by field, in that
        format's units. A token's detail has a Compare button too.
      </p>
      {page.state === 'error' && <ErrorBanner error={page.error} />}
      {page.state === 'ok' && page.value.items.length === 0 && <p className="muted">No tokens in the history yet.</p>}
      {page.state === 'ok' && page.value.items.length > 0 && (
        <ul className="pick-list" data-testid="compare-picker">
          {page.value.items.map((t) => (
            <li key={t.id}>
              <a href={routeHref({ screen: 'compare', id: t.id })} data-testid="compare-pick">
                <strong>{KIND[t.kind] ?? t.kind}</strong> · <SafeText text={t.subject ?? t.clientId ?? 'no subject'} />
              </a>{' '}
              <StatusChip status={t.status} expiresAtMs={t.expiresAtMs} issuedAtMs={t.issuedAtMs} />{' '}
              <span className="muted small">
                {t.grantId ? `grant ${t.grantId.slice(0, 8)}` : 'no grant'} · issued {formatLocal(t.issuedAtMs ?? t.createdAtMs)}{' '}
                · <code>{t.preview}</code>
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
