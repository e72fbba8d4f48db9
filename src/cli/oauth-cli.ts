/** What the OAuth commands share: a profile by name, waiting for a flow, the stored tokens printed. */
import type { TokenscopeBackend } from '../shared/api.ts';
import type { ProfileView } from '../shared/profile.ts';
import type { GrantResult } from '../shared/oauth.ts';
import type { GrantLineage } from '../shared/issuance.ts';
import { inertText } from '../shared/text/inert.ts';
import { formatDuration } from '../shared/time/relative.ts';
import { TokenscopeError } from '../shared/result.ts';
import { badInput } from './args.ts';
import { isoSecondsFromMs } from '../shared/formats/units.ts';
import { unwrap } from './backend.ts';
import type { CliIo } from './io.ts';
import { flowProgress, progressOn } from './progress.ts';

/** A profile by id or by name (case-insensitive). */
export async function findProfile(backend: TokenscopeBackend, nameOrId: string): Promise<ProfileView> {
  const profiles = unwrap(await backend.listProfiles());
  const found = profiles.find((p) => p.id === nameOrId) ?? profiles.find((p) => p.name.toLowerCase() === nameOrId.toLowerCase());
  if (!found)
    throw new TokenscopeError('ERR_NOT_FOUND', `no profile named "${nameOrId.slice(0, 60)}" (see tokenscope profile list)`);
  return found;
}

/**
 * Waits for a flow's final event (its result, or its error thrown); Ctrl-C cancels the flow. The flow's
 * progress is shown on stderr as it comes (the state it is in now, then each flow-progress event), with the
 * time left until `untilMs`, the deadline the back end gave at the start.
 */
export function waitForFlow(
  backend: TokenscopeBackend,
  io: CliIo,
  start: { readonly flowId: string; readonly expiresAtMs: number; readonly intervalSeconds?: number },
): Promise<GrantResult> {
  const { flowId } = start;
  const progress = progressOn(io);
  const shown = flowProgress(progress, start.expiresAtMs, start.intervalSeconds);
  return new Promise<GrantResult>((resolve, reject) => {
    let settled = false;
    const interrupt = (): void => void backend.cancelFlow({ flowId });
    process.once('SIGINT', interrupt);
    const settle = (): void => {
      void backend.getFlow({ flowId }).then((status) => {
        if (settled || !status.ok) return;
        if (!status.value.result && !status.value.error) {
          shown.state(status.value.state);
          return;
        }
        settled = true;
        stop();
        progress.end();
        process.removeListener('SIGINT', interrupt);
        if (status.value.result) resolve(status.value.result);
        else if (status.value.error) reject(new TokenscopeError(status.value.error.code, status.value.error.message));
      });
    };
    const stop = backend.onEvent((event) => {
      if (event.type !== 'flow-progress' || event.flowId !== flowId) return;
      if (event.state === 'done' || event.state === 'failed' || event.state === 'cancelled') settle();
      else shown.event(event);
    });
    // The flow may have moved on (or finished) before we subscribed: its state now comes first.
    settle();
  });
}

function tokensJson(result: GrantResult, extra: Readonly<Record<string, unknown>>): string {
  return `${JSON.stringify(
    {
      grantId: result.grantId,
      tokens: result.tokens.map((t) => ({
        id: t.id,
        kind: t.kind,
        format: t.format,
        primary: t.primary,
        expiresAt: t.expiresAtMs === null ? null : new Date(t.expiresAtMs).toISOString(),
      })),
      ...(result.supersededTokenId ? { supersededTokenId: result.supersededTokenId } : {}),
      ...extra,
    },
    null,
    2,
  )}\n`;
}

function tokensText(result: GrantResult): string {
  const lines = result.tokens.map(
    (t) =>
      `${t.kind.padEnd(13)}  ${t.format.padEnd(6)}  ${isoSecondsFromMs(t.expiresAtMs).padEnd(20)}  ${t.id}${t.primary ? '  (primary)' : ''}`,
  );
  return `grant ${result.grantId}\n${lines.join('\n')}\n${result.supersededTokenId ? `superseded refresh token ${result.supersededTokenId}\n` : ''}`;
}

/** `--profile NAME` or `--demo` (the local demo issuer, started on the way): exactly one of them. */
export function checkProfileOrDemo(values: { readonly profile?: string; readonly demo?: boolean }): void {
  if ((values.profile !== undefined) === (values.demo === true)) throw badInput('give either --profile NAME or --demo');
}

export async function profileIdOf(
  backend: TokenscopeBackend,
  values: { readonly profile?: string; readonly demo?: boolean },
): Promise<string> {
  if (values.demo === true) return unwrap(await backend.ensureDemoIssuer()).profileId;
  return (await findProfile(backend, values.profile ?? '')).id;
}

/**
 * The stored tokens: JSON (ids, kinds, expiry) with --json, for scripts; a table otherwise. `extra`: more of the
 * back end's facts for the JSON (e.g. the grant's scopes), already computed by it.
 */
export function printTokens(
  io: CliIo,
  result: GrantResult,
  json: boolean | undefined,
  extra: Readonly<Record<string, unknown>> = {},
): void {
  io.stdout(json === true ? tokensJson(result, extra) : tokensText(result));
}

/** The grant's scopes, missing refresh token and auto-refresh in the back end's words, one labelled line each. */
export function grantFactsLines(lineage: GrantLineage, nowMs: number): string[] {
  const lines: string[] = [];
  if (lineage.scopes) lines.push(`scopes    ${inertText(lineage.scopes.text)}`);
  if (lineage.scopes?.missingRefresh) lines.push(`refresh   ${inertText(lineage.scopes.missingRefresh)}`);
  const auto = lineage.autoRefresh;
  if (auto?.on)
    lines.push(
      auto.nextAtMs !== null
        ? `auto      auto-refresh on: next refresh in ${formatDuration(Math.max(0, auto.nextAtMs - nowMs))}`
        : `auto      auto-refresh on, none due: ${auto.why ?? 'nothing to refresh'}`,
    );
  return lines;
}
