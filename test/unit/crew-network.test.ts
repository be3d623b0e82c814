/** limits.network (none | allow | egress), secrets for hosts and limits.budget: what validate accepts, refuses and warns about. */
import { describe, expect, it } from "vitest";
import { loadCrewFromDir } from "../../src/crew/load.js";
import { synthesizeComment } from "../../src/events/synthesize.js";
import { normalize } from "../../src/events/normalize.js";
import { containerSpec } from "../../src/plan/container.js";
import { plan } from "../../src/plan/plan.js";
import { agentFiles, agentYaml, makeRepo } from "../support/crew-fixture.js";

const load = (agent: string, crew = "") => loadCrewFromDir(makeRepo({ ...agentFiles("dev", agentYaml(agent)), ...(crew ? { ".gitcrew/crew.cue": crew } : {}) }));
const errors = async (agent: string, crew = "") => (await load(agent, crew)).errors.map((e) => `${e.line}: ${e.message}`);

describe("limits.network and secrets for hosts", () => {
  it("defaults: a model runtime gets the gateway with no extra host, a command no network", async () => {
    const r = await loadCrewFromDir(makeRepo({ ...agentFiles("dev", agentYaml("runtime: claude\n")), ...agentFiles("notes", agentYaml('runtime: command\ncommand: ["true"]\n')) }));
    expect(r.errors).toEqual([]);
    const dev = r.crew!.agents.find((a) => a.name === "dev")!;
    const notes = r.crew!.agents.find((a) => a.name === "notes")!;
    expect(dev.limits.network).toEqual({ allow: [] });
    expect(notes.limits.network).toBe("none");
    const spec = containerSpec({ agent: dev, prompt: "p", repo: "o/r", threadKey: "o/r#1", branch: "b" });
    expect(spec).toMatchObject({ network: "gateway", allow: [], modelKeys: ["ANTHROPIC_API_KEY"] });
    // The model key is the gateway's: not a container secret.
    expect(spec.secrets).toEqual([]);
  });

  it("refuses unrestricted egress unless the crew's ceiling is egress", async () => {
    expect(await errors("runtime: claude\nlimits: {network: egress}\n")).toEqual([
      `2: limits.network "egress" (unrestricted) is refused unless crew.cue's ceilings.network is "egress"; list the hosts instead: limits: network: allow: ["api.example.com"]`,
    ]);
    expect(await errors("runtime: claude\nlimits: {network: egress}\n", 'ceilings: network: "egress"\n')).toEqual([]);
  });

  it("takes host patterns and presets, refuses bad ones and those off the crew's list", async () => {
    const r = await load('runtime: claude\nlimits:\n  network:\n    allow: ["api.example.com", "*.pkg.example.org:443", "preset:github"]\n  budget: {tokens: 50000, usd: 2.5}\n');
    expect(r.errors).toEqual([]);
    const dev = r.crew!.agents[0]!;
    expect(dev.limits).toMatchObject({ network: { allow: ["api.example.com", "*.pkg.example.org:443", "preset:github"] }, budget: { tokens: 50000, usd: 2.5 } });
    expect(await errors('runtime: claude\nlimits: {network: {allow: ["*.com"]}}\n')).toEqual([`2: bad host pattern "*.com" (use host, *.suffix with a dot in suffix, optional :port, or preset:NAME)`]);
    expect(await errors('runtime: claude\nlimits: {network: {allow: ["preset:nope"]}}\n')).toEqual([expect.stringContaining('unknown host preset "nope"')]);
    // The model provider's web search and URL fetching are opted into by preset (docs/gateway.md).
    expect(await errors('runtime: claude\nlimits: {network: {allow: ["preset:web-search", "preset:web-fetch"]}}\n')).toEqual([]);
    expect(await errors('runtime: claude\nlimits: {network: {allow: ["b.example.com"]}}\n', 'ceilings: network: allow: ["a.example.com"]\n')).toEqual([
      `2: limits.network allows "b.example.com", which the crew's ceiling does not list (crew.cue ceilings.network.allow)`,
    ]);
    expect(await errors('runtime: claude\nlimits: {network: {allow: ["a.example.com"]}}\n', 'ceilings: network: "none"\n')).toEqual([`2: limits.network allow exceeds the crew's ceiling "none"`]);
  });

  it("a secret for a host goes to the gateway (allowlisted with it), a plain one warns that it enters the container", async () => {
    const r = await load('runtime: claude\nsecrets:\n  - "ANTHROPIC_API_KEY"\n  - "SENTRY_DSN"\n  - {name: NPM_TOKEN, host: registry.example.org}\n');
    expect(r.errors).toEqual([]);
    const dev = r.crew!.agents[0]!;
    expect(dev.hostSecrets).toEqual([{ name: "NPM_TOKEN", host: "registry.example.org", header: "authorization", format: "Bearer {}" }]);
    expect(r.warnings.map((w) => w.message)).toContainEqual(expect.stringMatching(/^secret SENTRY_DSN enters the container as environment variable/));
    expect(r.warnings.map((w) => w.message).join("\n")).not.toContain("ANTHROPIC_API_KEY");
    const spec = containerSpec({ agent: dev, prompt: "p", repo: "o/r", threadKey: "o/r#1", branch: "b" });
    expect(spec).toMatchObject({ secrets: ["SENTRY_DSN"], allow: ["registry.example.org"], hostSecrets: dev.hostSecrets });
    // Without the gateway nothing could add it: refused.
    expect(await errors('runtime: claude\nlimits: {network: none}\nsecrets: [{name: NPM_TOKEN, host: registry.example.org}]\n')).toEqual([
      expect.stringContaining(`secret "NPM_TOKEN" is for the host registry.example.org, which only the run gateway adds`),
    ]);
  });

  it("crew.cue presets add hosts to a preset for the agents that allow it, in every plan", async () => {
    const crew = 'presets: packages: ["npm.mirror.example:8443", "*.pkg.example.org"]\n';
    const r = await loadCrewFromDir(
      makeRepo({
        ...agentFiles("dev", agentYaml('runtime: claude\nlimits: {network: {allow: ["preset:packages", "api.example.com"]}}\n')),
        ...agentFiles("other", agentYaml('runtime: claude\nlimits: {network: {allow: ["preset:github"]}}\n')),
        ".gitcrew/crew.cue": crew,
      }),
    );
    expect(r.errors).toEqual([]);
    expect(r.crew!.config.presets).toEqual({ packages: ["npm.mirror.example:8443", "*.pkg.example.org"] });
    const { event, payload } = synthesizeComment({ body: "@dev @other go" });
    const n = normalize(event, payload);
    if (!n.ok) throw new Error(n.ignored);
    const planned = plan(n.trigger, r.crew!, { permission: "write" });
    const allowOf = (name: string) => planned.runs.find((p) => p.agent === name)?.container.allow;
    // The preset stays (the gateway expands the host's registries); the crew's hosts come with it.
    expect(allowOf("dev")).toEqual(["preset:packages", "api.example.com", "npm.mirror.example:8443", "*.pkg.example.org"]);
    expect(allowOf("other")).toEqual(["preset:github"]);
    // A preset that does not exist, or an entry that is not a host, is an error at crew.cue's line.
    const bad = async (c: string) => (await load("runtime: claude\n", c)).errors.map((e) => `${e.file}:${e.line}: ${e.message}`);
    expect(await bad('presets: pakages: ["a.example.com"]\n')).toEqual([`.gitcrew/crew.cue:1: presets.pakages: no preset named "pakages" (known: anthropic, openai, gemini, github, packages, web-search, web-fetch)`]);
    expect(await bad('presets: "web-search": ["docs.example.com"]\n')).toEqual([expect.stringContaining("presets.web-search: this preset opens no host")]);
    expect(await bad('\npresets: packages: ["preset:github"]\n')).toEqual([`.gitcrew/crew.cue:2: presets.packages: "preset:github" is not a host pattern (use host, *.suffix with a dot in suffix, optional :port)`]);
  });
});
