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
/** Approval requests a run keeps (a run opens at most 5 of them: approvals/open-requests.ts); stdout lines are not bounded in number. */
export const MAX_APPROVALS = 50;
/** Characters of an approval's `what` and `reason` kept (what a request file takes). */
const APPROVAL_TEXT = 8_000;

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
    return { type: "approval", kind, reason: s(o.reason).slice(0, APPROVAL_TEXT), what: s(o.what).slice(0, APPROVAL_TEXT) };
  }
  return undefined;
}

/** Only stdout lines that carry a `gitcrew` key count (plain JSON logs stay logs). */
export function parseStdoutEvent(line: string): RunEvent | undefined {
  return line.includes('"gitcrew"') ? parseChannelLine(line) : undefined;
}

/** Longest channel line taken; a longer one is dropped (and the run log says so). */
export const MAX_CHANNEL_LINE = 64 * 1024;
/** Most bytes of the channel file read in one run; past it the rest is ignored and the file emptied. */
export const MAX_CHANNEL_BYTES = 8 * 1024 * 1024;
/** Bytes read at a time, so memory stays bounded whatever the agent appends between two polls. */
const READ_CHUNK = 256 * 1024;

/**
 * Reads new lines of the channel file as they are appended; `drain()` at the
 * end. The file is the agent's and on the host's disk: it is read in bounded
 * pieces, a line over MAX_CHANNEL_LINE is dropped, and past MAX_CHANNEL_BYTES
 * nothing more is read and the file is kept empty (the disk use stays bounded too).
 */
export class ChannelReader {
  private offset = 0;
  private total = 0;
  private capped = false;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** Inside a line that was too long: skip to its end. */
  private dropping = false;
  private dropped = 0;
  private timer: NodeJS.Timeout | undefined;
  private reading: Promise<void> = Promise.resolve();

  constructor(
    private readonly file: string,
    private readonly onEvent: (e: RunEvent) => void,
    /** What the run log should say about lines dropped and the cap. */
    private readonly onNotice: (message: string) => void = () => undefined,
  ) {}

  start(intervalMs = 200): void {
    this.timer = setInterval(() => void this.poll(), intervalMs);
  }

  /** Stop polling and deliver everything written so far. */
  async drain(): Promise<void> {
    clearInterval(this.timer);
    await this.poll();
    if (!this.dropping && this.pendingBytes > 0) this.emit(Buffer.concat(this.pending));
    this.pending = [];
    this.pendingBytes = 0;
    if (this.dropped > 0) this.onNotice(`channel: ${this.dropped} line(s) longer than ${MAX_CHANNEL_LINE / 1024} KiB were dropped`);
    this.dropped = 0;
  }

  private poll(): Promise<void> {
    this.reading = this.reading.then(() => this.readNew()).catch(() => undefined);
    return this.reading;
  }

  private async readNew(): Promise<void> {
    // The folder is the agent's: never follow a link it put there, never block on a FIFO.
    const fh = await open(this.file, constants.O_RDWR | constants.O_NOFOLLOW | constants.O_NONBLOCK).catch(() => undefined);
    if (!fh) return;
    try {
      const stat = await fh.stat();
      if (!stat.isFile()) return;
      if (this.capped) {
        if (stat.size > 0) await fh.truncate(0);
        return;
      }
      // Emptied by the agent: start again from its beginning (the total cap still holds).
      if (stat.size < this.offset) this.offset = 0;
      const buf = Buffer.allocUnsafe(READ_CHUNK);
      while (this.offset < stat.size) {
        const want = Math.min(READ_CHUNK, stat.size - this.offset, MAX_CHANNEL_BYTES - this.total);
        const { bytesRead } = await fh.read(buf, 0, want, this.offset);
        if (bytesRead === 0) break;
        this.offset += bytesRead;
        this.total += bytesRead;
        this.feed(buf.subarray(0, bytesRead));
        if (this.total >= MAX_CHANNEL_BYTES) {
          this.capped = true;
          this.onNotice(`channel: the agent wrote more than ${MAX_CHANNEL_BYTES / 1024 / 1024} MiB to ${CHANNEL_FILE}; the rest is ignored`);
          await fh.truncate(0);
          return;
        }
      }
    } finally {
      await fh.close();
    }
  }

  private feed(chunk: Buffer): void {
    let at = 0;
    while (at < chunk.length) {
      const nl = chunk.indexOf(10, at);
      const end = nl === -1 ? chunk.length : nl;
      if (!this.dropping) {
        if (this.pendingBytes + (end - at) > MAX_CHANNEL_LINE) {
          this.dropping = true;
          this.dropped++;
          this.pending = [];
          this.pendingBytes = 0;
        } else {
          // A copy: the read buffer is reused.
          this.pending.push(Buffer.from(chunk.subarray(at, end)));
          this.pendingBytes += end - at;
        }
      }
      if (nl === -1) return;
      if (!this.dropping) this.emit(Buffer.concat(this.pending));
      this.dropping = false;
      this.pending = [];
      this.pendingBytes = 0;
      at = nl + 1;
    }
  }

  private emit(line: Buffer): void {
    const ev = parseChannelLine(line.toString("utf8"));
    if (ev) this.onEvent(ev);
  }
}
