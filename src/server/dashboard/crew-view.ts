/** The crews a server runs, as the dashboard's crew page shows them (no instructions, no secrets' values: names only). */
import { UNKNOWN_REPO } from "../../store/repo-key.js";
import type { ServedRepo } from "../served-repos.js";
import type { CrewView } from "./routes.js";
import { approverNames } from "./approvals-view.js";

export function crewViews(repos: ServedRepo[]): CrewView[] {
  return repos
    .filter((r) => r.keeper)
    .map((r) => {
      const state = r.keeper!.current;
      return {
        // A --repo clone whose origin is a path learns its name from its first webhook.
        repo: r.fullName || UNKNOWN_REPO,
        ...(state.loadedAt !== undefined ? { loadedAt: state.loadedAt } : {}),
        ...(state.commit ? { sha: state.commit } : {}),
        problems: state.problem ? [state.problem] : [],
        agents: (state.crew?.agents ?? []).map((a) => ({
          name: a.name,
          runtime: a.runtime,
          ...(a.model ? { model: a.model } : {}),
          triggers: a.triggers,
          limits: a.limits,
          concurrency: a.concurrency,
          allow: a.allow,
        })),
        ...(state.crew ? { approvers: approverNames(state.crew.config.approvers) } : {}),
      };
    });
}
