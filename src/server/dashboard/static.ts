/**
 * The page itself: dist/dashboard/index.html for `/` and `/ui/...`, and its
 * built assets by plain file name only (no path ever reaches the file system
 * from a request), read once and kept in memory.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { page, type Answer } from "./respond.js";

const ASSET_NAME = /^[A-Za-z0-9._-]{1,200}$/;
const TYPES: Record<string, string> = {
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".map": "application/json",
};

/**
 * Where the built page is: beside the running bundle (dist/cli.js or a chunk
 * in dist/chunks/), or, from the sources (tests), the repository's dist/.
 */
export function defaultDashboardDir(): string {
  const candidates = ["./dashboard/", "../dashboard/", "../../../dist/dashboard/"].map((rel) => fileURLToPath(new URL(rel, import.meta.url)));
  return candidates.find((dir) => existsSync(join(dir, "index.html"))) ?? candidates[0]!;
}

export class StaticFiles {
  private readonly files = new Map<string, Buffer | null>();

  constructor(private readonly dir: string) {}

  index(): Answer {
    const html = this.read("index.html");
    if (!html) return page(503, "Dashboard not built", "This gitcrew has no built dashboard (dist/dashboard/index.html): run npm run build.");
    return { status: 200, headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-cache" }, body: html };
  }

  asset(name: string): Answer {
    const type = TYPES[/\.[a-z0-9]+$/.exec(name)?.[0] ?? ""];
    const body = ASSET_NAME.test(name) && !name.startsWith(".") && type ? this.read(join("assets", name)) : undefined;
    if (!body || !type) return page(404, "Not found", "No such file.");
    return { status: 200, headers: { "content-type": type, "cache-control": "public, max-age=31536000, immutable" }, body };
  }

  private read(rel: string): Buffer | undefined {
    if (!this.files.has(rel)) {
      let content: Buffer | null = null;
      try {
        content = readFileSync(join(this.dir, rel));
      } catch {
        content = null;
      }
      // Missing files are not remembered: a build after start is picked up.
      if (content) this.files.set(rel, content);
      return content ?? undefined;
    }
    return this.files.get(rel) ?? undefined;
  }
}
