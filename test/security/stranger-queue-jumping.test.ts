/**
 * Attack: GitHub keeps one pending job per concurrency group and cancels the
 * waiting one when another arrives. The template's per-thread group took
 * every comment with an `@` or a `/`: while an agent worked on a thread, any
 * stranger (on a public repository, anyone) could comment `@dev hi` and so
 * cancel, silently, the request a maintainer had queued behind the run; the
 * stranger's own job then ran only to be refused. Repeated, no maintainer
 * request of that thread ever waits its turn.
 *
 * A comment or review by someone who is not a collaborator gets a group of
 * its own; collaborators' comments and reviews, issues and pull requests keep
 * the thread's group. The template's expressions are evaluated with GitHub's
 * own evaluator over real payloads.
 */
import { describe, expect, it } from "vitest";
import { RUN_ID, commentPayload, evaluate, example, readTemplate, threadGroup } from "../support/workflow-template.js";

const group = () => readTemplate().wf.jobs.crew!.concurrency!.group;

function commentBy(association: string, body = "@dev please look at this") {
  const payload = commentPayload(body);
  payload.comment.author_association = association;
  return payload;
}

describe("strangers' comments and the thread's waiting request", () => {
  it.each(["NONE", "FIRST_TIMER", "FIRST_TIME_CONTRIBUTOR", "CONTRIBUTOR", "MANNEQUIN"])("a comment by a %s author never enters the thread's group", (association) => {
    const got = evaluate(group(), "issue_comment", commentBy(association));
    expect(got).not.toBe(threadGroup());
    expect(got).toBe(`${threadGroup()}-${RUN_ID}`);
  });

  it.each(["OWNER", "MEMBER", "COLLABORATOR"])("a comment by a %s waits in the thread's group", (association) => {
    expect(evaluate(group(), "issue_comment", commentBy(association))).toBe(threadGroup());
  });

  it("a review by a stranger gets its own group, a collaborator's review the thread's", () => {
    const review = example("pull_request_review", "submitted");
    const thread = `gitcrew-${review.pull_request.number}`;
    review.review.author_association = "NONE";
    expect(evaluate(group(), "pull_request_review", review)).toBe(`${thread}-${RUN_ID}`);
    review.review.author_association = "MEMBER";
    expect(evaluate(group(), "pull_request_review", review)).toBe(thread);
  });

  it("issues and pull requests keep the thread's group; a lone /cancel keeps its own", () => {
    const issue = example("issues", "opened");
    issue.issue.author_association = "NONE";
    expect(evaluate(group(), "issues", issue)).toBe(`gitcrew-${issue.issue.number}`);
    const pr = example("pull_request", "opened");
    expect(evaluate(group(), "pull_request", pr)).toBe(`gitcrew-${pr.pull_request.number}`);
    expect(evaluate(group(), "issue_comment", commentBy("OWNER", "/cancel"))).toBe(`gitcrew-${RUN_ID}`);
  });
});
