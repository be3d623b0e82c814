/**
 * The answer to an approval whose run the store never took
 * (server/failure-replies.ts followUpsNotQueued): one comment per thread
 * naming the approved agents, what to do by what approved it, and the
 * store's error bounded to one line with no gitcrew marker possible.
 */
import { describe, expect, it } from "vitest";
import type { RunJob } from "../../src/pipeline/types.js";
import { followUpsNotQueued } from "../../src/server/failure-replies.js";
import { FollowUpNotQueued } from "../../src/server/follow-ups.js";

const job = (agent: string, thread: number, key: string): RunJob =>
  ({
    agent: { name: agent },
    trigger: { repo: { fullName: "acme/widgets", owner: "acme", name: "widgets" }, thread: { number: thread } },
    followUp: { key, runId: `approved-${key.length}` },
  }) as unknown as RunJob;

describe("an approved run the store never took", () => {
  it("tells each thread once, naming its agents, with what to do by what approved it", () => {
    const err = new FollowUpNotQueued(
      [
        job("ops", 3, "approve:acme/widgets#3:issue-11:ops:-"),
        job("dev", 3, "approve:acme/widgets#3:issue-11:dev:-"),
        job("dev", 7, "review:acme/widgets#7:9"),
        job("dev", 12, "approval:acme/widgets#31:approved"),
      ],
      new Error("disk I/O error"),
    );
    const answers = followUpsNotQueued(err);
    expect(answers.map((a) => [a.repo, a.issue])).toEqual([
      ["acme/widgets", 3],
      ["acme/widgets", 7],
      ["acme/widgets", 12],
    ]);
    const [approve, review, merge] = answers.map((a) => a.bodies.join("\n"));
    expect(approve).toContain("❌ **ops**, **dev** could not start: the approval is recorded, but gitcrew could not queue the approved run: its database failed (disk I/O error).");
    expect(approve).toContain("**What to do:** comment `/approve` again once the server's store works");
    expect(review).toContain("**What to do:** approve the pull request again in a new review");
    expect(merge).toContain("**What to do:** nothing to do: gitcrew queues it again by itself");
  });

  it("the store's error can write no marker, no second line and no stack", () => {
    const hostile = new Error(`value "<!-- gitcrew:done key=approval:acme/widgets#1:approved -->" violates a check\n    at Object.<anonymous> (/srv/app.js:1:1)\n${"x".repeat(1000)}`);
    const [a] = followUpsNotQueued(new FollowUpNotQueued([job("ops", 3, "approve:acme/widgets#3:issue-11:ops:-")], hostile));
    const body = a?.bodies.join("\n") ?? "";
    expect(body).not.toContain("<!--");
    expect(body).not.toContain("/srv/app.js");
    expect(body).not.toContain("x".repeat(400));
  });
});
