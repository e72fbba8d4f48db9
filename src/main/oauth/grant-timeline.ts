/**
 * A grant's timeline from its exchange log: every step in order (authorization request, callback, token request,
 * JWKS, refreshes, revocations, introspections, API calls), each named in words with its time since the first.
 * The UI's Timeline and `tokenscope log` both show this.
 */
import type { HttpExchange } from '../../shared/oauth.ts';
import { TokenscopeError } from '../../shared/result.ts';
import type { GrantTimeline, TimelineStep } from '../../shared/timeline.ts';
import { formatOffset } from '../../shared/time/relative.ts';
import type { ExchangeRecorder } from './exchange-recorder.ts';
import type { OAuthStore } from './store-port.ts';

/** The most steps one timeline shows (the log's page limit). */
const MAX_STEPS = 1000;

const TOKEN_GRANT_LABEL: Readonly<Record<string, string>> = {
  authorization_code: 'Token request (code exchange)',
  refresh_token: 'Refresh',
  client_credentials: 'Token request (client credentials)',
  'urn:ietf:params:oauth:grant-type:device_code': 'Token request (device code)',
  'urn:ietf:params:oauth:grant-type:token-exchange': 'Token exchange',
};

const STEP_LABEL: Readonly<Record<string, string>> = {
  discovery: 'Discovery',
  authorization: 'Authorization request',
  par: 'Pushed authorization request (PAR)',
  callback: 'Callback',
  token: 'Token request',
  'device-authorization': 'Device authorization request',
  'device-token': 'Token request (device code)',
  revocation: 'Revocation',
  introspection: 'Introspection',
  userinfo: 'Userinfo',
  jwks: 'JWKS fetch',
  'api-call': 'API call',
};

/** A form body's or a URL query's parameters, as logged (masked). */
function parametersOf(exchange: HttpExchange): (readonly [string, string])[] {
  if (exchange.step === 'authorization' || exchange.step === 'callback') {
    const url = URL.parse(exchange.url);
    return url ? [...url.searchParams] : [];
  }
  const body = exchange.requestBody ?? '';
  const type = (exchange.requestHeaders['content-type'] ?? '').toLowerCase();
  return type.includes('application/x-www-form-urlencoded') ? [...new URLSearchParams(body)] : [];
}

/** A step's name, and who asked when it was not a person: "Auto-refresh", "JWKS fetch (auto-refresh)". */
function labelOf(exchange: HttpExchange, parameters: readonly (readonly [string, string])[]): string {
  const label = stepLabelOf(exchange, parameters);
  if (exchange.by !== 'auto-refresh') return label;
  return label === TOKEN_GRANT_LABEL['refresh_token'] ? 'Auto-refresh' : `${label} (auto-refresh)`;
}

function stepLabelOf(exchange: HttpExchange, parameters: readonly (readonly [string, string])[]): string {
  const step = exchange.step ?? null;
  if (step === 'token') {
    const grantType = parameters.find(([k]) => k === 'grant_type')?.[1];
    return (grantType !== undefined ? TOKEN_GRANT_LABEL[grantType] : undefined) ?? STEP_LABEL['token'] ?? 'Token request';
  }
  if (step === 'authorization' && parameters.some(([k]) => k === 'request_uri')) return 'Authorization request (pushed)';
  return (step !== null ? STEP_LABEL[step] : undefined) ?? 'Request';
}

/** Steps that only prepare the grant's first request (the server's metadata) when they come before it. */
const PREPARATION = new Set(['discovery', 'jwks']);

export function timelineOf(exchanges: readonly HttpExchange[], grantId: string | null): GrantTimeline {
  const firstStep = exchanges.findIndex((x) => !PREPARATION.has(x.step ?? ''));
  const split = firstStep === -1 ? 0 : firstStep;
  const firstAtMs = exchanges[split]?.startedAtMs ?? 0;
  const stepOf = (exchange: HttpExchange): TimelineStep => {
    const parameters = parametersOf(exchange);
    const offsetMs = exchange.startedAtMs - firstAtMs;
    return { exchange, label: labelOf(exchange, parameters), offsetMs, offsetText: formatOffset(offsetMs), parameters };
  };
  const preparation = exchanges.slice(0, split).map(stepOf);
  const steps = exchanges.slice(split).map(stepOf);
  const last = exchanges.at(-1);
  const spanMs = last ? last.startedAtMs + (last.durationMs ?? 0) - firstAtMs : 0;
  const summary =
    steps.length === 0
      ? 'No steps logged'
      : `${String(steps.length)} step${steps.length === 1 ? '' : 's'} over ${formatOffset(spanMs).slice(1)}`;
  return { grantId, steps, preparation, summary };
}

/** The timeline of a grant, or of the grant a token belongs to (a token without a grant: its own steps). ERR_NOT_FOUND. */
export function grantTimeline(
  store: Pick<OAuthStore, 'getTokenSummary' | 'getGrantSummary'>,
  recorder: Pick<ExchangeRecorder, 'list'>,
  arg: { readonly grantId?: string | undefined; readonly tokenId?: string | undefined },
): GrantTimeline {
  if (arg.tokenId !== undefined) {
    const token = store.getTokenSummary(arg.tokenId);
    if (!token) throw new TokenscopeError('ERR_NOT_FOUND', 'no such token in the history');
    const exchanges = token.grantId
      ? recorder.list({ grantId: token.grantId, limit: MAX_STEPS })
      : recorder.list({ tokenId: token.id, limit: MAX_STEPS });
    return timelineOf(exchanges, token.grantId);
  }
  if (arg.grantId === undefined) throw new TokenscopeError('ERR_INVALID_ARGUMENT', 'give a grantId or a tokenId');
  if (!store.getGrantSummary(arg.grantId)) throw new TokenscopeError('ERR_NOT_FOUND', 'no such grant in the history');
  return timelineOf(recorder.list({ grantId: arg.grantId, limit: MAX_STEPS }), arg.grantId);
}
