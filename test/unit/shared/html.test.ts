import { describe, expect, it } from 'vitest';
import { renderResultPage } from '../../../src/main/oauth/loopback-redirect.ts';
import { escapeHtml } from '../../../src/shared/html.ts';

describe('escapeHtml', () => {
  it('escapes the five characters that matter in text and quoted attributes', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&#60;a href=&#34;x&#34; title=&#39;y&#39;&#62;&#38;&#60;/a&#62;');
    expect(escapeHtml('plain text')).toBe('plain text');
  });

  it('is what the callback page uses', () => {
    const html = renderResultPage({ status: 400, ok: false, title: '<script>', message: 'x"y', code: "a'b" });
    expect(html).toContain('&#60;script&#62;');
    expect(html).not.toContain('<script>');
    expect(html).toContain('x&#34;y');
  });
});
