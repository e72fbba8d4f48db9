/**
 * The words of the search index, kept without plaintext. Every word (claim names and values, issuer, subject,
 * client, scopes, the preview) is normalised (NFKD, marks dropped, lower case, split at anything not a letter or
 * digit) and indexed as ONE opaque term: for each prefix of its first 12 UTF-8 bytes, 20 bits of AES-256 (a keyed
 * pseudo-random permutation; the key is derived with HKDF from the history's data key) of that prefix, in base32.
 * A query word is encoded the same way and matched as an FTS5 prefix of the terms, so "ali" finds "alice" and
 * nothing in the file spells either. What the index does show: how many distinct words a token has, and which
 * tokens share a word or a word's first bytes (the terms are deterministic, as any searchable index must be).
 * A query word longer than 12 bytes matches by its first 12 bytes. A query word that prefixes a word many tokens share
 * is checked on rows by the same rule instead (tokenHasWords, word-check.ts): FTS5 would merge that word's doclist.
 */
import { createCipheriv, hash, hkdfSync, type Cipheriv, type KeyObject } from 'node:crypto';

/** Bytes of a word that are indexed (and compared): prefixes of up to this many bytes are searchable. */
export const INDEXED_BYTES = 12;
/** Words indexed per token, at most (a token's claims can be large and hostile). */
const MAX_WORDS = 256;
/** Words whose term is remembered (the same issuers, clients and claim names come back in every token). */
const CACHE_SIZE = 20_000;
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';
/** The 1,024 pairs of base32 letters, by the 10 bits they spell. */
const PAIRS = Array.from({ length: 1024 }, (_, v) => `${ALPHABET[v >> 5] ?? ''}${ALPHABET[v & 31] ?? ''}`);
/** Texts whose normal form is the text itself: printable ASCII, and the guillemets of the stored previews (separators). */
const ASCII = /^[\x20-\x7e\u00ab\u00bb]*$/;
const SEPARATORS = /[^\p{L}\p{N}]+/u;
const ASCII_SEPARATORS = /[^a-z0-9]+/;

/** The normalised words of a text (the rule for indexing and for queries alike). */
export function normalisedWords(text: string): string[] {
  const lower = ASCII.test(text)
    ? text.toLowerCase().split(ASCII_SEPARATORS)
    : text
        .normalize('NFKD')
        .replace(/\p{M}+/gu, '')
        .toLowerCase()
        .split(SEPARATORS);
  // Splitting at runs of separators leaves an empty word only at either end.
  if (lower.at(-1) === '') lower.pop();
  if (lower[0] === '') lower.shift();
  return lower;
}

/** The indexed head of a word: its first INDEXED_BYTES bytes of UTF-8. */
function head(word: string): Buffer {
  const b = Buffer.from(word, 'utf8');
  return b.length > INDEXED_BYTES ? b.subarray(0, INDEXED_BYTES) : b;
}

/** Whether query word `query` matches word `word` under the index's rule (a prefix of the indexed head). */
export function wordMatches(query: string, word: string): boolean {
  const q = head(query);
  const w = head(word);
  return q.length <= w.length && w.subarray(0, q.length).equals(q);
}

/**
 * The index word that stands for a token's profile (a byte no normalised word has, then 11 hex digits of the SHA-256
 * of the profile id): a query word that names a profile matches that profile's tokens through the index.
 */
export function profileWord(profileId: string): string {
  let word = profileWords.get(profileId);
  if (word === undefined) {
    word = `\u0001${hash('sha256', profileId, 'hex').slice(0, 11)}`;
    // A history has a handful of profiles; every token of one carries its word (a SHA-256 each, before this cache).
    if (profileWords.size >= 256) profileWords.clear();
    profileWords.set(profileId, word);
  }
  return word;
}
/** Profile ids (not secret) and their index words. */
const profileWords = new Map<string, string>();

/** The key of the search index, derived from a data key (a different key gives unrelated terms). */
export function searchKey(dataKey: KeyObject): Buffer {
  return Buffer.from(hkdfSync('sha256', dataKey, Buffer.alloc(0), 'tokenscope search index v1', 32));
}

export class TermEncoder {
  /** AES-256-ECB, no padding: each 16-byte block is encrypted alone, so one long-lived cipher serves every call. */
  private readonly cipher: Cipheriv;
  private readonly cache = new Map<string, string>();

  constructor(key: Buffer) {
    this.cipher = createCipheriv('aes-256-ecb', key, null);
    this.cipher.setAutoPadding(false);
    key.fill(0);
  }

  /** The terms of many texts at once (one AES call for all their new words): one space-separated string per text. */
  termsOf(texts: readonly (readonly string[])[]): string[] {
    let all = 0;
    for (const words of texts) all += Math.min(words.length, MAX_WORDS);
    // Forget the cache before (never while) a batch is encoded: every word of the batch must be found after.
    if (this.cache.size + all > CACHE_SIZE) this.cache.clear();
    const { cache } = this;
    const missing: string[] = [];
    // Each word's last text: one lookup tells a repeat within a text from a word the batch has not met yet.
    const lastText = new Map<string, number>();
    // One pass per text: its distinct words (the first MAX_WORDS), and the words no term is known for yet.
    const perText = texts.map((words, t) => {
      const distinct: string[] = [];
      for (const w of words) {
        if (distinct.length >= MAX_WORDS) break;
        const last = lastText.get(w);
        if (last === t) continue;
        if (last === undefined && !cache.has(w)) missing.push(w);
        lastText.set(w, t);
        distinct.push(w);
      }
      return distinct;
    });
    this.encode(missing);
    return perText.map((words) => {
      let out = '';
      for (let i = 0; i < words.length; i++) {
        const term = cache.get(words[i] ?? '') ?? '';
        out = i === 0 ? term : `${out} ${term}`;
      }
      return out;
    });
  }

  /** The term prefix a query word is looked up by. */
  queryPrefix(word: string): string {
    if (this.cache.size >= CACHE_SIZE) this.cache.clear();
    this.encode(this.cache.has(word) ? [] : [word]);
    return this.cache.get(word) ?? '';
  }

  private encode(words: readonly string[]): void {
    if (words.length === 0) return;
    const heads = words.map(head);
    let blocks = 0;
    for (const h of heads) blocks += h.length;
    const input = Buffer.alloc(blocks * 16);
    let at = 0;
    for (const h of heads) {
      for (let i = 1; i <= h.length; i++) {
        // Block: the prefix length (a domain byte: 0x80 | n), then the prefix's bytes, zero-padded.
        input[at] = 0x80 | i;
        // Byte by byte: a Buffer.copy call per block cost more than the AES of the whole batch.
        for (let j = 0; j < i; j++) input[at + 1 + j] = h[j] ?? 0;
        at += 16;
      }
    }
    const out = this.cipher.update(input);
    at = 0;
    heads.forEach((h, k) => {
      let term = '';
      for (let i = 0; i < h.length; i++, at += 16) {
        // 20 bits of the block, as two 10-bit halves (two base32 letters each).
        const bits = ((out[at] ?? 0) << 12) | ((out[at + 1] ?? 0) << 4) | ((out[at + 2] ?? 0) >> 4);
        term += (PAIRS[bits >> 10] ?? '') + (PAIRS[bits & 0x3ff] ?? '');
      }
      this.cache.set(words[k] ?? '', term);
    });
  }

  /** Forgets the cached words (on close). */
  clear(): void {
    this.cache.clear();
  }
}

/** Normalised words of short texts (issuers, clients, scopes, claim names): the same ones come back in every token. */
export type PartWordCache = Map<string, readonly string[]>;
/** Texts up to this long are remembered in a PartWordCache, up to PART_CACHE_SIZE of them. */
const CACHED_PART_LENGTH = 64;
const PART_CACHE_SIZE = 4096;

/**
 * The words of a token the index holds: the listed columns, the preview, claim names and string claim values. Each
 * text is normalised on its own (the same words as normalising them joined by spaces); `cache` remembers short ones.
 */
export function tokenWords(
  columns: readonly (string | null)[],
  claims: Readonly<Record<string, unknown>> | null,
  profileId: string | null,
  cache?: PartWordCache,
): string[] {
  const words: string[] = profileId !== null ? [profileWord(profileId)] : [];
  let size = 0;
  const add = (s: string): void => {
    if (size > 8192) return;
    size += s.length + 1;
    let found = cache?.get(s);
    if (found === undefined) {
      found = normalisedWords(s);
      if (cache !== undefined && s.length <= CACHED_PART_LENGTH) {
        if (cache.size >= PART_CACHE_SIZE) cache.clear();
        cache.set(s, found);
      }
    }
    for (const w of found) words.push(w);
  };
  for (const c of columns) if (c) add(c);
  const walk = (v: unknown, depth: number): void => {
    if (size > 8192 || depth > 4) return;
    if (typeof v === 'string') add(v);
    else if (Array.isArray(v)) for (const x of v) walk(x, depth + 1);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      for (const k of Object.keys(o)) {
        add(k);
        walk(o[k], depth + 1);
      }
    }
  };
  walk(claims, 0);
  return words;
}

/** A query word as it is checked on a token's words (the index's rule, without the index): see tokenHasWords. */
export interface CheckedWord {
  readonly word: string;
  /** Longer than INDEXED_BYTES: compared by its head's bytes, as the index compares it. */
  readonly long: boolean;
  /** The profiles whose name the word matches: a token of one of them matches it. */
  readonly profileIds: readonly string[];
}

export function checkedWord(word: string, profileIds: readonly string[]): CheckedWord {
  return { word, long: Buffer.byteLength(word, 'utf8') > INDEXED_BYTES, profileIds };
}

/**
 * Whether a token with these index words (tokenWords) matches every checked word exactly as the index matches it:
 * the word is a prefix of the head of one of the token's first MAX_WORDS distinct words (for a word of at most
 * INDEXED_BYTES bytes, a prefix of the string: UTF-8 keeps code-point prefixes), or names the token's profile.
 */
export function tokenHasWords(words: readonly string[], profileId: string | null, checked: readonly CheckedWord[]): boolean {
  const distinct = new Set<string>();
  for (const w of words) {
    if (distinct.size >= MAX_WORDS) break;
    distinct.add(w);
  }
  return checked.every((q) => {
    if (profileId !== null && q.profileIds.includes(profileId)) return true;
    for (const w of distinct) if (q.long ? wordMatches(q.word, w) : w.startsWith(q.word)) return true;
    return false;
  });
}
