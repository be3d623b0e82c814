/** A complete Agent value for runtime tests, with sensible defaults. */
import type { Agent } from "../../../src/crew/types.js";

export function testAgent(over: Partial<Agent> = {}): Agent {
  return {
    name: "dev",
    file: ".gitcrew/agents/dev/agent.yaml",
    dir: ".gitcrew/agents/dev",
    runtime: "claude",
    image: "gitcrew/claude:latest",
    instructions: "You are a careful developer.",
    triggers: { mention: true, labels: [], assigned: false, commands: [], events: [], schedule: [], paths: [], edits: false },
    allow: { permission: "write", users: [], teams: [] },
    skills: [],
    secrets: ["ANTHROPIC_API_KEY"],
    hostSecrets: [],
    permissions: { contents: "write" },
    limits: { timeout: 600, memory: 2 * 1024 ** 3, cpus: 1, pids: 512, network: { allow: [] } },
    git: { name: "dev (gitcrew)", email: "dev@gitcrew.invalid" },
    concurrency: 1,
    role: "member",
    runs_on: [],
    gated: [],
    ...over,
  };
}
