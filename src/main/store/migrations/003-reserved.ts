/**
 * Migration 3 is the store's (the sealed index, branch h-store); this stand-in keeps the versions gap-free until it
 * lands and is replaced by it. It changes nothing.
 */
import type { Migration } from './index.ts';

export const migration003: Migration = {
  version: 3,
  name: 'reserved',
  up() {
    // Nothing: the real migration 3 replaces this file.
  },
};
