/** The runs table and its filters (data in, elements out). */
import { useEffect, useState } from "preact/hooks";
import { duration, runDuration, tokens, usd } from "../format.js";
import { runHash, type RunFilters } from "../route.js";
import { RUN_STATUSES, type RunRow } from "../types.js";
import { Empty, External, Status } from "./common.js";

export function RunsTable(props: { runs: RunRow[]; now: number; webUrl?: string | undefined }) {
  return (
    <table data-testid="runs">
      <thead>
        <tr>
          <th>Agent</th>
          <th>Status</th>
          <th>Repository</th>
          <th>Thread</th>
          <th>Trigger</th>
          <th class="num">Duration</th>
          <th class="num">Tokens</th>
          <th class="num">Cost</th>
          <th>Branch / PR</th>
        </tr>
      </thead>
      <tbody>
        {props.runs.length === 0 ? <Empty columns={9} text="No runs match." /> : props.runs.map((run) => <RunRowView key={run.id} run={run} now={props.now} webUrl={props.webUrl} />)}
      </tbody>
    </table>
  );
}

function RunRowView({ run, now, webUrl }: { run: RunRow; now: number; webUrl?: string | undefined }) {
  return (
    <tr data-run-id={run.id}>
      <td>
        <a href={runHash(run.id)}>{run.agent}</a>
      </td>
      <td>
        <Status status={run.status} />
      </td>
      <td>{run.repo}</td>
      <td>{run.threadKey}</td>
      <td>
        {run.trigger?.actor || run.trigger?.event ? (
          <External href={run.trigger?.url} webUrl={webUrl}>
            {[run.trigger?.actor, run.trigger?.event].filter(Boolean).join(" · ")}
          </External>
        ) : null}
      </td>
      <td class="num">{duration(runDuration(run, now))}</td>
      <td class="num">{tokens(run.cost)}</td>
      <td class="num">{usd(run.cost)}</td>
      <td>
        {run.branch ? <code>{run.branch}</code> : null}
        {run.pullRequest && run.pullRequest.number > 0 ? (
          <>
            {run.branch ? " " : null}
            <External href={run.pullRequest.url} webUrl={webUrl}>{`#${run.pullRequest.number}`}</External>
          </>
        ) : null}
      </td>
    </tr>
  );
}

export function RunsFilters(props: { filters: RunFilters; agents: string[]; onChange(filters: RunFilters): void }) {
  const { filters, onChange } = props;
  // What is typed stays while the page re-renders (every second); the hash's filters replace it when they change.
  const [thread, setThread] = useState(filters.thread);
  const [repo, setRepo] = useState(filters.repo);
  useEffect(() => setThread(filters.thread), [filters.thread]);
  useEffect(() => setRepo(filters.repo), [filters.repo]);
  const agents = [...new Set([...props.agents, ...(filters.agent ? [filters.agent] : [])])].sort();
  const set = (key: keyof RunFilters) => (e: Event) => onChange({ ...filters, [key]: (e.currentTarget as HTMLInputElement | HTMLSelectElement).value.trim() });
  return (
    <form
      class="filters"
      onSubmit={(e) => {
        e.preventDefault();
        const data = new FormData(e.currentTarget);
        onChange({ agent: String(data.get("agent") ?? ""), status: String(data.get("status") ?? ""), thread: String(data.get("thread") ?? "").trim(), repo: String(data.get("repo") ?? "").trim() });
      }}
    >
      <label>
        Agent
        <select name="agent" value={filters.agent} onChange={set("agent")}>
          <option value="">any</option>
          {agents.map((a) => (
            <option key={a} value={a}>
              {a}
            </option>
          ))}
        </select>
      </label>
      <label>
        Status
        <select name="status" value={filters.status} onChange={set("status")}>
          <option value="">any</option>
          {RUN_STATUSES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </label>
      <label>
        Thread
        <input name="thread" type="search" placeholder="owner/name#12" value={thread} onInput={(e) => setThread(e.currentTarget.value)} onChange={set("thread")} />
      </label>
      <label>
        Repository
        <input name="repo" type="search" placeholder="owner/name" value={repo} onInput={(e) => setRepo(e.currentTarget.value)} onChange={set("repo")} />
      </label>
      <button type="submit">Filter</button>
    </form>
  );
}
