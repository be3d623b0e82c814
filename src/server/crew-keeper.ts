/**
 * The crew a server plans with: read from origin's default branch at start,
 * again on a push to the default branch that touches `.gitcrew/`, and on a
 * periodic fetch as a fallback. A broken crew never replaces a good one: the
 * last good crew keeps running, and /readyz and the log say what is wrong.
 */
import { simpleGit } from "simple-git";
import { loadCrew } from "../crew/load.js";
import { snapshotFromGit } from "../crew/snapshot.js";
import type { Crew, Problem } from "../crew/types.js";
import { fetchDefaultBranch } from "../pipeline/crew-source.js";
import { errorMessage } from "../util/errors.js";
import type { Readiness } from "./pipeline.js";

export interface CrewState {
  crew?: Crew;
  /** Commit of the default branch the crew was read from. */
  commit?: string;
  /** When that crew was loaded (epoch ms; the dashboard's crew page). */
  loadedAt?: number;
  /** What is wrong with the newest commit, when its crew could not be used. */
  problem?: string;
  /** Commit the problem was found at. */
  problemCommit?: string;
}

const MAX_PROBLEMS_SHOWN = 5;

export function describeProblems(problems: Problem[]): string {
  const shown = problems.slice(0, MAX_PROBLEMS_SHOWN).map((p) => `${p.file}:${p.line}:${p.column}: ${p.message}`);
  const more = problems.length > MAX_PROBLEMS_SHOWN ? `; and ${problems.length - MAX_PROBLEMS_SHOWN} more` : "";
  return shown.join("; ") + more;
}

export class CrewKeeper {
  private state: CrewState = {};
  private chain: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly repoDir: string,
    public branch: string,
    private readonly env: NodeJS.ProcessEnv,
    private readonly log: (line: string) => void,
  ) {}

  get current(): CrewState {
    return this.state;
  }

  /** Fetch the default branch and load its crew when the commit changed. One reload at a time. */
  reload(why: string): Promise<CrewState> {
    const next = this.chain.then(() => this.load(why));
    this.chain = next.catch(() => undefined);
    return next;
  }

  private async load(why: string): Promise<CrewState> {
    const ref = await fetchDefaultBranch(this.repoDir, this.branch, this.log);
    const commit = (await simpleGit(this.repoDir).raw(["rev-parse", "--verify", `${ref}^{commit}`]).catch(() => "")).trim();
    if (!commit) {
      this.state = { ...this.state, problem: `the default branch "${this.branch}" has no commit in ${this.repoDir}`, problemCommit: undefined };
      this.log(`crew: ${this.state.problem}`);
      return this.state;
    }
    if (commit === this.state.commit || commit === this.state.problemCommit) return this.state;
    let problem: string | undefined;
    try {
      const result = await loadCrew(await snapshotFromGit(this.repoDir, commit), this.env);
      if (result.crew && result.errors.length === 0) {
        const agents = result.crew.agents.map((a) => a.name).join(", ") || "no agents";
        const was = this.state.commit;
        this.state = { crew: result.crew, commit, loadedAt: Date.now() };
        this.log(`crew: loaded from ${this.branch} at ${commit.slice(0, 12)} (${why}): ${agents}${was ? ` (was ${was.slice(0, 12)})` : ""}`);
        return this.state;
      }
      problem = describeProblems(result.errors) || "the crew could not be loaded";
    } catch (err) {
      problem = errorMessage(err);
    }
    this.state = { ...this.state, problem, problemCommit: commit };
    this.log(
      `crew: ${this.branch} at ${commit.slice(0, 12)} is broken (${why}): ${problem}; ` +
        (this.state.crew ? `still running the last good crew from ${this.state.commit?.slice(0, 12)}` : "no crew to run until it is fixed"),
    );
    return this.state;
  }

  readiness(): Readiness {
    const s = this.state;
    if (!s.crew) return { ready: false, reason: s.problem ? `no usable crew on ${this.branch}: ${s.problem}` : `the crew on ${this.branch} is not loaded yet` };
    if (s.problem) {
      return {
        ready: false,
        reason: `the crew on ${this.branch} at ${s.problemCommit?.slice(0, 12) ?? "?"} is broken (${s.problem}); running the last good crew from ${s.commit?.slice(0, 12)}`,
      };
    }
    return { ready: true };
  }
}
