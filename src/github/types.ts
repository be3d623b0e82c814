/** The GitHub surface the rest of gitcrew uses; Octokit stays behind it. */
import type { Permission } from "../events/trigger.js";

export interface RepoId {
  owner: string;
  repo: string;
}

export interface CommentRef {
  id: number;
  /** The comment's page on GitHub. */
  url: string;
}

export interface ThreadComment {
  id: number;
  author: string;
  authorType: string;
  body: string;
  createdAt: string;
  url: string;
}

export interface ThreadComments {
  /** The most recent comments, oldest first. */
  comments: ThreadComment[];
  /** Older comments left out by the bound. */
  omitted: number;
}

export interface PullFile {
  filename: string;
  status: string;
  additions: number;
  deletions: number;
}

export interface PullRequestRef {
  number: number;
  url: string;
  /** False when an open PR from the same branch was updated instead. */
  created: boolean;
}

export interface PullRequestInput {
  /** The agent's branch, e.g. `gitcrew/dev/12`; never the default branch. */
  head: string;
  /** Defaults to the repository's default branch. */
  base?: string;
  title: string;
  body: string;
  /** Issue the PR resolves: adds `Closes #N` so merging closes it. */
  closes?: number;
  draft?: boolean;
}

export type CheckStatus = "queued" | "in_progress" | "completed";
export type CheckConclusion = "success" | "failure" | "neutral" | "cancelled" | "timed_out" | "action_required" | "skipped";

export interface CheckOutput {
  title: string;
  summary: string;
  text?: string;
}

export interface CheckRunInput {
  name: string;
  headSha: string;
  status?: CheckStatus;
  conclusion?: CheckConclusion;
  detailsUrl?: string;
  externalId?: string;
  output?: CheckOutput;
}

/** A pull request as listed (`pulls.list`): enough to find approval requests. */
export interface PullSummary {
  number: number;
  url: string;
  state: string;
  title: string;
  body: string;
  author: string;
  headRef: string;
  headSha: string;
  baseRef: string;
  labels: string[];
  merged: boolean;
  mergeCommitSha?: string;
  createdAt: string;
  closedAt?: string;
}

export type Reaction = "+1" | "-1" | "laugh" | "confused" | "heart" | "hooray" | "rocket" | "eyes";

/** An issue comment, an issue (or PR) itself, or a review comment on a line of a PR's diff. */
export type ReactionTarget = { commentId: number } | { issueNumber: number } | { reviewCommentId: number };

export interface GitHubClient {
  /** The login this client posts as, when GitHub says (a personal token); undefined for integration tokens. */
  selfLogin?(): Promise<string | undefined>;
  /** admin | maintain | write | triage | read | none, from the collaborator permission endpoint. */
  permissionOf(repo: RepoId, login: string): Promise<Permission>;
  react(repo: RepoId, target: ReactionTarget, content: Reaction): Promise<void>;
  /** One comment; bodies above GitHub's limit are refused (use `postComments`). */
  createComment(repo: RepoId, issueNumber: number, body: string): Promise<CommentRef>;
  /** A body of any length, split across as many comments as GitHub's limit needs. */
  postComments(repo: RepoId, issueNumber: number, body: string): Promise<CommentRef[]>;
  updateComment(repo: RepoId, commentId: number, body: string): Promise<CommentRef>;
  deleteComment(repo: RepoId, commentId: number): Promise<void>;
  /** The last `max` comments of a thread (default 50), oldest first. */
  listComments(repo: RepoId, issueNumber: number, opts?: { max?: number }): Promise<ThreadComments>;
  /** Files of a pull request, at most `max` (default 300). */
  listPullFiles(repo: RepoId, pullNumber: number, opts?: { max?: number }): Promise<{ files: PullFile[]; omitted: number }>;
  defaultBranch(repo: RepoId): Promise<string>;
  /** The pull request as GitHub returns it (for `withPullRequest`: head, fork, merge state). */
  getPullRequest(repo: RepoId, pullNumber: number): Promise<unknown>;
  openOrUpdatePullRequest(repo: RepoId, pr: PullRequestInput): Promise<PullRequestRef>;
  /** Adds labels to an issue or pull request. */
  addLabels?(repo: RepoId, issueNumber: number, labels: string[]): Promise<void>;
  /** The issue (or the issue view of a PR) as GitHub returns it. */
  getIssue?(repo: RepoId, issueNumber: number): Promise<unknown>;
  /** Pull requests by state (and exact head branch), newest first, at most `max` (default 100). */
  listPullRequests?(repo: RepoId, opts: { state: "open" | "closed" | "all"; head?: string; max?: number }): Promise<PullSummary[]>;
  /** Whether `login` is an active member of `org/team` (GitHub App/token needs members: read). */
  isTeamMember?(org: string, team: string, login: string): Promise<boolean>;
  createCheckRun(repo: RepoId, check: CheckRunInput): Promise<{ id: number; url: string }>;
  updateCheckRun(repo: RepoId, id: number, check: Partial<CheckRunInput>): Promise<void>;
}
