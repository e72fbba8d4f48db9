/** The steps of a login as they happen, with Cancel while it runs and the tokens when it is done. */
import type { FlowState, GrantResult } from '../../../../shared/oauth.ts';
import { ErrorBanner } from '../../ui/ErrorBanner.tsx';
import { routeHref } from '../../ui/route.ts';
import { flows, isRunning, useFlows, type FlowView } from './flow-store.ts';
import { DeviceCode } from './DeviceCode.tsx';
import { LoginLink } from './LoginLink.tsx';

const LOGIN_STEPS: readonly { state: FlowState; label: string }[] = [
  { state: 'waiting-for-browser', label: 'Waiting for you to log in in the browser' },
  { state: 'callback-received', label: 'Browser came back to Tokenscope' },
  { state: 'exchanging', label: 'Exchanging the code for tokens' },
  { state: 'done', label: 'Tokens saved' },
];
const DEVICE_STEPS: readonly { state: FlowState; label: string }[] = [
  { state: 'polling', label: 'Waiting for you to approve on the other device' },
  { state: 'exchanging', label: 'Getting the tokens' },
  { state: 'done', label: 'Tokens saved' },
];

export function FlowProgress({ view, compact }: { view: FlowView | undefined; compact?: boolean }) {
  if (!view || view.state === 'idle') return null;
  const steps = view.kind === 'login' ? LOGIN_STEPS : DEVICE_STEPS;
  const reached = steps.findIndex((s) => s.state === view.state);
  const running = isRunning(view);
  return (
    <div
      className={`flow-progress ${compact ? 'compact' : ''}`}
      data-testid="flow-progress"
      data-state={view.state}
      data-flow={view.key}
    >
      {!compact && view.state !== 'cancelled' && (
        <ol className="steps" aria-label="Progress">
          {steps.map((s, i) => {
            const status = view.state === 'done' || (reached >= 0 && i < reached) ? 'done' : i === reached ? 'current' : 'todo';
            return (
              <li key={s.state} className={`step step-${status}`} aria-current={status === 'current' ? 'step' : undefined}>
                <span className="step-dot" aria-hidden="true" />
                {s.label}
                {status === 'current' && running && <span className="spinner" aria-hidden="true" />}
              </li>
            );
          })}
        </ol>
      )}
      {view.login && running && <LoginLink start={view.login} />}
      {view.device && running && !compact && <DeviceCode start={view.device} />}
      {view.device && running && compact && (
        <span>
          code <strong className="mono">{view.device.userCode}</strong> at <code>{view.device.verificationUri}</code>
        </span>
      )}
      {running && (
        <button
          type="button"
          className="btn small"
          onClick={() => void flows.cancel(view.key)}
          data-testid="flow-cancel"
          disabled={view.flowId === null}
        >
          Cancel
        </button>
      )}
      {view.state === 'cancelled' && (
        <p className="muted">
          {view.kind === 'login' ? 'Cancelled: the loopback listener is closed.' : 'Cancelled: polling stopped.'}
        </p>
      )}
      {view.state === 'failed' && view.error && <ErrorBanner error={view.error} />}
      {view.state === 'done' && view.result && <GrantTokens result={view.result} />}
    </div>
  );
}

export function GrantTokens({ result }: { result: GrantResult }) {
  return (
    <div className="grant-tokens" data-testid="flow-result">
      <span className="grant-tokens-count">
        Got {result.tokens.length} token{result.tokens.length === 1 ? '' : 's'}:
      </span>
      {result.tokens.map((t) => (
        <span key={t.id} className="token-ref">
          <a href={routeHref({ screen: 'token', id: t.id })} data-testid="flow-token" data-kind={t.kind}>
            {t.kind.replace('_', ' ')}
          </a>
          {t.primary && <span className="muted small"> (the one asked for)</span>}
          {!t.created && <span className="muted small"> (already in the history)</span>}
        </span>
      ))}
    </div>
  );
}

/** The newest flow the user started, visible from any screen until dismissed; the others wait behind it (one at a time). */
export function FlowBanner() {
  const all = useFlowsVisible();
  const v = all[all.length - 1];
  if (!v) return null;
  const waiting = all.length - 1;
  return (
    <div className="flow-banner" aria-label="Running and finished flows" role="region">
      <div key={v.key} className={`flow-banner-item state-${v.state}`}>
        <strong>{v.title}</strong>
        <span className="muted small">{stateText(v)}</span>
        <FlowProgress view={v} compact />
        {waiting > 0 && (
          <span className="muted small" data-testid="flow-banner-more">
            +{waiting} earlier
          </span>
        )}
        {!isRunning(v) && (
          <button
            type="button"
            className="btn ghost small"
            aria-label={`Dismiss ${v.title}`}
            onClick={() => flows.dismiss(v.key)}
          >
            ×
          </button>
        )}
      </div>
    </div>
  );
}

function useFlowsVisible(): readonly FlowView[] {
  return useFlows().filter((v) => !v.dismissed);
}

function stateText(v: FlowView): string {
  switch (v.state) {
    case 'starting':
      return 'starting…';
    case 'waiting-for-browser':
      return 'waiting for the login in your browser…';
    case 'callback-received':
      return 'browser came back…';
    case 'exchanging':
      return 'exchanging the code for tokens…';
    case 'polling':
      return 'waiting for approval on the other device…';
    case 'done':
      return 'done';
    case 'failed':
      return 'failed';
    case 'cancelled':
      return 'cancelled';
    case 'idle':
      return '';
  }
}
