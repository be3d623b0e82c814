import { describe, expect, it } from "vitest";
import { normalize } from "../../src/events/normalize.js";
import { synthesizeComment } from "../../src/events/synthesize.js";
import { UsageError } from "../../src/util/errors.js";

function trigger(opts: Parameters<typeof synthesizeComment>[0]) {
  const { event, payload } = synthesizeComment(opts);
  const result = normalize(event, payload);
  if (!result.ok) throw new Error(result.ignored);
  return result.trigger;
}

describe("synthesizeComment", () => {
  it("makes an issue_comment.created that normalises like a real one", () => {
    const t = trigger({ body: "@Dev fix the flaky test\n/deploy staging" });
    expect(t).toMatchObject({
      event: "issue_comment",
      kind: "issue_comment.created",
      repo: { fullName: "octo-org/octo-repo", defaultBranch: "main" },
      thread: { kind: "issue", number: 1 },
      actor: { login: "octo-org", type: "User", association: "OWNER" },
      mentions: ["dev"],
      commands: [{ name: "deploy", args: "staging" }],
      comment: { kind: "issue" },
      untrusted: [],
    });
  });

  it("puts the comment on a pull request with --pr", () => {
    const t = trigger({ body: "@dev review", pr: 7, repo: "acme/app" });
    expect(t.thread).toMatchObject({ kind: "pull_request", number: 7, url: "https://github.com/acme/app/pull/7" });
  });

  it("uses the author given, with no association unless told, and knows bots", () => {
    expect(trigger({ body: "hi", author: "alice" }).actor).toEqual({ login: "alice", type: "User", association: "NONE" });
    expect(trigger({ body: "hi", author: "alice", association: "member" }).actor.association).toBe("MEMBER");
    expect(trigger({ body: "hi", author: "renovate[bot]" }).actor.type).toBe("Bot");
  });

  it("is reproducible", () => {
    expect(synthesizeComment({ body: "x", issue: 3 })).toEqual(synthesizeComment({ body: "x", issue: 3 }));
  });

  it("rejects bad options with the flag named", () => {
    expect(() => synthesizeComment({ body: "x", issue: 0 })).toThrow(new UsageError("--issue must be a positive integer, got 0"));
    expect(() => synthesizeComment({ body: "x", issue: 2, pr: 3 })).toThrow(/--issue 2 and --pr 3/);
    expect(() => synthesizeComment({ body: "x", author: "not a login" })).toThrow(/--author/);
    expect(() => synthesizeComment({ body: "x", repo: "nope" })).toThrow(/owner\/name/);
  });
});
