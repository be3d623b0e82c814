/**
 * Attack: another local user reads the dashboard's OAuth client secret from
 * the process list. It is taken from a file or the environment; given as a
 * flag it is warned about like the other secrets, and `serve --help` says so.
 * Sign-in settings that cannot work are refused at start.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { readSettings } from "../../src/server/settings.js";

const BIN = join(import.meta.dirname, "../../bin/gitcrew.js");
const BASE = { repo: "octo/repo", "webhook-secret-file": "", "github-token": "t" };

function secretFile(value: string): string {
  const file = join(mkdtempSync(join(tmpdir(), "gitcrew-oauth-")), "client-secret");
  writeFileSync(file, `${value}\n`, { mode: 0o600 });
  return file;
}

const settings = (flags: Record<string, string>, env: Record<string, string> = {}) =>
  readSettings({ ...BASE, "webhook-secret-file": secretFile("whs") , ...flags }, env, "usage");

describe("serve's OAuth client secret", () => {
  it("--help lists the sign-in flags and the client secret among the secrets warned about", async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [BIN, "serve", "--help"]);
    for (const flag of ["--oauth-client-id ID", "--oauth-client-secret-file FILE", "--public-url URL", "--github-web-url URL", "GITCREW_OAUTH_CLIENT_SECRET"]) expect(stdout).toContain(flag);
    expect(stdout).toMatch(/--oauth-client-secret\) is visible to every local user in `ps`/);
  });

  it("reads the secret from a file or the environment without a warning, and warns when it is a flag", () => {
    const fromFile = settings({ "oauth-client-id": "Iv1.abc", "oauth-client-secret-file": secretFile("s3cret-from-file") });
    expect(fromFile.oauth).toEqual({ clientId: "Iv1.abc", clientSecret: "s3cret-from-file" });
    expect(fromFile.warnings.filter((w) => w.includes("oauth"))).toEqual([]);
    const fromEnv = settings({}, { GITCREW_OAUTH_CLIENT_ID: "Iv1.abc", GITCREW_OAUTH_CLIENT_SECRET: "s3cret-env" });
    expect(fromEnv.oauth?.clientSecret).toBe("s3cret-env");
    expect(fromEnv.warnings.filter((w) => w.includes("oauth"))).toEqual([]);
    const flagged = settings({ "oauth-client-id": "Iv1.abc", "oauth-client-secret": "s3cret-flag" });
    expect(flagged.warnings).toContain("--oauth-client-secret is visible to every local user in `ps` and in shell history: prefer GITCREW_OAUTH_CLIENT_SECRET or --oauth-client-secret-file");
    expect(flagged.warnings.join("\n")).not.toContain("s3cret-flag");
  });

  it("refuses half a client, both a flag and a file, and URLs that cannot work", () => {
    expect(() => settings({ "oauth-client-id": "Iv1.abc" })).toThrow(/--oauth-client-id needs --oauth-client-secret-file/);
    expect(() => settings({ "oauth-client-secret-file": secretFile("x") })).toThrow(/needs --oauth-client-id/);
    expect(() => settings({ "oauth-client-id": "Iv1.abc", "oauth-client-secret": "a", "oauth-client-secret-file": secretFile("b") })).toThrow(/not both/);
    expect(() => settings({ "public-url": "https://crew.example.com/dash" })).toThrow(/--public-url .* without a path/);
    expect(() => settings({ "public-url": "javascript:alert(1)" })).toThrow(/--public-url/);
    expect(() => settings({ "github-web-url": "ftp://github.example" })).toThrow(/--github-web-url/);
    expect(settings({ "public-url": "https://crew.example.com/" }).publicUrl).toBe("https://crew.example.com");
    expect(settings({}).githubWebUrl).toBe("https://github.com");
  });
});
