/** Queue, approvals, crew and health: each one JSON route, read again while the page is open. */
import { useState } from "preact/hooks";
import type { Approval, CrewRepo, Health, QueueView } from "../types.js";
import { useData } from "../use-data.js";
import { ApprovalsTable } from "../views/approvals.js";
import { Alert, Loading } from "../views/common.js";
import { CrewView } from "../views/crew.js";
import { HealthView } from "../views/health.js";
import { QueueTable } from "../views/queue.js";

export function QueuePage(props: { now: number }) {
  const q = useData<QueueView>("/api/queue", 3000);
  return (
    <>
      <h1>Queue</h1>
      <Alert message={q.error} />
      {q.data ? <QueueTable view={q.data} now={props.now} /> : q.error ? null : <Loading />}
    </>
  );
}

export function ApprovalsPage(props: { webUrl?: string | undefined; now: number }) {
  const [all, setAll] = useState(false);
  const a = useData<{ approvals: Approval[] }>(`/api/approvals?state=${all ? "all" : "open"}`, 10_000);
  return (
    <>
      <h1>Approvals</h1>
      <p class="filters">
        <label>
          <input type="checkbox" checked={all} onChange={(e) => setAll(e.currentTarget.checked)} /> show decided requests too
        </label>
      </p>
      <Alert message={a.error} />
      {a.data ? <ApprovalsTable approvals={a.data.approvals} webUrl={props.webUrl} now={props.now} testId="approvals" /> : a.error ? null : <Loading />}
    </>
  );
}

export function CrewPage() {
  const c = useData<CrewRepo & { repos?: CrewRepo[] }>("/api/crew", 30_000);
  const repos = c.data ? (c.data.repos ?? [c.data]) : [];
  return (
    <>
      <h1>Crew</h1>
      <Alert message={c.error} />
      {c.data ? <CrewView repos={repos} /> : c.error ? null : <Loading />}
    </>
  );
}

export function HealthPage(props: { now: number }) {
  const h = useData<Health>("/api/health", 10_000);
  return (
    <>
      <h1>Health</h1>
      <Alert message={h.error} />
      {h.data ? <HealthView health={h.data} now={props.now} /> : h.error ? null : <Loading />}
    </>
  );
}
