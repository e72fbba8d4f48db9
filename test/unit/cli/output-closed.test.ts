import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.ts';
import { OutputClosed, type CliIo } from '../../../src/cli/io.ts';
import { EXIT_OUTPUT_CLOSED } from '../../../src/cli/exit-codes.ts';
import { clock, openTestStore, opaque } from '../../fixtures/store/helpers.ts';

describe('a reader that goes away', () => {
  it('history --all stops at the first write after EPIPE, quietly, with 141, and releases the history', async () => {
    const t = await openTestStore({ clock: clock(Date.now()) });
    for (let i = 0; i < 30; i++)
      t.store.saveToken({ value: opaque(`at-${String(i)}`), kind: 'access_token', format: 'opaque', source: 'x' });
    t.store.close();
    let writes = 0;
    let err = '';
    const io: CliIo = {
      stdout: () => {
        writes++;
        if (writes > 2) throw new OutputClosed();
      },
      stderr: (s) => (err += s),
      stdin: Readable.from([]),
      env: { TOKENSCOPE_DATA_DIR: t.dir },
    };
    expect(await main(['history', '--all', '--limit', '5'], io)).toBe(EXIT_OUTPUT_CLOSED);
    expect(writes).toBe(3);
    expect(err).toBe('');
    // the history was closed (its lock released): the next command opens it
    let out = '';
    const next: CliIo = { ...io, stdout: (s) => (out += s) };
    expect(await main(['history', '--limit', '1'], next)).toBe(0);
    expect(out).toMatch(/^30 token\(s\)/);
  });
});
