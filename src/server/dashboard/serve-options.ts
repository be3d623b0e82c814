/** The dashboard's part of `gitcrew serve`'s settings: sign-in, the public URL, and permission lookups with the server's own GitHub access. */
import { GitHubAccess } from "../github-access.js";
import type { ServeSettings } from "../settings.js";
import { githubRoleLookup } from "./access.js";
import type { DashboardOptions } from "./index.js";

const GITHUB_API = "https://api.github.com";

export function dashboardSignIn(settings: ServeSettings, log: (line: string) => void): Pick<DashboardOptions, "oauth" | "publicUrl" | "roles"> {
  const apiUrl = settings.github.apiUrl ?? GITHUB_API;
  if (!settings.oauth) return settings.publicUrl ? { publicUrl: settings.publicUrl } : {};
  // Its own access object: lookups never wait behind a run's token, and App tokens are minted per repository as for planning.
  const access = new GitHubAccess(settings.github, log);
  return {
    oauth: { ...settings.oauth, webUrl: settings.githubWebUrl, apiUrl },
    ...(settings.publicUrl ? { publicUrl: settings.publicUrl } : {}),
    roles: githubRoleLookup(apiUrl, (repo) => access.token(repo)),
  };
}
