/**
 * Time-ordered ids (RFC 9562 UUIDv7) for the rows the history creates: a new id sorts after every id made before
 * it in this process, so the UNIQUE index on `id` grows at its end (an append) instead of at a random page.
 * The ids stay plain UUID strings, so other tables (grants, events, issuance) reference them as before.
 */
import { randomFillSync } from 'node:crypto';

/** Random bytes drawn 4 KiB at a time (as Node does for randomUUID); each byte is used once. */
const pool = Buffer.alloc(4096);
let poolOffset = pool.length;

/** The offset in `pool` of 10 fresh random bytes (read in place: a Buffer view per id cost more than the id). */
function randomBytes10(): number {
  if (poolOffset + 10 > pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const at = poolOffset;
  poolOffset += 10;
  return at;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

let lastMs = -1;
/** The 12-bit `rand_a` counter within one millisecond (method 1 of RFC 9562 §6.2: monotonic within the ms). */
let counter = 0;

/** A new UUIDv7: 48-bit Unix milliseconds, a counter that keeps ids of the same millisecond ordered, 62 random bits. */
export function uuidv7(nowMs: number = Date.now()): string {
  const o = randomBytes10();
  const r = (i: number): number => pool[o + i] ?? 0;
  let ms = Math.max(Math.floor(nowMs), 0);
  if (ms <= lastMs) {
    ms = lastMs;
    counter++;
    if (counter > 0xfff) {
      // 4,096 ids in one millisecond: borrow the next one (the ids stay ordered).
      ms = lastMs + 1;
      counter = 0;
    }
  } else {
    // A random start in the lower half leaves room to count up within the millisecond.
    counter = ((r(8) << 8) | r(9)) & 0x7ff;
  }
  lastMs = ms;
  const t = ms.toString(16).padStart(12, '0').slice(-12);
  const a = (0x7000 | counter).toString(16);
  const h = (i: number): string => HEX[r(i)] ?? '00';
  const variant = HEX[(r(0) & 0x3f) | 0x80] ?? '80';
  return `${t.slice(0, 8)}-${t.slice(8)}-${a}-${variant}${h(1)}-${h(2)}${h(3)}${h(4)}${h(5)}${h(6)}${h(7)}`;
}
