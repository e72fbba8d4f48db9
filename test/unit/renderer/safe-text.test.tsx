// @vitest-environment jsdom
/** Values from tokens are data: markup stays text, hidden characters become visible, links need https and a confirmation. */
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ClaimsTable } from '../../../src/renderer/src/ui/ClaimsTable.tsx';
import { ExternalLink, safeHttpsUrl } from '../../../src/renderer/src/ui/ExternalLink.tsx';
import { SafeText } from '../../../src/renderer/src/ui/SafeText.tsx';

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

describe('SafeText', () => {
  it('renders markup as text, never as elements', () => {
    const { container } = render(<SafeText text={'<img src=x onerror="alert(1)"><script>alert(2)</script>'} />);
    expect(container.querySelector('img, script')).toBeNull();
    expect(container.textContent).toBe('<img src=x onerror="alert(1)"><script>alert(2)</script>');
  });

  it('shows bidi overrides and zero-width characters as visible markers', () => {
    render(<SafeText text={'admin\u202Etxt.exe\u200B!'} />);
    const markers = screen.getAllByTestId('hidden-char').map((m) => m.textContent);
    expect(markers).toEqual(['⟦U+202E⟧', '⟦U+200B⟧']);
  });
});

describe('links from claims', () => {
  it('accepts only https URLs without credentials', () => {
    expect(safeHttpsUrl('https://example.com/a')).toBe('https://example.com/a');
    expect(safeHttpsUrl('javascript:alert(1)')).toBeNull();
    expect(safeHttpsUrl('http://example.com/')).toBeNull();
    expect(safeHttpsUrl('data:text/html,<b>x</b>')).toBeNull();
    expect(safeHttpsUrl('https://user:pw@example.com/')).toBeNull();
  });

  it('opens an https link only after the user confirms', () => {
    const open = vi.spyOn(window, 'open').mockImplementation(() => null);
    render(<ExternalLink url="https://example.com/me" />);
    expect(screen.queryByRole('link')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Open…' }));
    expect(open).not.toHaveBeenCalled();
    fireEvent.click(screen.getByRole('button', { name: 'Open in browser' }));
    expect(open).toHaveBeenCalledWith('https://example.com/me', '_blank', 'noopener,noreferrer');
  });

  it('offers nothing to click for a javascript: picture claim', () => {
    render(<ClaimsTable title="Payload" where="payload" claims={{ picture: 'javascript:alert(1)' }} testId="claims" />);
    const cell = screen.getByTestId('claims').querySelector('tr[data-claim="picture"] .claim-value');
    expect(cell?.textContent).toBe('javascript:alert(1)');
    expect(cell?.querySelector('a, button')).toBeNull();
  });
});
