/**
 * Opening approval requests: after a run that called
 * `gitcrew-request-approval`, one pull request per request, adding the
 * request file and the change that merging approves: the instruction text,
 * the secret or the permission in the agent's definition. An `action`
 * request that names no gated action of the crew is refused instead.
 */
import { loadCrew } from "../crew/load.js";
import { reservedSecretReason } from "../crew/secret-names.js";
import { snapshotFromGit } from "../crew/snapshot.js";
import { fetchDefaultBranch } from "../pipeline/crew-source.js";
import { repoId, type RunJob, type Services } from "../pipeline/types.js";
import type { RunResult } from "../runner/types.js";
import { neutralizeAgentText } from "../github/agent-text.js";
import { claimReply } from "./claim.js";
import { definitionChange, type BaseCrew } from "./definition-change.js";
import { gatedActionOf, refusedActionReply } from "./gated-actions.js";
import { pushFiles, revParse, showFile } from "./git.js";
import { approvalMarker } from "../github/marker.js";
import { APPROVAL_LABEL, approvalBranch, approvalId, approvalPath, clip, describeRequest, renderRequest, type ApprovalRequest } from "./request.js";

/** An approval PR opened (or updated) for one request; `kind` and `reason` as asked (bounded), for the dashboard. */
export interface OpenedRequest {
  number: number;
  url: string;
  kind: string;
  reason: string;
}

/** `what` and `reason` of one request, each. */
const REQUEST_TEXT = 8_000;
/** Requests one run may open: each is a branch, a pull request and comments in gitcrew's name (its rate limit, its account). */
export const MAX_REQUESTS_PER_RUN = 5;

export async function openApprovalRequests(s: Services, job: RunJob, result: RunResult): Promise<OpenedRequest[]> {
  if (result.approvals.length === 0) return [];
  const t = job.trigger;
  const rid = repoId(t);
  const ref = await fetchDefaultBranch(s.repoDir, t.repo.defaultBranch, s.log);
  const base = await revParse(s.repoDir, ref);
  if (!base) throw new Error(`cannot open approval requests: ${t.repo.defaultBranch} is not in ${s.repoDir}`);
  const crewAtBase = await baseCrew(s, base);
  const out: OpenedRequest[] = [];
  const over = result.approvals.length - MAX_REQUESTS_PER_RUN;
  if (over > 0) {
    s.log(`approval requests of run ${result.run}: ${result.approvals.length} asked, the first ${MAX_REQUESTS_PER_RUN} opened`);
    if (t.thread)
      await claimReply(s, rid, t.thread.number, `approval-cap:${t.repo.fullName}:${result.run}`, `@${job.agent.name} asked for ${result.approvals.length} approvals in one run; gitcrew opens at most ${MAX_REQUESTS_PER_RUN} per run, so the other ${over} were not opened.`);
  }
  for (const [i, asked] of result.approvals.slice(0, MAX_REQUESTS_PER_RUN).entries()) {
    // Bounded: the request goes into a file, a PR title and body (GitHub caps bodies at 65,536).
    const a = { kind: asked.kind, what: clip(asked.what.trim(), REQUEST_TEXT), reason: clip(asked.reason.trim(), REQUEST_TEXT) };
    const id = approvalId(job.agent.name, result.run, i, a.kind, a.what);
    if (a.kind === "action") {
      const gated = crewAtBase.crew?.config.gated_actions ?? [];
      if (!gatedActionOf(a.what, gated)) {
        s.log(`approval request ${id} refused: "${a.what.slice(0, 80)}" is not a gated action`);
        if (t.thread) await claimReply(s, rid, t.thread.number, `approval-refused:${t.repo.fullName}:${id}`, refusedActionReply(job.agent.name, neutralizeAgentText(a.what), gated, crewAtBase.crew ? undefined : crewAtBase.why));
        continue;
      }
    }
    const reserved = a.kind === "secret" ? reservedSecretReason(a.what) : undefined; // names only of [A-Za-z0-9_]: safe to quote
    if (reserved) {
      // The runner's own credentials are never an agent's secret, approved or not: no PR is opened.
      s.log(`approval request ${id} refused: ${reserved}`);
      if (t.thread) await claimReply(s, rid, t.thread.number, `approval-refused:${t.repo.fullName}:${id}`, `@${job.agent.name} asked for a secret gitcrew does not give to agents: ${reserved}. No approval request was opened.`);
      continue;
    }
    const req: ApprovalRequest = {
      id,
      kind: a.kind,
      what: a.what,
      reason: a.reason,
      agent: job.agent.name,
      requested_by: t.actor.login,
      run: result.run,
      repo: t.repo.fullName,
      thread: t.thread?.number ?? 0,
      ...(t.thread?.url ? { thread_url: t.thread.url } : {}),
      requested_at: result.finishedAt || new Date().toISOString(),
    };
    const files: Record<string, string> = { [approvalPath(id)]: renderRequest(req) };
    if (a.kind === "instructions" && a.what.trim()) {
      // An instruction change is the change itself: merging it changes the agent.
      const path = `${job.agent.dir}/instructions.md`;
      const current = (await showFile(s.repoDir, base, path)) ?? "";
      files[path] = `${current.trimEnd()}\n\n${a.what.trim()}\n`;
    }
    // A secret or permission is written into the definition too: merging is what gives it to the agent.
    const change = await definitionChange(crewAtBase, job.agent.name, a.kind, a.what, s.env);
    if (change.edited) files[change.file] = change.text;
    const what = neutralizeAgentText(describeRequest(req));
    const branch = approvalBranch(id);
    await pushFiles(s.repoDir, { base, branch, files, message: `Approval request: @${job.agent.name} asks for ${what}`, identity: job.agent.git });
    const where = t.thread ? ` in #${t.thread.number}` : "";
    const body = [
      `@${job.agent.name} asks for **${what}**${where} (run ${result.run}, started by @${t.actor.login}).`,
      "",
      `- kind: \`${a.kind}\``,
      // The agent's words, neutralised: they can never write a gitcrew marker (agent-text.ts).
      `- what: ${neutralizeAgentText(a.what) || "(not given)"}`,
      `- why: ${neutralizeAgentText(a.reason) || "(not given)"}`,
      "",
      ...(change.said ? [change.said, ""] : []),
      `**Merge** this pull request to approve, **close** it to reject. What is merged is what is approved: edit \`${approvalPath(id)}\`${change.edited ? ` and \`${change.file}\`` : ""} first to approve less.`,
      "Only the approvers named in `.gitcrew/crew.cue` count; the requester, the agent and bots never do.",
      "",
      approvalMarker({ id, agent: job.agent.name, thread: t.thread?.number ?? 0, by: t.actor.login }),
    ].join("\n");
    const title = `Approval: @${job.agent.name} asks for ${what.replace(/\s+/g, " ")}`;
    const pr = await s.github.openOrUpdatePullRequest(rid, { head: branch, title: title.length > 200 ? `${title.slice(0, 199)}…` : title, body });
    await s.github.addLabels?.(rid, pr.number, [APPROVAL_LABEL]);
    out.push({ number: pr.number, url: pr.url, kind: a.kind, reason: a.reason });
  }
  // The run's tracking comment links these PRs (executeJob), and each PR body names the thread.
  return out;
}

/** The crew where the requests branch off; a crew that does not load opens requests without definition edits. */
async function baseCrew(s: Services, base: string): Promise<BaseCrew> {
  const snapshot = await snapshotFromGit(s.repoDir, base);
  const r = await loadCrew(snapshot, s.env);
  const first = r.errors[0];
  return { snapshot, crew: r.crew, ...(first ? { why: `${first.file}:${first.line}: ${first.message}` } : {}) };
}
