/**
 * A grant's timeline: every step from the first (the authorization request of a login) in order, named and timed
 * by the back end (grantTimeline), each opening its masked request and response.
 */
import { useState } from 'react';
import type { TimelineStep } from '../../../../shared/timeline.ts';
import { api } from '../../api-client.ts';
import { ErrorBanner } from '../../ui/ErrorBanner.tsx';
import { routeHref } from '../../ui/route.ts';
import { SafeText } from '../../ui/SafeText.tsx';
import { formatLocal } from '../../ui/time-format.ts';
import { useResult } from '../../ui/use-result.ts';
import { ExchangeBody, readableUrl } from '../exchange-log/HttpMessage.tsx';

export function GrantTimelineView({ by, id }: { by: 'grant' | 'token'; id: string }) {
  const [timeline] = useResult(() => api.grantTimeline(by === 'grant' ? { grantId: id } : { tokenId: id }), [by, id]);
  return (
    <section className="panel wide" aria-labelledby="timeline-title">
      <p className="back">
        {by === 'token' ? (
          <a href={routeHref({ screen: 'token', id })}>← The token</a>
        ) : (
          <a href={routeHref({ screen: 'log', grantId: id })}>← Exchange log</a>
        )}
      </p>
      <h2 id="timeline-title">Grant timeline</h2>
      {timeline.state === 'error' && <ErrorBanner error={timeline.error} />}
      {timeline.state === 'ok' && (
        <>
          <p className="muted" data-testid="timeline-summary">
            {timeline.value.summary}
            {timeline.value.steps[0] && `, from ${formatLocal(timeline.value.steps[0].exchange.startedAtMs)}`}. Secrets are
            masked; open a step for its request and response.
          </p>
          {timeline.value.preparation.length > 0 && (
            <>
              <h3 className="timeline-part">Before the first step</h3>
              <StepList steps={timeline.value.preparation} testId="timeline-preparation" />
            </>
          )}
          {timeline.value.steps.length > 0 && <StepList steps={timeline.value.steps} testId="timeline-steps" />}
        </>
      )}
    </section>
  );
}

function StepList({ steps, testId }: { steps: readonly TimelineStep[]; testId: string }) {
  const [open, setOpen] = useState<string | null>(null);
  return (
    <ol className="exchanges timeline-steps" data-testid={testId}>
      {steps.map((step) => {
        const x = step.exchange;
        const expanded = open === x.id;
        const ok = x.status !== null && x.status < 400;
        return (
          <li key={x.id} className="exchange" data-testid="timeline-step" data-step={x.step ?? 'request'}>
            <button
              type="button"
              className="exchange-head timeline-head"
              aria-expanded={expanded}
              onClick={() => setOpen(expanded ? null : x.id)}
            >
              <span className="mono small offset">{step.offsetText}</span>
              <span className="step-label">{step.label}</span>
              <span className={`status ${x.status === null ? 'muted' : ok ? 'text-ok' : 'text-danger'}`}>
                {x.status ?? (x.step === 'authorization' ? 'browser' : 'no response')}
              </span>
              <span className="mono url">
                <span className="method">{x.method}</span> <SafeText text={readableUrl(x.url)} />
              </span>
              <span className="muted small">
                {x.durationMs === null || x.step === 'authorization' ? '' : `${String(x.durationMs)} ms`}
              </span>
            </button>
            {expanded && (
              <>
                {step.parameters.length > 0 && (
                  <dl className="headers mono small timeline-params" data-testid="step-parameters">
                    {step.parameters.map(([k, v], i) => (
                      <div key={`${k}-${String(i)}`} className="header-line">
                        <dt>{k} =</dt>
                        <dd>
                          <SafeText text={v} />
                        </dd>
                      </div>
                    ))}
                  </dl>
                )}
                <ExchangeBody exchange={x} />
              </>
            )}
          </li>
        );
      })}
    </ol>
  );
}
