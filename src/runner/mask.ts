/** Masking in the runner: the one masker (util/secret-mask.ts), and streamed output masked line by line. */
import { SecretMasker } from "../util/secret-mask.js";

/** Replaces every form of each secret (raw, JSON-escaped, URL-encoded, base64, each line) by ***. */
export class Masker extends SecretMasker {}

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
