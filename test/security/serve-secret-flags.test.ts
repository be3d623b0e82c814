/**
 * Attack: another local user reads `gitcrew serve`'s secrets from the process
 * list (`ps`, /proc/<pid>/cmdline). Secrets come from files or the
 * environment; `--help` says so, and a secret still given as a flag is warned about.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { until } from "../support/server-harness.js";
import { startServeChild, type ServeChild } from "../support/serve-process.js";
import { commentPayload, postWebhook } from "../support/webhooks.js";

const BIN = join(import.meta.dirname, "../../bin/gitcrew.js");
const children: ServeChild[] = [];

afterEach(async () => {
  for (const c of children.splice(0)) if (c.child.exitCode === null && c.child.signalCode === null) (c.child.kill("SIGKILL"), await c.exited);
});

function home(): { dir: string; env: Record<string, string> } {
  const dir = mkdtempSync(join(tmpdir(), "gitcrew-secret-flags-"));
  return { dir, env: { GITCREW_HOME: dir, GITCREW_REPO: "octo/repo", GITCREW_STORE: join(dir, "s.db"), GITCREW_WEBHOOK_SECRET: "" } };
}

async function start(env: Record<string, string>, args: string[]): Promise<ServeChild> {
  const c = await startServeChild(env, "trivial", args);
  children.push(c);
  return c;
}

describe("serve secrets stay out of the process list", () => {
  it("--help offers files and environment variables for every secret and says why", async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [BIN, "serve", "--help"]);
    expect(stdout).toContain("--webhook-secret-file FILE");
    expect(stdout).toContain("--api-token-file FILE");
    expect(stdout).toContain("--github-token-file FILE");
    expect(stdout).toMatch(/visible to\s+every local user in `ps`/);
  });

  it("takes the webhook secret and API token from files: neither is in /proc/<pid>/cmdline, and the secret verifies", async () => {
    const { dir, env } = home();
    const secret = "file-secret-3f9a";
    writeFileSync(join(dir, "webhook-secret"), `${secret}\n`, { mode: 0o600 });
    writeFileSync(join(dir, "api-token"), "file-token-77c1\n", { mode: 0o600 });
    const c = await start(env, ["--webhook-secret-file", join(dir, "webhook-secret"), "--api-token-file", join(dir, "api-token")]);
    const cmdline = readFileSync(`/proc/${c.child.pid}/cmdline`, "utf8");
    expect(cmdline).not.toContain(secret);
    expect(cmdline).not.toContain("file-token-77c1");
    expect((await postWebhook(c.url, { id: "from-file", body: commentPayload(1), secret })).status).toBe(202);
    expect((await postWebhook(c.url, { id: "newline", body: commentPayload(2), secret: `${secret}\n` })).status).toBe(401);
    const runs = await fetch(`${c.url}/api/runs`, { headers: { authorization: "Bearer file-token-77c1" } });
    expect(runs.status).toBe(200);
    expect(c.output()).not.toMatch(/warning: --/);
  });

  it("warns when a secret is given as a flag, naming the safer ways", async () => {
    const { env } = home();
    const c = await start(env, ["--webhook-secret", "flag-secret", "--api-token", "flag-token"]);
    await until("the warnings", async () => c.output().includes("warning: --api-token"));
    expect(c.output()).toContain("warning: --webhook-secret is visible to every local user in `ps` and in shell history: prefer GITCREW_WEBHOOK_SECRET or --webhook-secret-file");
    expect(c.output()).toContain("warning: --api-token is visible to every local user in `ps`");
  });
});
