/** GitHub's comment size limit, and splitting long bodies across comments. */
import { splitMarkers } from "./marker.js";

/** GitHub refuses comment bodies longer than this many characters. */
export const COMMENT_LIMIT = 65_536;

/** Room kept per part for the continuation line, fences and the marker. */
const OVERHEAD = 400;

interface Fence {
  /** The opening fence as written again in the next part (backticks or tildes + info word). */
  line: string;
  /** The closing fence. */
  close: string;
}

/** The fence still open at the end of `text`, if any. */
function openFence(text: string): Fence | undefined {
  let open: (Fence & { char: string; ticks: number }) | undefined;
  for (const line of text.split("\n")) {
    const m = /^\s{0,3}(`{3,}|~{3,})(\S*)/.exec(line);
    if (!m?.[1]) continue;
    const char = m[1][0] ?? "`";
    const ticks = m[1].length;
    if (!open) open = { line: `${m[1]}${(m[2] ?? "").slice(0, 30)}`, close: m[1], char, ticks };
    else if (char === open.char && ticks >= open.ticks && (m[2] ?? "") === "") open = undefined;
  }
  return open;
}

/** Answers longer than this are cut before posting: at most about four comments (a 10 MB answer was 155). */
export const ANSWER_LIMIT = 200_000;

/**
 * `text` cut to at most `max` characters (plus a closing fence), at a line end
 * where possible and never inside a surrogate pair; `cut` is how many
 * characters were left out (0 when none).
 */
export function clipAnswer(text: string, max = ANSWER_LIMIT): { text: string; cut: number } {
  if (text.length <= max) return { text, cut: 0 };
  let at = text.lastIndexOf("\n", max);
  if (at < max / 2) at = max;
  const code = text.charCodeAt(at - 1);
  if (code >= 0xd800 && code <= 0xdbff) at--;
  let kept = text.slice(0, at);
  // A fence left open would swallow whatever gitcrew says after the answer.
  const fence = openFence(kept);
  if (fence) kept += `\n${fence.close}`;
  return { text: kept, cut: text.length - at };
}

/**
 * Cuts `text` into pieces of at most `budget` characters, at line ends where
 * possible, never inside a surrogate pair, closing a code fence at the end
 * of a piece and reopening it at the start of the next.
 */
export function chunkText(text: string, budget: number): string[] {
  const parts: string[] = [];
  let rest = text;
  let reopen = "";
  while (rest.length > 0) {
    const room = budget - reopen.length - 40;
    if (room < 100) throw new Error(`chunkText: budget ${budget} is too small`);
    let piece: string;
    if (rest.length <= room) {
      piece = rest;
      rest = "";
    } else {
      let cut = rest.lastIndexOf("\n", room);
      if (cut < room / 2) cut = room;
      const code = rest.charCodeAt(cut - 1);
      if (code >= 0xd800 && code <= 0xdbff) cut--;
      piece = rest.slice(0, cut);
      rest = rest.slice(cut).replace(/^\n/, "");
    }
    let chunk = reopen + piece;
    const fence = rest ? openFence(chunk) : undefined;
    if (fence) {
      chunk += `\n${fence.close}`;
      reopen = `${fence.line}\n`;
    } else reopen = "";
    parts.push(chunk);
  }
  return parts;
}

/**
 * Splits a comment body that is too long for one comment. The gitcrew
 * marker is carried into every part, so each part is known as the agent's.
 */
export function splitBody(body: string, limit = COMMENT_LIMIT): string[] {
  if (body.length <= limit) return [body];
  // gitcrew's trailing marker block goes into every part; markers elsewhere are text (marker.ts).
  const block = splitMarkers(body);
  const markers = block.markers.join("\n");
  const text = block.text.trimEnd();
  const chunks = chunkText(text, limit - OVERHEAD - markers.length);
  return chunks.map((chunk, i) => {
    const head = i === 0 ? "" : `<sub>continued (${i + 1}/${chunks.length})</sub>\n\n`;
    const tail = i < chunks.length - 1 ? `\n\n<sub>continued below (${i + 1}/${chunks.length})</sub>` : "";
    return `${head}${chunk}${tail}${markers ? `\n\n${markers}` : ""}`;
  });
}
