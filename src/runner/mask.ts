/** Replaces secret values by *** in any text, and in streamed chunks line by line. */

export class Masker {
  private readonly values: string[];

  constructor(values: Iterable<string>) {
    // Longest first, so a secret containing another is masked whole.
    this.values = [...new Set([...values].filter((v) => v.length > 0))].sort((a, b) => b.length - a.length);
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
  constructor(private readonly onLine: (line: string) => void) {}

  push(chunk: string): void {
    const parts = (this.rest + chunk).split("\n");
    this.rest = parts.pop() ?? "";
    for (const p of parts) this.onLine(p.replace(/\r$/, ""));
  }

  end(): void {
    if (this.rest) this.onLine(this.rest);
    this.rest = "";
  }
}
