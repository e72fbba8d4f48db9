/** The actions on one token, each with its own progress, inline result and a way to the HTTP exchange behind it. */
import { useState, type ReactNode } from 'react';
import type { ActionAvailability, TokenDetailView, TokenSummary } from '../../../../shared/model.ts';
import type { GrantResult, IntrospectionResult, UserinfoResult } from '../../../../shared/oauth.ts';
import type { Result } from '../../../../shared/result.ts';
import { api } from '../../api-client.ts';
import { ActionResult } from '../../ui/ActionResult.tsx';
import { ClaimsTable } from '../../ui/ClaimsTable.tsx';
import { ConfirmDialog } from '../../ui/Dialog.tsx';
import { navigate, routeHref } from '../../ui/route.ts';
import { SafeText } from '../../ui/SafeText.tsx';
import type { SignatureState } from '../../ui/SignatureBadge.tsx';
import { useAction, type ActionState } from '../../ui/use-action.ts';
import { ExportDialog } from '../export/ExportDialog.tsx';
import { keySourceLabel, VerifyDialog } from '../../ui/VerifyDialog.tsx';
import { explainClaim } from '../inspect/claim-explanations.ts';
import { CallApiDialog } from '../call/CallApiDialog.tsx';
import { AttachProfileDialog } from './AttachProfileDialog.tsx';
import { ExchangeDialog } from './ExchangeDialog.tsx';
import { RefreshOutcome } from './RefreshOutcome.tsx';

type Verified = { state: SignatureState; keySource?: string; reason?: string };

const DANGER = new Set(['revoke', 'delete']);

/** What the user confirms before a revoke or a delete. */
const CONFIRMATIONS: Record<
  'revoke' | 'delete',
  (token: TokenSummary) => { title: string; message: ReactNode; confirmLabel: string }
> = {
  revoke: (token) => ({
    title: 'Revoke this token?',
    message: (
      <p>
        The server will be asked to revoke this {token.kind.replace('_', ' ')}. Applications using it will lose access. This
        cannot be undone.
      </p>
    ),
    confirmLabel: 'Revoke',
  }),
  delete: () => ({
    title: 'Delete this token from the history?',
    message: <p>Only Tokenscope's copy is deleted: the token stays valid at the server until it expires or is revoked.</p>,
    confirmLabel: 'Delete',
  }),
};

interface ActionSpec {
  readonly id: string;
  readonly label: string;
  readonly busy: string;
  /** Decided by the back end (TokenDetailView.actions): available, or the reason in words. */
  readonly availability: ActionAvailability;
}

/** An action with its state and its result as the user reads it. */
interface RunnableAction extends ActionSpec {
  readonly state: ActionState<unknown>;
  readonly run: () => void;
  readonly outcome: ReactNode;
}

/** Each action types its own result: `render` gets what its call returns. */
function runnable<T>(
  spec: ActionSpec & { state: ActionState<T>; run: () => void; render: (result: T) => ReactNode },
): RunnableAction {
  const { render, ...rest } = spec;
  return { ...rest, outcome: <ActionResult action={spec.state} busyText={spec.busy} render={render} /> };
}

/** True when the exchange log holds a request for this token or grant made since `sinceMs`: only then is there one to show. */
async function sentSince(token: TokenSummary, sinceMs: number): Promise<boolean> {
  const query = token.grantId ? { grantId: token.grantId, limit: 1000 } : { tokenId: token.id, limit: 1000 };
  const logged = await api.listExchanges(query);
  return logged.ok && logged.value.some((x) => x.startedAtMs >= sinceMs);
}

export function TokenActions({
  detail,
  onChanged,
  onVerified,
}: {
  detail: TokenDetailView;
  onChanged: () => void;
  onVerified: (v: Verified) => void;
}) {
  const token = detail.summary;
  const { actions } = detail;
  const [confirm, setConfirm] = useState<'revoke' | 'delete' | null>(null);
  const [exporting, setExporting] = useState(false);
  const [attaching, setAttaching] = useState(false);
  const [calling, setCalling] = useState(false);
  const [exchanging, setExchanging] = useState(false);
  /** The actions whose last run sent a request (so "request/response →" has something to show). */
  const [sent, setSent] = useState<ReadonlySet<string>>(new Set());
  const id = token.id;
  const after = async <T,>(action: string, r: Promise<Result<T>>): Promise<Result<T>> => {
    const since = Date.now() - 5;
    const result = await r;
    const wasSent = await sentSince(token, since);
    setSent((current) => {
      const next = new Set(current);
      if (wasSent) next.add(action);
      else next.delete(action);
      return next;
    });
    onChanged();
    return result;
  };
  const profileId = detail.profile?.id ?? '';
  const [refresh, runRefresh] = useAction((_: null) => after('refresh', api.refreshToken({ tokenId: id })));
  const [renewed, runRenew] = useAction((_: null) => after('getNewToken', api.clientCredentials({ profileId })));
  const [revoke, runRevoke] = useAction((_: null) => after('revoke', api.revokeToken({ tokenId: id })));
  const [introspect, runIntrospect] = useAction((_: null) => after('introspect', api.introspectToken({ tokenId: id })));
  const [userinfo, runUserinfo] = useAction((_: null) => after('userinfo', api.userinfo({ tokenId: id })));
  const [verifying, setVerifying] = useState(false);
  const [del, runDelete] = useAction(async (_: null) => {
    const r = await api.deleteToken(id);
    if (r.ok) navigate({ screen: 'tokens' });
    return r;
  });

  const specs: RunnableAction[] = [
    actions.getNewToken.available
      ? runnable({
          id: 'getNewToken',
          label: 'Get a new token',
          busy: 'Asking the token endpoint with the client credentials…',
          availability: actions.getNewToken,
          state: renewed,
          run: () => void runRenew(null),
          render: (result: GrantResult) => <RefreshOutcome value={result} />,
        })
      : runnable({
          id: 'refresh',
          label: 'Refresh',
          busy: 'Asking the token endpoint for fresh tokens…',
          availability: actions.refresh,
          state: refresh,
          run: () => void runRefresh(null),
          render: (result: GrantResult) => <RefreshOutcome value={result} />,
        }),
    runnable({
      id: 'revoke',
      label: 'Revoke…',
      busy: 'Revoking at the server…',
      availability: actions.revoke,
      state: revoke,
      run: () => setConfirm('revoke'),
      render: () => <span>Revoked: the server will no longer accept this token.</span>,
    }),
    runnable({
      id: 'introspect',
      label: 'Introspect',
      busy: 'Asking the server whether the token is active…',
      availability: actions.introspect,
      state: introspect,
      run: () => void runIntrospect(null),
      render: (result: IntrospectionResult) => <IntrospectResultView value={result} />,
    }),
    runnable({
      id: 'userinfo',
      label: 'Userinfo',
      busy: 'Calling the userinfo endpoint…',
      availability: actions.userinfo,
      state: userinfo,
      run: () => void runUserinfo(null),
      render: (result: UserinfoResult) => (
        <ClaimsTable title="Userinfo" claims={result.claims} where="payload" explain={explainClaim} testId="userinfo-claims" />
      ),
    }),
    runnable({
      id: 'delete',
      label: 'Delete…',
      busy: 'Deleting…',
      availability: { available: true, reason: null },
      state: del,
      run: () => setConfirm('delete'),
      render: () => <span>Deleted.</span>,
    }),
  ];

  const reasonId = (action: string): string => `why-${action}-${id}`;
  /** The reason lines are shared: a button points at the line of its reason (named after its first action). */
  const firstWithReason = (reason: string | null): string =>
    [
      ...specs.map((s) => ({ id: s.id, a: s.availability })),
      { id: 'verify', a: actions.verify },
      { id: 'call', a: actions.callApi },
      { id: 'exchange', a: actions.exchange },
    ].find((x) => !x.a.available && x.a.reason === reason)?.id ?? '';
  const actionButton = (s: (typeof specs)[number]) => (
    <button
      key={s.id}
      type="button"
      className={`btn ${s.id === 'refresh' || s.id === 'getNewToken' ? 'primary' : ''} ${DANGER.has(s.id) ? 'danger-outline' : ''}`}
      onClick={s.run}
      disabled={!s.availability.available || s.state.state === 'busy'}
      aria-busy={s.state.state === 'busy'}
      aria-describedby={s.availability.available ? undefined : reasonId(firstWithReason(s.availability.reason))}
      data-testid={`action-${s.id}`}
    >
      {s.state.state === 'busy' ? `${s.label.replace('…', '')}…` : s.label}
    </button>
  );
  const unavailable: { id: string; label: string; reason: string }[] = [
    ...specs
      .filter((s) => !s.availability.available)
      .map((s) => ({ id: s.id, label: s.label, reason: s.availability.reason ?? '' })),
    ...(actions.verify.available ? [] : [{ id: 'verify', label: 'Verify signature', reason: actions.verify.reason ?? '' }]),
    ...(actions.callApi.available ? [] : [{ id: 'call', label: 'Call API', reason: actions.callApi.reason ?? '' }]),
    ...(actions.exchange.available ? [] : [{ id: 'exchange', label: 'Exchange', reason: actions.exchange.reason ?? '' }]),
  ].map((u) => ({ ...u, label: u.label.replace('…', '') }));
  // One line per reason: "Refresh, Revoke, Introspect: Tokenscope does not know its server…".
  const reasons = [...new Set(unavailable.map((u) => u.reason))].map((reason) => {
    const those = unavailable.filter((u) => u.reason === reason);
    return { reason, ids: those.map((u) => u.id), labels: those.map((u) => u.label).join(', ') };
  });

  /** A button that opens a dialog, disabled with its reason when the back end says it cannot work. */
  const dialogButton = (
    testId: string,
    availability: { readonly available: boolean; readonly reason: string | null },
    open: () => void,
    label: string,
  ) => (
    <button
      type="button"
      className="btn"
      onClick={open}
      disabled={!availability.available}
      aria-describedby={availability.available ? undefined : reasonId(firstWithReason(availability.reason))}
      data-testid={testId}
    >
      {label}
    </button>
  );

  return (
    <div className="token-actions">
      <div className="actions" role="toolbar" aria-label="Token actions">
        {specs.filter((s) => !DANGER.has(s.id)).map(actionButton)}
        {dialogButton('action-verify', actions.verify, () => setVerifying(true), 'Verify signature…')}
        <button type="button" className="btn" onClick={() => setExporting(true)} data-testid="action-export">
          Export…
        </button>
        {dialogButton('action-call', actions.callApi, () => setCalling(true), 'Call API…')}
        <a className="btn" href={routeHref({ screen: 'compare', id })} data-testid="action-compare">
          Compare
        </a>
        <a className="btn" href={routeHref({ screen: 'timeline', by: 'token', id })} data-testid="action-timeline">
          Timeline
        </a>
        {dialogButton('action-exchange', actions.exchange, () => setExchanging(true), 'Exchange…')}
        {actions.attachProfile.available && (
          <button type="button" className="btn" onClick={() => setAttaching(true)} data-testid="action-attach">
            Attach to a profile…
          </button>
        )}
        {/* Revoke and Delete stay together at the end: when the toolbar wraps they move as one. */}
        <span className="danger-group">{specs.filter((s) => DANGER.has(s.id)).map(actionButton)}</span>
      </div>
      {unavailable.length > 0 && (
        <ul className="action-reasons small muted" data-testid="action-reasons">
          {reasons.map((r) => (
            <li key={r.reason} id={reasonId(r.ids[0] ?? '')} data-actions={r.ids.join(' ')}>
              <strong>{r.labels}</strong>: {r.reason}
            </li>
          ))}
        </ul>
      )}
      <div className="action-results">
        {specs.map((s) =>
          s.state.state === 'idle' ? null : (
            <div key={s.id} className="action-slot" data-testid={`result-${s.id}`}>
              <span className="action-name">{s.label.replace('…', '')}</span>
              {s.outcome}
              {s.state.state !== 'busy' && sent.has(s.id) && token.grantId && (
                <a className="small log-link" href={routeHref({ screen: 'log', grantId: token.grantId })}>
                  request/response →
                </a>
              )}
            </div>
          ),
        )}
      </div>
      {confirm && (
        <ConfirmDialog
          {...CONFIRMATIONS[confirm](token)}
          danger
          onCancel={() => setConfirm(null)}
          onConfirm={() => {
            setConfirm(null);
            void (confirm === 'revoke' ? runRevoke(null) : runDelete(null));
          }}
        />
      )}
      {verifying && (
        <VerifyDialog
          issuer={token.issuer}
          tokenId={id}
          onClose={() => setVerifying(false)}
          onVerified={(o) =>
            onVerified({
              state: o.signature.state,
              keySource: keySourceLabel(o),
              ...(o.signature.reason ? { reason: o.signature.reason } : {}),
            })
          }
        />
      )}
      {exporting && <ExportDialog ids={[token.id]} onClose={() => setExporting(false)} />}
      {calling && <CallApiDialog tokenId={id} grantId={token.grantId} onClose={() => setCalling(false)} />}
      {exchanging && <ExchangeDialog token={token} onClose={() => setExchanging(false)} onExchanged={onChanged} />}
      {attaching && <AttachProfileDialog token={token} onClose={() => setAttaching(false)} onAttached={onChanged} />}
    </div>
  );
}

function IntrospectResultView({ value }: { value: IntrospectionResult }) {
  const { active, claims, verdict, explained } = value;
  // The back end's explanations, member by member (the same registry as a JWT's claims).
  const meaning = new Map(explained.map((c) => [c.name, c.explanation]));
  return (
    <div data-testid="introspect-result">
      <p data-testid="introspect-verdict">
        <strong className={active ? 'text-ok' : 'text-danger'} data-testid="introspect-active" data-active={String(active)}>
          {active ? 'active' : 'inactive'}
        </strong>{' '}
        <SafeText text={verdict} />
      </p>
      <ClaimsTable
        title="Introspection response"
        claims={claims}
        where="payload"
        explain={(name) => meaning.get(name)}
        testId="introspect-claims"
      />
    </div>
  );
}
