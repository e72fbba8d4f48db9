/** Keeps the demo issuer's state (grants, tokens, sessions), keys and address in a directory, so its tokens outlive one process (the CLI runs one per command). */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

interface Entry {
  readonly payload: Record<string, unknown>;
  /** Epoch ms; null = no expiry. */
  readonly expiresAtMs: number | null;
}

interface StateFile {
  entries: Record<string, Entry>;
}

function readJson<T>(file: string): T | null {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch {
    return null;
  }
}

function writeJson(file: string, value: unknown): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(value), { mode: 0o600 });
  renameSync(tmp, file);
}

/** What the demo issuer remembers about itself between runs. */
export interface DemoIdentity {
  readonly issuer: string;
  readonly serviceClientSecret: string;
  readonly keys: readonly Record<string, unknown>[];
  readonly cookieKey: string;
}

export class DemoStateDir {
  private readonly dir: string;
  private readonly stateFile: string;
  private readonly entries: Map<string, Entry>;

  constructor(dir: string) {
    this.dir = dir;
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    this.stateFile = join(dir, 'state.json');
    this.entries = new Map(Object.entries(readJson<StateFile>(this.stateFile)?.entries ?? {}));
  }

  identity(): DemoIdentity | null {
    return readJson<DemoIdentity>(join(this.dir, 'identity.json'));
  }

  saveIdentity(identity: DemoIdentity): void {
    writeJson(join(this.dir, 'identity.json'), identity);
  }

  private save(): void {
    const now = Date.now();
    for (const [key, entry] of this.entries) {
      if (entry.expiresAtMs !== null && entry.expiresAtMs < now) this.entries.delete(key);
    }
    const file: StateFile = { entries: Object.fromEntries(this.entries) };
    writeJson(this.stateFile, file);
  }

  private get(key: string): Record<string, unknown> | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAtMs !== null && entry.expiresAtMs < Date.now()) return undefined;
    return entry.payload;
  }

  /** An oidc-provider adapter factory backed by this directory (one JSON file, rewritten on each change). */
  adapter(): (model: string) => unknown {
    return (model: string) => ({
      upsert: (id: string, payload: Record<string, unknown>, expiresIn?: number) => {
        const expiresAtMs = typeof expiresIn === 'number' ? Date.now() + expiresIn * 1000 : null;
        this.entries.set(`${model}:${id}`, { payload, expiresAtMs });
        if (model === 'Session' && typeof payload['uid'] === 'string')
          this.entries.set(`uid:${payload['uid']}`, { payload: { id }, expiresAtMs });
        if (typeof payload['userCode'] === 'string')
          this.entries.set(`userCode:${payload['userCode']}`, { payload: { id }, expiresAtMs });
        this.save();
        return Promise.resolve();
      },
      find: (id: string) => Promise.resolve(this.get(`${model}:${id}`)),
      findByUid: (uid: string) => {
        const ref = this.get(`uid:${uid}`);
        return Promise.resolve(typeof ref?.['id'] === 'string' ? this.get(`${model}:${ref['id']}`) : undefined);
      },
      findByUserCode: (userCode: string) => {
        const ref = this.get(`userCode:${userCode}`);
        return Promise.resolve(typeof ref?.['id'] === 'string' ? this.get(`${model}:${ref['id']}`) : undefined);
      },
      consume: (id: string) => {
        const entry = this.entries.get(`${model}:${id}`);
        if (entry) {
          this.entries.set(`${model}:${id}`, {
            ...entry,
            payload: { ...entry.payload, consumed: Math.floor(Date.now() / 1000) },
          });
          this.save();
        }
        return Promise.resolve();
      },
      destroy: (id: string) => {
        this.entries.delete(`${model}:${id}`);
        this.save();
        return Promise.resolve();
      },
      revokeByGrantId: (grantId: string) => {
        for (const [key, entry] of this.entries) {
          if (entry.payload['grantId'] === grantId) this.entries.delete(key);
        }
        this.save();
        return Promise.resolve();
      },
    });
  }
}
