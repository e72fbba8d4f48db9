/**
 * The records of a Tokenscope bundle as they stream in: profiles, grants, tokens and events, in whatever order the
 * file lists them. A bundle from this version lists profiles and grants first; an older one lists tokens first, so a
 * token's link to a grant or profile not read yet is kept and filled in once the file has been read (`finish`).
 * The tokens' issuances are written at the end too, in one pass: derived per grant, or one per grantless token.
 */
import type { ImportRecordReport, TokenKind, TokenStatus } from '../../shared/model.ts';
import { TOKEN_KINDS, TOKEN_STATUSES } from '../../shared/model.ts';
import { TokenscopeError } from '../../shared/result.ts';
import { isMasked } from '../../shared/mask.ts';
import { tokenHash } from '../store/envelope.ts';
import type { SaveTokenInput, SaveTokenOutcome, Store } from '../store/store.ts';

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
function str(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}
function num(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}
function strArray(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** The lists of a bundle, streamed record by record. */
export const BUNDLE_LISTS: ReadonlySet<string> = new Set(['profiles', 'grants', 'tokens', 'events']);

export class BundleImport {
  private readonly store: Store;
  /** Which lists have been read to their end (a link to a list not read yet may still come true). */
  private readonly seen = new Set<string>();
  /** Tokens (created by this import) whose grant or profile was not known when they were read. */
  private readonly pendingLinks: { id: string; grantId: string | null; profileId: string | null }[] = [];
  private readonly pendingGrantProfiles: { grantId: string; profileId: string }[] = [];
  /** Created tokens, for their issuances at the end: [id, kind, issuedAtMs]. */
  private readonly created: [string, TokenKind, number | null][] = [];
  /** Profiles this import created, for the de-duplication at the end (same issuer + client id = same profile). */
  private readonly importedProfiles: string[] = [];

  /**
   * Grants and profiles the history was found to have while the tokens are read (nothing removes one before
   * `finish`): thousands of tokens name the same few, one lookup each instead of one per token.
   */
  private readonly knownGrants = new Set<string>();
  private readonly knownProfiles = new Set<string>();

  constructor(store: Store) {
    this.store = store;
  }

  private known(set: Set<string>, id: string, has: (id: string) => boolean): boolean {
    if (set.has(id)) return true;
    if (!has(id)) return false;
    if (set.size < 10_000) set.add(id);
    return true;
  }

  /** A list was read to its end. */
  listEnded(list: string): void {
    this.seen.add(list);
  }

  profile(p: unknown): void {
    const { store } = this;
    if (!isObject(p) || typeof p['id'] !== 'string' || store.hasProfile(p['id'])) return;
    if (p['unreadable'] === true) return;
    const secrets = isObject(p['secrets']) ? p['secrets'] : {};
    const masked = Object.values(secrets).some((v) => typeof v === 'string' && isMasked(v));
    store.saveProfile({
      id: p['id'],
      name: str(p['name']) ?? 'imported profile',
      settings: isObject(p['settings']) ? p['settings'] : {},
      secrets: masked ? {} : secrets,
    });
    this.importedProfiles.push(p['id']);
  }

  grant(g: unknown): void {
    const { store } = this;
    if (!isObject(g) || typeof g['id'] !== 'string' || store.hasGrant(g['id'])) return;
    const profileId = str(g['profileId']);
    const known = profileId !== null && store.hasProfile(profileId);
    store.createGrant({
      id: g['id'],
      grantType: str(g['grantType']) ?? 'imported',
      profileId: known ? profileId : null,
      issuer: str(g['issuer']),
      clientId: str(g['clientId']),
      scopes: strArray(g['scopes']),
      createdAtMs: num(g['createdAtMs']) ?? Date.now(),
    });
    store.restoreGrantState(g['id'], g['state'] === 'dead' ? 'dead' : 'live', str(g['deadReason']), num(g['updatedAtMs']));
    if (profileId !== null && !known && !this.seen.has('profiles'))
      this.pendingGrantProfiles.push({ grantId: g['id'], profileId });
  }

  /**
   * One token record: imported, a duplicate, or an error thrown. It writes only through saveToken, after every check
   * that can refuse the record, so a refused record leaves nothing behind without a savepoint.
   */
  token(index: number, t: unknown): ImportRecordReport {
    const { store } = this;
    if (!isObject(t)) throw new TokenscopeError('ERR_IMPORT', 'the token record is not an object');
    const value = t['value'];
    const hash = str(t['hash']);
    if (value === undefined) {
      const known = hash ? store.findTokenByHash(hash) : null;
      if (known) return { index, outcome: 'duplicate', tokenIds: [known] };
      throw new TokenscopeError(
        'ERR_NOT_A_TOKEN',
        t['unreadable'] === true
          ? 'the value was unreadable where it was exported'
          : 'the value was redacted in this bundle (masked or hash only)',
      );
    }
    const kind = str(t['kind']);
    if (!kind || !(TOKEN_KINDS as readonly string[]).includes(kind))
      throw new TokenscopeError('ERR_IMPORT', 'unknown token kind');
    const status = str(t['status']);
    const grantId = str(t['grantId']);
    const profileId = str(t['profileId']);
    const id = str(t['id']);
    if (hash && typeof value === 'string' && hash !== tokenHash(value)) {
      throw new TokenscopeError('ERR_IMPORT', 'the value does not match the hash recorded with it (damaged record)');
    }
    const grantKnown = grantId !== null && this.known(this.knownGrants, grantId, (g) => store.hasGrant(g));
    const profileKnown = profileId !== null && this.known(this.knownProfiles, profileId, (p) => store.hasProfile(p));
    const saved = this.save(id, {
      value: value as string,
      kind: kind as TokenKind,
      format: str(t['format']) ?? 'opaque',
      ...(id ? { id } : {}),
      grantId: grantKnown ? grantId : null,
      profileId: profileKnown ? profileId : null,
      issuer: str(t['issuer']),
      subject: str(t['subject']),
      clientId: str(t['clientId']),
      scopes: strArray(t['scopes']),
      issuedAtMs: num(t['issuedAtMs']),
      expiresAtMs: num(t['expiresAtMs']),
      lifetimeS: num(t['lifetimeS']),
      source: str(t['source']) ?? 'import',
      ...(status && (TOKEN_STATUSES as readonly string[]).includes(status) ? { status: status as TokenStatus } : {}),
      ...(num(t['createdAtMs']) !== null ? { createdAtMs: num(t['createdAtMs']) as number } : {}),
      strict: true,
    });
    if (saved.created) {
      const laterGrant = grantId !== null && !grantKnown && !this.seen.has('grants');
      const laterProfile = profileId !== null && !profileKnown && !this.seen.has('profiles');
      if (laterGrant || laterProfile)
        this.pendingLinks.push({
          id: saved.id,
          grantId: laterGrant ? grantId : null,
          profileId: laterProfile ? profileId : null,
        });
      this.created.push([saved.id, kind as TokenKind, num(t['issuedAtMs'])]);
    }
    return { index, outcome: saved.created ? 'imported' : 'duplicate', tokenIds: [saved.id] };
  }

  /** saveToken; a record whose own id another token of the history has is ERR_IMPORT (saveToken wrote nothing). */
  private save(id: string | null, input: SaveTokenInput): SaveTokenOutcome {
    try {
      return this.store.saveToken(input);
    } catch (e) {
      if (id && e instanceof TokenscopeError && e.code === 'ERR_INVALID_ARGUMENT' && this.store.hasToken(id))
        throw new TokenscopeError('ERR_IMPORT', 'another token with this id is already in the history');
      throw e;
    }
  }

  event(e: unknown): void {
    const { store } = this;
    if (!isObject(e) || typeof e['id'] !== 'string') return;
    try {
      // An event already here (its id taken) is not written again (addEvent).
      store.addEvent({
        id: e['id'],
        tokenId: str(e['tokenId']),
        grantId: str(e['grantId']),
        type: str(e['type']) as never,
        detail: isObject(e['detail']) ? e['detail'] : {},
        atMs: num(e['atMs']) ?? Date.now(),
      });
    } catch {
      // an event of a type this version does not know: the tokens matter, the trace is best effort
    }
  }

  /**
   * After the last record: the links that could only be made once the whole file was read, then the issuances
   * (a bundle records tokens, not responses: derived as for an older history, same grant and time; a token of no
   * grant gets its own). In slices of about a thousand rows.
   */
  *finish(): Generator<() => void> {
    const { store } = this;
    const SLICE = 1000;
    for (let i = 0; i < this.pendingGrantProfiles.length; i += SLICE) {
      const part = this.pendingGrantProfiles.slice(i, i + SLICE);
      yield () => {
        for (const p of part) if (store.hasProfile(p.profileId)) store.fillGrantProfile(p.grantId, p.profileId);
      };
    }
    for (let i = 0; i < this.pendingLinks.length; i += SLICE) {
      const part = this.pendingLinks.slice(i, i + SLICE);
      yield () => {
        for (const l of part) {
          const grantId = l.grantId !== null && store.hasGrant(l.grantId) ? l.grantId : null;
          const profileId = l.profileId !== null && store.hasProfile(l.profileId) ? l.profileId : null;
          if (grantId !== null || profileId !== null) store.fillTokenLinks(l.id, grantId, profileId);
        }
      };
    }
    // Which created tokens have a grant now: one query per slice.
    for (let i = 0; i < this.created.length; i += SLICE) {
      const part = this.created.slice(i, i + SLICE);
      yield () => {
        const grants = store.grantIdsOf(part.map(([id]) => id));
        const touched = new Set<string>();
        const single: { id: string; kind: TokenKind; receivedAtMs: number | null }[] = [];
        for (const [id, kind, issuedAtMs] of part) {
          const grantId = grants.get(id) ?? null;
          if (grantId !== null) touched.add(grantId);
          else single.push({ id, kind, receivedAtMs: issuedAtMs });
        }
        store.recordSingleIssuances('import', single);
        store.deriveIssuances([...touched]);
      };
    }
    // Last, once every link is made: an imported copy of a profile already here (or twice in the bundle) is merged into it.
    yield () => {
      store.mergeSameClientProfiles(this.importedProfiles);
    };
  }
}
