/** limits.disk: the default, what validate accepts and refuses, the crew's ceiling, and dry-run's container line. */
import { describe, expect, it } from "vitest";
import { loadCrewFromDir } from "../../src/crew/load.js";
import { normalize } from "../../src/events/normalize.js";
import { synthesizeComment } from "../../src/events/synthesize.js";
import { containerSpec } from "../../src/plan/container.js";
import { plan } from "../../src/plan/plan.js";
import { renderPlan } from "../../src/plan/render.js";
import { agentFiles, agentYaml, makeRepo } from "../support/crew-fixture.js";

const load = (agent: string, crew = "") => loadCrewFromDir(makeRepo({ ...agentFiles("dev", agentYaml(agent)), ...(crew ? { ".gitcrew/crew.cue": crew } : {}) }));
const errors = async (agent: string, crew = "") => (await load(agent, crew)).errors.map((e) => `${e.line}: ${e.message}`);
const GiB = 1024 ** 3;

describe("limits.disk", () => {
  it("defaults to 10g, takes the memory forms, and reaches the container spec", async () => {
    const plain = await load('runtime: command\ncommand: ["true"]\n');
    expect(plain.errors).toEqual([]);
    expect(plain.crew!.agents[0]!.limits.disk).toBe(10 * GiB);
    const small = await load('runtime: command\ncommand: ["true"]\nlimits:\n  disk: 64m\n');
    expect(small.errors).toEqual([]);
    const agent = small.crew!.agents[0]!;
    expect(agent.limits.disk).toBe(64 * 1024 ** 2);
    expect(containerSpec({ agent, prompt: "p", repo: "o/r", threadKey: "o/r#1", branch: "b" }).diskBytes).toBe(64 * 1024 ** 2);
    // crew.cue's defaults apply to every agent.
    const viaDefaults = await load('runtime: command\ncommand: ["true"]\n', 'defaults: limits: disk: "2G"\n');
    expect(viaDefaults.crew!.agents[0]!.limits.disk).toBe(2 * GiB);
  });

  it("refuses malformed, negative, zero and fractional sizes with the field named", async () => {
    for (const bad of ["-1g", "0g", "1.5g", "10gb", "ten", "10 g", "10"]) {
      const got = await errors(`runtime: command\ncommand: ["true"]\nlimits:\n  disk: ${JSON.stringify(bad)}\n`);
      expect(got, bad).toHaveLength(1);
      expect(got[0], bad).toBe(`4: field "limits.disk": invalid value ${JSON.stringify(bad)}: expected a size such as "512m" or "4g"`);
    }
    expect(await errors('runtime: command\ncommand: ["true"]\nlimits:\n  disk: 5\n')).toEqual([expect.stringMatching(/^4: field "limits\.disk": conflicting values 5 and/)]);
  });

  it("refuses a size below the minimum and above the crew's ceiling (50g unless crew.cue says otherwise)", async () => {
    expect(await errors('runtime: command\ncommand: ["true"]\nlimits:\n  disk: 1m\n')).toEqual(["4: limits.disk 1m is below 32m: a run needs room for its checkout and the CLI's state"]);
    expect(await errors('runtime: command\ncommand: ["true"]\nlimits:\n  disk: 51g\n')).toEqual(["4: limits.disk 51g exceeds the crew's ceiling 50g (crew.cue ceilings.disk)"]);
    expect(await errors('runtime: command\ncommand: ["true"]\nlimits:\n  disk: 99999999999999g\n')).toEqual(["4: limits.disk 99999999999999g exceeds the crew's ceiling 50g (crew.cue ceilings.disk)"]);
    expect(await errors('runtime: command\ncommand: ["true"]\nlimits:\n  disk: 3g\n', 'ceilings: disk: "2g"\n')).toEqual(["4: limits.disk 3g exceeds the crew's ceiling 2g (crew.cue ceilings.disk)"]);
    expect(await errors('runtime: command\ncommand: ["true"]\nlimits:\n  disk: 100g\n', 'ceilings: disk: "200g"\n')).toEqual([]);
    // crew.cue's default above its own ceiling is refused for every agent that takes it.
    expect(await errors('runtime: command\ncommand: ["true"]\n', 'defaults: limits: disk: "3g"\nceilings: disk: "2g"\n')).toEqual([expect.stringContaining("limits.disk 3g exceeds the crew's ceiling 2g")]);
  });

  it("dry-run's container line shows it beside memory", async () => {
    const r = await load('runtime: command\ncommand: ["true"]\nlimits:\n  memory: 512m\n  disk: 2g\n');
    const { event, payload } = synthesizeComment({ body: "@dev go" });
    const n = normalize(event, payload);
    if (!n.ok) throw new Error(n.ignored);
    const text = renderPlan(plan(n.trigger, r.crew!, { permission: "write" }), "write");
    expect(text).toMatch(/container +gitcrew\/command:latest, user 1000:1000, network none, memory 512m, disk 2g, cpus 2, pids 512, timeout 30m/);
  });
});
