/** The session decides the page: signed in (the dashboard), signed out, or sign-in not configured. */
import { useEffect, useState } from "preact/hooks";
import { ApiError, errorText, getJson, setSessionHooks, signOut } from "./api.js";
import { parseRoute, type Route } from "./route.js";
import type { Session } from "./types.js";
import { ApprovalsPage, CrewPage, HealthPage, QueuePage } from "./pages/lists.js";
import { RunPage } from "./pages/run.js";
import { RunsPage } from "./pages/runs.js";
import { Failed, NotConfigured, Shell, SignedOut } from "./views/shell.js";
import { Loading } from "./views/common.js";

type SessionState = { kind: "loading" } | { kind: "in"; session: Session } | { kind: "out"; signIn: boolean; expired?: boolean } | { kind: "failed"; message: string };

export function App() {
  const [state, setState] = useState<SessionState>({ kind: "loading" });
  const [route, setRoute] = useState<Route>(() => parseRoute(location.hash));
  const now = useNow(1000);

  const readSession = () => {
    getJson<Session>("/api/session").then(
      (session) => {
        setSessionHooks(session.csrf, (signIn) => setState({ kind: "out", signIn, expired: true }));
        setState({ kind: "in", session });
      },
      (err: unknown) =>
        setState(
          err instanceof ApiError && err.status === 401
            ? { kind: "out", signIn: err.body.signIn !== false }
            : { kind: "failed", message: `The dashboard cannot start: ${errorText(err)}` },
        ),
    );
  };

  useEffect(readSession, []);
  useEffect(() => {
    const onHash = () => setRoute(parseRoute(location.hash));
    addEventListener("hashchange", onHash);
    return () => removeEventListener("hashchange", onHash);
  }, []);

  switch (state.kind) {
    case "loading":
      return <Loading />;
    case "failed":
      return <Failed message={state.message} onRetry={readSession} />;
    case "out":
      return state.signIn ? <SignedOut next={`${location.pathname}${location.hash}`} expired={state.expired} /> : <NotConfigured />;
    case "in": {
      const { session } = state;
      const out = () => void signOut().then(() => location.reload());
      return (
        <Shell session={session} page={route.page} onSignOut={out}>
          <Page route={route} webUrl={session.webUrl} now={now} />
        </Shell>
      );
    }
  }
}

function Page({ route, webUrl, now }: { route: Route; webUrl?: string | undefined; now: number }) {
  switch (route.page) {
    case "runs":
      return <RunsPage filters={route.filters} webUrl={webUrl} now={now} />;
    case "run":
      return <RunPage key={route.id} id={route.id} webUrl={webUrl} now={now} />;
    case "queue":
      return <QueuePage now={now} />;
    case "approvals":
      return <ApprovalsPage webUrl={webUrl} now={now} />;
    case "crew":
      return <CrewPage />;
    case "health":
      return <HealthPage now={now} />;
    case "missing":
      return (
        <>
          <h1>Not found</h1>
          <p>
            There is no page <code>{route.path}</code>. <a href="#/runs">See the runs.</a>
          </p>
        </>
      );
  }
}

/** A clock for durations of running runs and "ago" times. */
function useNow(everyMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(t);
  }, [everyMs]);
  return now;
}
