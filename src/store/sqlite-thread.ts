/**
 * SQLite's thread: webhook intake statements are committed on a connection
 * of its own, so the serving thread goes on with HTTP while the commit
 * (compressing the payloads, file writes, the wait for the disk) happens on
 * another core; it also
 * checkpoints the WAL when the store has been quiet for a moment. Without it
 * (module not found, thread died) the caller runs the statement itself:
 * slower, never wrong. (PostgreSQL measured slower with its intake on a
 * thread: its own server processes need the cores; see bench/RESULTS.md.)
 */
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import type { Row, SqlValue } from "./db.js";
import { BROTLI_QUALITY } from "./stored-text.js";

export interface ThreadTarget {
  file: string;
  quietMs: number;
  everyMs: number;
  burstPages: number;
}

// Plain CommonJS, evaluated: the bundles need no extra entry point; the
// native driver is required by its resolved path.
const SCRIPT = `
const { statSync } = require("node:fs");
const zlib = require("node:zlib");
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.module);
const db = new Database(workerData.file);
db.pragma("synchronous = FULL");
db.pragma("busy_timeout = 10000");
db.pragma("wal_autocheckpoint = " + workerData.burstPages);
const statements = new Map();
// As stored-text.ts's sqliteParams: compressed text becomes its brotli BLOB.
const brotli = (text) => zlib.brotliCompressSync(text, { params: {
  [zlib.constants.BROTLI_PARAM_QUALITY]: workerData.brotliQuality, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: text.length } });
parentPort.on("message", ({ seq, sql, params }) => {
  try {
    for (let i = 0; i < params.length; i++) if (params[i] !== null && typeof params[i] === "object") params[i] = brotli(params[i].compressed);
    let s = statements.get(sql);
    if (!s) statements.set(sql, (s = db.prepare(sql)));
    parentPort.postMessage({ seq, rows: s.reader ? s.all(...params) : (s.run(...params), []) });
  } catch (e) {
    parentPort.postMessage({ seq, error: String(e && e.message), code: e && e.code });
  }
});
// Checkpoint once the WAL's mtime has stood still for quietMs.
let seen = -1, seenAt = Date.now(), done = -1;
setInterval(() => {
  let mtime;
  try { mtime = statSync(workerData.file + "-wal").mtimeMs; } catch { return; }
  const now = Date.now();
  if (mtime !== seen) { seen = mtime; seenAt = now; return; }
  if (mtime === done || now - seenAt < workerData.quietMs) return;
  try {
    db.pragma("wal_checkpoint(PASSIVE)");
    done = mtime;
  } catch { /* busy: next time */ }
}, workerData.everyMs).unref();
`;

interface Pending {
  resolve(rows: Row[]): void;
  reject(err: Error): void;
}

export class StoreThread {
  private seq = 0;
  private readonly pending = new Map<number, Pending>();
  private alive = true;

  constructor(private readonly worker: Worker) {
    worker.on("message", (m: { seq: number; rows?: Row[]; error?: string; code?: string }) => {
      const p = this.pending.get(m.seq);
      if (!p) return;
      this.pending.delete(m.seq);
      this.idle();
      if (m.error === undefined) p.resolve(m.rows ?? []);
      else p.reject(Object.assign(new Error(m.error), { code: m.code }));
    });
    const gone = (err: Error) => {
      this.alive = false;
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
    };
    worker.on("error", gone);
    worker.on("exit", () => gone(new Error("the store's thread stopped")));
    this.idle();
  }

  /** False once the thread is gone: the caller then runs statements itself. */
  get usable(): boolean {
    return this.alive;
  }

  /** One statement (the caller's placeholders, already in the backend's syntax) and its rows. */
  all(sql: string, params: SqlValue[]): Promise<Row[]> {
    const seq = ++this.seq;
    return new Promise<Row[]>((resolve, reject) => {
      this.pending.set(seq, { resolve, reject });
      // The process stays alive only while a statement is out.
      this.worker.ref();
      this.worker.postMessage({ seq, sql, params });
    });
  }

  private idle(): void {
    if (this.pending.size === 0) this.worker.unref();
  }

  async stop(): Promise<void> {
    this.alive = false;
    await this.worker.terminate();
  }
}

export function startStoreThread(target: ThreadTarget): StoreThread | undefined {
  try {
    const module = createRequire(import.meta.url).resolve("better-sqlite3");
    return new StoreThread(new Worker(SCRIPT, { eval: true, workerData: { ...target, module, brotliQuality: BROTLI_QUALITY } }));
  } catch {
    return undefined;
  }
}
