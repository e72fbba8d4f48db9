/**
 * The token history's public API for the rest of the back end (services.ts, main/oauth, the CLI).
 *
 *   const store = await openStore(platform);         // ERR_STORE_LOCKED, ERR_SQLITE_TOO_OLD, ERR_KEY_UNAVAILABLE
 *   const grantId = store.createGrant({ profileId, grantType: 'authorization_code', issuer, clientId, scopes });
 *   const { id, created } = store.saveToken({ value, kind: 'access_token', format: 'rfc6749.TokenResponse', grantId, source: 'authorization_code' });
 *   store.getTokenValue(id);                          // the plain value; ERR_DECRYPT_FAILED when the key is not available
 *   store.setTokenStatus(oldRefreshId, 'superseded'); // after a rotation
 *   store.markGrantDead(grantId, 'invalid_grant');
 *   store.addEvent({ tokenId: id, grantId, type: 'refreshed', detail: { status: 200 } });
 *   store.addExchange({ grantId, flowId, method: 'POST', url, status: 200, requestHeaders, requestBody, ... });
 *   store.saveProfile({ name, settings: { issuer, clientId }, secrets: { clientSecret } });
 *
 *   store.listTokens({ text: 'alice', status: 'active', limit: 100 });   // keyset page + per-status counts (first page)
 *
 * Persistence only: `Store` is a facade over one repository per table (token-repository, grant-repository,
 * profile-repository, event-log, exchange-log), the listing read model (token-listing, token-query, page-cursor,
 * fts-index) and the status policy. Export, import, "save to history" and the protection choice are application
 * services in src/main/history/.
 *
 * All Store methods are synchronous (only `openStore` is async); they throw
 * TokenscopeError with a stable code (ERR_NOT_FOUND, ERR_INVALID_ARGUMENT, ERR_DECRYPT_FAILED, ...).
 * Several writes that must land together go in `store.write(() => { ... })` (one IMMEDIATE transaction).
 */
export { Store, openStore, openStoreWith } from './store.ts';
export { tokenHash } from './envelope.ts';
export { encodeCursor, decodeCursor } from './page-cursor.ts';
export { DATABASE_FILE } from './database.ts';
export { LOCK_FILE } from './lock.ts';
