/** The part of oidc-provider (which ships no types) the demo issuer and the tests use. */
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  export interface KoaContextWithOIDC {
    body: unknown;
    path: string;
    method: string;
    status: number;
    oidc?: {
      route?: string;
      params?: Record<string, unknown>;
      client?: { clientId: string; clientName?: string };
      entities: Record<string, unknown>;
      entity(name: string, value: unknown): void;
    };
  }

  /** An access token (or client credentials token) as the provider keeps it. */
  export interface AccessTokenInstance {
    accountId?: string;
    clientId: string;
    scope?: string;
    grantId?: string;
    extra?: Record<string, unknown>;
    readonly isValid: boolean;
    readonly tokenType: string;
    readonly expiration: number;
    resourceServer: unknown;
    save(): Promise<string>;
  }

  export interface TokenModel {
    new (properties: Record<string, unknown>): AccessTokenInstance;
    find(value: string): Promise<AccessTokenInstance | undefined>;
  }

  export interface InteractionDetails {
    uid: string;
    prompt: { name: string; details: Record<string, unknown> };
    params: Record<string, unknown>;
    session?: { accountId?: string };
    grantId?: string;
  }

  export interface GrantInstance {
    addOIDCScope(scope: string): void;
    addOIDCClaims(claims: string[]): void;
    addResourceScope(resource: string, scope: string): void;
    save(): Promise<string>;
  }

  export class Provider {
    constructor(issuer: string, configuration: Record<string, unknown>);
    readonly issuer: string;
    Grant: {
      new (properties: { accountId: string; clientId: string }): GrantInstance;
      find(id: string): Promise<GrantInstance | undefined>;
    };
    readonly AccessToken: TokenModel;
    readonly ClientCredentials: TokenModel;
    readonly ResourceServer: new (identifier: string, info: object) => unknown;
    registerGrantType(
      name: string,
      handler: (ctx: KoaContextWithOIDC) => Promise<void>,
      parameters?: readonly string[],
      duplicates?: readonly string[],
    ): void;
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
    use(middleware: (ctx: KoaContextWithOIDC, next: () => Promise<void>) => Promise<void>): void;
    on(event: string, listener: (...args: unknown[]) => void): void;
    interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<InteractionDetails>;
    interactionFinished(
      req: IncomingMessage,
      res: ServerResponse,
      result: Record<string, unknown>,
      options?: { mergeWithLastSubmission?: boolean },
    ): Promise<void>;
  }

  export const errors: {
    InvalidTarget: new (description?: string) => Error;
    InvalidRequest: new (description?: string) => Error;
    InvalidScope: new (description: string, scope?: string) => Error;
    CustomOIDCProviderError: new (error: string, description?: string) => Error;
  };

  export default Provider;
}

/** The package's own in-memory adapter, per provider instance (the demo keeps nothing across runs on purpose). */
declare module 'oidc-provider/lib/adapters/memory_adapter.js' {
  export function createMemoryAdapter(clockTolerance?: number): (model: string) => unknown;
}
