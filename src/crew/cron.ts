/**
 * Five-field cron expressions (UTC), as GitHub's `schedule` reads them:
 * parsed and evaluated by croner, with cron's rule that a restricted
 * day-of-month and a restricted day-of-week are ORed ("0 6 1 * 1" is the 1st
 * and every Monday).
 */
import { Cron as Croner } from "croner";

const LABELS = ["minute", "hour", "day of month", "month", "day of week"] as const;
const RANGES: [number, number][] = [[0, 59], [0, 23], [1, 31], [1, 12], [0, 7]]; // 7 is Sunday too
const NAMES: Partial<Record<number, RegExp>> = {
  3: /^(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)$/i,
  4: /^(sun|mon|tue|wed|thu|fri|sat)$/i,
};

export type Cron = Croner;

const croner = (pattern: string) => new Croner(pattern, { timezone: "UTC", mode: "5-part", domAndDow: false, paused: true });

/**
 * POSIX cron's grammar: lists of `*`, numbers or names, ranges, `/step`.
 * croner also takes Quartz extensions (L, W, #, ?) that GitHub does not, so
 * the grammar is checked here and croner checks the ranges.
 */
function checkSyntax(field: string, i: number): string | undefined {
  for (const item of field.split(",")) {
    const m = /^(\*|[a-z0-9]+(?:-[a-z0-9]+)?)(?:\/(\d+))?$/i.exec(item);
    const atoms = m?.[1] === "*" ? [] : (m?.[1]?.split("-") ?? []);
    if (!m || atoms.some((a) => !/^\d+$/.test(a) && !NAMES[i]?.test(a))) return `"${item}" is not a number, range, list or step${NAMES[i] ? " (or a three-letter name)" : ""}`;
    const [lo, hi] = RANGES[i] as [number, number];
    if (atoms.some((a) => /^\d+$/.test(a) && (Number(a) < lo || Number(a) > hi))) return `"${item}" is out of range ${lo}-${hi}`;
  }
  return undefined;
}

/** Parse or throw an Error naming the bad field. */
export function parseCron(expr: string): Cron {
  const parts = expr.trim().split(/\s+/);
  if (parts.length !== 5) throw new Error(`cron "${expr}" must have 5 fields (minute hour day-of-month month day-of-week), has ${parts.length}`);
  parts.forEach((part, i) => {
    const bad = checkSyntax(part, i);
    if (bad) throw new Error(`cron "${expr}": ${LABELS[i]} ${bad}`);
    // The field alone, the others `*`: croner's range errors then belong to this field.
    const alone = parts.map((p, j) => (j === i ? p : "*")).join(" ");
    try {
      croner(alone);
    } catch (err) {
      throw new Error(`cron "${expr}": ${LABELS[i]} "${part}": ${(err as Error).message.replace(/^CronPattern: /, "")}`);
    }
  });
  return croner(parts.join(" "));
}

/** Whether the cron fires in the UTC minute of `date`. */
export function cronMatches(cron: Cron, date: Date): boolean {
  const minute = new Date(Math.floor(date.getTime() / 60_000) * 60_000);
  return cron.match(minute);
}

/** The next `n` firing times strictly after `from` (fewer when it never fires, like "0 0 31 2 *"). */
export function nextFirings(cron: Cron, from: Date, n = 3): Date[] {
  return cron.nextRuns(n, from);
}

/** "2024-01-01 06:00, 2024-01-08 06:00, 2024-01-15 06:00 UTC", for validate and dry-run. */
export function describeFirings(expr: string, from: Date, n = 3): string {
  const times = nextFirings(parseCron(expr), from, n);
  if (times.length === 0) return "never fires (no such date)";
  return `${times.map((d) => d.toISOString().slice(0, 16).replace("T", " ")).join(", ")} UTC`;
}

/** One line per schedule of the crew: `dev: "0 6 1 * 1" next 2024-01-01 06:00, … UTC` (invalid ones are errors elsewhere). */
export function scheduleLines(agents: readonly { name: string; triggers: { schedule: readonly string[] } }[], from: Date): string[] {
  return agents.flatMap((a) =>
    a.triggers.schedule.map((expr) => {
      try {
        return `${a.name}: schedule "${expr}" next ${describeFirings(expr, from)}`;
      } catch (err) {
        return `${a.name}: schedule "${expr}" is invalid: ${(err as Error).message}`;
      }
    }),
  );
}
