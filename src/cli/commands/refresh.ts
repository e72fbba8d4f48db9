/** `tokenscope refresh TOKEN_ID` (shared implementation in token-actions.ts). */
export { refreshCommand } from './token-actions.ts';
