/**
 * One token: what it is, how long it lives (live), every claim explained, its signature, its raw value
 * (masked until revealed), the grant's other tokens, what happened to it, and the actions on it.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { explainClaims } from '../../../../shared/token/claims.ts';
import { checkProfile } from '../../../../shared/token/profiles.ts';
import type { TokenDetailView as Detail, TokenEvent, VerificationRecord } from '../../../../shared/model.ts';
import type { AccessTokenCheck } from '../../../../shared/oauth.ts';
import { ApiExpectationsPanel } from '../inspect/ApiExpectationsPanel.tsx';
import type { Result } from '../../../../shared/result.ts';
import { api } from '../../api-client.ts';
import { ClaimsTable } from '../../ui/ClaimsTable.tsx';
import { Countdown, LifetimeBar } from '../../ui/Countdown.tsx';
import { ErrorBanner } from '../../ui/ErrorBanner.tsx';
import { routeHref } from '../../ui/route.ts';
import { SafeText } from '../../ui/SafeText.tsx';
import { Secret } from '../../ui/Secret.tsx';
import { SignatureBadge, type SignatureState } from '../../ui/SignatureBadge.tsx';
import { StatusChip } from '../../ui/StatusChip.tsx';
import { formatLocal } from '../../ui/time-format.ts';
import { useResult } from '../../ui/use-result.ts';
import { explainClaim } from '../inspect/claim-explanations.ts';
import { BindingFact } from './BindingFact.tsx';
import { GrantLineage } from './GrantLineage.tsx';
import { TokenActions } from './TokenActions.tsx';

/** The plain value, on the user's request (the raw-token panel shows a string). */
async function revealValue(id: string): Promise<Result<string>> {
  const revealed = await api.revealToken(id);
  return revealed.ok ? { ok: true, value: revealed.value.value } : revealed;
}

const KIND_TITLE: Readonly<Record<string, string>> = {
  access_token: 'Access token',
  refresh_token: 'Refresh token',
  id_token: 'ID token',
  unknown: 'Token',
};

const DEAD = new Set(['revoked', 'inactive', 'superseded', 'unreadable']);
const DEAD_TEXT: Readonly<Record<string, string>> = {
  revoked: 'Revoked: no longer accepted',
  inactive: 'Inactive: the server no longer accepts it',
  superseded: 'Superseded: rotated by a refresh',
  unreadable: 'Unreadable here',
};

export function signatureOf(header: Readonly<Record<string, unknown>> | null): SignatureState {
  if (!header) return 'not-signed';
  return header['alg'] === 'none' ? 'unsigned' : 'unverified';
}

type SignatureView = { state: SignatureState; keySource?: string; reason?: string };

/** The signature check an event recorded: on receipt of a JWT access token ('obtained'), or by Verify signature. */
function recordedCheck(event: TokenEvent): VerificationRecord | AccessTokenCheck | undefined {
  if (event.type === 'verified' || event.type === 'obtained') return event.detail.verification;
  return undefined;
}

/**
 * The newest recorded signature check: made when the token was obtained or refreshed (a JWT access token against
 * the issuer's JWKS), or by Verify signature (a `verified` event).
 */
export function latestCheck(events: Detail['events']): SignatureView | null {
  for (const event of [...events].sort((a, b) => b.atMs - a.atMs)) {
    const check = recordedCheck(event);
    if (!check) continue;
    return {
      state: check.signature,
      keySource: `${check.keySource}, checked ${event.type === 'verified' ? formatLocal(event.atMs) : `when ${event.type}`}`,
      ...(check.reason !== undefined ? { reason: check.reason } : {}),
    };
  }
  return null;
}

/** What an ID token's check on receipt found about its nonce (the back end's record, in words). */
const NONCE_TEXT: Readonly<Record<NonNullable<AccessTokenCheck['nonce']>, string>> = {
  matched: 'matched the one the sign-in sent',
  mismatched: 'does not match the one the sign-in sent',
  missing: 'missing, though the sign-in sent one',
  'not-sent': 'not sent in this flow (refresh or device)',
};

/** One line for an event's detail; a verification record reads as a sentence, not JSON. */
export function eventDetailText(event: TokenEvent): string {
  const check = recordedCheck(event);
  return Object.entries(event.detail)
    .map(([key, value]) => {
      if (key === 'verification' && check) {
        const alg = check.alg !== undefined ? ` ${check.alg}` : '';
        const reason = check.reason !== undefined ? ` (${check.reason})` : '';
        const nonce = 'nonce' in check && check.nonce !== undefined ? ` · nonce ${NONCE_TEXT[check.nonce]}` : '';
        const atHash = 'atHash' in check && check.atHash !== undefined ? ` · at_hash ${check.atHash}` : '';
        return `signature${alg}: ${check.signature}${reason} against ${check.keySource}${nonce}${atHash}`;
      }
      return `${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`;
    })
    .join(' · ');
}

export function TokenDetail({ id }: { id: string }) {
  const [detail, reload] = useResult(() => api.getToken(id), [id]);
  const [signature, setSignature] = useState<SignatureView | null>(null);

  useEffect(
    () =>
      api.onEvent((e) => {
        if (e.type === 'tokens-changed' && e.ids.includes(id)) reload();
      }),
    [id, reload],
  );

  const onVerified = useCallback((s: SignatureView) => setSignature(s), []);

  return (
    <section className="detail-screen" aria-labelledby="detail-title">
      <p className="back">
        <a href={routeHref({ screen: 'tokens' })}>← All tokens</a>
      </p>
      {detail.state === 'loading' && (
        <p className="muted" aria-busy="true">
          Loading token…
        </p>
      )}
      {detail.state === 'error' && (
        <>
          <h2 id="detail-title">Token</h2>
          <ErrorBanner error={detail.error} />
        </>
      )}
      {detail.state === 'ok' && (
        <DetailBody
          detail={detail.value}
          signature={signature ?? latestCheck(detail.value.events) ?? { state: signatureOf(detail.value.header) }}
          onVerified={onVerified}
          onChanged={reload}
        />
      )}
    </section>
  );
}

function DetailBody({
  detail,
  signature,
  onVerified,
  onChanged,
}: {
  detail: Detail;
  signature: SignatureView;
  onVerified: (s: SignatureView) => void;
  onChanged: () => void;
}) {
  const summary = detail.summary;
  return (
    <>
      <div className="detail-head">
        <div>
          <h2 id="detail-title">
            {KIND_TITLE[summary.kind] ?? 'Token'}{' '}
            <StatusChip status={summary.status} expiresAtMs={summary.expiresAtMs} issuedAtMs={summary.issuedAtMs} />
          </h2>
          <p className="muted detail-sub">
            <SafeText text={summary.issuer ?? 'unknown issuer'} /> · format <code>{summary.format}</code> · saved{' '}
            {formatLocal(summary.createdAtMs)} · from {detail.source}
          </p>
        </div>
        {DEAD.has(summary.status) ? (
          <div className="detail-expiry dead" data-testid="detail-expiry">
            <span className="dead-status">{DEAD_TEXT[summary.status] ?? summary.status}</span>
            <span className="muted small">
              its own expiry:{' '}
              <Countdown expiresAtMs={summary.expiresAtMs} issuedAtMs={summary.issuedAtMs} note={summary.expiryNote} />
            </span>
          </div>
        ) : (
          <div className="detail-expiry" data-testid="detail-expiry">
            <Countdown expiresAtMs={summary.expiresAtMs} issuedAtMs={summary.issuedAtMs} note={summary.expiryNote} />
            <LifetimeBar expiresAtMs={summary.expiresAtMs} issuedAtMs={summary.issuedAtMs} />
            {summary.expiresAtMs !== null && <span className="muted small">{formatLocal(summary.expiresAtMs)}</span>}
          </div>
        )}
      </div>

      {!detail.readable && (
        <div className="error-banner" role="alert">
          <code className="error-code">ERR_DECRYPT_FAILED</code>
          <span>
            This token's value cannot be decrypted with the key available here (the history was moved or the key was lost). Log in
            again to get a fresh one.
          </span>
        </div>
      )}

      <TokenActions detail={detail} onChanged={onChanged} onVerified={onVerified} />
      {detail.readable && <ApiExpectationsPanel source={{ tokenId: summary.id }} />}

      <div className="detail-grid">
        <div className="card">
          <h3>Facts</h3>
          <dl className="facts">
            <dt>Subject</dt>
            <dd>
              <SafeText text={summary.subject ?? '—'} />
            </dd>
            <dt>Client</dt>
            <dd>
              <SafeText text={summary.clientId ?? '—'} />
            </dd>
            <dt>Scopes</dt>
            <dd className="scopes">
              {summary.scopes.length
                ? summary.scopes.map((s) => (
                    <span key={s} className="scope">
                      <SafeText text={s} />
                    </span>
                  ))
                : '—'}
            </dd>
            <dt>Issued</dt>
            <dd>{summary.issuedAtMs === null ? '—' : formatLocal(summary.issuedAtMs)}</dd>
            <dt>Expires</dt>
            <dd data-testid="fact-expires">
              {summary.expiresAtMs === null
                ? (summary.expiryNote ?? 'never (no expiry known)')
                : formatLocal(summary.expiresAtMs)}
            </dd>
            <dt>JWT ID</dt>
            <dd className="mono">
              <SafeText text={detail.jti ?? '—'} />
            </dd>
            <dt>SHA-256</dt>
            <dd className="mono break small">{detail.hash}</dd>
            <dt>Key binding</dt>
            <BindingFact tokenId={summary.id} version={detail.events.length} />
          </dl>
        </div>
        <div className="card">
          <h3>Raw token</h3>
          <Secret
            label="Raw token"
            preview={summary.preview}
            {...(detail.readable ? { load: () => revealValue(summary.id) } : {})}
          />
          <p className="sig-line">
            <SignatureBadge state={signature.state} keySource={signature.keySource} reason={signature.reason} />
          </p>
          <GrantLineage token={summary} />
        </div>
      </div>

      {detail.header && detail.claims ? (
        <div className="claims-grid">
          <ClaimsTable title="Header" claims={detail.header} where="header" explain={explainClaim} testId="header-claims" />
          <ClaimsTable title="Payload" claims={detail.claims} where="payload" explain={explainClaim} testId="payload-claims" />
        </div>
      ) : (
        <OpaqueNote events={detail.events} />
      )}

      <Findings detail={detail} />

      <Timeline events={detail.events} />
    </>
  );
}

/** An opaque token: what the server said when it was last introspected, else how to ask it. */
function OpaqueNote({ events }: { events: Detail['events'] }) {
  const last = [...events].sort((a, b) => b.atMs - a.atMs).find((e) => e.type === 'introspected');
  return (
    <p className="muted" data-testid="opaque-note">
      This token is opaque: its meaning is known only to the server that issued it.{' '}
      {last?.type === 'introspected'
        ? `Introspected ${formatLocal(last.atMs)}: the server said it was ${last.detail.active ? 'active' : 'inactive'}.`
        : 'Introspect it to ask that server.'}
    </p>
  );
}

/** What the token domain says about the decoded token: profile rules (RFC 9068, ID token) and time claims. */
function Findings({ detail }: { detail: Detail }) {
  const findings = useMemo(() => {
    if (!detail.header || !detail.claims) return [];
    // The clock only feeds relative phrases that are not shown here.
    const explained = explainClaims(detail.claims, detail.updatedAtMs);
    const profile = checkProfile(
      detail.summary.kind,
      detail.header,
      detail.claims,
      detail.summary.issuer ? { issuer: detail.summary.issuer } : {},
    );
    const unsigned =
      detail.header['alg'] === 'none'
        ? [
            {
              code: 'UNSIGNED_JWT',
              severity: 'error',
              message: 'alg is "none": this token carries no signature and proves nothing',
            },
          ]
        : [];
    return [...unsigned, ...explained.findings, ...profile];
  }, [detail]);
  if (!detail.header) return null;
  return (
    <div className="card" data-testid="findings-card">
      <h3>Findings</h3>
      {findings.length === 0 ? (
        <p className="muted">Nothing to report: the claims follow the rules for this kind of token.</p>
      ) : (
        <ul className="findings" data-testid="findings">
          {findings.map((f, i) => (
            <li key={`${f.code}-${String(i)}`}>
              <code>{f.code}</code> <SafeText text={f.message} />
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function Timeline({ events }: { events: Detail['events'] }) {
  return (
    <div className="card timeline-card">
      <h3>Events</h3>
      {events.length === 0 ? (
        <p className="muted">No events recorded.</p>
      ) : (
        <ol className="timeline" data-testid="events">
          {events.map((e) => (
            <li key={e.id} data-event={e.type}>
              <span className="timeline-time mono small">{formatLocal(e.atMs)}</span>
              <span className={`event-type event-${e.type}`}>{e.type}</span>
              {Object.keys(e.detail).length > 0 && (
                <span className="muted small">
                  <SafeText text={eventDetailText(e)} />
                </span>
              )}
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
