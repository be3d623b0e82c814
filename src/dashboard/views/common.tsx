/** Small pieces shared by the views. Every string is rendered as text (Preact escapes it). */
import type { ComponentChildren } from "preact";
import { safeLink } from "../safe-url.js";

/** A link to GitHub when the URL passes safeLink, else the text alone. */
export function External(props: { href: unknown; webUrl?: string | undefined; children: ComponentChildren }) {
  const href = safeLink(props.href, props.webUrl);
  return href ? (
    <a href={href} target="_blank" rel="noopener noreferrer">
      {props.children}
    </a>
  ) : (
    <span>{props.children}</span>
  );
}

export function Status(props: { status: string }) {
  return (
    <span class={`status status-${/^[a-z_]+$/.test(props.status) ? props.status : "unknown"}`} data-testid="status">
      {props.status}
    </span>
  );
}

export function Alert(props: { message: string | undefined }) {
  return props.message ? (
    <p class="alert" role="alert">
      {props.message}
    </p>
  ) : null;
}

export function Loading() {
  return <p class="muted">Loading…</p>;
}

/** A table's body, or one row saying there is nothing. */
export function Empty(props: { columns: number; text: string }) {
  return (
    <tr>
      <td colSpan={props.columns} class="muted">
        {props.text}
      </td>
    </tr>
  );
}
