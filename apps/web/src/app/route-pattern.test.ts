import { WEB_VITAL_ROUTES } from '@recon/shared';
import type { RouteObject } from 'react-router';
import { describe, expect, it } from 'vitest';
import { routePatternOf } from './route-pattern';
import { router } from './router';

/** Every chain of routes from the root to a leaf that renders a page (not a redirect or the catch-all). */
function pageChains(routes: readonly RouteObject[], above: RouteObject[] = []): RouteObject[][] {
  return routes.flatMap((route) => {
    const chain = [...above, route];
    if (route.children && route.children.length > 0) return pageChains(route.children, chain);
    const isRedirect = route.index === true || route.element !== undefined;
    return isRedirect || route.path === '*' ? [] : [chain];
  });
}

describe('routePatternOf', () => {
  it('names every page of the router with a pattern of the shared list', () => {
    const chains = pageChains(router.routes);
    expect(chains.length).toBeGreaterThan(10);
    const patterns = chains.map((chain) => routePatternOf(chain.map((route) => ({ route }))));
    expect(patterns).not.toContain('other');
    expect(new Set(patterns)).toEqual(new Set(WEB_VITAL_ROUTES.filter((route) => route !== 'other')));
  });

  it('keeps ids out: the pattern, not the URL, and `other` for anything unknown', () => {
    const matches = [{ path: '/' }, {}, { path: 'projects/:projectId' }, { path: 'jobs/:jobId' }];
    expect(routePatternOf(matches.map((route) => ({ route })))).toBe('/projects/:projectId/jobs/:jobId');
    expect(routePatternOf([{ route: { path: '/projects/1234/jobs' } }])).toBe('other');
    expect(routePatternOf([{ route: { path: '*' } }])).toBe('other');
  });
});
