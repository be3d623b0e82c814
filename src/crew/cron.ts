/** Five-field cron expressions (UTC), as GitHub's `schedule` uses them. */

interface Field {
  min: number;
  max: number;
  names?: string[];
}

const FIELDS: Field[] = [
  { min: 0, max: 59 },
  { min: 0, max: 23 },
  { min: 1, max: 31 },
  { min: 1, max: 12, names: ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"] },
  { min: 0, max: 6, names: ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] },
];
const LABELS = ["minute", "hour", "day of month", "month", "day of week"];

export type Cron = Set<number>[];

function value(text: string, f: Field): number {
  const named = f.names?.indexOf(text.toLowerCase()) ?? -1;
  if (named >= 0) return named + f.min;
  if (!/^\d+$/.test(text)) return NaN;
  return Number(text);
}

/** Parse or throw an Error naming the bad field. */
export function parseCron(expr: string): Cron {
  const parts = expr.trim().split(/\s+/);
  if (parts.length !== 5) throw new Error(`cron "${expr}" must have 5 fields (minute hour day month weekday), has ${parts.length}`);
  return parts.map((part, i) => {
    const f = FIELDS[i] as Field;
    const max = i === 4 ? 7 : f.max; // 7 is Sunday too
    const set = new Set<number>();
    for (const item of part.split(",")) {
      const m = /^(\*|[a-z0-9]+)(?:-([a-z0-9]+))?(?:\/(\d+))?$/i.exec(item);
      if (!m) throw new Error(`cron "${expr}": bad ${LABELS[i]} "${item}"`);
      const lo = m[1] === "*" ? f.min : value(m[1] ?? "", f);
      const hi = m[2] !== undefined ? value(m[2], f) : m[1] === "*" || m[3] ? (m[1] === "*" ? f.max : max) : lo;
      const step = m[3] ? Number(m[3]) : 1;
      if ([lo, hi].some((n) => Number.isNaN(n) || n < f.min || n > max) || lo > hi || step < 1) {
        throw new Error(`cron "${expr}": ${LABELS[i]} "${item}" is out of range ${f.min}-${max}`);
      }
      for (let n = lo; n <= hi; n += step) set.add(i === 4 && n === 7 ? 0 : n);
    }
    return set;
  });
}

/** Whether the cron fires in the UTC minute of `date`. */
export function cronMatches(cron: Cron, date: Date): boolean {
  const [mi, h, dom, mon, dow] = cron as [Set<number>, Set<number>, Set<number>, Set<number>, Set<number>];
  return mi.has(date.getUTCMinutes()) && h.has(date.getUTCHours()) && mon.has(date.getUTCMonth() + 1) && dom.has(date.getUTCDate()) && dow.has(date.getUTCDay());
}
