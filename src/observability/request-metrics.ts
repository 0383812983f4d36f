import { Metric, Registry } from 'prom-client';

/** One route's latency histogram (non-cumulative bucket counts), and its count by status. */
interface RouteSeries {
  method: string;
  route: string;
  buckets: Float64Array;
  sum: number;
  count: number;
  statuses: Map<number, CountSeries>;
}

/** One route and status's request count. */
interface CountSeries {
  method: string;
  route: string;
  status: string;
  value: number;
}

type Sample = { labels: Record<string, string | number>; value: number; metricName?: string };

/**
 * `http_requests_total` and `http_request_duration_seconds`, recorded on every request. prom-client's
 * own Counter and Histogram hash their label set on every increment (about 5% of a small request's
 * CPU); here a request is three map lookups by the strings and number it already has (no key is built)
 * and a few additions, and the exposition (the same text as prom-client's for the same requests: names,
 * labels, order, format) is built when /metrics is scraped.
 */
export class RequestMetrics {
  /** route → method → series. */
  private readonly routes = new Map<string, Map<string, RouteSeries>>();
  /** Every series in the order it first appeared, which is the order prom-client exposes them in. */
  private readonly routeOrder: RouteSeries[] = [];
  private readonly countOrder: CountSeries[] = [];

  constructor(registry: Registry, private readonly bounds: readonly number[]) {
    registry.registerMetric(this.metric('http_requests_total', 'HTTP requests served, by method, route template and status code.', 'counter', () => this.counterSamples()));
    registry.registerMetric(this.metric('http_request_duration_seconds', 'HTTP request latency, by method and route template.', 'histogram', () => this.histogramSamples()));
  }

  record(method: string, route: string, status: number, seconds: number): void {
    let byMethod = this.routes.get(route);
    if (!byMethod) this.routes.set(route, (byMethod = new Map()));
    let series = byMethod.get(method);
    if (!series) {
      series = { method, route, buckets: new Float64Array(this.bounds.length + 1), sum: 0, count: 0, statuses: new Map() };
      byMethod.set(method, series);
      this.routeOrder.push(series);
    }
    let counted = series.statuses.get(status);
    if (!counted) {
      counted = { method, route, status: String(status), value: 0 };
      series.statuses.set(status, counted);
      this.countOrder.push(counted);
    }
    counted.value++;
    let bucket = 0;
    while (bucket < this.bounds.length && seconds > this.bounds[bucket]) bucket++;
    series.buckets[bucket]++;
    series.sum += seconds;
    series.count++;
  }

  private counterSamples(): Sample[] {
    return this.countOrder.map(({ method, route, status, value }) => ({ labels: { method, route, status }, value }));
  }

  private histogramSamples(): Sample[] {
    return this.routeOrder.flatMap(({ method, route, buckets, sum, count }) => {
      let cumulative = 0;
      const samples: Sample[] = this.bounds.map((le, i) => ({ labels: { le, method, route }, value: (cumulative += buckets[i]), metricName: 'http_request_duration_seconds_bucket' }));
      samples.push({ labels: { le: '+Inf', method, route }, value: count, metricName: 'http_request_duration_seconds_bucket' });
      samples.push({ labels: { method, route }, value: sum, metricName: 'http_request_duration_seconds_sum' });
      samples.push({ labels: { method, route }, value: count, metricName: 'http_request_duration_seconds_count' });
      return samples;
    });
  }

  /** What a prom-client registry reads of a metric: its name, help, type and, when scraped, its samples. */
  private metric(name: string, help: string, type: 'counter' | 'histogram', values: () => Sample[]): Metric {
    const reset = () => {
      this.routes.clear();
      this.routeOrder.length = 0;
      this.countOrder.length = 0;
    };
    // get() reads the name from the object: the registry renames counters for OpenMetrics (`_total`).
    const metric = { name, help, type, aggregator: 'sum', get: () => ({ name: metric.name, help, type, aggregator: 'sum', values: values() }), reset };
    // The registry's documented contract is get(); the class types it declares do not cover a custom metric.
    return metric as unknown as Metric;
  }
}
