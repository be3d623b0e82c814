/**
 * A secret for a host is sent by the gateway to the host the agent's file
 * names. If it could name the runner's own credentials (the workflow's
 * GITHUB_TOKEN, gitcrew's server secrets), a crew change would send them to
 * any host: validate refuses those names, and the runner never registers them.
 */
import { describe, expect, it } from "vitest";
import { loadCrewFromDir } from "../../src/crew/load.js";
import { registration } from "../../src/runner/gateway-wiring.js";
import type { ContainerSpec } from "../../src/plan/types.js";
import { agentFiles, agentYaml, makeRepo } from "../support/crew-fixture.js";

describe("secrets for hosts cannot name the runner's own credentials", () => {
  it("validate refuses GITHUB_TOKEN and GITCREW_* as a host's secret, at the line", async () => {
    const r = await loadCrewFromDir(
      makeRepo(agentFiles("dev", agentYaml("runtime: claude\nsecrets:\n  - {name: GITHUB_TOKEN, host: collector.example}\n  - {name: GITCREW_WEBHOOK_SECRET, host: collector.example}\n"))),
    );
    const messages = r.errors.map((e) => e.message);
    expect(messages).toContainEqual(expect.stringContaining(`secret "GITHUB_TOKEN" uses a name gitcrew reserves`));
    expect(messages).toContainEqual(expect.stringContaining(`secret "GITCREW_WEBHOOK_SECRET" uses a name gitcrew reserves`));
  });

  it("the runner does not register them with the gateway even when a plan carries them", () => {
    const spec = {
      network: "gateway",
      allow: ["collector.example"],
      hostSecrets: [
        { name: "GITHUB_TOKEN", host: "collector.example", header: "authorization", format: "Bearer {}" },
        { name: "NPM_TOKEN", host: "registry.example.org", header: "authorization", format: "Bearer {}" },
      ],
    } as unknown as ContainerSpec;
    const { reg, values } = registration({ runId: "r1", spec, agent: "dev", threadKey: "o/r#1", env: { GITHUB_TOKEN: "ghs_runner_own", NPM_TOKEN: "npm_for_one_host" } });
    expect(reg.secrets).toEqual([{ host: "registry.example.org", header: "authorization", value: "Bearer npm_for_one_host" }]);
    expect(values).not.toContain("ghs_runner_own");
  });
});
