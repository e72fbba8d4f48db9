import { describe, expect, it } from 'vitest';
import { contentTypeFor } from '../../../src/main/http/mime.ts';

describe('contentTypeFor', () => {
  it('types the renderer files by extension, in any case', () => {
    expect(contentTypeFor('/r/index.html')).toBe('text/html; charset=utf-8');
    expect(contentTypeFor('/r/assets/index-abc.js')).toBe('text/javascript; charset=utf-8');
    expect(contentTypeFor('/r/assets/worker.mjs')).toBe('text/javascript; charset=utf-8');
    expect(contentTypeFor('/r/assets/APP.CSS')).toBe('text/css; charset=utf-8');
    expect(contentTypeFor('/r/icon.svg')).toBe('image/svg+xml');
  });

  it('serves anything else as application/octet-stream', () => {
    expect(contentTypeFor('/r/file.exe')).toBe('application/octet-stream');
    expect(contentTypeFor('/r/noextension')).toBe('application/octet-stream');
  });
});
