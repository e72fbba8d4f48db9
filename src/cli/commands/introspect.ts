/** `tokenscope introspect TOKEN_ID` (shared implementation in token-actions.ts). */
export { introspectCommand } from './token-actions.ts';
