/**
 * Once per test run: build dist/ so CLI tests exercise the shipped bundle,
 * and give the run one temporary root (TMPDIR, inherited by the test workers
 * and every process they start) that is removed at the end, so the clones,
 * worktrees, stores and homes the tests make never pile up in /tmp.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export default function setup(): () => void {
  execFileSync(process.execPath, ["scripts/build.mjs"], { stdio: "inherit" });
  const root = mkdtempSync(join(tmpdir(), "gitcrew-test-run-"));
  process.env.TMPDIR = root;
  return () => {
    try {
      rmSync(root, { recursive: true, force: true, maxRetries: 3 });
    } catch (err) {
      console.warn(`could not remove the test run's temporary root ${root}: ${String(err)}`);
    }
  };
}
