import client from 'prom-client';
import type { WebVitalMetric, WebVitalRoute } from '@recon/shared';
import { registry } from './platform-metrics';

// Buckets around Google's thresholds: LCP good ≤ 2.5 s, poor > 4 s; INP good ≤ 200 ms, poor > 500 ms;
// CLS good ≤ 0.1, poor > 0.25. A boundary on each threshold lets a query read the share of "good" directly.
const LCP_BUCKETS = [0.5, 1, 1.5, 2, 2.5, 3, 4, 6, 10, 20];
const INP_BUCKETS = [0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1, 2, 5];
const CLS_BUCKETS = [0.01, 0.05, 0.1, 0.15, 0.25, 0.5, 1];

const lcp = new client.Histogram({
  name: 'web_vitals_lcp_seconds',
  help: 'Largest Contentful Paint reported by browsers, by route pattern',
  labelNames: ['route'] as const,
  buckets: LCP_BUCKETS,
  registers: [registry],
});

const inp = new client.Histogram({
  name: 'web_vitals_inp_seconds',
  help: 'Interaction to Next Paint reported by browsers, by route pattern',
  labelNames: ['route'] as const,
  buckets: INP_BUCKETS,
  registers: [registry],
});

const cls = new client.Histogram({
  name: 'web_vitals_cls',
  help: 'Cumulative Layout Shift reported by browsers, by route pattern',
  labelNames: ['route'] as const,
  buckets: CLS_BUCKETS,
  registers: [registry],
});

/**
 * Observes one browser measurement. `route` comes from the closed list in `@recon/shared`, so the label set
 * stays bounded whatever clients send; LCP and INP arrive in milliseconds and are stored in seconds.
 */
export function observeWebVital(route: WebVitalRoute, metric: WebVitalMetric): void {
  switch (metric.name) {
    case 'LCP':
      lcp.observe({ route }, metric.value / 1000);
      return;
    case 'INP':
      inp.observe({ route }, metric.value / 1000);
      return;
    case 'CLS':
      cls.observe({ route }, metric.value);
      return;
  }
}
