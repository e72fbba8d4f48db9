/**
 * Seals blobs kept outside the database (the demo issuer's state files) with the history's current data key.
 * The object is handed to whoever keeps such a blob; it stops working when the history closes (the keys are cleared).
 */
import type { Keyring } from './envelope.ts';

export interface BlobSealer {
  /** Encrypts `plain`, bound to `context` (a sealed blob opens only under the same context). */
  seal(plain: string, context: string): Uint8Array;
  /** ERR_DECRYPT_FAILED when the key is not here or the bytes or context differ. */
  open(sealed: Uint8Array, context: string): string;
}

export function keyringSealer(keyring: Keyring): BlobSealer {
  return {
    seal: (plain, context) => keyring.seal(plain, `blob:${context}`),
    open: (sealed, context) => keyring.openText(sealed, `blob:${context}`),
  };
}
