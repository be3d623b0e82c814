/** A real git repository with a small crew, in a temp folder, for runner tests. */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { simpleGit } from "simple-git";

export interface RepoAgent {
  name: string;
  /** agent.yaml body (YAML). */
  yaml: string;
  instructions?: string;
}

export async function makeCrewRepo(agents: RepoAgent[], extraFiles: Record<string, string> = {}): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), "gitcrew-repo-"));
  const files: Record<string, string> = {
    "README.md": "# demo\n",
    ".gitcrew/crew.cue": 'defaults: limits: { timeout: "2m", memory: "512m", cpus: 1 }\nceilings: { timeout: "2h", memory: "8g", cpus: 4 }\n',
    ...extraFiles,
  };
  for (const a of agents) {
    files[`.gitcrew/agents/${a.name}/agent.yaml`] = a.yaml;
    files[`.gitcrew/agents/${a.name}/instructions.md`] = a.instructions ?? `You are ${a.name}.\n`;
  }
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), content);
  }
  const git = simpleGit(dir);
  await git.init(["-b", "main"]);
  await git.addConfig("user.name", "Test");
  await git.addConfig("user.email", "test@example.invalid");
  await git.add(".");
  await git.commit("initial crew");
  return dir;
}

/** A command agent: YAML for `runtime: command` running `sh -c SCRIPT`. */
export function shAgent(name: string, script: string, extra = ""): RepoAgent {
  return { name, yaml: `runtime: command\ncommand: ["sh", "-c", ${JSON.stringify(script)}]\n${extra}` };
}
