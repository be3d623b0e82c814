/** The CUE schema shipped with gitcrew (schema/gitcrew.cue at the package root). */
import { readFileSync } from "node:fs";
import { packageFile } from "../util/package-files.js";

let cached: string | undefined;

export function schemaText(): string {
  cached ??= readFileSync(packageFile("schema", "gitcrew.cue"), "utf8");
  return cached;
}
