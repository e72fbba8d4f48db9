/** `tokenscope revoke TOKEN_ID` (shared implementation in token-actions.ts). */
export { revokeCommand } from './token-actions.ts';
