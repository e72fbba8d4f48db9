/** Moved to src/main/history/import.ts. Kept only until the CLI goes through the contract (issue 12 item 2): then delete. */
export { importContent } from '../history/import.ts';
