/**
 * `gitcrew serve` with the real pipeline against the GitHub double: a bare
 * origin holding a crew, a local clone of it (`--repo PATH`), the store, and
 * the server on loopback. Runs use the real Docker engine unless a runner is
 * injected.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createPipelineWith, type DefaultPipelineOptions } from "../../src/server/default-pipeline.js";
import { startServer, type RunningServer, type StartOptions } from "../../src/server/index.js";
import { readSettings } from "../../src/server/settings.js";
import { openStore } from "../../src/store/index.js";
import type { Store } from "../../src/store/types.js";
import { startDoubleWithRepo, type DoubleRepo } from "./github-double/index.js";

export const SECRET = "It's a Secret to Everybody";
export const CREW_CUE = 'defaults: limits: { timeout: "2m", memory: "512m", cpus: 1 }\nceilings: { timeout: "2h", memory: "8g", cpus: 4 }\n';

/** `.gitcrew/agents/<name>/…` for a command agent running `sh -c script`. */
export function shAgentFiles(name: string, script: string, extra = ""): Record<string, string> {
  return {
    [`.gitcrew/agents/${name}/agent.yaml`]: `runtime: command\ncommand: ["sh", "-c", ${JSON.stringify(script)}]\n${extra}`,
    [`.gitcrew/agents/${name}/instructions.md`]: `You are ${name}.\n`,
  };
}

export interface GitHubServer {
  gh: DoubleRepo;
  store: Store;
  /** Where the store lives (give it as `store` to start again on the same one). */
  storeSpec: string;
  server: RunningServer;
  root: string;
  clone: string;
  home: string;
  logs: string[];
  webhookUrl: string;
  stop(): Promise<void>;
  /** Stop the server and close its store, keeping the double and the clone (to start again: `again`). */
  halt(): Promise<void>;
}

export async function startGitHubServer(
  files: Record<string, string>,
  o: {
    store?: string;
    pipeline?: DefaultPipelineOptions;
    server?: Partial<StartOptions>;
    env?: NodeJS.ProcessEnv;
    crewRefresh?: number;
    /** Act as a GitHub App (installation on the double) instead of with a token. */
    app?: { appId: number; privateKeyPem: string };
    /** A halted server's double, clone and store: start again on them (a restart). */
    again?: GitHubServer;
  } = {},
): Promise<GitHubServer> {
  const gh = o.again?.gh ?? (await startDoubleWithRepo("acme/widgets", { "README.md": "# widgets\n", ".gitcrew/crew.cue": CREW_CUE, ...files }));
  const root = o.again?.root ?? mkdtempSync(join(tmpdir(), "gitcrew-serve-gh-"));
  const clone = join(root, "clone");
  if (!o.again) execFileSync("git", ["clone", "--quiet", gh.bareDir, clone]);
  const home = join(root, "home");
  const storeSpec = o.store ?? o.again?.storeSpec ?? join(root, "gitcrew.db");
  const store = await openStore(storeSpec);
  const env: NodeJS.ProcessEnv = { ...process.env, GITCREW_HOME: home, ...o.env };
  let auth: Record<string, string> = { "github-token": gh.double.token("gitcrew-bot[bot]", "Bot") };
  if (o.app) {
    const pem = join(root, "app.pem");
    writeFileSync(pem, o.app.privateKeyPem, { mode: 0o600 });
    auth = { "app-id": String(o.app.appId), "private-key-file": pem };
  }
  const settings = readSettings(
    {
      repo: clone,
      "webhook-secret": SECRET,
      ...auth,
      "github-api-url": gh.double.url,
      instance: "gh-test",
      ...(o.crewRefresh ? { "crew-refresh": String(o.crewRefresh) } : {}),
    },
    {},
    "",
  );
  const logs: string[] = [];
  const log = (line: string) => logs.push(line);
  const pipeline = await createPipelineWith(o.pipeline)({ repo: clone, store, env, cwd: root, log, settings });
  const server = await startServer({
    store,
    pipeline,
    webhookSecret: SECRET,
    apiToken: "t",
    host: "127.0.0.1",
    port: 0,
    concurrency: 2,
    instance: "gh-test",
    leaseMs: 5000,
    pollMs: 100,
    retryBaseMs: 200,
    log,
    ...o.server,
  });
  let halted = false;
  const halt = async () => {
    if (halted) return;
    halted = true;
    await server.stop(5000);
    await store.close();
  };
  return {
    gh,
    store,
    storeSpec,
    server,
    root,
    clone,
    home,
    logs,
    webhookUrl: `${server.url}/webhooks`,
    halt,
    async stop() {
      await halt();
      await gh.close();
    },
  };
}
