/** Moved to src/main/history/history-service.ts. Kept only until the CLI goes through the contract (issue 12 item 2): then delete. */
export { readImportFile } from '../history/history-service.ts';
