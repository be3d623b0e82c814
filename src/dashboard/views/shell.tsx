/** The frame around every page, and the pages shown without a session (pure). */
import type { ComponentChildren } from "preact";
import { safeAvatar } from "../safe-url.js";
import type { Route } from "../route.js";
import type { Session } from "../types.js";

const NAV: [string, string, Route["page"][]][] = [
  ["Runs", "#/runs", ["runs", "run"]],
  ["Queue", "#/queue", ["queue"]],
  ["Approvals", "#/approvals", ["approvals"]],
  ["Crew", "#/crew", ["crew"]],
  ["Health", "#/health", ["health"]],
];

export function Shell(props: { session: Session; page: Route["page"]; onSignOut(): void; children: ComponentChildren }) {
  const avatar = safeAvatar(props.session.avatarUrl);
  return (
    <>
      <header class="top">
        <a class="brand" href="#/runs">
          gitcrew
        </a>
        <nav>
          {NAV.map(([text, href, pages]) => (
            <a key={href} href={href} aria-current={pages.includes(props.page) ? "page" : undefined}>
              {text}
            </a>
          ))}
        </nav>
        <div class="who">
          {avatar ? <img src={avatar} alt="" width={20} height={20} /> : null}
          <span data-testid="login">{props.session.login}</span>
          <button type="button" class="link" onClick={props.onSignOut}>
            Sign out
          </button>
        </div>
      </header>
      <main>{props.children}</main>
    </>
  );
}

/** `next` is where the browser returns after signing in: this page's own path and hash. */
export function SignedOut(props: { next: string; expired?: boolean }) {
  return (
    <main class="center">
      <h1>gitcrew</h1>
      {props.expired ? <p role="status">Your session has ended.</p> : null}
      <p>Sign in to see the runs, the queue, approvals, the crew and the server's health.</p>
      <p>
        <a class="button" href={`/auth/login?next=${encodeURIComponent(props.next)}`}>
          Sign in with GitHub
        </a>
      </p>
    </main>
  );
}

export function NotConfigured() {
  return (
    <main class="center">
      <h1>gitcrew</h1>
      <p role="status">Sign-in is not configured on this server.</p>
      <p class="muted">
        Start <code>gitcrew serve</code> with <code>--oauth-client-id</code>, <code>--oauth-client-secret-file</code> and <code>--public-url</code> to sign in here
        with GitHub. Scripts keep using the API token (<code>gitcrew ps</code>, <code>gitcrew logs</code>).
      </p>
    </main>
  );
}

export function Failed(props: { message: string; onRetry(): void }) {
  return (
    <main class="center">
      <h1>gitcrew</h1>
      <p role="alert">{props.message}</p>
      <button type="button" onClick={props.onRetry}>
        Try again
      </button>
    </main>
  );
}
