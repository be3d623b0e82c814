/** Load a JSON route, and again every `everyMs` while the tab is visible (live lists without a socket each). */
import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import { errorText, getJson } from "./api.js";

export interface Loaded<T> {
  data?: T;
  error?: string;
  reload(): void;
}

export function useData<T>(path: string, everyMs?: number): Loaded<T> {
  const [state, setState] = useState<{ path: string; data?: T; error?: string }>({ path });
  const [tick, setTick] = useState(0);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  const latest = useRef(path);
  latest.current = path;

  useEffect(() => {
    const abort = new AbortController();
    getJson<T>(path, abort.signal).then(
      (data) => latest.current === path && setState({ path, data }),
      (err: unknown) => !abort.signal.aborted && setState((s) => ({ path, ...(s.path === path && s.data !== undefined ? { data: s.data } : {}), error: errorText(err) })),
    );
    return () => abort.abort();
  }, [path, tick]);

  useEffect(() => {
    if (!everyMs) return undefined;
    const timer = setInterval(() => {
      if (document.visibilityState === "visible") reload();
    }, everyMs);
    return () => clearInterval(timer);
  }, [everyMs, reload]);

  // Data of an earlier path is not shown under a new one.
  return state.path === path ? { data: state.data, error: state.error, reload } : { reload };
}
