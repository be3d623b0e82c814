/** One run: its header, actions, plan, prompt, container, log, answer, changed files, approvals (pure). */
import type { Ref } from "preact";
import { duration, isFinished, pretty, runDuration, tokens, usd, when } from "../format.js";
import type { ChangedFile, RunDetail } from "../types.js";
import { Alert, External, Status } from "./common.js";
import { ApprovalsTable } from "./approvals.js";

export interface RunViewProps {
  detail: RunDetail;
  log: string;
  /** What the log section says about itself: live, finished, or why it is not live. */
  logNote: string;
  logRef?: Ref<HTMLPreElement>;
  onLogScroll?: (e: Event) => void;
  now: number;
  webUrl?: string | undefined;
  error?: string | undefined;
  busy?: boolean;
  onCancel(): void;
  onRetry(): void;
}

export function RunView(props: RunViewProps) {
  const { detail, webUrl } = props;
  const run = detail.run;
  return (
    <article class="run">
      <header class="run-head">
        <h1>
          <span class="muted">run</span> <code>{run.id}</code>
        </h1>
        <Status status={run.status} />
        <Actions {...props} />
      </header>
      <Alert message={props.error} />
      <dl class="facts">
        <dt>Agent</dt>
        <dd>{run.agent}</dd>
        <dt>Repository</dt>
        <dd>{run.repo}</dd>
        <dt>Thread</dt>
        <dd>{run.threadKey}</dd>
        {run.trigger && (run.trigger.actor || run.trigger.event) ? (
          <>
            <dt>Trigger</dt>
            <dd>
              <External href={run.trigger.url} webUrl={webUrl}>
                {[run.trigger.actor, run.trigger.event].filter(Boolean).join(" · ") || "open"}
              </External>
            </dd>
          </>
        ) : null}
        <dt>Created</dt>
        <dd>{when(run.createdAt)}</dd>
        <dt>Duration</dt>
        <dd>{duration(runDuration(run, props.now)) || "—"}</dd>
        <dt>Attempt</dt>
        <dd>{run.attempt ?? 1}</dd>
        {run.cost ? (
          <>
            <dt>Tokens / cost</dt>
            <dd>
              {tokens(run.cost)} {usd(run.cost)}
            </dd>
          </>
        ) : null}
        {run.branch ? (
          <>
            <dt>Branch</dt>
            <dd>
              <code>{run.branch}</code>
            </dd>
          </>
        ) : null}
        {run.pullRequest && run.pullRequest.number > 0 ? (
          <>
            <dt>Pull request</dt>
            <dd>
              <External href={run.pullRequest.url} webUrl={webUrl}>{`#${run.pullRequest.number}`}</External>
            </dd>
          </>
        ) : null}
        {run.error ? (
          <>
            <dt>Error</dt>
            <dd class="error-text">{run.error}</dd>
          </>
        ) : null}
      </dl>

      <section>
        <h2>Log</h2>
        <p class="muted small">{props.logNote}</p>
        <pre data-testid="log" class="log" ref={props.logRef} onScroll={props.onLogScroll}>
          {props.log}
        </pre>
      </section>
      <section>
        <h2>Answer</h2>
        {typeof detail.answer === "string" && detail.answer ? <pre class="wrap">{detail.answer}</pre> : <p class="muted">{isFinished(run.status) ? "No answer recorded." : "Not yet."}</p>}
      </section>
      <section>
        <h2>Changed files</h2>
        <ChangedFiles files={detail.changedFiles} />
      </section>
      <section>
        <h2>Approvals</h2>
        {detail.approvals && detail.approvals.length > 0 ? <ApprovalsTable approvals={detail.approvals} webUrl={webUrl} now={props.now} /> : <p class="muted">This run asked for no approval.</p>}
      </section>
      <section>
        <h2>Prompt</h2>
        {typeof detail.prompt === "string" ? <pre class="wrap">{detail.prompt}</pre> : <p class="muted">Not available.</p>}
      </section>
      <section>
        <h2>Plan</h2>
        {detail.plan != null ? <pre class="json">{pretty(detail.plan)}</pre> : <p class="muted">Not available.</p>}
      </section>
      <section>
        <h2>Container</h2>
        {detail.container != null ? <pre class="json">{pretty(detail.container)}</pre> : <p class="muted">Not available.</p>}
      </section>
    </article>
  );
}

function Actions(props: RunViewProps) {
  const run = props.detail.run;
  const reader = props.detail.canAct === false;
  const why = reader ? `You need write access to ${run.repo} to cancel or retry` : undefined;
  const live = run.status === "queued" || run.status === "running";
  const asked = live && run.cancelRequested === true;
  return (
    <div class="actions">
      {live ? (
        <button type="button" class="danger" disabled={reader || props.busy || asked} title={why ?? (asked ? "Cancel requested: the run stops soon" : undefined)} onClick={props.onCancel}>
          Cancel
        </button>
      ) : (
        <button type="button" disabled={reader || props.busy} title={why} onClick={props.onRetry}>
          Retry
        </button>
      )}
    </div>
  );
}

function ChangedFiles({ files }: { files: ChangedFile[] | null | undefined }) {
  if (!files || files.length === 0) return <p class="muted">None recorded.</p>;
  return (
    <ul class="files">
      {files.map((f, i) => {
        const path = typeof f === "string" ? f : f.path;
        const status = typeof f === "string" ? undefined : f.status;
        return (
          <li key={i}>
            {status ? <span class="muted">{status} </span> : null}
            <code>{path}</code>
          </li>
        );
      })}
    </ul>
  );
}
