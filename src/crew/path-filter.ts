/** Path globs for trigger path filters: `*` within a segment, `**` across, `?` one character. */
export function globToRegExp(glob: string): RegExp {
  let re = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] as string;
    if (c === "*" && glob[i + 1] === "*") {
      re += glob[i + 2] === "/" ? "(?:.*/)?" : ".*";
      i += glob[i + 2] === "/" ? 2 : 1;
    } else if (c === "*") re += "[^/]*";
    else if (c === "?") re += "[^/]";
    else re += c.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  // A pattern without a slash matches at any depth, like .gitignore.
  return new RegExp(glob.includes("/") ? `^${re.replace(/^\//, "")}$` : `^(?:.*/)?${re}$`);
}

export function anyMatch(globs: string[], files: string[]): string | undefined {
  const res = globs.map(globToRegExp);
  return files.find((f) => res.some((r) => r.test(f)));
}
