import type { WebVitalsReport } from '@recon/shared';
import { observeWebVital } from '../../observability/web-vitals-metrics';

/**
 * Adds a browser's measurements to the web-vitals histograms. Nothing is stored: the only state a report
 * changes is a counter, which is why the route may take anonymous beacons.
 */
export function recordWebVitals(report: WebVitalsReport): void {
  for (const metric of report.metrics) observeWebVital(report.route, metric);
}
