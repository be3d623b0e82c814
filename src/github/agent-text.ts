/**
 * Text an agent wrote (its answer, status line, approval what/why), made safe
 * to embed in what gitcrew posts as itself. Called once, at each place that
 * embeds it (render.ts, the PR bodies of execute.ts and open-requests.ts).
 *
 * `<!--` never survives: a zero-width space goes between `<` and `!`, so the
 * text reads the same on GitHub (in prose and in code) but opens no HTML
 * comment, and therefore can never be or hide a gitcrew marker
 * (src/github/marker.ts). Other sinks add their own rules on top (terminal
 * escapes, workflow commands).
 */
const COMMENT_OPEN = /<!--/g;

export function neutralizeAgentText(text: string): string {
  return text.replace(COMMENT_OPEN, "<\u200B!--");
}
