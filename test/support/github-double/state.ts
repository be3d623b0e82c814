/** What the double remembers between requests. Plain records; JSON shapes live in objects.ts. */
import type { Permission } from "../../../src/events/trigger.js";

export type UserType = "User" | "Bot" | "Organization";

export interface UserRecord {
  login: string;
  id: number;
  type: UserType;
}

export interface LabelRecord {
  id: number;
  name: string;
  color: string;
  description: string | null;
}

export interface IssueRecord {
  number: number;
  id: number;
  title: string;
  body: string | null;
  user: string;
  state: "open" | "closed";
  stateReason: "completed" | "not_planned" | "reopened" | null;
  labels: string[];
  assignees: string[];
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  /** Set when this number is a pull request. */
  pull?: PullRecord;
}

export interface PullRecord {
  head: string;
  base: string;
  draft: boolean;
  /** Head sha recorded when merged or closed; open PRs read the live ref. */
  headSha: string;
  baseSha: string;
  merged: boolean;
  mergedAt: string | null;
  mergedBy: string | null;
  mergeCommitSha: string | null;
  maintainerCanModify: boolean;
}

export interface CommentRecord {
  id: number;
  issueNumber: number;
  body: string;
  user: string;
  createdAt: string;
  updatedAt: string;
}

export interface ReactionRecord {
  id: number;
  content: string;
  user: string;
  createdAt: string;
  target: { kind: "comment"; id: number } | { kind: "issue"; number: number } | { kind: "review_comment"; id: number };
}

/** A comment on a line of a pull request's diff (only what reactions and payloads need). */
export interface ReviewCommentRecord {
  id: number;
  pullNumber: number;
  body: string;
  user: string;
  path: string;
  line: number;
  createdAt: string;
}

export interface ReviewRecord {
  id: number;
  pullNumber: number;
  user: string;
  body: string;
  state: "APPROVED" | "CHANGES_REQUESTED" | "COMMENTED" | "PENDING" | "DISMISSED";
  commitId: string;
  submittedAt: string;
}

export interface CheckRunRecord {
  id: number;
  name: string;
  headSha: string;
  status: string;
  conclusion: string | null;
  startedAt: string;
  completedAt: string | null;
  detailsUrl: string | null;
  externalId: string | null;
  output: { title: string | null; summary: string | null; text: string | null };
}

export interface RepoRecord {
  id: number;
  owner: string;
  name: string;
  /** Bare git repository on disk: branches and commits live there. */
  bareDir: string;
  defaultBranch: string;
  private: boolean;
  createdAt: string;
  permissions: Map<string, Permission>;
  labels: Map<string, LabelRecord>;
  /** Issues and pull requests share one number sequence, as on GitHub. */
  issues: Map<number, IssueRecord>;
  nextNumber: number;
  comments: Map<number, CommentRecord>;
  reactions: ReactionRecord[];
  reviews: ReviewRecord[];
  reviewComments: Map<number, ReviewCommentRecord>;
  checkRuns: Map<number, CheckRunRecord>;
}

export interface InstallationRecord {
  id: number;
  appId: number;
  /** PEM public key the app's JWTs must verify against. */
  publicKey: string;
  /** The app's slug: its tokens act as `<slug>[bot]`. */
  appSlug: string;
  /** Owner (user or org) the app is installed on; its repositories are covered. */
  owner: string;
  /** "Only select repositories": the lower-case OWNER/NAMEs covered; absent = all of the owner's. */
  selected?: Set<string>;
  /** Every token issued, with the permissions asked for. */
  tokens: { token: string; permissions: Record<string, string> }[];
}

/** GitHub's timestamps have no milliseconds. */
export function isoNow(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
}

export class DoubleState {
  readonly users = new Map<string, UserRecord>();
  readonly repos = new Map<string, RepoRecord>();
  /** token → login, for authenticated requests. */
  readonly tokens = new Map<string, string>();
  /** Installation token → the permissions it was minted with (GitHub enforces them). */
  readonly tokenPermissions = new Map<string, Record<string, string>>();
  /** Installation token → the lower-case OWNER/NAMEs it was minted for, when it asked for some (GitHub hides the others' private data). */
  readonly tokenRepositories = new Map<string, Set<string>>();
  readonly installations = new Map<number, InstallationRecord>();
  private nextId = 1000;

  id(): number {
    return this.nextId++;
  }

  user(login: string, type: UserType = login.endsWith("[bot]") ? "Bot" : "User"): UserRecord {
    const found = this.users.get(login.toLowerCase());
    if (found) return found;
    const created: UserRecord = { login, id: this.id(), type };
    this.users.set(login.toLowerCase(), created);
    return created;
  }

  repo(owner: string, name: string): RepoRecord | undefined {
    return this.repos.get(`${owner}/${name}`.toLowerCase());
  }
}
