/** One logged exchange opened: its request and its response (secrets masked by the back end), and its curl command. */
import type { HttpExchange } from '../../../../shared/oauth.ts';
import { CopyButton } from '../../ui/CopyButton.tsx';
import { SafeText } from '../../ui/SafeText.tsx';

function prettyBody(body: string | null): string {
  if (body === null || body === '') return '(empty)';
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    // A form body (token requests): one decoded parameter per line.
    if (/^[\w.%~-]+=[^&\s]*(&[\w.%~-]+=[^&\s]*)*$/.test(body)) {
      return [...new URLSearchParams(body)].map(([k, v]) => `${k} = ${v}`).join('\n');
    }
    return body;
  }
}

/** The URL as a person reads it: percent-escapes of non-ASCII text (the mask's "…") decoded; reserved characters stay escaped. */
export function readableUrl(url: string): string {
  try {
    return decodeURI(url);
  } catch {
    return url;
  }
}

export function HttpHeaders({ headers }: { headers: Readonly<Record<string, string>> }) {
  const entries = Object.entries(headers);
  if (entries.length === 0) return <p className="muted small">no headers</p>;
  return (
    <dl className="headers mono small">
      {entries.map(([k, v]) => (
        <div key={k} className="header-line">
          <dt>{k}:</dt>
          <dd>
            <SafeText text={v} />
          </dd>
        </div>
      ))}
    </dl>
  );
}

/** One side of an exchange: its headers and its body. */
function HttpMessage({
  title,
  headers,
  body,
}: {
  title: string;
  headers: Readonly<Record<string, string>>;
  body: string | null;
}) {
  return (
    <div>
      <h4>{title}</h4>
      <HttpHeaders headers={headers} />
      <pre className="mono json">
        <SafeText text={prettyBody(body)} />
      </pre>
    </div>
  );
}

/** The exchange opened: "Copy as curl" (masked as logged), the request and the response. */
export function ExchangeBody({ exchange }: { exchange: HttpExchange }) {
  return (
    <div className="exchange-open">
      {exchange.curl && (
        <div className="exchange-curl">
          <CopyButton label="Copy as curl" text={exchange.curl} testId="copy-curl" />
          <span className="muted small">secrets masked as in the log</span>
          <pre className="mono small curl-text" data-testid="exchange-curl">
            <SafeText text={exchange.curl} />
          </pre>
        </div>
      )}
      <div className="exchange-body">
        <HttpMessage title="Request" headers={exchange.requestHeaders} body={exchange.requestBody} />
        <HttpMessage title="Response" headers={exchange.responseHeaders} body={exchange.responseBody} />
      </div>
    </div>
  );
}
