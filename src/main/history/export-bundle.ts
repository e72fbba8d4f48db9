/** The Tokenscope bundle (lossless): tokens, then their grants, profiles and events, written a record at a time. */
import type { ExportRequest, Redaction, TokenSummary } from '../../shared/model.ts';
import { maskValue } from '../../shared/mask.ts';
import { toSummary, type EventRow } from '../store/rows.ts';
import { statusBeforeUnreadable } from '../store/status-policy.ts';
import type { Store } from '../store/store.ts';
import { EXPORT_COLUMNS, unreadableTokensError, type ExportRow } from './canonical-record.ts';
import type { Sink } from './export-sinks.ts';
import { counted, type ExportProgress } from './export-progress.ts';

export const BUNDLE_KIND = 'tokenscope.bundle';
const BUNDLE_VERSION = 1;
/** Rows read at a time. */
export const EXPORT_BATCH = 200;

/** A token as the bundle holds it. Exactly one of value / valueMasked is set unless redact is 'hash' or the value is unreadable. */
export interface BundleToken extends Omit<TokenSummary, 'kind' | 'status' | 'preview' | 'expiryNote'> {
  readonly kind: string;
  readonly hash: string;
  readonly value?: string;
  readonly valueMasked?: string;
  readonly unreadable?: true;
  readonly status: string;
  readonly source: string;
}

/** Which tokens an export request selects, as `Store.eachToken` takes it. */
export function selection(req: ExportRequest): { ids?: readonly string[]; filter?: ExportRequest['filter'] } {
  if (req.ids !== undefined) return { ids: req.ids };
  if (req.filter !== undefined) return { filter: req.filter };
  return {};
}

function redactValue(value: string | null, redact: Redaction): { value?: string; valueMasked?: string } {
  if (value === null || redact === 'hash') return {};
  return redact === 'full' ? { value } : { valueMasked: maskValue(value) };
}

function redactSecrets(secrets: Readonly<Record<string, unknown>>, redact: Redaction): Record<string, unknown> | undefined {
  if (redact === 'hash') return undefined;
  if (redact === 'full') return { ...secrets };
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(secrets)) out[k] = maskValue(typeof v === 'string' ? v : (JSON.stringify(v) ?? ''));
  return out;
}

function bundleToken(store: Store, row: ExportRow, redact: Redaction): BundleToken {
  const value = store.valueOfRow(row);
  const {
    id,
    format,
    kind: _kind,
    status: _status,
    grantId,
    profileId,
    createdAtMs,
    preview: _preview,
    expiryNote: _expiryNote,
    ...described
  } = toSummary(row);
  return {
    id,
    kind: row.kind,
    format,
    hash: row.hash,
    ...redactValue(value, redact),
    ...(value === null ? { unreadable: true as const } : {}),
    // issuer, subject, clientId, scopes, issuedAtMs, expiresAtMs, lifetimeS (a lifetime whose start is unknown)
    ...described,
    status: statusBeforeUnreadable(row),
    grantId,
    profileId,
    source: row.source,
    createdAtMs,
  };
}

/** Writes `items` as the elements of a JSON array already opened, one `write` each. */
async function writeElements<T>(
  sink: Sink,
  items: Iterable<T>,
  text: (item: T) => string | null,
  first: { value: boolean },
): Promise<void> {
  for (const item of items) {
    const element = text(item);
    if (element === null) continue;
    await sink.write(`${first.value ? '\n' : ',\n'}${element}`);
    first.value = false;
  }
}

function eventJson(e: EventRow): string {
  return `{"id":${JSON.stringify(e.id)},"tokenId":${JSON.stringify(e.token_id)},"grantId":${JSON.stringify(e.grant_id)},"type":${JSON.stringify(e.type)},"detail":${e.detail_json},"atMs":${String(e.at_ms)}}`;
}

function profileJson(store: Store, id: string, redact: Redaction): string | null {
  let profile;
  try {
    profile = store.getProfile(id);
  } catch {
    const meta = store.listProfiles().find((p) => p.id === id);
    return meta
      ? JSON.stringify({
          id: meta.id,
          name: meta.name,
          settings: meta.settings,
          createdAtMs: meta.createdAtMs,
          updatedAtMs: meta.updatedAtMs,
          unreadable: true,
        })
      : null;
  }
  if (!profile) return null;
  const secrets = redactSecrets(profile.secrets, redact);
  return JSON.stringify({
    id: profile.id,
    name: profile.name,
    settings: profile.settings,
    ...(secrets === undefined ? {} : { secrets }),
    createdAtMs: profile.createdAtMs,
    updatedAtMs: profile.updatedAtMs,
  });
}

/**
 * Writes the bundle: its header (with `tokenCount`, so an import can tell its progress), then profiles and grants
 * (an import reads a file once: what tokens point at comes first), then tokens, then events.
 */
export async function writeBundle(
  store: Store,
  req: ExportRequest,
  sink: Sink,
  nowMs: number,
  progress?: ExportProgress,
): Promise<number> {
  const whole = req.ids === undefined && req.filter === undefined;
  const grantIds = new Set<string>();
  const profileIds = new Set<string>();
  let tokenCount = whole ? store.count() : 0;
  if (!whole) {
    // A first walk over the selection's links only (no value is opened): which grants and profiles it needs.
    for (const batch of store.eachToken(selection(req), EXPORT_BATCH, ['grant_id', 'profile_id'])) {
      for (const row of batch) {
        tokenCount++;
        if (row.grant_id) grantIds.add(row.grant_id);
        if (row.profile_id) profileIds.add(row.profile_id);
      }
    }
  }
  await sink.write(
    `{"kind":${JSON.stringify(BUNDLE_KIND)},"version":${String(BUNDLE_VERSION)},"exportedAtMs":${String(nowMs)},"redact":${JSON.stringify(req.redact)},"tokenCount":${String(tokenCount)},\n`,
  );
  // Grants in batches: a long history has tens of thousands of them. Their profiles are needed before them.
  const grantsFirst = { value: true };
  const writeGrants = async (): Promise<void> => {
    for (const batch of store.eachGrant(whole ? undefined : grantIds)) {
      await writeElements(sink, batch, (g) => JSON.stringify(g), grantsFirst);
    }
  };
  if (!whole) {
    for (const batch of store.eachGrant(grantIds)) for (const g of batch) if (g.profileId) profileIds.add(g.profileId);
  }
  await sink.write('"profiles":[');
  const profileList = whole ? store.listProfiles().map((p) => p.id) : [...profileIds];
  await writeElements(sink, profileList, (id) => profileJson(store, id, req.redact), { value: true });
  await sink.write('\n],\n"grants":[');
  await writeGrants();
  await sink.write('\n],\n"tokens":[');
  const tokenIds: string[] = [];
  let n = 0;
  for (const batch of counted(store.eachToken(selection(req), EXPORT_BATCH, EXPORT_COLUMNS), progress)) {
    // One record at a time: the sink gathers them into its chunk (a decrypted value lives as long as its record).
    for (const row of batch) {
      const token = bundleToken(store, row, req.redact);
      // A full export promises values: one it cannot read here fails the export (the partial file is removed)
      // rather than writing a bundle that says "exported" and holds no value.
      if (token.unreadable === true && req.redact === 'full') throw unreadableTokensError(store);
      await sink.write(`${n === 0 ? '\n' : ',\n'}${JSON.stringify(token)}`);
      n++;
      if (!whole) tokenIds.push(row.id);
    }
  }
  await sink.write('\n],\n"events":[');
  const eventsFirst = { value: true };
  for (const rows of store.eachEventRow(whole ? null : { tokenIds, grantIds }))
    await writeElements(sink, rows, eventJson, eventsFirst);
  await sink.write('\n]}\n');
  return n;
}
