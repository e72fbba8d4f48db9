import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.ts';
import type { CliIo } from '../../../src/cli/io.ts';
import { accessJwt, clock, openTestStore } from '../../fixtures/store/helpers.ts';
import { unsignedJwt } from '../shared/token/helpers.ts';

// OSC 52 (write the clipboard) then "clear the screen"; and a right-to-left override with a C1 CSI.
const OSC52 = '\u001b]52;c;aGk=\u0007\u001b[2J';
const BIDI = 'evil\u202Egnp.exe\u009B2J';
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const RAW = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/;

function io(env: NodeJS.ProcessEnv, stdin = ''): CliIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    stdout: (t) => (out += t),
    stderr: (t) => (err += t),
    stdin: Readable.from([stdin]),
    env,
    out: () => out,
    err: () => err,
  };
}

describe('no terminal hijack through CLI output', () => {
  it('inspect shows a hostile sub and name inert; --json parses to the very same claims', async () => {
    const token = unsignedJwt({ sub: OSC52, name: BIDI, iss: 'https://issuer.example' });
    const human = io({}, token);
    expect(await main(['inspect', '-'], human)).toBe(0);
    expect(RAW.test(human.out())).toBe(false);
    expect(human.out()).toContain('\\u001b]52;c;aGk=\\u0007\\u001b[2J');
    expect(human.out()).toContain('evil[U+202E]gnp.exe\\u009b2J');

    const json = io({}, token);
    expect(await main(['inspect', '-', '--json'], json)).toBe(0);
    expect(RAW.test(json.out())).toBe(false);
    const parsed = JSON.parse(json.out()) as { jwt: { payload: Record<string, unknown> } };
    expect(parsed.jwt.payload).toMatchObject({ sub: OSC52, name: BIDI });
  });

  it('history and history show print the hostile subjects inert, --json exact', async () => {
    const t = await openTestStore({ clock: clock(Date.now()) });
    const ids = [OSC52, BIDI, 'two\nlines\tand a tab'].map(
      (sub) =>
        t.store.saveToken({ value: accessJwt(t.clock.now(), { sub }), kind: 'access_token', format: 'jwt', source: 'x' }).id,
    );
    t.store.close();
    const env = { TOKENSCOPE_DATA_DIR: t.dir };

    const list = io(env);
    expect(await main(['history'], list)).toBe(0);
    expect(RAW.test(list.out())).toBe(false);
    expect(list.out()).toContain('\\u001b]52;c;aGk=\\u0007\\u001b[2J');
    expect(list.out()).toContain('evil[U+202E]gnp.exe\\u009b2J');
    // a value's own newline cannot fake a row: 1 count line + 3 rows
    expect(list.out()).toContain('two\\u000alines\\u0009and a tab');
    expect(list.out().trimEnd().split('\n')).toHaveLength(4);

    const listJson = io(env);
    expect(await main(['history', '--json'], listJson)).toBe(0);
    expect(RAW.test(listJson.out())).toBe(false);
    const page = JSON.parse(listJson.out()) as { items: { subject: string }[] };
    expect(page.items.map((i) => i.subject).sort()).toEqual([OSC52, BIDI, 'two\nlines\tand a tab'].sort());

    for (const id of ids) {
      const shown = io(env);
      expect(await main(['history', 'show', id, '--reveal'], shown)).toBe(0);
      expect(RAW.test(shown.out())).toBe(false);
    }
  });

  it('errors printed by printError are inert too', async () => {
    const e = io({});
    expect(await main([`nope\u001b[2J\u202E`], e)).toBe(2);
    expect(RAW.test(e.err())).toBe(false);
    expect(e.err()).toContain('nope\\u001b[2J[U+202E]');
  });
});
