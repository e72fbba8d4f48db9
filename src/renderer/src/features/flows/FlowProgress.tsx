/** The steps of a login as they happen, with Cancel while it runs and the tokens when it is done. */
import type { FlowState, GrantResult } from '../../../../shared/profile.ts';
import { ErrorBanner } from '../../ui/ErrorBanner.tsx';
import { routeHref } from '../../ui/route.ts';
import type { FlowView } from './use-flow.ts';

const LOGIN_STEPS: readonly { state: FlowState; label: string }[] = [
  { state: 'waiting-for-browser', label: 'Waiting for you to log in in the browser' },
  { state: 'callback-received', label: 'Browser came back to Tokenscope' },
  { state: 'exchanging', label: 'Exchanging the code for tokens' },
  { state: 'done', label: 'Tokens saved' },
];
const DEVICE_STEPS: readonly { state: FlowState; label: string }[] = [
  { state: 'polling', label: 'Waiting for you to approve on the other device' },
  { state: 'done', label: 'Tokens saved' },
];

export function FlowProgress({ view, kind, onCancel }: { view: FlowView; kind: 'login' | 'device'; onCancel: () => void }) {
  if (view.state === 'idle') return null;
  const steps = kind === 'login' ? LOGIN_STEPS : DEVICE_STEPS;
  const reached = steps.findIndex((s) => s.state === view.state);
  const running = !['done', 'failed', 'cancelled', 'idle'].includes(view.state);
  return (
    <div className="flow-progress" data-testid="flow-progress" data-state={view.state}>
      <ol className="steps" aria-label="Progress">
        {steps.map((s, i) => {
          const status = view.state === 'done' || i < reached ? 'done' : i === reached ? 'current' : 'todo';
          return (
            <li key={s.state} className={`step step-${status}`} aria-current={status === 'current' ? 'step' : undefined}>
              <span className="step-dot" aria-hidden="true" />
              {s.label}
              {status === 'current' && running && <span className="spinner" aria-hidden="true" />}
            </li>
          );
        })}
      </ol>
      <p role="status" aria-live="polite" className="visually-hidden">
        {view.state}
      </p>
      {running && (
        <button type="button" className="btn" onClick={onCancel} data-testid="flow-cancel">
          Cancel
        </button>
      )}
      {view.state === 'cancelled' && <p className="muted">Cancelled: the loopback listener is closed.</p>}
      {view.state === 'failed' && view.error && <ErrorBanner error={view.error} />}
      {view.state === 'done' && view.result && <GrantTokens result={view.result} />}
    </div>
  );
}

export function GrantTokens({ result }: { result: GrantResult }) {
  return (
    <div className="grant-tokens" data-testid="flow-result">
      <p>Got {result.tokens.length} token{result.tokens.length === 1 ? '' : 's'}:</p>
      <ul>
        {result.tokens.map((t) => (
          <li key={t.id}>
            <a href={routeHref({ screen: 'token', id: t.id })} data-testid="flow-token" data-kind={t.kind}>
              {t.kind.replace('_', ' ')}
            </a>
            {t.primary && <span className="muted small"> (the profile's token)</span>}
            {!t.created && <span className="muted small"> (already in the history)</span>}
          </li>
        ))}
      </ul>
    </div>
  );
}
