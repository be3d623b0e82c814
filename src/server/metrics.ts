/** Prometheus text exposition, hand-written: counters and histograms, plus gauges read at scrape time. */

import type { RunCost } from "../runner/cost.js";
import type { RepoRunCount } from "../store/types.js";

type Labels = Record<string, string>;

const MAX_MODEL_LABELS = 32;
/** One series per repository served (past this many, "other"): a server for a whole organisation stays scrapeable. */
export const MAX_REPO_LABELS = 1000;

function labelText(labels: Labels): string {
  const parts = Object.entries(labels).map(([k, v]) => `${k}="${v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`);
  return parts.length ? `{${parts.join(",")}}` : "";
}

class Histogram {
  private readonly series = new Map<string, { labels: Labels; counts: number[]; sum: number; count: number }>();
  constructor(
    readonly name: string,
    readonly help: string,
    private readonly buckets: number[],
  ) {}

  observe(value: number, labels: Labels = {}): void {
    const key = labelText(labels);
    let s = this.series.get(key);
    if (!s) this.series.set(key, (s = { labels, counts: this.buckets.map(() => 0), sum: 0, count: 0 }));
    this.buckets.forEach((le, i) => {
      if (value <= le) s.counts[i] = (s.counts[i] ?? 0) + 1;
    });
    s.sum += value;
    s.count += 1;
  }

  render(): string[] {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`];
    for (const s of this.series.values()) {
      this.buckets.forEach((le, i) => lines.push(`${this.name}_bucket${labelText({ ...s.labels, le: String(le) })} ${s.counts[i] ?? 0}`));
      lines.push(`${this.name}_bucket${labelText({ ...s.labels, le: "+Inf" })} ${s.count}`);
      lines.push(`${this.name}_sum${labelText(s.labels)} ${s.sum}`, `${this.name}_count${labelText(s.labels)} ${s.count}`);
    }
    return lines;
  }
}

class Counter {
  private readonly values = new Map<string, number>();
  constructor(
    readonly name: string,
    readonly help: string,
  ) {}
  inc(labels: Labels = {}, by = 1): void {
    const key = labelText(labels);
    this.values.set(key, (this.values.get(key) ?? 0) + by);
  }
  render(): string[] {
    return [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} counter`, ...[...this.values].map(([k, v]) => `${this.name}${k} ${v}`)];
  }
}

export function gauge(name: string, help: string, values: Array<[Labels, number]>): string[] {
  return [`# HELP ${name} ${help}`, `# TYPE ${name} gauge`, ...values.map(([labels, v]) => `${name}${labelText(labels)} ${v}`)];
}

/** `gitcrew_repo_runs{repo,status}`: queued and running runs of each repository that has some, read from the store at scrape time. */
export function repoGauges(counts: RepoRunCount[], metrics: Metrics): string[] {
  const values = new Map<string, [Labels, number]>();
  for (const c of counts) {
    const repo = metrics.repoLabel(c.repo);
    for (const [status, n] of [["queued", c.queued], ["running", c.running]] as const) {
      const key = `${repo}\0${status}`;
      values.set(key, [{ repo, status }, (values.get(key)?.[1] ?? 0) + n]);
    }
  }
  return gauge("gitcrew_repo_runs", "Queued and running runs in the store, by repository (those with any).", [...values.values()]);
}

export class Metrics {
  readonly webhooks = new Counter("gitcrew_webhooks_total", "Webhook requests by HTTP status.");
  readonly webhookSeconds = new Histogram("gitcrew_webhook_duration_seconds", "Time from request to response for POST /webhooks.", [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1,
  ]);
  readonly runSeconds = new Histogram("gitcrew_run_duration_seconds", "Run time from claim to outcome, by status.", [
    1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600,
  ]);
  readonly runsFinished = new Counter("gitcrew_runs_finished_total", "Runs this instance finished, by repository and status.");
  readonly modelTokens = new Counter("gitcrew_model_tokens_total", "Model tokens of finished runs, by agent, model and kind (input, output, cache_read, cache_write).");
  readonly modelCost = new Counter("gitcrew_model_cost_usd_total", "USD of finished runs on models with a known price, by agent and model.");
  /** Deliveries whose planning failed for good: the only sign of a schedule's (it has no thread to answer in). */
  readonly deliveriesFailed = new Counter("gitcrew_deliveries_failed_total", "Deliveries whose planning failed for good (no try left), by event; a schedule's has no thread, so this and the log are where it shows.");
  /** Model names come from agents' requests: past this many, further names count as "other" (bounded series). */
  private readonly models = new Set<string>();
  private readonly repos = new Set<string>();

  /** A run's outcome: the duration histogram by status only (buckets per repository would be too many series), the counter by repository too. */
  recordRunFinished(repo: string, status: string, seconds: number): void {
    this.runSeconds.observe(seconds, { status });
    this.runsFinished.inc({ repo: this.repoLabel(repo), status });
  }

  /** The label of a repository (lower case: GitHub's names are case-insensitive), bounded like model names. */
  repoLabel(repo: string): string {
    const key = repo.toLowerCase();
    if (this.repos.has(key)) return key;
    if (this.repos.size >= MAX_REPO_LABELS) return "other";
    this.repos.add(key);
    return key;
  }

  /** A delivery planned for the last time without success. Event names are GitHub's (verified deliveries) or `schedule`: a bounded set. */
  recordDeliveryFailed(event: string): void {
    this.deliveriesFailed.inc({ event: /^[a-z_]{1,40}$/.test(event) ? event : "other" });
  }

  /** A finished run's model usage (from the gateway's report). */
  recordModelUsage(agent: string, cost: RunCost): void {
    for (const m of cost.byModel) {
      const model = this.modelLabel(m.model);
      for (const [kind, n] of [["input", m.tokens.input], ["output", m.tokens.output], ["cache_read", m.tokens.cacheRead], ["cache_write", m.tokens.cacheWrite]] as const) {
        if (n > 0) this.modelTokens.inc({ agent, model, kind }, n);
      }
      if (m.costUsd !== null) this.modelCost.inc({ agent, model }, m.costUsd);
    }
  }

  private modelLabel(model: string): string {
    if (this.models.has(model)) return model;
    if (this.models.size >= MAX_MODEL_LABELS) return "other";
    this.models.add(model);
    return model;
  }

  render(extra: string[]): string {
    return [...this.webhooks.render(), ...this.webhookSeconds.render(), ...this.runSeconds.render(), ...this.runsFinished.render(), ...this.modelTokens.render(), ...this.modelCost.render(), ...this.deliveriesFailed.render(), ...extra].join("\n") + "\n";
  }
}
