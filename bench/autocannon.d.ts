// autocannon ships no types (and @types/autocannon is not installed): the part of its programmatic API the benches use.
declare module 'autocannon' {
  /** A latency or throughput distribution as autocannon reports it. */
  export interface Histogram {
    average: number;
    mean: number;
    stddev: number;
    min: number;
    max: number;
    p50: number;
    p90: number;
    p97_5: number;
    p99: number;
    total?: number;
  }
  /** One request template; `setupRequest` may change it before each send. */
  export interface RequestSpec {
    method?: string;
    path?: string;
    headers?: Record<string, string>;
    body?: string;
    setupRequest?: (req: RequestSpec, context: Record<string, unknown>) => RequestSpec;
  }
  /** Options of one run. */
  export interface Options {
    url: string;
    connections?: number;
    duration?: number;
    amount?: number;
    pipelining?: number;
    timeout?: number;
    headers?: Record<string, string>;
    requests?: RequestSpec[];
    title?: string;
  }
  /** The result of a run. */
  export interface Result {
    title?: string;
    latency: Histogram;
    requests: Histogram;
    throughput: Histogram;
    errors: number;
    timeouts: number;
    non2xx: number;
    '2xx': number;
    duration: number;
  }
  /** Runs a load test; resolves when it ends. */
  export default function autocannon(opts: Options): Promise<Result> & { stop?: () => void };
}
