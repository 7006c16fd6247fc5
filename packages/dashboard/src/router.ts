// Hash routing (#/webhooks/wh_…): the server serves one index.html at / and /portal and needs no fallback route.
import { useEffect, useState } from 'preact/hooks';

export type Route =
  | { page: 'webhooks' }
  | { page: 'new-webhook' }
  | { page: 'webhook'; id: string }
  | { page: 'delivery'; id: string }
  | { page: 'event-types' }
  | { page: 'settings' }
  | { page: 'not-found' };

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '') || '/';
  // A portal link opens at #token=…, which the session code takes out of the address without a hashchange.
  if (path === '/' || path === '/webhooks' || path.startsWith('token=')) return { page: 'webhooks' };
  if (path === '/webhooks/new') return { page: 'new-webhook' };
  if (path === '/event-types') return { page: 'event-types' };
  if (path === '/settings') return { page: 'settings' };
  const match = /^\/(webhooks|deliveries)\/([\w-]+)$/.exec(path);
  if (match?.[1] === 'webhooks') return { page: 'webhook', id: match[2]! };
  if (match?.[1] === 'deliveries') return { page: 'delivery', id: match[2]! };
  return { page: 'not-found' };
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(location.hash));
    addEventListener('hashchange', onChange);
    return () => removeEventListener('hashchange', onChange);
  }, []);
  return route;
}

export function navigate(path: string): void {
  location.hash = path;
}
