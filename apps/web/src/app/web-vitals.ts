import { onCLS, onINP, onLCP, type Metric } from 'web-vitals';
import type { WebVitalMetric, WebVitalsReport } from '@recon/shared';
import { MAX_CLS, MAX_INP_MS, MAX_LCP_MS } from '@recon/shared';
import { routePatternOf } from './route-pattern';

const ENDPOINT = '/api/web-vitals';
const LIMITS = { LCP: MAX_LCP_MS, INP: MAX_INP_MS, CLS: MAX_CLS } as const;

function toReportMetric(metric: Metric): WebVitalMetric | undefined {
  const { name } = metric;
  if (name !== 'LCP' && name !== 'INP' && name !== 'CLS') return undefined;
  // The server refuses values past its bounds; clamp so one odd reading does not lose the whole beacon.
  const value = Math.min(Math.max(metric.value, 0), LIMITS[name]);
  return { name, id: metric.id.slice(0, 64), value };
}

/**
 * Reports LCP, INP and CLS to `POST /api/web-vitals` with `navigator.sendBeacon` (it survives the page being
 * closed; a string body goes as text/plain, which needs no preflight). `matchesOf` gives the router's
 * current matches, reported as their route pattern, never the URL. Measurements reported together (web-vitals reports CLS and INP when the page is hidden) leave
 * in one beacon.
 */
export function startWebVitals(matchesOf: () => Parameters<typeof routePatternOf>[0]): void {
  let pending: WebVitalMetric[] = [];
  const flush = () => {
    if (pending.length === 0) return;
    const report: WebVitalsReport = { route: routePatternOf(matchesOf()), metrics: pending.slice(0, 10) };
    pending = [];
    const body = JSON.stringify(report);
    if (!navigator.sendBeacon(ENDPOINT, body))
      void fetch(ENDPOINT, { method: 'POST', body, keepalive: true }).catch(() => undefined);
  };
  const collect = (metric: Metric) => {
    const reported = toReportMetric(metric);
    if (!reported) return;
    if (pending.length === 0) queueMicrotask(flush);
    pending.push(reported);
  };
  onLCP(collect);
  onINP(collect);
  onCLS(collect);
}
