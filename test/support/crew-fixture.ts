/** Temporary repositories with a crew, for crew/plan/CLI tests. */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { main } from "../../src/cli/main.js";

export function writeFiles(dir: string, files: Record<string, string | Buffer>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
}

export function git(dir: string, ...args: string[]): string {
  return execFileSync("git", ["-C", dir, "-c", "user.name=t", "-c", "user.email=t@example.com", ...args], { encoding: "utf8" });
}

/** A git repo (branch main) holding `files`, committed. */
export function makeRepo(files: Record<string, string | Buffer> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), "gitcrew-repo-"));
  git(dir, "init", "-q", "-b", "main");
  writeFiles(dir, { "README.md": "# test repo\n", ...files });
  git(dir, "add", "-A");
  git(dir, "commit", "-qm", "initial");
  return dir;
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run the CLI in-process, as a user would type it. */
export async function cli(argv: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliResult> {
  let stdout = "";
  let stderr = "";
  const code = await main({
    argv,
    cwd: opts.cwd ?? process.cwd(),
    env: { ...process.env, ...opts.env },
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
  });
  return { code, stdout, stderr };
}

/** A repo with the `gitcrew init` example crew committed on main. */
export async function exampleRepo(): Promise<string> {
  const dir = makeRepo();
  const r = await cli(["init", "--repo", dir]);
  if (r.code !== 0) throw new Error(`init failed: ${r.stderr}`);
  git(dir, "add", "-A");
  git(dir, "commit", "-qm", "crew");
  return dir;
}

export const agentYaml = (body: string) => ({ "agent.yaml": body, "instructions.md": "Do the work.\n" });

/** `.gitcrew/agents/<name>/…` files from a short spec. */
export function agentFiles(name: string, files: Record<string, string | Buffer>): Record<string, string | Buffer> {
  return Object.fromEntries(Object.entries(files).map(([f, c]) => [`.gitcrew/agents/${name}/${f}`, c]));
}
