/**
 * gitcrew's version, one source: package.json. The bundles get it at build
 * time (esbuild `define`, scripts/build.mjs); sources run by the tests read
 * package.json beside them.
 */
import { readFileSync } from "node:fs";
import { packageFile } from "./package-files.js";

declare const __GITCREW_VERSION__: string | undefined;

function fromPackageJson(): string {
  return (JSON.parse(readFileSync(packageFile("package.json"), "utf8")) as { version: string }).version;
}

export const VERSION: string = typeof __GITCREW_VERSION__ === "string" ? __GITCREW_VERSION__ : fromPackageJson();

/** The User-Agent of gitcrew's GitHub requests. */
export const USER_AGENT = `gitcrew/${VERSION}`;
