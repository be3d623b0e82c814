/** One-call setup for tests: a temp bare repo registered in a fresh double. */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GitHubDouble, type DoubleOptions } from "./double.js";
import { createBareRepo } from "./git-fixture.js";

export interface DoubleRepo {
  double: GitHubDouble;
  /** owner/name */
  fullName: string;
  owner: string;
  repo: string;
  /** The bare repository on disk that backs it. */
  bareDir: string;
  close(): Promise<void>;
}

export async function startDoubleWithRepo(
  fullName = "acme/widgets",
  files: Record<string, string> = { "README.md": "# widgets\n" },
  options: DoubleOptions = {},
): Promise<DoubleRepo> {
  const dir = await mkdtemp(join(tmpdir(), "gitcrew-gh-"));
  const bareDir = join(dir, "origin.git");
  await createBareRepo(bareDir, files);
  const double = await GitHubDouble.start(options);
  double.addRepo(fullName, bareDir);
  const [owner = "", repo = ""] = fullName.split("/");
  return {
    double,
    fullName,
    owner,
    repo,
    bareDir,
    async close() {
      await double.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
