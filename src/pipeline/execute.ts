/**
 * One job, end to end on GitHub: 👀 on the comment, a tracking comment kept
 * up to date, a check run on PRs, the agent in its container, its branch
 * pushed and a PR opened (or updated), approval requests, and the final
 * comment with the answer or with what went wrong and what to do.
 */
import { openApprovalRequests } from "../approvals/index.js";
import { neutralizeAgentText } from "../github/agent-text.js";
import { TrackingComment, type TrackingOptions } from "../github/tracking.js";
import type { RunSummary } from "../github/render.js";
import type { CheckConclusion, GitHubClient } from "../github/types.js";
import type { PlannedRun } from "../plan/types.js";
import { newRunId } from "../runner/owner.js";
import type { RunEvent, RunResult } from "../runner/types.js";
import { EnvironmentError, GitcrewError, errorMessage } from "../util/errors.js";
import { fetchForRun, pushBranch } from "./git-remote.js";
import { workflowsHeldBack } from "./pushed-workflows.js";
import { runFailure } from "./failure-answers.js";
import { repoId, type ExecuteOptions, type RunJob, type RunReport, type Services } from "./types.js";
import { seenTarget } from "./seen-target.js";
import type { RepoId } from "../github/types.js";
import { oneLine } from "../util/terminal-text.js";

export { seenTarget } from "./seen-target.js";

const CONCLUSION: Record<RunReport["status"], CheckConclusion> = {
  succeeded: "success",
  failed: "failure",
  timed_out: "timed_out",
  cancelled: "cancelled",
  budget_exceeded: "failure",
  disk_exceeded: "failure",
  awaiting_approval: "action_required",
};

export async function executeJob(s: Services, job: RunJob, opts: ExecuteOptions = {}): Promise<RunReport> {
  const { trigger: t, agent } = job;
  const repo = repoId(t);
  const thread = t.thread;
  // An approval's follow-up runs under its claim's run id: its tracking comment records that it started.
  const runId = opts.runId ?? job.followUp?.runId ?? newRunId();
  const planned = withRunBranch(job.planned, runId);
  const started = Date.now();
  const report: RunReport = { job, runId, status: "failed", approvals: [], comments: [] };
  const warn = (message: string) => s.log(`warning: ${message}`);
  // Comments and the PR speak with the agent's own (narrowed) token; check runs
  // need `checks: write`, which only the crew's token is sure to have.
  const github = s.clientFor ? await s.clientFor(agent) : s.github;

  // GitHub's round trips are not on the way to the container: 👀 (unless the server reacted when it
  // queued the run: job.early), the tracking comment ("working": posted, or the queued one edited after any
  // queue-position edit in flight) and the check run go out while the run starts.
  const seen = seenTarget(t);
  const reacted = seen && !job.early?.seen ? github.react(repo, seen, "eyes").catch((e) => warn(`no 👀 reaction: ${errorMessage(e)}`)) : undefined;
  const trackingOptions = thread ? trackingOptionsFor(s, job, runId, github, warn) : undefined;
  const early = job.early?.tracking;
  const tracking: Promise<TrackingComment | undefined> = trackingOptions
    ? (opts.commentSettled ?? Promise.resolve()).then(() => (early ? TrackingComment.adopt(trackingOptions, early) : TrackingComment.start(trackingOptions)))
    : Promise.resolve(undefined);
  // A tracking comment GitHub refuses stops the run and fails the job as before (the server retries a temporary failure).
  const halt = new AbortController();
  let trackingFailed: { error: unknown } | undefined;
  tracking.catch((error: unknown) => {
    trackingFailed = { error };
    halt.abort(error);
  });
  const onStop = () => halt.abort(opts.signal?.reason);
  opts.signal?.addEventListener("abort", onStop, { once: true });
  if (opts.signal?.aborted) onStop();
  const headSha = thread?.pr?.headSha;
  const checkRun = headSha
    ? s.github
        .createCheckRun(repo, { name: `gitcrew / ${agent.name}`, headSha, status: "in_progress", externalId: runId, detailsUrl: s.runUrl })
        .catch((e) => void warn(`no check run: ${errorMessage(e)}`))
    : undefined;

  let result: RunResult | undefined;
  try {
    throwIfStopped(opts.signal);
    const missing = planned.container.secrets.filter((name) => !s.env[name]);
    if (missing.length) {
      throw new GitcrewError(
        `secret${missing.length > 1 ? "s" : ""} ${missing.join(", ")} declared by ${agent.name} ${missing.length > 1 ? "are" : "is"} not set on the runner`,
        1,
        `add ${missing.map((m) => `${m}: \${{ secrets.${m} }}`).join(", ")} to the workflow's env (or the server's environment), or remove it from the agent's secrets`,
      );
    }
    const pr = thread?.pr;
    // Only a run on the gateway network can reach GitHub's route; the runner drops it for an agent whose permissions grant nothing.
    // Its token is minted while git asks origin for the branch (two round trips at once, not one after the other).
    const insideToken = planned.container.network === "gateway" && s.githubFor ? s.githubFor(agent).catch((e: unknown) => void warn(`no GitHub inside the run: ${errorMessage(e)}`)) : undefined;
    // Origin is asked for the run's start while the runner creates the container (the worktree waits for it).
    const start = fetchForRun(s.repoDir, planned, pr);
    start.catch(() => undefined); // the runner's, or awaited below
    const observer = {
      onEvent(ev: RunEvent) {
        if (ev.type === "status") void tracking.then((c) => c?.progress(ev.text), () => undefined);
        opts.observer?.onEvent(ev);
      },
    };
    throwIfStopped(opts.signal);
    if (trackingFailed) throw trackingFailed.error;
    const inside = await insideToken;
    result = await s.runner.run({ planned, startRef: start, agent, repoDir: s.repoDir, repo: t.repo.fullName, runId, signal: halt.signal, observer, ...(inside ? { github: inside } : {}) });
    // Nothing of a run whose tracking comment failed is pushed or opened.
    await tracking;
    report.result = result;
    report.status = result.status;
    if (result.status !== "succeeded" && result.reason) report.error = { message: result.reason, hint: hintFor(result) };
    // A branch that would bring workflow files from elsewhere (an approved fork head's) is not pushed (pushed-workflows.ts).
    const foreign = agent.permissions.contents === "write" ? await workflowsHeldBack(s.repoDir, agent, result, t.repo.defaultBranch, pr) : undefined;
    if (foreign) report.error ??= foreign;
    if (result.held?.length) report.error ??= heldBack(agent.name, result.held);
    // Stopped from outside (the Action's job cancelled or timed out): the caller's reason says why and what to do.
    const stop: unknown = opts.signal?.aborted ? opts.signal.reason : undefined;
    if (result.status === "cancelled" && stop instanceof GitcrewError) {
      const said = (result.notStarted && beforeStartOf(stop)) || stop;
      report.error = { message: said.message, hint: said.hint };
    }
    const withheld = result.branch && result.commit ? (withheldBy(agent, thread?.pr?.headRef === result.branch) ?? foreign) : undefined;
    if (withheld) report.error ??= withheld;
    else if (result.branch && result.commit) {
      await pushBranch(s.repoDir, result.branch);
      const ownPr = thread?.pr && thread.pr.headRef === result.branch ? thread : undefined;
      if (ownPr) report.pullRequest = { number: ownPr.number, url: ownPr.url, created: false };
      else if (result.status === "succeeded" && agent.permissions.pull_requests === "write") {
        report.pullRequest = await github.openOrUpdatePullRequest(repo, {
          head: result.branch,
          // Work on someone's PR is proposed to that PR's branch, not to the default branch.
          base: (await start) !== planned.ref ? pr?.headRef : undefined,
          title: `${agent.name}: ${thread ? thread.title : firstLine(planned.prompt)}`,
          body: prBody(job, result, s.runUrl),
          closes: thread?.kind === "issue" ? thread.number : undefined,
        });
      }
    }
    if (result.approvals.length) {
      report.approvals = await openApprovalRequests(s, job, result);
      if (report.approvals.length && result.status === "succeeded") report.status = "awaiting_approval";
    }
  } catch (err) {
    if (trackingFailed) {
      opts.signal?.removeEventListener("abort", onStop);
      await reacted;
      await settleCheckRun(s, repo, (await checkRun) ?? undefined, agent.name, errorMessage(trackingFailed.error));
      throw trackingFailed.error;
    }
    report.status = err instanceof StoppedBeforeStart ? "cancelled" : "failed";
    report.infrastructure = err instanceof EnvironmentError;
    report.error = { message: errorMessage(err), hint: err instanceof GitcrewError ? err.hint : undefined };
    // The machine failed on the server: the comment says whether another attempt follows.
    const a = opts.attempt;
    if (report.infrastructure && a) report.error = runFailure(err, a.n < a.of ? { attempt: a.n + 1, of: a.of } : undefined);
  }

  const summary: RunSummary = {
    agent: agent.name,
    status: report.status,
    answer: result?.answer,
    changedFiles: result?.changedFiles,
    branch: result?.branch ? { name: result.branch, url: branchUrl(s, t.repo.fullName, result.branch) } : undefined,
    pullRequest: report.pullRequest,
    durationMs: Date.now() - started,
    usage: result?.usage,
    gateway: result?.gateway,
    sessionId: result?.sessionId,
    approvals: report.approvals,
    error: report.error,
  };
  opts.signal?.removeEventListener("abort", onStop);
  const check = await checkRun;
  if (check) report.checkRunId = check.id;
  await reacted;
  const comment = await tracking.catch(async (err: unknown) => {
    await settleCheckRun(s, repo, check ?? undefined, agent.name, errorMessage(err));
    throw err;
  });
  if (comment) {
    const done = comment;
    const refs = await done.finish(summary).catch((e) => {
      // GitHub down (after the client's retries): the server writes it again later; the Action's log says it.
      if (s.answerLater) s.answerLater(`the final comment of run ${runId}`, e, { repo: t.repo.fullName, issue: t.thread?.number ?? 0, edit: done.comment.id, bodies: done.finalBodies(summary), permissions: agent.permissions });
      else warn(`could not finish the tracking comment: ${errorMessage(e)}`);
      return [];
    });
    report.comments = refs.map((r) => r.url);
  }
  if (report.checkRunId !== undefined) {
    await s.github
      .updateCheckRun(repo, report.checkRunId, {
        status: "completed",
        conclusion: CONCLUSION[report.status],
        output: { title: `${agent.name}: ${report.status.replace("_", " ")}`, summary: (report.error ? report.error.message : result?.answer ?? "").slice(0, 60_000) || "done" },
      })
      .catch((e) => warn(`could not complete the check run: ${errorMessage(e)}`));
  }
  return report;
}

/** A check run opened for a job that then failed on its tracking comment (the job is tried again): completed as failed. */
async function settleCheckRun(s: Services, repo: RepoId, check: { id: number } | undefined, agent: string, why: string): Promise<void> {
  if (!check) return;
  await s.github
    .updateCheckRun(repo, check.id, { status: "completed", conclusion: "failure", output: { title: `${agent}: failed`, summary: `the tracking comment could not be written: ${why}`.slice(0, 60_000) } })
    .catch(() => undefined);
}

/** The tracking comment of one run of `job` in its thread (the trigger has one). */
export function trackingOptionsFor(s: Services, job: Pick<RunJob, "trigger" | "agent">, runId: string, github: GitHubClient, warn: (message: string) => void): TrackingOptions {
  const t = job.trigger;
  return {
    client: github,
    repo: repoId(t),
    issueNumber: t.thread?.number ?? 0,
    // `by`: who asked, so that their own approving review of this work does not count (approvals/review.ts).
    origin: { agent: job.agent.name, runId, depth: (t.origin?.depth ?? -1) + 1, by: t.actor.login },
    runUrl: s.runUrl,
    minIntervalMs: s.progressIntervalMs,
    onError: warn,
  };
}

/**
 * gitcrew holds itself to the agent's declared `permissions` whatever token it
 * has (GITHUB_TOKEN cannot be narrowed): no push without `contents: write`.
 * The commits stay on the runner's branch; the answer is still posted.
 */
function withheldBy(agent: RunJob["agent"], onOwnPr: boolean): RunReport["error"] {
  if (agent.permissions.contents === "write") return undefined;
  return {
    message: `${agent.name}'s commits were not pushed${onOwnPr ? "" : " and no pull request was opened"}: its permissions give \`contents: ${agent.permissions.contents ?? "none"}\``,
    hint: `give ${agent.name} \`permissions: contents: write\` in its definition if it should push its work`,
  };
}

/** The agent's changes to workflows, left out of its commit (runner/commit-worktree.ts workflowPath). */
function heldBack(agent: string, held: string[]): NonNullable<RunReport["error"]> {
  // The agent named these files: each stays inline code on one line (no line break or backtick of the name ends it).
  const listed = held.slice(0, 10).map((p) => `\`${oneLine(p).replace(/`/g, "'")}\``).join(", ") + (held.length > 10 ? ` and ${held.length - 10} more` : "");
  return {
    message: `${agent}'s changes to ${listed} were not committed: workflows run with the repository's secrets, and its permissions give no \`workflows: write\``,
    hint: `give ${agent} \`permissions: workflows: write\` in its definition if it should change workflows (its pushes then start them), or make the change yourself`,
  };
}

/** Runs outside a thread (schedule, dispatch) get their branch named after the run: `gitcrew/<agent>/<run>`. */
function withRunBranch(planned: PlannedRun, runId: string): PlannedRun {
  if (!planned.branch.includes("{run}")) return planned;
  const branch = planned.branch.replaceAll("{run}", runId);
  // The branch is named in the prompt and wherever the container carries it.
  return JSON.parse(JSON.stringify(planned).replaceAll(planned.branch, branch)) as PlannedRun;
}

/** The job was stopped (cancelled, timed out) before the agent's container started. */
class StoppedBeforeStart extends GitcrewError {}

/** The stop's own words for a run whose container never started (the Action's StoppedBySignal has them). */
function beforeStartOf(reason: unknown): GitcrewError | undefined {
  return reason instanceof GitcrewError && "beforeStart" in reason && typeof reason.beforeStart === "function" ? (reason.beforeStart as () => GitcrewError)() : undefined;
}

/** The stop's reason may say it in its own words (the Action's StoppedBySignal does). */
function throwIfStopped(signal: AbortSignal | undefined): void {
  if (!signal?.aborted) return;
  const reason: unknown = signal.reason;
  const own = beforeStartOf(reason);
  throw new StoppedBeforeStart(
    own?.message ?? `the run was stopped before the agent's container started${reason instanceof Error ? ` (${reason.message})` : ""}`,
    1,
    own?.hint ?? "comment again to start a new run",
  );
}

function hintFor(r: RunResult): string | undefined {
  if (r.status === "timed_out") return "raise `limits.timeout` for this agent (within the crew's ceiling), or ask for a smaller step";
  if (r.status === "cancelled") return "comment again to start a new run";
  if (r.status === "budget_exceeded") return "raise the cap named above (limits.budget in agent.cue, budgets in crew.cue), then comment again";
  if (r.status === "disk_exceeded") return "raise `limits.disk` for this agent (within crew.cue's `ceilings.disk`), or ask for work that writes less, then comment again";
  return "read the agent's log in the workflow run; comment again to retry";
}

function branchUrl(s: Services, fullName: string, branch: string): string {
  return `${(s.serverUrl ?? "https://github.com").replace(/\/$/, "")}/${fullName}/tree/${branch.split("/").map(encodeURIComponent).join("/")}`;
}

function firstLine(text: string): string {
  const line = text.trim().split("\n")[0] ?? "";
  return line.length > 60 ? `${line.slice(0, 57)}...` : line;
}

function prBody(job: RunJob, r: RunResult, runUrl?: string): string {
  const t = job.trigger;
  const from = t.thread ? `Requested by @${t.actor.login} in #${t.thread.number}.` : `Started by ${t.event}.`;
  const answer = neutralizeAgentText(r.answer).trim();
  const clipped = answer.length > 20_000 ? `${answer.slice(0, 20_000)}\n\n[… answer cut]` : answer;
  return [from, clipped, runUrl ? `[Workflow run](${runUrl})` : ""].filter(Boolean).join("\n\n");
}
