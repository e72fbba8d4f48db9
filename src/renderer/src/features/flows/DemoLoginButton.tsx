/** One click to a real token: start the local demo issuer, open its login page, follow the flow in the banner. */
import { isRunning, startDemoLogin, useFlow } from './flow-store.ts';

export function DemoLoginButton() {
  const flow = useFlow('demo');
  const busy = isRunning(flow);
  return (
    <button type="button" className="btn primary" onClick={() => void startDemoLogin()} disabled={busy} data-testid="demo-login">
      {busy ? 'Logging in…' : 'Get a token from the demo issuer'}
    </button>
  );
}
