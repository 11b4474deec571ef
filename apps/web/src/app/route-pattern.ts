import { WEB_VITAL_ROUTES, type WebVitalRoute } from '@recon/shared';

const KNOWN: ReadonlySet<string> = new Set(WEB_VITAL_ROUTES);

function isKnownRoute(pattern: string): pattern is WebVitalRoute {
  return KNOWN.has(pattern);
}

/**
 * The route pattern (`/projects/:projectId/jobs`) of the matched routes, never the URL itself: ids stay
 * out of metric labels. Anything not in the shared list is `other`.
 */
export function routePatternOf(matches: readonly { route: { path?: string } }[]): WebVitalRoute {
  const segments: string[] = [];
  for (const { route } of matches) {
    if (route.path === undefined || route.path === '') continue;
    if (route.path.startsWith('/')) segments.length = 0;
    segments.push(...route.path.split('/').filter((segment) => segment !== ''));
  }
  const pattern = `/${segments.join('/')}`;
  return isKnownRoute(pattern) ? pattern : 'other';
}
