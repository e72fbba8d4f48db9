/** One click to a real token: start the local demo issuer, open its login page, follow the flow. */
import { backend } from '../../backend.ts';
import { LoginLink } from './LoginLink.tsx';
import { FlowProgress } from './FlowProgress.tsx';
import { useFlow } from './use-flow.ts';
import { useState } from 'react';
import type { LoginStart } from '../../../../shared/profile.ts';

export function DemoLoginButton() {
  const flow = useFlow();
  const [start, setStart] = useState<LoginStart | null>(null);
  const available = true;
  const go = async (): Promise<void> => {
    flow.begin();
    setStart(null);
    const demo = await backend.demoIssuer();
    if (!demo.ok) {
      flow.fail(demo.error);
      return;
    }
    const s = await backend.startLogin(demo.value.profileId);
    if (!s.ok) {
      flow.fail(s.error);
      return;
    }
    setStart(s.value);
    flow.follow(s.value.flowId);
  };
  const busy = flow.view.state !== 'idle' && !['done', 'failed', 'cancelled'].includes(flow.view.state);
  return (
    <div className="demo-login">
      <button type="button" className="btn primary" onClick={() => void go()} disabled={!available || busy} data-testid="demo-login" title={available ? undefined : 'this back end has no demo issuer yet'}>
        {busy ? 'Logging in…' : 'Get a token from the demo issuer'}
      </button>
      {start && busy && <LoginLink start={start} />}
      <FlowProgress view={flow.view} kind="login" onCancel={() => void flow.cancel()} />
    </div>
  );
}
