/**
 * normalize() over every example payload GitHub's webhook catalogue ships
 * (@octokit/webhooks-examples, api.github.com plus every GHES version).
 */
import { describe, expect, it } from "vitest";
import { normalize, ROUTED_EVENTS } from "../../src/events/normalize.js";
import { CATALOGUES, loadCatalogue } from "./events-fixtures.js";

function action(payload: unknown): string | undefined {
  const a = (payload as { action?: unknown }).action;
  return typeof a === "string" ? a : undefined;
}

/** Actions we route, per event; other actions must be ignored with a reason naming them. */
const ROUTED: Record<string, string[] | "all"> = {
  issues: ["opened", "labeled", "assigned"],
  issue_comment: ["created"],
  pull_request: ["opened", "synchronize", "labeled", "closed"],
  pull_request_review: ["submitted"],
  pull_request_review_comment: ["created"],
  workflow_dispatch: "all",
  schedule: "all",
  push: "all",
};

describe.each(CATALOGUES)("webhook examples (%s)", (catalogue) => {
  const defs = loadCatalogue(catalogue);

  it("has examples", () => {
    const count = defs.reduce((n, d) => n + d.examples.length, 0);
    // The public catalogue is the big one (329 examples in 7.6.1); GHES ones are smaller.
    expect(count).toBeGreaterThan(catalogue === "api.github.com" ? 300 : 40);
  });

  it("routes the events gitcrew handles and ignores the rest, never throwing", () => {
    let routed = 0;
    let ignoredCount = 0;
    for (const def of defs) {
      for (const [i, payload] of def.examples.entries()) {
        const where = `${catalogue} ${def.name}[${i}] ${action(payload) ?? ""}`;
        const result = normalize(def.name, payload, { deliveryId: "d-1" });
        const want = ROUTED[def.name];
        if (!want) {
          expect(result, where).toEqual({ ok: false, ignored: expect.stringContaining(`"${def.name}"`) });
          ignoredCount++;
          continue;
        }
        if (result.ok) {
          routed++;
          const t = result.trigger;
          expect(t.event, where).toBe(def.name);
          expect(t.deliveryId, where).toBe("d-1");
          expect(t.repo.fullName, where).toMatch(/^[^/]+\/[^/]+$/);
          expect(t.actor.login, where).not.toBe("");
          if (want !== "all") expect(want, where).toContain(t.action);
        } else {
          ignoredCount++;
          // Only unhandled actions, or pushes that are not to the default branch.
          if (want === "all") expect(def.name, where).toBe("push");
          else expect(want, where).not.toContain(action(payload));
          expect(result.ignored, where).toMatch(def.name === "push" ? /^push: / : new RegExp(`^${def.name}\\.`));
        }
      }
    }
    expect(routed).toBeGreaterThan(0);
    expect(ignoredCount).toBeGreaterThan(0);
  });

  it("routes every example of a handled action", () => {
    for (const def of defs) {
      const want = ROUTED[def.name];
      if (!Array.isArray(want)) continue;
      for (const payload of def.examples) {
        const a = action(payload);
        if (a && want.includes(a)) expect(normalize(def.name, payload).ok, `${def.name}.${a}`).toBe(true);
      }
    }
  });
});

it("every routed event has an expectation here", () => {
  expect([...ROUTED_EVENTS].sort()).toEqual(Object.keys(ROUTED).sort());
});
