/** Screens are addressed by the URL hash (#/tokens/ID, #/compare, …): back/forward and deep links work in both front doors. */
import { useSyncExternalStore } from 'react';

export type Route =
  | { readonly screen: 'tokens' }
  | { readonly screen: 'token'; readonly id: string }
  | { readonly screen: 'inspect' }
  | { readonly screen: 'compare'; readonly id?: string; readonly other?: string }
  | { readonly screen: 'flows' }
  | { readonly screen: 'log'; readonly grantId?: string }
  /** A grant's timeline, named by the grant or by one of its tokens. */
  | { readonly screen: 'timeline'; readonly by: 'grant' | 'token'; readonly id: string }
  | { readonly screen: 'settings' };

export function parseRoute(hash: string): Route {
  const parts = hash
    .replace(/^#\/?/, '')
    .split('/')
    .map((p) => {
      try {
        return decodeURIComponent(p);
      } catch {
        return '';
      }
    });
  const [head, a, b] = parts;
  switch (head) {
    case 'tokens':
      return a ? { screen: 'token', id: a } : { screen: 'tokens' };
    case 'inspect':
      return { screen: 'inspect' };
    case 'compare':
      return { screen: 'compare', ...(a ? { id: a } : {}), ...(b ? { other: b } : {}) };
    case 'flows':
      return { screen: 'flows' };
    case 'log':
      return { screen: 'log', ...(a ? { grantId: a } : {}) };
    case 'settings':
      return { screen: 'settings' };
    case 'timeline':
      return (a === 'grant' || a === 'token') && b ? { screen: 'timeline', by: a, id: b } : { screen: 'log' };
    default:
      return { screen: 'tokens' };
  }
}

export function routeHref(route: Route): string {
  const e = encodeURIComponent;
  switch (route.screen) {
    case 'tokens':
      return '#/tokens';
    case 'token':
      return `#/tokens/${e(route.id)}`;
    case 'inspect':
      return '#/inspect';
    case 'compare':
      return `#/compare${route.id ? `/${e(route.id)}` : ''}${route.id && route.other ? `/${e(route.other)}` : ''}`;
    case 'flows':
      return '#/flows';
    case 'log':
      return `#/log${route.grantId ? `/${e(route.grantId)}` : ''}`;
    case 'settings':
      return '#/settings';
    case 'timeline':
      return `#/timeline/${route.by}/${e(route.id)}`;
  }
}

export function navigate(route: Route): void {
  const href = routeHref(route);
  if (window.location.hash !== href) window.location.hash = href;
}

function subscribe(cb: () => void): () => void {
  window.addEventListener('hashchange', cb);
  return () => window.removeEventListener('hashchange', cb);
}

export function useRoute(): Route {
  const hash = useSyncExternalStore(
    subscribe,
    () => window.location.hash,
    () => '',
  );
  return parseRoute(hash);
}
