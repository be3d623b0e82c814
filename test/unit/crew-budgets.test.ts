/** crew.cue `budgets` and `prices`: resolved into the crew's config, bad values refused at their line. */
import { describe, expect, it } from "vitest";
import { sharedCaps } from "../../src/crew/budgets.js";
import { loadCrewFromDir } from "../../src/crew/load.js";
import { containerSpec } from "../../src/plan/container.js";
import { registration } from "../../src/runner/gateway-wiring.js";
import { agentFiles, agentYaml, makeRepo } from "../support/crew-fixture.js";

const messages = (r: { errors: { file: string; line: number; column: number; message: string }[] }) =>
  r.errors.map((e) => `${e.file}:${e.line}:${e.column}: ${e.message}`);

const agents = { ...agentFiles("dev", agentYaml("runtime: claude\n")), ...agentFiles("review", agentYaml("runtime: claude\n")) };

describe("crew.cue budgets and prices", () => {
  it("resolve into shared caps per agent per UTC day (with a per-agent override) and per thread, and price overrides", async () => {
    const r = await loadCrewFromDir(
      makeRepo({
        ...agents,
        ".gitcrew/crew.cue": [
          "budgets: {",
          "\tagent_day: {usd: 20, tokens: 5000000}",
          "\tthread: usd: 5",
          "\tagents: review: agent_day: usd: 2.5",
          "}",
          'prices: "my-model": {input_per_mtok: 1, output_per_mtok: 4, cache_read_per_mtok: 0.1}',
          "",
        ].join("\n"),
      }),
    );
    expect(messages(r)).toEqual([]);
    const config = r.crew!.config;
    expect(config.prices).toEqual({ "my-model": { inputMtok: 1, outputMtok: 4, cacheReadMtok: 0.1 } });
    const late = new Date("2026-12-06T23:59:59Z");
    expect(sharedCaps(config, "dev", { repo: "o/r", number: 12 }, late)).toEqual([
      { scope: "agent_day", key: "agent_day:dev:2026-12-06", usd: 20, tokens: 5_000_000 },
      { scope: "thread", key: "thread:o/r#12", usd: 5 },
    ]);
    // The override replaces the crew's day cap; a run outside a thread (a schedule) has no thread cap.
    expect(sharedCaps(config, "review", undefined, new Date("2026-12-07T00:00:00Z"))).toEqual([{ scope: "agent_day", key: "agent_day:review:2026-12-07", usd: 2.5 }]);
  });

  it("no budgets: no shared caps, no price overrides", async () => {
    const r = await loadCrewFromDir(makeRepo({ ...agents }));
    expect(r.crew!.config.prices).toEqual({});
    expect(sharedCaps(r.crew!.config, "dev", { repo: "o/r", number: 1 }, new Date())).toEqual([]);
  });

  it("refuses negative and fractional-token values, each at its line", async () => {
    const r = await loadCrewFromDir(
      makeRepo({
        ...agents,
        ".gitcrew/crew.cue": [
          "budgets: {",
          "\tagent_day: usd: -1",
          "\tthread: tokens: 10.5",
          "}",
          'prices: "m1": {input_per_mtok: -3, output_per_mtok: 1}',
          "",
        ].join("\n"),
      }),
    );
    const all = messages(r).join("\n");
    expect(all).toContain('.gitcrew/crew.cue:2:18: field "budgets.agent_day.usd": invalid value -1 (out of bound >0)');
    expect(all).toContain('.gitcrew/crew.cue:3:18: field "budgets.thread.tokens": conflicting values 10.5 and int');
    expect(all).toContain('.gitcrew/crew.cue:5:32: field "prices.m1.input_per_mtok": invalid value -3 (out of bound >=0)');
    expect(r.crew).toBeUndefined();
  });

  it("refuses a price without its output price", async () => {
    const r = await loadCrewFromDir(makeRepo({ ...agents, ".gitcrew/crew.cue": 'prices: "m2": {input_per_mtok: 3}\n' }));
    expect(messages(r).join("\n")).toMatch(/prices\.m2\.output_per_mtok/);
  });

  it("refuses a day cap for an agent that does not exist", async () => {
    const r = await loadCrewFromDir(makeRepo({ ...agents, ".gitcrew/crew.cue": "budgets: {\n\tagent_day: usd: 1\n\tagents: deev: agent_day: tokens: 100\n}\n" }));
    expect(messages(r)).toEqual(['.gitcrew/crew.cue:3:2: budgets.agents.deev: no agent named "deev"']);
  });

  it("prices and caps reach the run's gateway registration", async () => {
    const r = await loadCrewFromDir(
      makeRepo({ ...agents, ".gitcrew/crew.cue": 'budgets: thread: usd: 5\nprices: "my-model": {input_per_mtok: 1, output_per_mtok: 4}\n' }),
    );
    const config = r.crew!.config;
    const dev = r.crew!.agents.find((a) => a.name === "dev")!;
    const spec = containerSpec({ agent: dev, prompt: "hi", repo: "o/r", threadKey: "o/r#3", branch: "gitcrew/dev/3", budgets: config.budgets, prices: config.prices });
    const { reg } = registration({ runId: "r1", spec, agent: "dev", threadKey: "o/r#3", budgets: spec.sharedBudgets, env: {} });
    expect(reg.prices).toEqual({ "my-model": { inputMtok: 1, outputMtok: 4 } });
    expect(reg.budget).toContainEqual({ scope: "thread", key: "thread:o/r#3", usd: 5 });
  });
});
