import { createRequire as __gitcrewCreateRequire } from "node:module";
const require = __gitcrewCreateRequire(import.meta.url);
import {
  BUILTIN_COMMANDS,
  route,
  writtenByGitcrew
} from "./action-chunk-DWK7IPQ7.js";
import {
  couldNotStartBody
} from "./action-chunk-BRZ5CLKQ.js";
import {
  neutralizeAgentText,
  parseRefusalMarkers
} from "./action-chunk-MCDGM2AY.js";
import "./action-chunk-TUGKY3QR.js";
import "./action-chunk-5GAK7XUT.js";
import "./action-chunk-PRAK5QR7.js";
import "./action-chunk-NBJIPBID.js";
import "./action-chunk-DW6V7IS7.js";

// src/pipeline/unplanned-answer.ts
var DEFAULT_PREFIX = "gitcrew";
var LOOKED_AT = 100;
function addressedBy(t, crew, folders) {
  if (t.actor.type === "Bot") return [];
  if (crew) return crew.agents.filter((a) => route(a, t).addressed).map((a) => a.name);
  const named = [...t.mentions, ...t.kind.endsWith(".assigned") && t.assignee ? [t.assignee.toLowerCase()] : []];
  return [...new Set(named)].filter((m) => folders.includes(m.toLowerCase()));
}
function ownCommand(t) {
  return t.commands.find((c) => BUILTIN_COMMANDS.includes(c.name))?.name;
}
function approvingReview(t) {
  return t.kind === "pull_request_review.submitted" && t.reviewState === "approved" && !!t.thread?.pr;
}
function agentPullRequest(t, crew, folders) {
  const head = t.thread?.pr?.headRef ?? "";
  const prefix = `${crew?.config.branch_prefix ?? DEFAULT_PREFIX}/`;
  if (!head.startsWith(prefix)) return false;
  const name = head.slice(prefix.length).split("/")[0] ?? "";
  return crew ? crew.agents.some((a) => a.name === name && a.gated.length > 0) : folders.includes(name.toLowerCase());
}
async function refusedHere(s, t) {
  const thread = t.thread;
  if (!thread) return false;
  try {
    const github = await s.github();
    const ours = await writtenByGitcrew({ github, env: s.env });
    const { comments } = await github.listComments({ owner: t.repo.owner, repo: t.repo.name }, thread.number, { max: LOOKED_AT });
    return comments.some((c) => ours(c) && parseRefusalMarkers(c.body).length > 0);
  } catch {
    return true;
  }
}
function askAgainBy(failure, again) {
  if (!failure.hint) return { ...failure, hint: again };
  const hint = failure.hint.includes("comment again") ? failure.hint.replaceAll("comment again", again) : `${failure.hint}; then ${again}`;
  return { ...failure, hint };
}
function notCarriedOut(what, failure) {
  const said = (text) => neutralizeAgentText(text);
  return [`\u274C ${what} was not carried out: ${said(failure.message)}.`, failure.hint ? `**What to do:** ${said(failure.hint)}.` : ""].filter(Boolean).join("\n\n");
}
async function unplannedAnswerBody(s, t, crew, folders, failure) {
  if (!t.thread || t.actor.type === "Bot") return void 0;
  const names = crew ? [] : await folders();
  const agents = addressedBy(t, crew, names);
  if (agents.length) return couldNotStartBody(agents, failure);
  const command = ownCommand(t);
  if (command) return notCarriedOut(`\`/${command}\``, failure);
  if (approvingReview(t) && (agentPullRequest(t, crew, names) || t.thread.pr?.fork && await refusedHere(s, t))) {
    return notCarriedOut(`The approving review by @${t.actor.login}`, askAgainBy(failure, "approve the pull request again in a new review"));
  }
  return void 0;
}
export {
  addressedBy,
  unplannedAnswerBody
};
