/** Words and numbers for the tables; pure, so the unit tests check them without a DOM. */
import type { QueueEntry, RunCostView, RunRow } from "./types.js";

const FINISHED = new Set(["succeeded", "failed", "timed_out", "cancelled", "budget_exceeded", "disk_exceeded", "awaiting_approval"]);

export const isFinished = (status: string): boolean => FINISHED.has(status);

export function duration(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms) || ms < 0) return "";
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${s % 60}s`;
  return `${Math.floor(m / 60)}h ${m % 60}m`;
}

/** How long a run ran (or has been running, measured to `now`). */
export function runDuration(run: RunRow, now: number): number | undefined {
  if (typeof run.durationMs === "number") return run.durationMs;
  const start = run.startedAt ?? run.claimedAt;
  if (start === undefined) return undefined;
  return (run.finishedAt ?? (isFinished(run.status) ? undefined : now) ?? start) - start;
}

export function tokens(cost: RunCostView | undefined): string {
  if (!cost) return "";
  const total = cost.tokens?.total ?? (cost.inputTokens !== undefined || cost.outputTokens !== undefined ? (cost.inputTokens ?? 0) + (cost.outputTokens ?? 0) : undefined);
  return typeof total === "number" ? total.toLocaleString("en-US") : "";
}

export function usd(cost: RunCostView | undefined): string {
  const value = cost?.usd ?? cost?.costUsd;
  return typeof value === "number" ? `$${value < 0.01 && value > 0 ? value.toFixed(4) : value.toFixed(2)}` : "";
}

export function when(at: number | string | undefined): string {
  if (at === undefined) return "";
  const d = new Date(at);
  return Number.isNaN(d.getTime()) ? "" : d.toISOString().replace("T", " ").slice(0, 19) + " UTC";
}

export function ago(at: number | string | undefined, now: number): string {
  if (at === undefined) return "";
  const t = new Date(at).getTime();
  if (Number.isNaN(t)) return "";
  return `${duration(Math.max(0, now - t))} ago`;
}

export function ordinal(n: number): string {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? "th" : ({ 1: "st", 2: "nd", 3: "rd" } as Record<number, string>)[n % 10] ?? "th";
  return `${n}${suffix}`;
}

/** The tracking comment's words for a waiting run (server/queue-comments.ts queueStatus). */
export function queueText(entry: QueueEntry, exactUpTo = 20): string {
  if (entry.position > exactUpTo) return `queued: behind ${exactUpTo}+ runs`;
  return `queued: ${ordinal(entry.position)} in line${entry.waiting ? `, ${entry.waiting}` : ""}`;
}

/** Terminal colour and cursor sequences make a log unreadable as text; the rest is shown as it came. */
export function plainLog(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\r(?!\n)/g, "");
}

/** Any JSON value in a short line for a table cell ("mention: @dev; labels: bug, docs"). */
export function compact(value: unknown, depth = 0): string {
  if (value === undefined || value === null) return "";
  if (typeof value !== "object") return String(value);
  if (depth > 2) return "…";
  if (Array.isArray(value)) return value.map((v) => compact(v, depth + 1)).join(", ");
  return Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0))
    .map(([k, v]) => (typeof v === "object" ? `${k}: ${depth > 0 ? "(" : ""}${compact(v, depth + 1)}${depth > 0 ? ")" : ""}` : `${k}: ${String(v)}`))
    .join("; ");
}

export const pretty = (value: unknown): string => (value === undefined ? "" : JSON.stringify(value, null, 2) ?? "");
