/**
 * What `gitcrew images build` shows while it works: each step (debootstrap,
 * import, Node, each image), each layer of a `docker build`, and the time
 * spent. On a terminal one live line per step, redrawn in place with the
 * latest output, and a line kept per finished step and layer; elsewhere (CI,
 * a pipe) plain lines, each with the elapsed time.
 */

/** A log line: the build's own step, or a line of a tool's output. */
export type LineKind = "step" | "output";

export interface ProgressOptions {
  write: (text: string) => void;
  /** stderr is a terminal: redraw in place. */
  tty: boolean;
  columns?: number;
  now?: () => number;
}

/** `docker build` layers: the classic builder's "Step 2/7 : …", BuildKit's "#5 [2/4] …". */
const LAYER = /^(Step \d+\/\d+ : |#\d+ \[[^\]]*\d+\/\d+\] )/;

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
}

export class BuildProgress {
  private readonly t0: number;
  private stepStart = 0;
  private step: string | undefined;
  private live = "";
  private readonly timer: ReturnType<typeof setInterval> | undefined;
  private readonly now: () => number;

  constructor(private readonly opts: ProgressOptions) {
    this.now = opts.now ?? (() => performance.now());
    this.t0 = this.now();
    // The elapsed time keeps moving on a terminal while a tool is silent (debootstrap, docker import).
    if (opts.tty) this.timer = setInterval(() => this.redraw(), 1000);
    this.timer?.unref?.();
  }

  /** The log function for the build: `(line, kind)`. */
  readonly log = (line: string, kind: LineKind = "step"): void => {
    const text = line.replace(/[\x00-\x08\x0b-\x1f\x7f]/g, "").trimEnd();
    if (!text.trim()) return;
    if (kind === "step") this.startStep(text);
    else if (LAYER.test(text.trim())) this.keep(`  ${text.trim()}`);
    else this.output(text);
  };

  /** Ends the last step; prints the total. */
  end(ok: boolean): void {
    if (this.timer) clearInterval(this.timer);
    this.finishStep();
    this.plainOrKept(`${ok ? "done" : "stopped"} in ${seconds(this.now() - this.t0)}`);
  }

  private startStep(text: string): void {
    this.finishStep();
    this.step = text;
    this.stepStart = this.now();
    if (this.opts.tty) this.redraw();
    else this.opts.write(`[${this.stamp()}] ${text}\n`);
  }

  private finishStep(): void {
    if (!this.step) return;
    const took = seconds(this.now() - this.stepStart);
    if (this.opts.tty) this.keep(`✓ ${this.step} (${took})`);
    this.step = undefined;
    this.live = "";
  }

  private output(text: string): void {
    if (!this.opts.tty) {
      this.opts.write(`[${this.stamp()}]   ${text}\n`);
      return;
    }
    this.live = text.trim();
    this.redraw();
  }

  /** A line that stays (a finished step, a layer); the live line is drawn again under it. */
  private keep(text: string): void {
    if (!this.opts.tty) {
      this.opts.write(`[${this.stamp()}] ${text}\n`);
      return;
    }
    this.opts.write(`\r\x1b[K${text}\n`);
    this.redraw();
  }

  private plainOrKept(text: string): void {
    if (this.opts.tty) this.opts.write(`\r\x1b[K${text}\n`);
    else this.opts.write(`[${this.stamp()}] ${text}\n`);
  }

  private redraw(): void {
    if (!this.opts.tty || !this.step) return;
    const head = `▸ ${this.step} · ${seconds(this.now() - this.stepStart)}`;
    const width = (this.opts.columns ?? 80) - 1;
    const line = this.live ? `${head} · ${this.live}` : head;
    this.opts.write(`\r\x1b[K${line.length > width ? `${line.slice(0, width - 1)}…` : line}`);
  }

  private stamp(): string {
    return seconds(this.now() - this.t0).padStart(6);
  }
}
