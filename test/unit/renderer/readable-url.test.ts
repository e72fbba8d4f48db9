// @vitest-environment jsdom
// The exchange log shows a masked callback URL readably: the mask's "…" decoded, reserved characters kept escaped.
import { describe, expect, it } from 'vitest';
import { readableUrl } from '../../../src/renderer/src/features/exchange-log/HttpMessage.tsx';

describe('readableUrl', () => {
  it('decodes percent-escaped text but keeps what would change the URL structure escaped', () => {
    expect(readableUrl('http://127.0.0.1:4000/callback?code=yLod%E2%80%A6QhHY&state=abc')).toBe(
      'http://127.0.0.1:4000/callback?code=yLod…QhHY&state=abc',
    );
    expect(readableUrl('https://as.example/cb?error_description=a%26b%3Dc')).toBe(
      'https://as.example/cb?error_description=a%26b%3Dc',
    );
  });

  it('leaves a malformed escape as it came', () => {
    expect(readableUrl('https://as.example/cb?x=%E2%80')).toBe('https://as.example/cb?x=%E2%80');
  });
});
