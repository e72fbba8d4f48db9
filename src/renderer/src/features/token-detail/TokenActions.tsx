/** The actions on one token, each with its own progress, inline result and a way to the HTTP exchange behind it. */
import { useState, type ReactNode } from 'react';
import type { TokenSummary } from '../../../../shared/model.ts';
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
  readonly available: boolean;
  readonly why?: string;
}

function LogLink({ grantId }: { grantId: string | null }) {
  if (!grantId) return null;
  return (
    <a className="small log-link" href={routeHref({ screen: 'log', grantId })}>
      request/response →
    </a>
  );
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

export function TokenActions({
  token,
  readable,
  isJwt,
  onChanged,
  onVerified,
}: {
  token: TokenSummary;
  readable: boolean;
  isJwt: boolean;
  onChanged: () => void;
  onVerified: (v: Verified) => void;
}) {
  const [confirm, setConfirm] = useState<'revoke' | 'delete' | null>(null);
  const [exporting, setExporting] = useState(false);
  const id = token.id;
  const after = async <T,>(r: Promise<Result<T>>): Promise<Result<T>> => {
    const result = await r;
    onChanged();
    return result;
  };
  const [refresh, runRefresh] = useAction((_: null) => after(api.refreshToken({ tokenId: id })));
  const [revoke, runRevoke] = useAction((_: null) => after(api.revokeToken({ tokenId: id })));
  const [introspect, runIntrospect] = useAction((_: null) => after(api.introspectToken({ tokenId: id })));
  const [userinfo, runUserinfo] = useAction((_: null) => api.userinfo({ tokenId: id }));
  const [verifying, setVerifying] = useState(false);
  const [del, runDelete] = useAction(async (_: null) => {
    const r = await api.deleteToken(id);
    if (r.ok) navigate({ screen: 'tokens' });
    return r;
  });

  const unreadable = readable ? undefined : 'the value cannot be decrypted here';
  const specs: RunnableAction[] = [
    runnable({
      id: 'refresh',
      label: 'Refresh',
      busy: 'Asking the token endpoint for fresh tokens…',
      available: token.grantId !== null && readable,
      why: token.grantId === null ? 'not part of a grant with a refresh token' : unreadable,
      state: refresh,
      run: () => void runRefresh(null),
      render: (result: GrantResult) => <RefreshOutcome value={result} />,
    }),
    runnable({
      id: 'revoke',
      label: 'Revoke…',
      busy: 'Revoking at the server…',
      available: readable,
      why: unreadable,
      state: revoke,
      run: () => setConfirm('revoke'),
      render: () => <span>Revoked: the server will no longer accept this token.</span>,
    }),
    runnable({
      id: 'introspect',
      label: 'Introspect',
      busy: 'Asking the server whether the token is active…',
      available: readable,
      why: unreadable,
      state: introspect,
      run: () => void runIntrospect(null),
      render: (result: IntrospectionResult) => <IntrospectResultView value={result} />,
    }),
    runnable({
      id: 'userinfo',
      label: 'Userinfo',
      busy: 'Calling the userinfo endpoint…',
      available: readable && token.kind === 'access_token',
      why: token.kind !== 'access_token' ? 'userinfo takes an access token' : unreadable,
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
      available: true,
      state: del,
      run: () => setConfirm('delete'),
      render: () => <span>Deleted.</span>,
    }),
  ];

  const actionButton = (s: (typeof specs)[number]) => (
    <button
      key={s.id}
      type="button"
      className={`btn ${s.id === 'refresh' ? 'primary' : ''} ${DANGER.has(s.id) ? 'danger-outline' : ''}`}
      onClick={s.run}
      disabled={!s.available || s.state.state === 'busy'}
      aria-busy={s.state.state === 'busy'}
      title={s.available ? undefined : (s.why ?? 'not available')}
      data-testid={`action-${s.id}`}
    >
      {s.state.state === 'busy' ? `${s.label.replace('…', '')}…` : s.label}
    </button>
  );

  return (
    <div className="token-actions">
      <div className="actions" role="toolbar" aria-label="Token actions">
        {specs.filter((s) => !DANGER.has(s.id)).map(actionButton)}
        <button
          type="button"
          className="btn"
          onClick={() => setVerifying(true)}
          disabled={!readable || !isJwt}
          title={isJwt ? (readable ? undefined : unreadable) : 'only a JWT carries a signature the client can check'}
          data-testid="action-verify"
        >
          Verify signature…
        </button>
        <button type="button" className="btn" onClick={() => setExporting(true)} data-testid="action-export">
          Export…
        </button>
        <a className="btn" href={routeHref({ screen: 'compare', id })} data-testid="action-compare">
          Compare
        </a>
        <span className="toolbar-gap" />
        {specs.filter((s) => DANGER.has(s.id)).map(actionButton)}
      </div>
      <div className="action-results">
        {specs.map((s) =>
          s.state.state === 'idle' ? null : (
            <div key={s.id} className="action-slot" data-testid={`result-${s.id}`}>
              <span className="action-name">{s.label.replace('…', '')}</span>
              {s.outcome}
              {s.state.state !== 'busy' && s.id !== 'delete' && <LogLink grantId={token.grantId} />}
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
    </div>
  );
}

function IntrospectResultView({ value }: { value: IntrospectionResult }) {
  const { active, claims } = value;
  return (
    <div>
      <p>
        The server says this token is{' '}
        <strong className={active ? 'text-ok' : 'text-danger'} data-testid="introspect-active">
          {active ? 'active' : 'inactive'}
        </strong>
        .
      </p>
      {Object.keys(claims).length > 0 && (
        <details>
          <summary>Introspection response</summary>
          <pre className="mono json">
            <SafeText text={JSON.stringify(claims, null, 2)} />
          </pre>
        </details>
      )}
    </div>
  );
}
