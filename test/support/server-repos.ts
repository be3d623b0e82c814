/**
 * `gitcrew serve` for many repositories against the GitHub double: one real
 * bare origin per repository (each with its own files, its own crew), a
 * GitHub App installed on the owner `acme`, and the server with the real
 * pipeline and no `--repo`. The double serves no git over HTTP: git maps the
 * clone URL gitcrew derives from the API URL to each bare origin
 * (url.insteadOf in a user config under XDG_CONFIG_HOME).
 */
import { generateKeyPairSync } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createPipelineWith } from "../../src/server/default-pipeline.js";
import { startServer, type RunningServer } from "../../src/server/index.js";
import { readSettings, type ServeFlags } from "../../src/server/settings.js";
import { openStore } from "../../src/store/index.js";
import type { Store } from "../../src/store/types.js";
import { createBareRepo, GitHubDouble } from "./github-double/index.js";
import { SECRET } from "./server-github.js";

export const INSTALLATION = 42;

export interface ReposServer {
  double: GitHubDouble;
  root: string;
  home: string;
  store: Store;
  server: RunningServer;
  logs: string[];
  webhookUrl: string;
  bare: Record<string, string>;
  stop(): Promise<void>;
  /** Stop the server, its store and the double, keeping the origins, GITCREW_HOME and the store (start again with `{ root }`). */
  halt(): Promise<void>;
}

export async function startReposServer(repos: Record<string, Record<string, string>>, flags: ServeFlags = {}, o: { root?: string } = {}): Promise<ReposServer> {
  const root = o.root ?? mkdtempSync(join(tmpdir(), "gitcrew-serve-repos-"));
  const double = await GitHubDouble.start();
  const bare: Record<string, string> = {};
  const xdg = join(root, "xdg");
  mkdirSync(join(xdg, "git"), { recursive: true });
  let gitConfig = "";
  for (const [fullName, files] of Object.entries(repos)) {
    const dir = join(root, "origins", `${fullName.replace("/", "__")}.git`);
    if (!o.root) await createBareRepo(dir, files);
    double.addRepo(fullName, dir);
    double.setPermission(fullName, "alice", "write");
    bare[fullName] = dir;
    gitConfig += `[url "${dir}"]\n\tinsteadOf = ${double.url}/${fullName}.git\n`;
  }
  writeFileSync(join(xdg, "git", "config"), gitConfig);
  // simple-git drops ambient GIT_* variables; a user config is what it keeps.
  const savedXdg = process.env.XDG_CONFIG_HOME;
  process.env.XDG_CONFIG_HOME = xdg;

  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  double.addInstallation({ id: INSTALLATION, appId: 4242, publicKey: publicKey.export({ type: "spki", format: "pem" }).toString(), appSlug: "crew-app", owner: "acme" });
  const pem = join(root, "app.pem");
  writeFileSync(pem, privateKey.export({ type: "pkcs8", format: "pem" }).toString(), { mode: 0o600 });

  const home = join(root, "home");
  const store = await openStore(join(root, "gitcrew.db"));
  const settings = readSettings({ "webhook-secret": SECRET, "app-id": "4242", "private-key-file": pem, "github-api-url": double.url, instance: "repos-test", ...flags }, {}, "");
  const logs: string[] = [];
  const log = (line: string) => logs.push(line);
  const pipeline = await createPipelineWith()({ store, env: { ...process.env, GITCREW_HOME: home }, cwd: root, log, settings });
  const server = await startServer({
    store,
    pipeline,
    webhookSecret: SECRET,
    apiToken: "t",
    host: "127.0.0.1",
    port: 0,
    concurrency: 3,
    instance: "repos-test",
    leaseMs: 5000,
    pollMs: 100,
    retryBaseMs: 200,
    log,
  });
  let halted = false;
  const self: ReposServer = {
    double,
    root,
    home,
    store,
    server,
    logs,
    webhookUrl: `${server.url}/webhooks`,
    bare,
    async halt() {
      if (halted) return;
      halted = true;
      await server.stop(5000);
      await store.close();
      await double.stop();
      if (savedXdg === undefined) delete process.env.XDG_CONFIG_HOME;
      else process.env.XDG_CONFIG_HOME = savedXdg;
    },
    async stop() {
      await self.halt();
      rmSync(root, { recursive: true, force: true });
    },
  };
  return self;
}
