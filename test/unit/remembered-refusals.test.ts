/** A refusal for want of a host firewall is remembered for a while, then asked again (src/runner/remembered-refusals.ts). */
import { describe, expect, it } from "vitest";
import { RememberedRefusals } from "../../src/runner/remembered-refusals.js";
import { EnvironmentError } from "../../src/util/errors.js";

describe("remembered refusals", () => {
  it("refuse again with the same words for 60 s, then let the next run try again", () => {
    let now = 1_000;
    const refusals = new RememberedRefusals(60_000, () => now);
    refusals.check("net");
    const first = refusals.remember("net", new EnvironmentError("gitcrew cannot close the host's own services (why)", "the hint"));
    expect(first.message).toContain("cannot close");
    now += 59_999;
    let again: unknown;
    try {
      refusals.check("net");
    } catch (err) {
      again = err;
    }
    expect(again).toBeInstanceOf(EnvironmentError);
    expect(again).not.toBe(first);
    expect([(again as EnvironmentError).message, (again as EnvironmentError).hint]).toEqual([first.message, first.hint]);
    // Another network (or firewall image) is asked on its own.
    expect(() => refusals.check("other")).not.toThrow();
    now += 1;
    expect(() => refusals.check("net")).not.toThrow();
    // Forgotten once asked again: a second check does not throw either.
    expect(() => refusals.check("net")).not.toThrow();
  });
});
