/**
 * A skill folder copied out of the crew's git tree (the default branch) into
 * the run's own folder, for a read-only mount. The checkout the run works on
 * may be a pull request's merge commit: mounting its `.gitcrew/skills/<name>`
 * would let the PR change the skill an agent runs with.
 */
import { spawn } from "node:child_process";
import { mkdir, symlink, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { InputError } from "../util/errors.js";
import { catBlobs } from "../crew/snapshot.js";
import { gitRaw, hostGitEnv } from "./host-git.js";

/** A skill is instructions and a few assets; more than this is refused. */
const MAX_SKILL_BYTES = 256 * 1024 * 1024;

/** Copy `source` (`.gitcrew/skills/<name>`) from the `.gitcrew/` tree `crewTree` into the empty folder `dest`. */
export async function copySkillFromTree(repoDir: string, crewTree: string, source: string, dest: string): Promise<string> {
  const sub = source.replace(/^\.gitcrew\//, "");
  if (!/^[0-9a-f]{40,64}$/.test(crewTree) || !/^skills\/[A-Za-z0-9._-]+$/.test(sub) || sub.includes("..")) {
    throw new InputError(`cannot mount ${source} from the crew's tree ${crewTree}`);
  }
  const out = await gitRaw(repoDir, ["ls-tree", "-r", "-z", "-l", crewTree, "--", sub]);
  if (out.code !== 0) throw new InputError(`cannot read ${source} from the crew's tree in ${repoDir}: ${out.stderr.trim()}`);
  const files: { mode: string; id: string; rel: string }[] = [];
  let total = 0;
  for (const rec of out.stdout.toString("utf8").split("\0").filter(Boolean)) {
    const m = /^(\d+) (\w+) ([0-9a-f]+)\s+(-|\d+)\t(.*)$/s.exec(rec);
    if (!m || m[2] !== "blob" || !m[5]!.startsWith(`${sub}/`)) continue;
    total += Number(m[4]) || 0;
    files.push({ mode: m[1]!, id: m[3]!, rel: m[5]!.slice(sub.length + 1) });
  }
  if (files.length === 0) throw new InputError(`the folder ${source} does not exist in the crew's default branch`, "check the agent's skills (gitcrew validate)");
  if (total > MAX_SKILL_BYTES) throw new InputError(`${source} holds ${Math.round(total / 1024 / 1024)} MiB; a skill may hold ${MAX_SKILL_BYTES / 1024 / 1024} MiB`);
  const contents = await catBlobs(repoDir, files.map((f) => f.id), hostGitEnv());
  await mkdir(dest, { recursive: true, mode: 0o755 });
  const links = new Set<string>();
  for (const [i, f] of files.entries()) {
    // Nothing is ever written through a link this copy made.
    if ([...links].some((l) => f.rel.startsWith(`${l}/`))) continue;
    const path = join(dest, f.rel);
    await mkdir(dirname(path), { recursive: true, mode: 0o755 });
    if (f.mode === "120000") {
      await symlink(contents[i]!.toString("utf8"), path);
      links.add(f.rel);
    } else await writeFile(path, contents[i]!, { flag: "wx", mode: f.mode === "100755" ? 0o755 : 0o644 });
  }
  return dest;
}

