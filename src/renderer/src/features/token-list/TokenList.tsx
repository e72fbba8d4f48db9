/** The token history, newest first, read page by page from the back end. */
import { api } from '../../api-client.ts';
import { useResult } from '../../ui/use-result.ts';
import { ErrorBanner } from '../../ui/ErrorBanner.tsx';

export function TokenList() {
  const [page] = useResult(() => api.listTokens({ limit: 100 }), []);
  if (page.state === 'loading') return <p className="muted" aria-busy="true">Loading history…</p>;
  if (page.state === 'error') return <ErrorBanner error={page.error} />;
  if (page.value.items.length === 0) {
    return (
      <div className="empty-state" data-testid="empty-history">
        <h2>No tokens yet</h2>
        <p>Paste a token to inspect it, or get one from the demo issuer.</p>
      </div>
    );
  }
  return (
    <table className="token-table" data-testid="token-table">
      <thead>
        <tr>
          <th scope="col">Kind</th>
          <th scope="col">Issuer</th>
          <th scope="col">Subject</th>
          <th scope="col">Status</th>
        </tr>
      </thead>
      <tbody>
        {page.value.items.map((t) => (
          <tr key={t.id}>
            <td>{t.kind}</td>
            <td>{t.issuer ?? '—'}</td>
            <td>{t.subject ?? '—'}</td>
            <td>
              <span className={`chip chip-${t.status}`}>{t.status}</span>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
