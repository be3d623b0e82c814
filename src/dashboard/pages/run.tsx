/**
 * One run. Its log streams from `/api/runs/:id/stream` (server-sent events
 * read from the store, so any instance streams any run); when the stream is
 * not there the log is read with `/logs?after=` every few seconds instead.
 */
import { useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";
import { ApiError, errorText, getJson, postJson } from "../api.js";
import { isFinished, plainLog } from "../format.js";
import { runHash } from "../route.js";
import type { RunDetail, RunRow } from "../types.js";
import { Alert, Loading } from "../views/common.js";
import { RunView } from "../views/run.js";

/** The page keeps the last this-many characters of a log (the store keeps all of it). */
const LOG_KEEP = 2_000_000;
const POLL_MS = 2000;
const FLUSH_MS = 100;

interface LogChunk {
  seq: number;
  text: string;
}

/** Chunks in order, each once (a reconnect resends from Last-Event-ID). */
export class LogBuffer {
  private seq = 0;
  private text = "";
  trimmed = false;

  get lastSeq(): number {
    return this.seq;
  }

  add(chunk: LogChunk): boolean {
    if (!Number.isFinite(chunk.seq) || chunk.seq <= this.seq || typeof chunk.text !== "string") return false;
    this.seq = chunk.seq;
    this.text += plainLog(chunk.text);
    if (this.text.length > LOG_KEEP) {
      this.text = this.text.slice(-LOG_KEEP);
      this.trimmed = true;
    }
    return true;
  }

  toString(): string {
    return this.text;
  }
}

export function RunPage(props: { id: string; webUrl?: string | undefined; now: number }) {
  const { id } = props;
  const [detail, setDetail] = useState<RunDetail>();
  const [loadError, setLoadError] = useState<string>();
  const [actionError, setActionError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [log, setLog] = useState({ text: "", note: "Connecting…" });
  const pre = useRef<HTMLPreElement>(null);
  const atBottom = useRef(true);
  const base = `/api/runs/${encodeURIComponent(id)}`;

  const load = () =>
    getJson<RunDetail>(base).then(
      (d) => {
        setDetail(d);
        setLoadError(undefined);
      },
      (err: unknown) => setLoadError(errorText(err)),
    );

  useEffect(() => {
    setDetail(undefined);
    setLoadError(undefined);
    setActionError(undefined);
    void load();
  }, [id]);

  // The log: the event stream, or reading /logs when the stream is refused.
  useEffect(() => {
    const buffer = new LogBuffer();
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    // A backlog arrives as many events at once: the page shows them at most every FLUSH_MS.
    let note = "";
    let flush: ReturnType<typeof setTimeout> | undefined;
    const show = (next: string) => {
      note = next;
      flush ??= setTimeout(() => {
        flush = undefined;
        setLog({ text: buffer.toString(), note: buffer.trimmed ? `${note} Earlier output is not shown here.` : note });
      }, FLUSH_MS);
    };
    const done = (status?: string) => show(`Finished${status ? ` (${status.replace(/_/g, " ")})` : ""}: ${buffer.lastSeq === 0 ? "it logged nothing." : "the log is complete."}`);
    const setRun = (run: RunRow) => setDetail((d) => (d && d.run.id === run.id ? { ...d, run } : d));

    const poll = async () => {
      if (stopped) return;
      try {
        const { run, chunks } = await getJson<{ run: RunRow; chunks: LogChunk[] }>(`${base}/logs?after=${buffer.lastSeq}`);
        for (const c of chunks) buffer.add(c);
        setRun(run);
        if (isFinished(run.status) && chunks.length === 0) {
          done(run.status);
          void load();
          return;
        }
        show("Live (read every few seconds).");
      } catch (err) {
        show(`The log cannot be read: ${errorText(err)}`);
        if (err instanceof ApiError && (err.status === 404 || err.status === 403 || err.status === 401)) return;
      }
      timer = setTimeout(() => void poll(), POLL_MS);
    };

    const source = new EventSource(`${base}/stream`);
    source.onopen = () => show("Live.");
    source.addEventListener("log", (e) => {
      const chunk = parse<LogChunk>((e as MessageEvent<string>).data);
      if (chunk && buffer.add(chunk)) show("Live.");
    });
    source.addEventListener("status", (e) => {
      const run = parse<RunRow>((e as MessageEvent<string>).data);
      if (run && typeof run.id === "string") setRun(run);
    });
    source.addEventListener("end", (e) => {
      source.close();
      const status = parse<{ status?: unknown }>((e as MessageEvent<string>).data)?.status;
      done(typeof status === "string" ? status : undefined);
      void load();
    });
    source.onerror = () => {
      // The browser reconnects by itself (with Last-Event-ID) unless the answer was not a
      // stream (no stream route, or a refusal): then the log is read from /logs instead.
      if (source.readyState !== EventSource.CLOSED) return show("Reconnecting…");
      void poll();
    };
    return () => {
      stopped = true;
      source.close();
      clearTimeout(timer);
      clearTimeout(flush);
    };
  }, [id]);

  // Follow the log's end, unless the reader scrolled up.
  useLayoutEffect(() => {
    const el = pre.current;
    if (el && atBottom.current) el.scrollTop = el.scrollHeight;
  }, [log.text]);

  const act = (action: "cancel" | "retry") => {
    setBusy(true);
    setActionError(undefined);
    postJson<{ run: RunRow; retryOf?: string }>(`${base}/${action}`).then(
      (res) => {
        setBusy(false);
        if (action === "retry" && res.run?.id && res.run.id !== id) location.hash = runHash(res.run.id);
        else if (res.run) setDetail((d) => (d ? { ...d, run: res.run } : d));
      },
      (err: unknown) => {
        setBusy(false);
        setActionError(errorText(err));
      },
    );
  };

  if (!detail) {
    return loadError ? (
      <>
        <h1>Run</h1>
        <Alert message={loadError} />
        <p>
          <a href="#/runs">All runs</a>
        </p>
      </>
    ) : (
      <Loading />
    );
  }
  return (
    <RunView
      detail={detail}
      log={log.text}
      logNote={log.note}
      logRef={pre}
      onLogScroll={(e) => {
        const el = e.currentTarget as HTMLElement;
        atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 24;
      }}
      now={props.now}
      webUrl={props.webUrl}
      error={actionError ?? loadError}
      busy={busy}
      onCancel={() => act("cancel")}
      onRetry={() => act("retry")}
    />
  );
}

function parse<T>(data: string): T | undefined {
  try {
    return JSON.parse(data) as T;
  } catch {
    return undefined;
  }
}
