import { createRequire as __gitcrewCreateRequire } from "node:module";
const require = __gitcrewCreateRequire(import.meta.url);
import {
  GitHubError,
  neutralizeAgentText,
  originMarker,
  renderFinal
} from "./action-chunk-MCDGM2AY.js";
import {
  EnvironmentError,
  GitcrewError,
  errorMessage
} from "./action-chunk-NBJIPBID.js";

// src/pipeline/failure-answers.ts
var DETAIL_CHARS = 300;
function detailOf(err) {
  const line = errorMessage(err).split("\n").find((l) => l.trim()) ?? "unknown error";
  const flat = line.replace(/\s+/g, " ").trim();
  return flat.length > DETAIL_CHARS ? `${flat.slice(0, DETAIL_CHARS - 1)}\u2026` : flat;
}
function atUtc(ms) {
  return `${new Date(ms).toISOString().slice(11, 19)} UTC`;
}
function planningFailure(caught, retryAt) {
  const err = caught instanceof EnvironmentError && caught.cause instanceof GitHubError ? caught.cause : caught;
  const again = retryAt !== void 0 ? `nothing to do: gitcrew tries again at ${atUtc(retryAt)}` : void 0;
  if (err instanceof GitHubError) {
    return {
      message: `gitcrew could not read what it needs from GitHub to start the run (GitHub answered ${err.status}${err.status >= 500 ? ", a GitHub outage" : ""})`,
      hint: again ?? (err.status >= 500 || err.status === 429 ? "comment again in a few minutes, once GitHub answers" : `${err.hint ?? "check gitcrew's GitHub token or App permissions"}; then comment again`)
    };
  }
  if (err instanceof CrewBroken) return { message: err.message, hint: again ?? err.hint };
  if (err instanceof QueueFailed) return { message: err.message, hint: again ?? "comment again; if it keeps failing, the server's administrator finds the store's error in its log" };
  return {
    message: `gitcrew could not plan this request: ${detailOf(err)}`,
    hint: again ?? (err instanceof GitcrewError && err.hint && !(err instanceof EnvironmentError) ? err.hint : "comment again; if it keeps failing, the server's log says more")
  };
}
var CrewBroken = class extends EnvironmentError {
  constructor(branch, problem) {
    super(`the crew on ${branch} does not load (${problem.length > DETAIL_CHARS ? `${problem.slice(0, DETAIL_CHARS - 1)}\u2026` : problem}); no agent can run until it is fixed`, `run \`npx gitcrew validate\` on ${branch}, fix what it reports, push, then comment again`);
  }
};
var QueueFailed = class extends EnvironmentError {
  constructor(err) {
    super(`gitcrew could not queue the run: its database failed (${detailOf(err)})`);
  }
};
function runFailure(err, retry) {
  const base = err instanceof GitcrewError ? { message: detailOf(err), hint: err.hint } : { message: detailOf(err) };
  const saysRetry = base.hint !== void 0 && RETRY_WORDS.test(base.hint);
  if (retry) return { message: base.message, hint: saysRetry ? base.hint : `nothing to do: gitcrew tries again shortly (attempt ${retry.attempt} of ${retry.of}), in a new comment` };
  return { message: base.message, hint: base.hint && !saysRetry ? base.hint : "comment again to start a new run; if it keeps failing, the server's log says more" };
}
var CANCELLED_BEFORE_START = { message: "cancelled before it started", hint: "comment again to start a new run" };
function lostRunFailure(attempt, of) {
  const message = `the server running this run (attempt ${attempt}) stopped answering, so the run was lost`;
  if (of !== void 0) return { message, hint: `nothing to do: gitcrew tries again shortly (attempt ${attempt + 1} of ${of}), in a new comment` };
  return { message: `${message}; no attempt is left`, hint: "comment again to start a new run; if it keeps happening, the servers' logs say why they stopped" };
}
var RETRY_WORDS = /tried again|tries again|queues the run again/;
function failedRunBody(origin, failure, status = "failed", runUrl) {
  return renderFinal({ agent: origin.agent, status, runUrl, error: failure }, originMarker(origin))[0] ?? "";
}
function couldNotStartBody(agents, failure) {
  const names = agents.map((a) => `**${a}**`).join(", ");
  const said = (text) => neutralizeAgentText(text);
  return [`\u274C ${names} could not start: ${said(failure.message)}.`, failure.hint ? `**What to do:** ${said(failure.hint)}.` : ""].filter(Boolean).join("\n\n");
}
async function rewriteComment(client, repo, issue, ref, body) {
  if (ref) {
    try {
      return await client.updateComment(repo, ref.id, body);
    } catch (err) {
      if (!(err instanceof GitHubError && (err.status === 404 || err.status === 403))) throw err;
    }
  }
  return client.createComment(repo, issue, body);
}

export {
  detailOf,
  atUtc,
  planningFailure,
  CrewBroken,
  QueueFailed,
  runFailure,
  CANCELLED_BEFORE_START,
  lostRunFailure,
  failedRunBody,
  couldNotStartBody,
  rewriteComment
};
