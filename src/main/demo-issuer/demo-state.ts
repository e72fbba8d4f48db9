/**
 * Keeps the demo issuer's state (grants, tokens, sessions), keys and address in a directory, so its tokens outlive
 * one process (the CLI runs one per command). The files are sealed with the history's data key: opaque demo tokens
 * are the ids of these records, so in plain JSON they would sit readable next to the encrypted history.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Encrypts and decrypts the state files (the history's data key, e.g. OpenedHistory.demoSealer; `context` binds a sealed file to its name). */
export interface DemoSealer {
  seal(plain: string, context: string): Uint8Array;
  open(sealed: Uint8Array, context: string): string;
}

interface Entry {
  readonly payload: Record<string, unknown>;
  /** Epoch ms; null = no expiry. */
  readonly expiresAtMs: number | null;
}

interface StateFile {
  entries: Record<string, Entry>;
}

/** A sealed JSON file; an earlier version's plain `<name>.json` is read once and then removed. */
class SealedJson {
  private readonly sealedFile: string;
  private readonly legacyFile: string;
  private readonly name: string;
  private readonly sealer: DemoSealer;

  constructor(dir: string, name: string, sealer: DemoSealer) {
    this.name = name;
    this.sealer = sealer;
    this.sealedFile = join(dir, `${name}.sealed`);
    this.legacyFile = join(dir, `${name}.json`);
  }

  /** null when absent, or unreadable (another key, damaged): the demo issuer then starts afresh. */
  read<T>(): T | null {
    try {
      if (existsSync(this.sealedFile)) return JSON.parse(this.sealer.open(readFileSync(this.sealedFile), this.context)) as T;
      if (existsSync(this.legacyFile)) return JSON.parse(readFileSync(this.legacyFile, 'utf8')) as T;
    } catch {
      return null;
    }
    return null;
  }

  write(value: unknown): void {
    const tmp = `${this.sealedFile}.${String(process.pid)}.tmp`;
    writeFileSync(tmp, this.sealer.seal(JSON.stringify(value), this.context), { mode: 0o600 });
    renameSync(tmp, this.sealedFile);
    rmSync(this.legacyFile, { force: true });
  }

  private get context(): string {
    return `demo-issuer:${this.name}`;
  }
}

/** What the demo issuer remembers about itself between runs. */
export interface DemoIdentity {
  readonly issuer: string;
  readonly serviceClientSecret: string;
  readonly keys: readonly Record<string, unknown>[];
  readonly cookieKey: string;
}

/**
 * Models that live only inside one sign-in, served by the process that runs the issuer: a pushed authorization
 * request (RFC 9126) is good for one redirect within its minute. Kept in memory, not in the file: written there it
 * cost two rewrites of the whole sealed state per sign-in (the push, then its consumption), for nothing another
 * process could use.
 */
const IN_PROCESS_MODELS: ReadonlySet<string> = new Set(['PushedAuthorizationRequest']);

export class DemoStateDir {
  private readonly stateFile: SealedJson;
  private readonly identityFile: SealedJson;
  private readonly entries: Map<string, Entry>;
  /** Entries of IN_PROCESS_MODELS: read and written like the rest, never saved. */
  private readonly inProcess = new Map<string, Entry>();

  constructor(dir: string, sealer: DemoSealer) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    this.stateFile = new SealedJson(dir, 'state', sealer);
    this.identityFile = new SealedJson(dir, 'identity', sealer);
    this.entries = new Map(Object.entries(this.stateFile.read<StateFile>()?.entries ?? {}));
  }

  identity(): DemoIdentity | null {
    return this.identityFile.read<DemoIdentity>();
  }

  saveIdentity(identity: DemoIdentity): void {
    this.identityFile.write(identity);
  }

  private save(): void {
    const now = Date.now();
    for (const [key, entry] of this.entries) {
      if (entry.expiresAtMs !== null && entry.expiresAtMs < now) this.entries.delete(key);
    }
    const file: StateFile = { entries: Object.fromEntries(this.entries) };
    this.stateFile.write(file);
  }

  private get(entries: ReadonlyMap<string, Entry>, key: string): Record<string, unknown> | undefined {
    const entry = entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAtMs !== null && entry.expiresAtMs < Date.now()) return undefined;
    return entry.payload;
  }

  /** Drops the in-process entries past their expiry (they are never saved, so save() does not sweep them). */
  private sweepInProcess(): void {
    const now = Date.now();
    for (const [key, entry] of this.inProcess) {
      if (entry.expiresAtMs !== null && entry.expiresAtMs < now) this.inProcess.delete(key);
    }
  }

  /**
   * An oidc-provider adapter factory backed by this directory (one JSON file, rewritten on each change); the
   * IN_PROCESS_MODELS are kept in memory only.
   */
  adapter(): (model: string) => unknown {
    return (model: string) => {
      const inProcess = IN_PROCESS_MODELS.has(model);
      const entries = inProcess ? this.inProcess : this.entries;
      const changed = (): void => (inProcess ? this.sweepInProcess() : this.save());
      return {
        upsert: (id: string, payload: Record<string, unknown>, expiresIn?: number) => {
          const expiresAtMs = typeof expiresIn === 'number' ? Date.now() + expiresIn * 1000 : null;
          entries.set(`${model}:${id}`, { payload, expiresAtMs });
          if (model === 'Session' && typeof payload['uid'] === 'string')
            entries.set(`uid:${payload['uid']}`, { payload: { id }, expiresAtMs });
          if (typeof payload['userCode'] === 'string')
            entries.set(`userCode:${payload['userCode']}`, { payload: { id }, expiresAtMs });
          changed();
          return Promise.resolve();
        },
        find: (id: string) => Promise.resolve(this.get(entries, `${model}:${id}`)),
        findByUid: (uid: string) => {
          const ref = this.get(entries, `uid:${uid}`);
          return Promise.resolve(typeof ref?.['id'] === 'string' ? this.get(entries, `${model}:${ref['id']}`) : undefined);
        },
        findByUserCode: (userCode: string) => {
          const ref = this.get(entries, `userCode:${userCode}`);
          return Promise.resolve(typeof ref?.['id'] === 'string' ? this.get(entries, `${model}:${ref['id']}`) : undefined);
        },
        consume: (id: string) => {
          const entry = entries.get(`${model}:${id}`);
          if (entry) {
            entries.set(`${model}:${id}`, {
              ...entry,
              payload: { ...entry.payload, consumed: Math.floor(Date.now() / 1000) },
            });
            changed();
          }
          return Promise.resolve();
        },
        destroy: (id: string) => {
          entries.delete(`${model}:${id}`);
          changed();
          return Promise.resolve();
        },
        revokeByGrantId: (grantId: string) => {
          for (const [key, entry] of entries) {
            if (entry.payload['grantId'] === grantId) entries.delete(key);
          }
          changed();
          return Promise.resolve();
        },
      };
    };
  }
}
