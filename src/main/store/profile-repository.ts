/** The `profiles` table: settings in plain JSON, secrets sealed. */
import { randomUUID } from 'node:crypto';
import { checkId, checkProfileInput } from './arguments.ts';
import type { Connection } from './connection.ts';
import type { Keyring } from './envelope.ts';
import type { ProfileListItem, ProfileRecord, SaveProfileInput } from './inputs.ts';
import { parseObject, type ProfileRow } from './rows.ts';

function toListItem(row: ProfileRow): ProfileListItem {
  return {
    id: row.id,
    name: row.name,
    settings: parseObject(row.settings_json) ?? {},
    hasSecrets: row.secrets_enc !== null,
    createdAtMs: row.created_at_ms,
    updatedAtMs: row.updated_at_ms,
  };
}

/**
 * What makes two profiles the same client: the issuer (without a trailing slash) and the client id; for a demo
 * profile its role and client id (its issuer is the local demo's, re-pointed at every start and different per machine).
 */
function sameClientKey(settings: Readonly<Record<string, unknown>>): string | null {
  const clientId = settings['clientId'];
  if (typeof clientId !== 'string' || clientId === '') return null;
  if (settings['demo'] === true) {
    const role = typeof settings['demoRole'] === 'string' ? settings['demoRole'] : 'native';
    return `demo\u0000${role}\u0000${clientId}`;
  }
  const issuer = settings['issuer'];
  if (typeof issuer !== 'string' || issuer === '') return null;
  return `${issuer.replace(/\/+$/, '')}\u0000${clientId}`;
}

export class ProfileRepository {
  private readonly conn: Connection;
  private readonly keyring: Keyring;
  /** Indexes tokens again whose profile changed (a token's profile is one of its search words). */
  private readonly reindex: (seqs: readonly number[]) => void;

  constructor(conn: Connection, keyring: Keyring, reindex: (seqs: readonly number[]) => void) {
    this.conn = conn;
    this.keyring = keyring;
    this.reindex = reindex;
  }

  private tokensOf(profileId: string): number[] {
    return (
      this.conn.sql('SELECT seq FROM tokens INDEXED BY tokens_profile WHERE profile_id = ?').all(profileId) as { seq: number }[]
    ).map((r) => r.seq);
  }

  /** Creates or replaces a profile; `secrets` are sealed, `settings` stay plain. Returns its id. */
  saveProfile(input: SaveProfileInput): string {
    checkProfileInput(input);
    const id = input.id === undefined ? randomUUID() : checkId(input.id, 'id');
    const now = this.conn.now();
    const secrets =
      Object.keys(input.secrets).length === 0 ? null : this.keyring.seal(JSON.stringify(input.secrets), `profile:${id}`);
    this.conn.write(() => {
      this.conn
        .sql(
          `INSERT INTO profiles (id, name, settings_json, secrets_enc, created_at_ms, updated_at_ms) VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT (id) DO UPDATE SET name = excluded.name, settings_json = excluded.settings_json,
             secrets_enc = excluded.secrets_enc, updated_at_ms = excluded.updated_at_ms`,
        )
        .run(id, input.name, JSON.stringify(input.settings), secrets, now, now);
    });
    return id;
  }

  /** The profile with its secrets decrypted; null when absent; ERR_DECRYPT_FAILED when its secrets cannot be read here. */
  getProfile(id: string): ProfileRecord | null {
    const row = this.conn.sql('SELECT * FROM profiles WHERE id = ?').get(id) as ProfileRow | undefined;
    if (!row) return null;
    const secrets = row.secrets_enc ? parseObject(this.keyring.openText(row.secrets_enc, `profile:${id}`)) : {};
    const { hasSecrets: _, ...rest } = toListItem(row);
    return { ...rest, secrets: secrets ?? {} };
  }

  /** Every profile without its secrets, by name. */
  listProfiles(): ProfileListItem[] {
    const rows = this.conn.sql('SELECT * FROM profiles ORDER BY name COLLATE NOCASE, id').all() as ProfileRow[];
    return rows.map(toListItem);
  }

  hasProfile(id: string): boolean {
    return this.conn.sql('SELECT 1 FROM profiles WHERE id = ?').get(id) !== undefined;
  }

  /** Deletes a profile; its tokens and grants stay (their profile link is cleared). False when absent. */
  deleteProfile(id: string): boolean {
    return this.conn.write(() => {
      const seqs = this.tokensOf(id);
      const deleted = this.conn.sql('DELETE FROM profiles WHERE id = ?').run(id).changes > 0;
      this.reindex(seqs);
      return deleted;
    });
  }

  /**
   * Import's de-duplication: each of `ids` (profiles just imported) that is the same client (same issuer + client id)
   * as a profile that was already here, or as an earlier one of `ids`, is merged into it (its tokens and grants move).
   * Profiles that were already here are never merged with each other. Returns how many were merged.
   */
  mergeSameClient(ids: readonly string[]): number {
    const incoming = new Set(ids);
    if (incoming.size === 0) return 0;
    const keep = new Map<string, string>();
    const merges: [string, string][] = [];
    // Those already here first (by age), then the imported ones in bundle order.
    const existing = this.listProfiles()
      .filter((p) => !incoming.has(p.id))
      .sort((a, b) => a.createdAtMs - b.createdAtMs);
    for (const p of existing) {
      const key = sameClientKey(p.settings);
      if (key !== null && !keep.has(key)) keep.set(key, p.id);
    }
    for (const id of ids) {
      const profile = this.conn.sql('SELECT * FROM profiles WHERE id = ?').get(id) as ProfileRow | undefined;
      if (!profile) continue;
      const key = sameClientKey(toListItem(profile).settings);
      if (key === null) continue;
      const into = keep.get(key);
      if (into === undefined) keep.set(key, id);
      else merges.push([id, into]);
    }
    for (const [from, into] of merges) this.mergeProfileInto(from, into);
    return merges.length;
  }

  /** Deletes profile `fromId` after pointing its tokens and grants at `intoId` (one profile standing for another). */
  mergeProfileInto(fromId: string, intoId: string): void {
    this.conn.write(() => {
      const seqs = this.tokensOf(fromId);
      this.conn.sql('UPDATE tokens SET profile_id = ? WHERE profile_id = ?').run(intoId, fromId);
      this.conn.sql('UPDATE grants SET profile_id = ? WHERE profile_id = ?').run(intoId, fromId);
      this.conn.sql('DELETE FROM profiles WHERE id = ?').run(fromId);
      this.reindex(seqs);
    });
  }
}
