/** Replaces secret values by *** in any text, and in streamed chunks line by line. */

export class Masker {
  private readonly values: string[];

  constructor(values: Iterable<string>) {
    // Longest first, so a secret containing another is masked whole.
    this.values = [...new Set([...values].filter((v) => v.length > 0))].sort((a, b) => b.length - a.length);
  }

  /** Length of the longest secret (0 without secrets). */
  get longest(): number {
    return this.values[0]?.length ?? 0;
  }

  mask(text: string): string {
    let out = text;
    for (const v of this.values) out = out.split(v).join("***");
    return out;
  }

  /** Masks every string inside a JSON-like value. */
  maskDeep<T>(value: T): T {
    if (this.values.length === 0) return value;
    return JSON.parse(this.mask(JSON.stringify(value))) as T;
  }
}

/**
 * Splits a byte stream into lines before masking, so that a secret cut across
 * two chunks is still masked.
 */
export class LineSplitter {
  private rest = "";
  constructor(
    private readonly onLine: (line: string) => void,
    /**
     * A line longer than `maxLine` (output without newlines) is passed on in
     * pieces, so that the runner's memory stays bounded; with `masker`, a
     * secret that spans two pieces is still masked.
     */
    private readonly opts: { maxLine?: number; masker?: Masker } = {},
  ) {}

  push(chunk: string): void {
    const parts = (this.rest + chunk).split("\n");
    this.rest = parts.pop() ?? "";
    for (const p of parts) this.onLine(p.replace(/\r$/, ""));
    const max = this.opts.maxLine;
    if (max && this.rest.length > max) {
      // Mask what is complete, then keep the tail that could still begin a secret.
      const masked = this.opts.masker ? this.opts.masker.mask(this.rest) : this.rest;
      const keep = Math.min(masked.length, Math.max(0, (this.opts.masker?.longest ?? 1) - 1));
      const done = masked.slice(0, masked.length - keep);
      for (let i = 0; i < done.length; i += max) this.onLine(done.slice(i, i + max));
      this.rest = masked.slice(masked.length - keep);
    }
  }

  end(): void {
    if (this.rest) this.onLine(this.rest);
    this.rest = "";
  }
}
