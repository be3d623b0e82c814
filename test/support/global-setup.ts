/** Once per test run: build dist/ so CLI tests exercise the shipped bundle. */
import { execFileSync } from "node:child_process";

export default function setup(): void {
  execFileSync(process.execPath, ["scripts/build.mjs"], { stdio: "inherit" });
}
