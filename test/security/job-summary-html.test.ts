/**
 * The Action's job summary is HTML: a refused run's reason quotes a stranger's
 * slash-command arguments, and a failed run's details quote the agent's error.
 * Neither may add markup (a link, an image that loads, a fake table row).
 */
import * as core from "@actions/core";
import { afterEach, describe, expect, it } from "vitest";
import { planSummary, resultSummary } from "../../src/action/summary.js";
import type { Plan } from "../../src/plan/types.js";
import type { RunReport } from "../../src/pipeline/types.js";

const HOSTILE = `<img src="https://evil.example/x.png"></td></tr><tr><td>approved</td>`;

afterEach(() => void core.summary.emptyBuffer());

describe("job summary cells", () => {
  it("escape a stranger's text in a plan's reasons", () => {
    const plan = {
      trigger: { kind: "issue_comment.created", actor: { login: "mallory" }, repo: { fullName: "acme/widgets" }, thread: { number: 7 } },
      runs: [{ agent: "ops", reason: `slash command /deploy ${HOSTILE} by @mallory` }],
      skipped: [],
    } as unknown as Plan;
    const html = planSummary(plan, false).stringify();
    expect(html).not.toContain("<img");
    expect(html).not.toContain("<td>approved</td>");
    expect(html).toContain("&lt;img src=&quot;https://evil.example/x.png&quot;&gt;");
  });

  it("escape the agent's error in a run's details", () => {
    const report = { job: { agent: { name: "dev" } }, status: "failed", approvals: [], comments: [], error: { message: `the agent said ${HOSTILE}\nsecond line` } } as unknown as RunReport;
    const html = resultSummary(core.summary, [report]).stringify();
    expect(html).not.toContain("<img");
    expect(html).toMatch(/<td>the agent said &lt;img [^<]*second line<\/td>/);
  });
});
