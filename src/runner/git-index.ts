/**
 * The stat data git recorded in a worktree's index at checkout (version 2 and
 * 3; other versions give nothing). It lets the commit step skip reading files
 * the agent did not touch, as `git status` would, without running git on the
 * worktree. The index lives in the worktree's admin folder, out of the agent's reach.
 */
import { readFile } from "node:fs/promises";

export interface IndexStat {
  mtimeSec: number;
  mtimeNsec: number;
  ino: number;
  /** Size modulo 2^32, as git stores it. */
  size: number;
  id: string;
}

export async function readIndexStat(path: string, idBytes: number): Promise<Map<string, IndexStat>> {
  const out = new Map<string, IndexStat>();
  const buf = await readFile(path).catch(() => undefined);
  if (!buf || buf.length < 12 || buf.toString("latin1", 0, 4) !== "DIRC") return out;
  const version = buf.readUInt32BE(4);
  if (version !== 2 && version !== 3) return out;
  const count = buf.readUInt32BE(8);
  let at = 12;
  for (let i = 0; i < count; i++) {
    const fixed = 40 + idBytes + 2;
    if (at + fixed > buf.length) return new Map();
    const flags = buf.readUInt16BE(at + 40 + idBytes);
    const extended = version === 3 && (flags & 0x4000) !== 0;
    const nameAt = at + fixed + (extended ? 2 : 0);
    let nameLen = flags & 0xfff;
    if (nameLen === 0xfff) nameLen = buf.indexOf(0, nameAt) - nameAt;
    if (nameLen < 0 || nameAt + nameLen > buf.length) return new Map();
    const name = buf.toString("utf8", nameAt, nameAt + nameLen);
    // Stage 0 only (a conflicted index has no place here).
    if ((flags & 0x3000) === 0)
      out.set(name, {
        mtimeSec: buf.readUInt32BE(at + 8),
        mtimeNsec: buf.readUInt32BE(at + 12),
        ino: buf.readUInt32BE(at + 20),
        size: buf.readUInt32BE(at + 36),
        id: buf.toString("hex", at + 40, at + 40 + idBytes),
      });
    // Entries are padded with 1 to 8 NULs to a multiple of 8 bytes.
    const len = nameAt - at + nameLen;
    at += (len + 8) & ~7;
  }
  return out;
}
