/** Moved to src/main/history/export.ts. Kept only until the CLI goes through the contract (issue 12 item 2): then delete. */
export { exportToFile } from '../history/export.ts';
