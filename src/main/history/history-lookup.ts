/** Whether pasted text holds tokens the history already has: looked up by value hash, never by showing values. */
import type { HistoryMatch } from '../../shared/model.ts';
import { inspectText } from '../../shared/token/inspect.ts';
import type { Store } from '../store/store.ts';

const ROLES = [
  ['accessToken', 'access_token'],
  ['refreshToken', 'refresh_token'],
  ['idToken', 'id_token'],
] as const;

/** The tokens of `text` (a bare token, a header, a redirect URL, a token object) found in the history. */
export function findInHistory(store: Store, text: string, nowMs: number): HistoryMatch[] {
  const { canonical } = inspectText(text, { nowMs });
  const matches: HistoryMatch[] = [];
  for (const [concept, role] of ROLES) {
    const value = canonical[concept];
    if (value === undefined) continue;
    const id = store.findTokenByValue(value.trim());
    const token = id === null ? null : store.getTokenSummary(id);
    if (token === null) continue;
    const grant = token.grantId === null ? null : store.getGrantSummary(token.grantId);
    matches.push({ role, token, grant });
  }
  return matches;
}
