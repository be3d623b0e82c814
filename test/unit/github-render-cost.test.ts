/** The cost in the final comment: whole cents, and a run that cost less than a cent does not read as free. */
import { describe, expect, it } from "vitest";
import { renderFinal } from "../../src/github/index.js";

function footerFor(costUsd: number): string {
  const [body = ""] = renderFinal({ agent: "dev", status: "succeeded", answer: "done", usage: { inputTokens: 200, outputTokens: 40, costUsd } }, "<!-- m -->");
  return body.split("\n").find((l) => l.startsWith("<sub>tokens:")) ?? body;
}

describe("the cost line of a final comment", () => {
  it("says 'under $0.01' for a fraction of a cent (Claude Code reports e.g. 0.0012), not $0.00", () => {
    expect(footerFor(0.0012)).toBe("<sub>tokens: 200 in / 40 out · cost: under $0.01</sub>");
  });

  it("keeps whole cents otherwise, and $0.00 for a run that cost nothing", () => {
    expect(footerFor(0.1234)).toBe("<sub>tokens: 200 in / 40 out · cost: $0.12</sub>");
    expect(footerFor(0.005)).toBe("<sub>tokens: 200 in / 40 out · cost: $0.01</sub>");
    expect(footerFor(0)).toBe("<sub>tokens: 200 in / 40 out · cost: $0.00</sub>");
  });
});
