/** Where sign-in returns to: a path on this server only, never another site. */

const MAX_NEXT = 512;
const PROBE = "http://gitcrew.invalid";

/**
 * `raw` when it is a path on this server, "/" when absent, else undefined.
 * Refused: `//host`, `/\host` (browsers read `\` as `/`), schemes, control
 * characters (parsers drop tabs and newlines, turning `/\t/host` into `//host`).
 */
export function safeNext(raw: string | null | undefined): string | undefined {
  if (raw === null || raw === undefined || raw === "") return "/";
  if (raw.length > MAX_NEXT || !raw.startsWith("/") || raw.startsWith("//") || raw.includes("\\")) return undefined;
  if (/[\u0000-\u0020\u007f-\u009f]/.test(raw)) return undefined;
  try {
    return new URL(raw, PROBE).origin === PROBE ? raw : undefined;
  } catch {
    return undefined;
  }
}
