/** A URL found in a token: inert text unless it is https, and even then opened only after a confirmation. */
import { useState } from 'react';
import { ConfirmDialog } from './Dialog.tsx';
import { SafeText } from './SafeText.tsx';

export function safeHttpsUrl(raw: string): string | null {
  try {
    const url = new URL(raw);
    if (url.protocol !== 'https:' || url.username || url.password) return null;
    return url.href;
  } catch {
    return null;
  }
}

export function ExternalLink({ url }: { url: string }) {
  const [asking, setAsking] = useState(false);
  const safe = safeHttpsUrl(url);
  if (!safe) return <SafeText text={url} />;
  return (
    <>
      <SafeText text={url} />{' '}
      <button type="button" className="btn small" onClick={() => setAsking(true)}>
        Open…
      </button>
      {asking && (
        <ConfirmDialog
          title="Open a link from a token?"
          message={
            <p>
              This link comes from the token, not from Tokenscope. It opens in your browser:{' '}
              <code className="mono break">
                <SafeText text={safe} />
              </code>
            </p>
          }
          confirmLabel="Open in browser"
          onConfirm={() => {
            setAsking(false);
            window.open(safe, '_blank', 'noopener,noreferrer');
          }}
          onCancel={() => setAsking(false)}
        />
      )}
    </>
  );
}
