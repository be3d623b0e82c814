/**
 * The in-container progress channel. Helpers append JSON lines to
 * /gitcrew/events.jsonl (a mounted host folder); agents may also print
 * `{"gitcrew":"status","text":"…"}` lines on stdout. Both become RunEvents.
 */
import { constants } from "node:fs";
import { open } from "node:fs/promises";
import type { ApprovalKind, RunEvent } from "./types.js";

export const CHANNEL_DIR_IN_CONTAINER = "/gitcrew";
export const CHANNEL_FILE = "events.jsonl";

const KINDS: readonly ApprovalKind[] = ["package", "secret", "permission", "instructions", "action"];

function s(v: unknown): string {
  return typeof v === "string" ? v : v === undefined || v === null ? "" : JSON.stringify(v);
}

/** A channel line as a typed event, or undefined when it is not one. */
export function parseChannelLine(line: string): RunEvent | undefined {
  const t = line.trim();
  if (!t.startsWith("{")) return undefined;
  let v: unknown;
  try {
    v = JSON.parse(t);
  } catch {
    return undefined;
  }
  if (typeof v !== "object" || v === null || Array.isArray(v)) return undefined;
  const o = v as Record<string, unknown>;
  const type = s(o.gitcrew ?? o.type);
  if (type === "status") return { type: "status", text: s(o.text) };
  if (type === "return") return { type: "return", value: s(o.value) };
  if (type === "approval") {
    const kind = KINDS.find((k) => k === o.kind) ?? "action";
    return { type: "approval", kind, reason: s(o.reason), what: s(o.what) };
  }
  return undefined;
}

/** Only stdout lines that carry a `gitcrew` key count (plain JSON logs stay logs). */
export function parseStdoutEvent(line: string): RunEvent | undefined {
  return line.includes('"gitcrew"') ? parseChannelLine(line) : undefined;
}

/** Reads new lines of the channel file as they are appended; `drain()` at the end. */
export class ChannelReader {
  private offset = 0;
  private rest = "";
  private timer: NodeJS.Timeout | undefined;
  private reading: Promise<void> = Promise.resolve();

  constructor(
    private readonly file: string,
    private readonly onEvent: (e: RunEvent) => void,
  ) {}

  start(intervalMs = 200): void {
    this.timer = setInterval(() => void this.poll(), intervalMs);
  }

  /** Stop polling and deliver everything written so far. */
  async drain(): Promise<void> {
    clearInterval(this.timer);
    await this.poll();
    if (this.rest.trim()) this.emit(this.rest);
    this.rest = "";
  }

  private poll(): Promise<void> {
    this.reading = this.reading.then(() => this.readNew()).catch(() => undefined);
    return this.reading;
  }

  private async readNew(): Promise<void> {
    // The folder is the agent's: never follow a link it put there, never block on a FIFO.
    const fh = await open(this.file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK).catch(() => undefined);
    if (!fh) return;
    try {
      const stat = await fh.stat();
      if (!stat.isFile()) return;
      const { size } = stat;
      if (size <= this.offset) return;
      const buf = Buffer.alloc(size - this.offset);
      await fh.read(buf, 0, buf.length, this.offset);
      this.offset = size;
      const lines = (this.rest + buf.toString("utf8")).split("\n");
      this.rest = lines.pop() ?? "";
      for (const line of lines) this.emit(line);
    } finally {
      await fh.close();
    }
  }

  private emit(line: string): void {
    const ev = parseChannelLine(line);
    if (ev) this.onEvent(ev);
  }
}
