/** Secret masking for everything gitcrew sends to GitHub. */

export type Mask = (text: string) => string;

/** Shorter values would mask ordinary words; GitHub Actions uses a similar floor. */
const MIN_LENGTH = 4;

/**
 * A mask that replaces each secret value with `***`. Multi-line secrets
 * (PEM keys) are also masked line by line, in case only part is echoed.
 */
export function secretMask(values: Iterable<string>): Mask {
  const all = new Set<string>();
  for (const v of values) {
    if (v.length >= MIN_LENGTH) all.add(v);
    if (v.includes("\n")) for (const line of v.split(/\r?\n/)) if (line.trim().length >= 8) all.add(line.trim());
  }
  // Longest first, so a secret containing another is masked whole.
  const sorted = [...all].sort((a, b) => b.length - a.length);
  if (sorted.length === 0) return (text) => text;
  return (text) => {
    let out = text;
    for (const v of sorted) out = out.split(v).join("***");
    return out;
  };
}
