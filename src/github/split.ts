/** GitHub's comment size limit, and splitting long bodies across comments. */

/** GitHub refuses comment bodies longer than this many characters. */
export const COMMENT_LIMIT = 65_536;

const MARKER = /<!-- gitcrew:origin [^>]*-->/g;
/** Room kept per part for the continuation line, fences and the marker. */
const OVERHEAD = 400;

interface Fence {
  /** The opening fence as written again in the next part (backticks + info word). */
  line: string;
  ticks: number;
}

/** The fence still open at the end of `text`, if any. */
function openFence(text: string): Fence | undefined {
  let open: Fence | undefined;
  for (const line of text.split("\n")) {
    const m = /^\s{0,3}(`{3,})(\S*)/.exec(line);
    if (!m) continue;
    const ticks = (m[1] ?? "").length;
    if (!open) open = { line: `${m[1] ?? "```"}${(m[2] ?? "").slice(0, 30)}`, ticks };
    else if (ticks >= open.ticks && (m[2] ?? "") === "") open = undefined;
  }
  return open;
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
      chunk += `\n${"`".repeat(fence.ticks)}`;
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
  const markers = [...new Set(body.match(MARKER) ?? [])].join("\n");
  const text = body.replace(MARKER, "").trimEnd();
  const chunks = chunkText(text, limit - OVERHEAD - markers.length);
  return chunks.map((chunk, i) => {
    const head = i === 0 ? "" : `<sub>continued (${i + 1}/${chunks.length})</sub>\n\n`;
    const tail = i < chunks.length - 1 ? `\n\n<sub>continued below (${i + 1}/${chunks.length})</sub>` : "";
    return `${head}${chunk}${tail}${markers ? `\n\n${markers}` : ""}`;
  });
}
