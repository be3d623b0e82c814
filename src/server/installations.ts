/**
 * GitHub's word on which repositories a server may serve: `installation`
 * (created, deleted, suspended), `installation_repositories` (added,
 * removed) and `repository` (renamed, transferred, archived, deleted). Each
 * starts or stops serving repositories (a stopped one loses its state and
 * its checkout), with one log line each; the delivery itself runs nothing.
 */
import type { ServedRepos } from "./served-repos.js";

type Json = Record<string, unknown>;

const obj = (v: unknown): Json => (v && typeof v === "object" && !Array.isArray(v) ? (v as Json) : {});
const str = (v: unknown): string => (typeof v === "string" ? v : "");
const names = (v: unknown): string[] => (Array.isArray(v) ? v.map((r) => str(obj(r).full_name)).filter(Boolean) : []);

/** Follow a lifecycle event; returns what it did (the delivery's "ignored" note), or undefined for any other event. */
export async function followLifecycle(repos: ServedRepos, event: string, payload: Json): Promise<string | undefined> {
  const action = str(payload.action);
  if (event === "installation") {
    const inst = obj(payload.installation);
    const label = `installation ${String(inst.id ?? "?")} (${str(obj(inst.account).login) || "?"})`;
    const listed = names(payload.repositories);
    if (action === "deleted" || action === "suspend") {
      const account = str(obj(inst.account).login).toLowerCase();
      // With "all repositories" the payload may list none: every repository of the account goes.
      const ours = repos.all().map((r) => r.fullName).filter((n) => account && n.toLowerCase().startsWith(`${account}/`));
      for (const name of new Set([...listed, ...ours])) await repos.stop(name, `${label} ${action === "deleted" ? "uninstalled" : "suspended"}`);
      return `${label} ${action}: its repositories are no longer served`;
    }
    if (action === "created" || action === "unsuspend" || action === "new_permissions_accepted") {
      for (const name of listed) repos.start(name, `${label} ${action}`);
      return `${label} ${action}`;
    }
    return `${label} ${action}: nothing to do`;
  }
  if (event === "installation_repositories") {
    const inst = obj(payload.installation);
    const label = `installation ${String(inst.id ?? "?")}`;
    for (const name of names(payload.repositories_added)) repos.start(name, `added to ${label}`);
    for (const name of names(payload.repositories_removed)) await repos.stop(name, `removed from ${label}`);
    return `${label}: repositories ${action}`;
  }
  if (event === "repository") {
    const repo = obj(payload.repository);
    const fullName = str(repo.full_name);
    const changes = obj(payload.changes);
    if (action === "renamed") {
      const from = str(obj(obj(changes.repository).name).from);
      const owner = fullName.split("/")[0] ?? "";
      if (from) await repos.renamed(`${owner}/${from}`, fullName, "renamed");
    } else if (action === "transferred") {
      const was = obj(obj(changes.owner).from);
      const fromOwner = str(obj(was.user).login) || str(obj(was.organization).login);
      const name = fullName.split("/")[1] ?? "";
      if (fromOwner) await repos.renamed(`${fromOwner}/${name}`, fullName, "transferred");
    } else if (action === "archived" || action === "deleted") {
      await repos.stop(fullName, action);
    } else if (action === "unarchived") {
      repos.start(fullName, action);
    }
    return `repository ${action}`;
  }
  return undefined;
}
