/**
 * Opening approval requests: after a run that called
 * `gitcrew-request-approval`, one pull request per request, adding the
 * request file (and, for instructions, the instruction change itself).
 */
import { fetchDefaultBranch } from "../pipeline/crew-source.js";
import { repoId, type RunJob, type Services } from "../pipeline/types.js";
import type { RunResult } from "../runner/types.js";
import { pushFiles, revParse, showFile } from "./git.js";
import { approvalMarker } from "./markers.js";
import { APPROVAL_LABEL, approvalBranch, approvalId, approvalPath, clip, describeRequest, renderRequest, type ApprovalRequest } from "./request.js";

/** `what` and `reason` of one request, each. */
const REQUEST_TEXT = 8_000;

export async function openApprovalRequests(s: Services, job: RunJob, result: RunResult): Promise<{ number: number; url: string }[]> {
  if (result.approvals.length === 0) return [];
  const t = job.trigger;
  const rid = repoId(t);
  const ref = await fetchDefaultBranch(s.repoDir, t.repo.defaultBranch, s.log);
  const base = await revParse(s.repoDir, ref);
  if (!base) throw new Error(`cannot open approval requests: ${t.repo.defaultBranch} is not in ${s.repoDir}`);
  const out: { number: number; url: string }[] = [];
  for (const [i, asked] of result.approvals.entries()) {
    // Bounded: the request goes into a file, a PR title and body (GitHub caps bodies at 65,536).
    const a = { kind: asked.kind, what: clip(asked.what.trim(), REQUEST_TEXT), reason: clip(asked.reason.trim(), REQUEST_TEXT) };
    const id = approvalId(job.agent.name, result.run, i, a.kind, a.what);
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
    const what = describeRequest(req);
    const branch = approvalBranch(id);
    await pushFiles(s.repoDir, { base, branch, files, message: `Approval request: @${job.agent.name} asks for ${what}`, identity: job.agent.git });
    const where = t.thread ? ` in #${t.thread.number}` : "";
    const body = [
      `@${job.agent.name} asks for **${what}**${where} (run ${result.run}, started by @${t.actor.login}).`,
      "",
      `- kind: \`${a.kind}\``,
      `- what: ${a.what || "(not given)"}`,
      `- why: ${a.reason || "(not given)"}`,
      "",
      `**Merge** this pull request to approve, **close** it to reject. What is merged is what is approved: edit \`${approvalPath(id)}\` first to approve less.`,
      "Only the approvers named in `.gitcrew/crew.cue` count; the requester, the agent and bots never do.",
      "",
      approvalMarker({ id, agent: job.agent.name, thread: t.thread?.number ?? 0, by: t.actor.login }),
    ].join("\n");
    const title = `Approval: @${job.agent.name} asks for ${what.replace(/\s+/g, " ")}`;
    const pr = await s.github.openOrUpdatePullRequest(rid, { head: branch, title: title.length > 200 ? `${title.slice(0, 199)}…` : title, body });
    await s.github.addLabels?.(rid, pr.number, [APPROVAL_LABEL]);
    out.push({ number: pr.number, url: pr.url });
  }
  // The run's tracking comment links these PRs (executeJob), and each PR body names the thread.
  return out;
}
