/**
 * The crew page's data from a real `serve` (the real pipeline, its crew read
 * from the double's default branch): each agent with its runtime, triggers,
 * limits and who may start it, the commit and load time.
 */
import { afterEach, describe, expect, it } from "vitest";
import { shAgentFiles, startGitHubServer, type GitHubServer } from "../support/server-github.js";
import { TOKEN, until } from "../support/server-harness.js";

let s: GitHubServer | undefined;
afterEach(async () => {
  s?.gh.double.assertNoViolations();
  await s?.stop();
  s = undefined;
});

describe("dashboard crew", () => {
  it("lists the loaded crew's agents, with the commit and load time, and no instructions", async () => {
    s = await startGitHubServer(shAgentFiles("dev", "echo hi"), { server: { apiToken: TOKEN } });
    const api = (path: string) => fetch(`${s!.server.url}${path}`, { headers: { authorization: `Bearer ${TOKEN}` } });
    const crew = await until("the crew loaded", async () => {
      const body = (await (await api("/api/crew")).json()) as { repos: { repo: string; agents: unknown[]; sha?: string; loadedAt?: number; problems: string[] }[] };
      return body.repos.find((r) => r.agents.length > 0);
    });
    // A --repo clone of a path learns its name from its first webhook.
    expect(crew.repo).toBe("unknown");
    expect(crew.sha).toMatch(/^[0-9a-f]{40}$/);
    expect(crew.loadedAt).toBeGreaterThan(0);
    expect(crew.problems).toEqual([]);
    expect(crew.agents[0]).toMatchObject({ name: "dev", runtime: "command", concurrency: 1 });
    expect(crew.agents[0]).toHaveProperty("triggers");
    expect(crew.agents[0]).toHaveProperty("limits");
    expect(crew.agents[0]).toHaveProperty("allow");
    expect(JSON.stringify(crew)).not.toContain("You are dev");
    expect((await api("/api/crew?repo=acme/other")).status).toBe(404);
  });
});
