/** `tokenscope userinfo TOKEN_ID` (shared implementation in token-actions.ts). */
export { userinfoCommand } from './token-actions.ts';
