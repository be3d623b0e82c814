/**
 * Sign-in sessions: a random 32-byte cookie value; the store keeps its sha256
 * only (store/sessions.ts), so every instance on one database accepts it and
 * a read of the table signs nobody in. The CSRF token is separate and random.
 */
import { createHash, randomBytes } from "node:crypto";
import type { SessionRecord } from "../../store/sessions.js";
import type { Store } from "../../store/types.js";
import { SESSION_COOKIE, SESSION_SECONDS, clearCookie, readCookie, setCookie } from "./cookies.js";

export interface GitHubUser {
  login: string;
  id: number;
  avatarUrl?: string;
}

export interface ActiveSession {
  idHash: string;
  session: SessionRecord;
}

export const hashSessionId = (value: string): string => createHash("sha256").update(value).digest("hex");

/** A cookie value is 32 random bytes in base64url: 43 characters. */
const SESSION_VALUE = /^[A-Za-z0-9_-]{43}$/;

export class SessionKeeper {
  constructor(
    private readonly store: Store,
    private readonly now: () => number,
    private readonly secure: boolean,
  ) {}

  /** A new session for `user`: its cookie (the only place the value ever is). */
  async start(user: GitHubUser): Promise<string> {
    const value = randomBytes(32).toString("base64url");
    const now = this.now();
    await this.store.sessions.prune(now).catch(() => 0);
    await this.store.sessions.create(hashSessionId(value), {
      login: user.login,
      userId: user.id,
      ...(user.avatarUrl ? { avatarUrl: user.avatarUrl } : {}),
      csrf: randomBytes(24).toString("base64url"),
      createdAt: now,
      expiresAt: now + SESSION_SECONDS * 1000,
    });
    return setCookie(SESSION_COOKIE, value, { path: "/", maxAge: SESSION_SECONDS, secure: this.secure });
  }

  /** The session a request's cookie names, when it is one of ours and has not expired. */
  async resolve(cookieHeader: string | undefined): Promise<ActiveSession | undefined> {
    const value = readCookie(cookieHeader, SESSION_COOKIE);
    if (!value || !SESSION_VALUE.test(value)) return undefined;
    const idHash = hashSessionId(value);
    const session = await this.store.sessions.get(idHash, this.now());
    return session ? { idHash, session } : undefined;
  }

  hasCookie(cookieHeader: string | undefined): boolean {
    return /(?:^|;)\s*gitcrew_session=/.test(cookieHeader ?? "");
  }

  async end(idHash: string): Promise<string> {
    await this.store.sessions.remove(idHash);
    return this.clear();
  }

  clear(): string {
    return clearCookie(SESSION_COOKIE, { path: "/", secure: this.secure });
  }
}
