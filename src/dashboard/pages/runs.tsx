/** Runs, newest first: the first page is read again every few seconds (new runs, status changes); "Older" follows the server's cursor. */
import { useEffect, useRef, useState } from "preact/hooks";
import { errorText, getJson } from "../api.js";
import { FILTER_KEYS, runsHash, type RunFilters } from "../route.js";
import type { CrewRepo, RunRow } from "../types.js";
import { useData } from "../use-data.js";
import { Alert, Loading } from "../views/common.js";
import { RunsFilters, RunsTable } from "../views/runs.js";

const PAGE = 50;
const REFRESH_MS = 4000;

interface Page {
  runs: RunRow[];
  next?: string;
}

export function runsPath(filters: RunFilters, before?: string): string {
  const q = new URLSearchParams();
  for (const k of FILTER_KEYS) if (filters[k]) q.set(k, filters[k]);
  if (before) q.set("before", before);
  q.set("limit", String(PAGE));
  return `/api/runs?${q}`;
}

/** Newest first, as the server pages them: by (createdAt, id), descending. */
const newerFirst = (a: RunRow, b: RunRow): number => b.createdAt - a.createdAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

/**
 * The first page as read now, then the rows already shown that are older
 * than its last one (rows newer than that which it no longer holds left the
 * filter). Rows pushed off the first page by new runs stay shown.
 */
export function mergeFirstPage(first: RunRow[], shown: RunRow[]): RunRow[] {
  const oldest = first.at(-1);
  if (oldest === undefined) return [];
  const ids = new Set(first.map((r) => r.id));
  return [...first, ...shown.filter((r) => !ids.has(r.id) && newerFirst(oldest, r) < 0)].sort(newerFirst);
}

/** An older page appended; a row already shown keeps its newer copy. */
export function appendOlder(shown: RunRow[], page: RunRow[]): RunRow[] {
  const ids = new Set(shown.map((r) => r.id));
  return [...shown, ...page.filter((r) => !ids.has(r.id))].sort(newerFirst);
}

interface State {
  key: string;
  rows?: RunRow[];
  next?: string;
  /** Once an older page is shown, its cursor (not the first page's) says what comes next. */
  olderShown?: boolean;
  error?: string;
  busy?: boolean;
}

export function RunsPage(props: { filters: RunFilters; webUrl?: string | undefined; now: number }) {
  const key = runsPath(props.filters);
  const [state, setState] = useState<State>({ key });
  const crew = useData<{ repos?: CrewRepo[]; agents?: CrewRepo["agents"] }>("/api/crew");
  const current = useRef(key);
  current.current = key;

  useEffect(() => {
    setState({ key });
    const abort = new AbortController();
    const readFirst = () =>
      getJson<Page>(key, abort.signal).then(
        (page) =>
          setState((s) =>
            s.key !== key
              ? s
              : { ...s, rows: mergeFirstPage(page.runs, s.rows ?? []), next: s.olderShown ? s.next : page.next, error: undefined },
          ),
        (err: unknown) => !abort.signal.aborted && setState((s) => (s.key === key ? { ...s, error: errorText(err) } : s)),
      );
    void readFirst();
    const timer = setInterval(() => document.visibilityState === "visible" && void readFirst(), REFRESH_MS);
    return () => {
      abort.abort();
      clearInterval(timer);
    };
  }, [key]);

  const shown = state.key === key ? state : { key };
  const loadOlder = () => {
    const before = shown.next;
    if (!before) return;
    setState((s) => ({ ...s, busy: true }));
    getJson<Page>(runsPath(props.filters, before)).then(
      (page) => current.current === key && setState((s) => ({ key, rows: appendOlder(s.rows ?? [], page.runs), olderShown: true, ...(page.next ? { next: page.next } : {}) })),
      (err: unknown) => current.current === key && setState((s) => ({ ...s, busy: false, error: errorText(err) })),
    );
  };

  const agents = new Set<string>();
  for (const r of crew.data?.repos ?? (crew.data?.agents ? [{ repo: "", agents: crew.data.agents }] : [])) for (const a of r.agents ?? []) agents.add(a.name);
  for (const r of shown.rows ?? []) agents.add(r.agent);

  return (
    <>
      <h1>Runs</h1>
      <RunsFilters filters={props.filters} agents={[...agents]} onChange={(f) => (location.hash = runsHash(f))} />
      <Alert message={shown.error} />
      {shown.rows ? <RunsTable runs={shown.rows} now={props.now} webUrl={props.webUrl} /> : shown.error ? null : <Loading />}
      {shown.rows && shown.next ? (
        <p>
          <button type="button" onClick={loadOlder} disabled={shown.busy}>
            Older
          </button>
        </p>
      ) : null}
    </>
  );
}
