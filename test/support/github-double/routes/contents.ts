/** Repository contents (`GET /repos/{owner}/{repo}/contents/{path}`), read from the bare repository at a ref. */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { notFound, repoOf, type Handler, type RouteContext } from "../context.js";
import type { RepoRecord } from "../state.js";
import type { JsonObject } from "../spec.js";

const run = promisify(execFile);

async function git(dir: string, args: string[]): Promise<string | undefined> {
  try {
    return (await run("git", ["--git-dir", dir, ...args], { maxBuffer: 64 * 1024 * 1024 })).stdout;
  } catch {
    return undefined;
  }
}

function item(ctx: RouteContext, r: RepoRecord, ref: string, e: { type: string; sha: string; size: number; path: string }): JsonObject {
  const api = `${ctx.shapes.repoUrl(r)}/contents/${e.path}?ref=${ref}`;
  const html = `https://github.com/${r.owner}/${r.name}/${e.type === "dir" ? "tree" : "blob"}/${ref}/${e.path}`;
  const gitUrl = `${ctx.shapes.repoUrl(r)}/git/${e.type === "dir" ? "trees" : "blobs"}/${e.sha}`;
  return {
    type: e.type,
    size: e.size,
    name: e.path.split("/").pop() ?? e.path,
    path: e.path,
    sha: e.sha,
    url: api,
    git_url: gitUrl,
    html_url: html,
    download_url: e.type === "file" ? `https://raw.githubusercontent.com/${r.owner}/${r.name}/${ref}/${e.path}` : null,
    _links: { self: api, git: gitUrl, html },
  };
}

export const contentRoutes: Record<string, Handler> = {
  "repos/get-content": async (ctx) => {
    const r = repoOf(ctx);
    if (r.private && !ctx.actor) throw notFound();
    const ref = ctx.query.get("ref") || r.defaultBranch;
    const path = (ctx.params.path ?? "").replace(/^\/+|\/+$/g, "");
    const type = (await git(r.bareDir, ["cat-file", "-t", `${ref}:${path}`]))?.trim();
    if (type === "tree") {
      const out = (await git(r.bareDir, ["ls-tree", "-l", `${ref}:${path}`])) ?? "";
      const entries = out.split("\n").filter(Boolean).map((line) => {
        const [meta = "", name = ""] = line.split("\t");
        const [, kind = "", sha = "", size = "-"] = meta.split(/\s+/);
        return item(ctx, r, ref, { type: kind === "tree" ? "dir" : "file", sha, size: size === "-" ? 0 : Number(size), path: path ? `${path}/${name}` : name });
      });
      return { status: 200, body: entries as unknown as JsonObject };
    }
    if (type === "blob") {
      const sha = ((await git(r.bareDir, ["rev-parse", `${ref}:${path}`])) ?? "").trim();
      const content = (await run("git", ["--git-dir", r.bareDir, "cat-file", "blob", sha], { encoding: "buffer", maxBuffer: 64 * 1024 * 1024 })).stdout as Buffer;
      return { status: 200, body: { ...item(ctx, r, ref, { type: "file", sha, size: content.length, path }), encoding: "base64", content: content.toString("base64") } };
    }
    throw notFound();
  },
};
