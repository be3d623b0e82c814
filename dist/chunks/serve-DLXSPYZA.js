import { createRequire as __gitcrewCreateRequire } from "node:module";
const require = __gitcrewCreateRequire(import.meta.url);
import {
  UNKNOWN_REPO,
  parseRepoList,
  repoKey,
  repoNameProblem,
  repoOfPayload,
  repoOfThreadKey
} from "./chunk-ZEU2GWSI.js";
import {
  FINAL_STATUSES,
  RUN_STATUSES
} from "./chunk-5JPDJB34.js";
import {
  removeServerFile,
  writeServerFile
} from "./chunk-5HJXHEJH.js";
import {
  APPROVAL_LABEL,
  GitHubError,
  REJECTED_REF_PREFIX,
  RESOLVED_LABEL,
  TrackingComment,
  approvalBranch,
  approvalId,
  approvalPath,
  changedPaths,
  clip,
  commitIdentity,
  commitsBetween,
  createGitHubClient,
  createOctokit,
  describeRequest,
  diff,
  ensureCommit,
  firstParent,
  gitRun,
  idFromBranch,
  installationToken,
  neutralizeAgentText,
  parseRequest,
  pushFiles,
  pushRef,
  recordOutcome,
  renderFinal,
  renderRequest,
  renderWorking,
  repoFromOrigin,
  revParse,
  showFile
} from "./chunk-GDYOQ7CJ.js";
import {
  runCostOf
} from "./chunk-IGJC2BDY.js";
import "./chunk-BYIYRQLH.js";
import {
  require_dist
} from "./chunk-ISYIODF4.js";
import {
  DEFAULT_SELF_LOGINS,
  PayloadReader,
  authorize,
  crewRoutesEdits,
  inline,
  normalize,
  parseMentions,
  permissionAtLeast,
  plan,
  readIssueThread,
  route,
  stripHidden,
  textFields,
  whoCanApprove,
  withPullRequest
} from "./chunk-EHQBMD4V.js";
import {
  approvalMarker,
  doneMarker,
  followUpMarker,
  hasDoneMarker,
  originMarker,
  parseApprovalMarker,
  parseFollowUpMarkers,
  parseOrigin,
  parseRefusalMarkers,
  readSessions,
  refusalMarker,
  textHash
} from "./chunk-GWDRLLF3.js";
import {
  Runner,
  workflowPath
} from "./chunk-TXUUBNLV.js";
import {
  connectDocker,
  require_src
} from "./chunk-QYJ4L7FF.js";
import {
  gitcrewHome,
  newRunId
} from "./chunk-N5XJEPJ3.js";
import "./chunk-YFIKI3HB.js";
import "./chunk-WTGBNDXC.js";
import {
  BUILTIN_COMMANDS,
  cronMatches,
  loadCrew,
  parseCron,
  reservedSecretReason,
  snapshotFromGit
} from "./chunk-EYNVMV6C.js";
import "./chunk-ZNFD3J2A.js";
import "./chunk-4MEYDY32.js";
import {
  agentLogLine,
  oneLine,
  ownLogNote,
  terminalSafe
} from "./chunk-HAGKOCQO.js";
import {
  parseFlags
} from "./chunk-S5X7QBCU.js";
import "./chunk-N64I43M3.js";
import {
  EXIT,
  EnvironmentError,
  GitcrewError,
  InputError,
  UsageError,
  errorMessage
} from "./chunk-QEBERIHX.js";
import "./chunk-EXRZMCQP.js";
import "./chunk-MAJZWNHV.js";
import {
  __commonJS,
  __require,
  __toESM
} from "./chunk-7Q4FUQQA.js";

// node_modules/postgres-array/index.js
var require_postgres_array = __commonJS({
  "node_modules/postgres-array/index.js"(exports) {
    "use strict";
    exports.parse = function(source, transform) {
      return new ArrayParser(source, transform).parse();
    };
    var ArrayParser = class _ArrayParser {
      constructor(source, transform) {
        this.source = source;
        this.transform = transform || identity;
        this.position = 0;
        this.entries = [];
        this.recorded = [];
        this.dimension = 0;
      }
      isEof() {
        return this.position >= this.source.length;
      }
      nextCharacter() {
        var character = this.source[this.position++];
        if (character === "\\") {
          return {
            value: this.source[this.position++],
            escaped: true
          };
        }
        return {
          value: character,
          escaped: false
        };
      }
      record(character) {
        this.recorded.push(character);
      }
      newEntry(includeEmpty) {
        var entry;
        if (this.recorded.length > 0 || includeEmpty) {
          entry = this.recorded.join("");
          if (entry === "NULL" && !includeEmpty) {
            entry = null;
          }
          if (entry !== null) entry = this.transform(entry);
          this.entries.push(entry);
          this.recorded = [];
        }
      }
      consumeDimensions() {
        if (this.source[0] === "[") {
          while (!this.isEof()) {
            var char = this.nextCharacter();
            if (char.value === "=") break;
          }
        }
      }
      parse(nested) {
        var character, parser, quote;
        this.consumeDimensions();
        while (!this.isEof()) {
          character = this.nextCharacter();
          if (character.value === "{" && !quote) {
            this.dimension++;
            if (this.dimension > 1) {
              parser = new _ArrayParser(this.source.substr(this.position - 1), this.transform);
              this.entries.push(parser.parse(true));
              this.position += parser.position - 2;
            }
          } else if (character.value === "}" && !quote) {
            this.dimension--;
            if (!this.dimension) {
              this.newEntry();
              if (nested) return this.entries;
            }
          } else if (character.value === '"' && !character.escaped) {
            if (quote) this.newEntry(true);
            quote = !quote;
          } else if (character.value === "," && !quote) {
            this.newEntry();
          } else {
            this.record(character.value);
          }
        }
        if (this.dimension !== 0) {
          throw new Error("array dimension not balanced");
        }
        return this.entries;
      }
    };
    function identity(value) {
      return value;
    }
  }
});

// node_modules/pg-types/lib/arrayParser.js
var require_arrayParser = __commonJS({
  "node_modules/pg-types/lib/arrayParser.js"(exports, module) {
    var array = require_postgres_array();
    module.exports = {
      create: function(source, transform) {
        return {
          parse: function() {
            return array.parse(source, transform);
          }
        };
      }
    };
  }
});

// node_modules/postgres-date/index.js
var require_postgres_date = __commonJS({
  "node_modules/postgres-date/index.js"(exports, module) {
    "use strict";
    var DATE_TIME = /(\d{1,})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(\.\d{1,})?.*?( BC)?$/;
    var DATE = /^(\d{1,})-(\d{2})-(\d{2})( BC)?$/;
    var TIME_ZONE = /([Z+-])(\d{2})?:?(\d{2})?:?(\d{2})?/;
    var INFINITY = /^-?infinity$/;
    module.exports = function parseDate(isoDate) {
      if (INFINITY.test(isoDate)) {
        return Number(isoDate.replace("i", "I"));
      }
      var matches = DATE_TIME.exec(isoDate);
      if (!matches) {
        return getDate(isoDate) || null;
      }
      var isBC = !!matches[8];
      var year = parseInt(matches[1], 10);
      if (isBC) {
        year = bcYearToNegativeYear(year);
      }
      var month = parseInt(matches[2], 10) - 1;
      var day = matches[3];
      var hour = parseInt(matches[4], 10);
      var minute = parseInt(matches[5], 10);
      var second = parseInt(matches[6], 10);
      var ms2 = matches[7];
      ms2 = ms2 ? 1e3 * parseFloat(ms2) : 0;
      var date;
      var offset = timeZoneOffset(isoDate);
      if (offset != null) {
        date = new Date(Date.UTC(year, month, day, hour, minute, second, ms2));
        if (is0To99(year)) {
          date.setUTCFullYear(year);
        }
        if (offset !== 0) {
          date.setTime(date.getTime() - offset);
        }
      } else {
        date = new Date(year, month, day, hour, minute, second, ms2);
        if (is0To99(year)) {
          date.setFullYear(year);
        }
      }
      return date;
    };
    function getDate(isoDate) {
      var matches = DATE.exec(isoDate);
      if (!matches) {
        return;
      }
      var year = parseInt(matches[1], 10);
      var isBC = !!matches[4];
      if (isBC) {
        year = bcYearToNegativeYear(year);
      }
      var month = parseInt(matches[2], 10) - 1;
      var day = matches[3];
      var date = new Date(year, month, day);
      if (is0To99(year)) {
        date.setFullYear(year);
      }
      return date;
    }
    function timeZoneOffset(isoDate) {
      if (isoDate.endsWith("+00")) {
        return 0;
      }
      var zone = TIME_ZONE.exec(isoDate.split(" ")[1]);
      if (!zone) return;
      var type = zone[1];
      if (type === "Z") {
        return 0;
      }
      var sign = type === "-" ? -1 : 1;
      var offset = parseInt(zone[2], 10) * 3600 + parseInt(zone[3] || 0, 10) * 60 + parseInt(zone[4] || 0, 10);
      return offset * sign * 1e3;
    }
    function bcYearToNegativeYear(year) {
      return -(year - 1);
    }
    function is0To99(num2) {
      return num2 >= 0 && num2 < 100;
    }
  }
});

// node_modules/xtend/mutable.js
var require_mutable = __commonJS({
  "node_modules/xtend/mutable.js"(exports, module) {
    module.exports = extend;
    var hasOwnProperty = Object.prototype.hasOwnProperty;
    function extend(target) {
      for (var i = 1; i < arguments.length; i++) {
        var source = arguments[i];
        for (var key2 in source) {
          if (hasOwnProperty.call(source, key2)) {
            target[key2] = source[key2];
          }
        }
      }
      return target;
    }
  }
});

// node_modules/postgres-interval/index.js
var require_postgres_interval = __commonJS({
  "node_modules/postgres-interval/index.js"(exports, module) {
    "use strict";
    var extend = require_mutable();
    module.exports = PostgresInterval;
    function PostgresInterval(raw) {
      if (!(this instanceof PostgresInterval)) {
        return new PostgresInterval(raw);
      }
      extend(this, parse(raw));
    }
    var properties = ["seconds", "minutes", "hours", "days", "months", "years"];
    PostgresInterval.prototype.toPostgres = function() {
      var filtered = properties.filter(this.hasOwnProperty, this);
      if (this.milliseconds && filtered.indexOf("seconds") < 0) {
        filtered.push("seconds");
      }
      if (filtered.length === 0) return "0";
      return filtered.map(function(property) {
        var value = this[property] || 0;
        if (property === "seconds" && this.milliseconds) {
          value = (value + this.milliseconds / 1e3).toFixed(6).replace(/\.?0+$/, "");
        }
        return value + " " + property;
      }, this).join(" ");
    };
    var propertiesISOEquivalent = {
      years: "Y",
      months: "M",
      days: "D",
      hours: "H",
      minutes: "M",
      seconds: "S"
    };
    var dateProperties = ["years", "months", "days"];
    var timeProperties = ["hours", "minutes", "seconds"];
    PostgresInterval.prototype.toISOString = PostgresInterval.prototype.toISO = function() {
      var datePart = dateProperties.map(buildProperty, this).join("");
      var timePart = timeProperties.map(buildProperty, this).join("");
      return "P" + datePart + "T" + timePart;
      function buildProperty(property) {
        var value = this[property] || 0;
        if (property === "seconds" && this.milliseconds) {
          value = (value + this.milliseconds / 1e3).toFixed(6).replace(/0+$/, "");
        }
        return value + propertiesISOEquivalent[property];
      }
    };
    var NUMBER = "([+-]?\\d+)";
    var YEAR = NUMBER + "\\s+years?";
    var MONTH = NUMBER + "\\s+mons?";
    var DAY2 = NUMBER + "\\s+days?";
    var TIME = "([+-])?([\\d]*):(\\d\\d):(\\d\\d)\\.?(\\d{1,6})?";
    var INTERVAL = new RegExp([YEAR, MONTH, DAY2, TIME].map(function(regexString) {
      return "(" + regexString + ")?";
    }).join("\\s*"));
    var positions = {
      years: 2,
      months: 4,
      days: 6,
      hours: 9,
      minutes: 10,
      seconds: 11,
      milliseconds: 12
    };
    var negatives = ["hours", "minutes", "seconds", "milliseconds"];
    function parseMilliseconds(fraction) {
      var microseconds = fraction + "000000".slice(fraction.length);
      return parseInt(microseconds, 10) / 1e3;
    }
    function parse(interval) {
      if (!interval) return {};
      var matches = INTERVAL.exec(interval);
      var isNegative = matches[8] === "-";
      return Object.keys(positions).reduce(function(parsed, property) {
        var position = positions[property];
        var value = matches[position];
        if (!value) return parsed;
        value = property === "milliseconds" ? parseMilliseconds(value) : parseInt(value, 10);
        if (!value) return parsed;
        if (isNegative && ~negatives.indexOf(property)) {
          value *= -1;
        }
        parsed[property] = value;
        return parsed;
      }, {});
    }
  }
});

// node_modules/postgres-bytea/index.js
var require_postgres_bytea = __commonJS({
  "node_modules/postgres-bytea/index.js"(exports, module) {
    "use strict";
    var bufferFrom = Buffer.from || Buffer;
    module.exports = function parseBytea(input) {
      if (/^\\x/.test(input)) {
        return bufferFrom(input.substr(2), "hex");
      }
      var output = "";
      var i = 0;
      while (i < input.length) {
        if (input[i] !== "\\") {
          output += input[i];
          ++i;
        } else {
          if (/[0-7]{3}/.test(input.substr(i + 1, 3))) {
            output += String.fromCharCode(parseInt(input.substr(i + 1, 3), 8));
            i += 4;
          } else {
            var backslashes = 1;
            while (i + backslashes < input.length && input[i + backslashes] === "\\") {
              backslashes++;
            }
            for (var k2 = 0; k2 < Math.floor(backslashes / 2); ++k2) {
              output += "\\";
            }
            i += Math.floor(backslashes / 2) * 2;
          }
        }
      }
      return bufferFrom(output, "binary");
    };
  }
});

// node_modules/pg-types/lib/textParsers.js
var require_textParsers = __commonJS({
  "node_modules/pg-types/lib/textParsers.js"(exports, module) {
    var array = require_postgres_array();
    var arrayParser = require_arrayParser();
    var parseDate = require_postgres_date();
    var parseInterval = require_postgres_interval();
    var parseByteA = require_postgres_bytea();
    function allowNull(fn2) {
      return function nullAllowed(value) {
        if (value === null) return value;
        return fn2(value);
      };
    }
    function parseBool(value) {
      if (value === null) return value;
      return value === "TRUE" || value === "t" || value === "true" || value === "y" || value === "yes" || value === "on" || value === "1";
    }
    function parseBoolArray(value) {
      if (!value) return null;
      return array.parse(value, parseBool);
    }
    function parseBaseTenInt(string) {
      return parseInt(string, 10);
    }
    function parseIntegerArray(value) {
      if (!value) return null;
      return array.parse(value, allowNull(parseBaseTenInt));
    }
    function parseBigIntegerArray(value) {
      if (!value) return null;
      return array.parse(value, allowNull(function(entry) {
        return parseBigInteger(entry).trim();
      }));
    }
    var parsePointArray = function(value) {
      if (!value) {
        return null;
      }
      var p2 = arrayParser.create(value, function(entry) {
        if (entry !== null) {
          entry = parsePoint(entry);
        }
        return entry;
      });
      return p2.parse();
    };
    var parseFloatArray = function(value) {
      if (!value) {
        return null;
      }
      var p2 = arrayParser.create(value, function(entry) {
        if (entry !== null) {
          entry = parseFloat(entry);
        }
        return entry;
      });
      return p2.parse();
    };
    var parseStringArray = function(value) {
      if (!value) {
        return null;
      }
      var p2 = arrayParser.create(value);
      return p2.parse();
    };
    var parseDateArray = function(value) {
      if (!value) {
        return null;
      }
      var p2 = arrayParser.create(value, function(entry) {
        if (entry !== null) {
          entry = parseDate(entry);
        }
        return entry;
      });
      return p2.parse();
    };
    var parseIntervalArray = function(value) {
      if (!value) {
        return null;
      }
      var p2 = arrayParser.create(value, function(entry) {
        if (entry !== null) {
          entry = parseInterval(entry);
        }
        return entry;
      });
      return p2.parse();
    };
    var parseByteAArray = function(value) {
      if (!value) {
        return null;
      }
      return array.parse(value, allowNull(parseByteA));
    };
    var parseInteger = function(value) {
      return parseInt(value, 10);
    };
    var parseBigInteger = function(value) {
      var valStr = String(value);
      if (/^\d+$/.test(valStr)) {
        return valStr;
      }
      return value;
    };
    var parseJsonArray = function(value) {
      if (!value) {
        return null;
      }
      return array.parse(value, allowNull(JSON.parse));
    };
    var parsePoint = function(value) {
      if (value[0] !== "(") {
        return null;
      }
      value = value.substring(1, value.length - 1).split(",");
      return {
        x: parseFloat(value[0]),
        y: parseFloat(value[1])
      };
    };
    var parseCircle = function(value) {
      if (value[0] !== "<" && value[1] !== "(") {
        return null;
      }
      var point = "(";
      var radius = "";
      var pointParsed = false;
      for (var i = 2; i < value.length - 1; i++) {
        if (!pointParsed) {
          point += value[i];
        }
        if (value[i] === ")") {
          pointParsed = true;
          continue;
        } else if (!pointParsed) {
          continue;
        }
        if (value[i] === ",") {
          continue;
        }
        radius += value[i];
      }
      var result = parsePoint(point);
      result.radius = parseFloat(radius);
      return result;
    };
    var init = function(register) {
      register(20, parseBigInteger);
      register(21, parseInteger);
      register(23, parseInteger);
      register(26, parseInteger);
      register(700, parseFloat);
      register(701, parseFloat);
      register(16, parseBool);
      register(1082, parseDate);
      register(1114, parseDate);
      register(1184, parseDate);
      register(600, parsePoint);
      register(651, parseStringArray);
      register(718, parseCircle);
      register(1e3, parseBoolArray);
      register(1001, parseByteAArray);
      register(1005, parseIntegerArray);
      register(1007, parseIntegerArray);
      register(1028, parseIntegerArray);
      register(1016, parseBigIntegerArray);
      register(1017, parsePointArray);
      register(1021, parseFloatArray);
      register(1022, parseFloatArray);
      register(1231, parseFloatArray);
      register(1014, parseStringArray);
      register(1015, parseStringArray);
      register(1008, parseStringArray);
      register(1009, parseStringArray);
      register(1040, parseStringArray);
      register(1041, parseStringArray);
      register(1115, parseDateArray);
      register(1182, parseDateArray);
      register(1185, parseDateArray);
      register(1186, parseInterval);
      register(1187, parseIntervalArray);
      register(17, parseByteA);
      register(114, JSON.parse.bind(JSON));
      register(3802, JSON.parse.bind(JSON));
      register(199, parseJsonArray);
      register(3807, parseJsonArray);
      register(3907, parseStringArray);
      register(2951, parseStringArray);
      register(791, parseStringArray);
      register(1183, parseStringArray);
      register(1270, parseStringArray);
    };
    module.exports = {
      init
    };
  }
});

// node_modules/pg-int8/index.js
var require_pg_int8 = __commonJS({
  "node_modules/pg-int8/index.js"(exports, module) {
    "use strict";
    var BASE = 1e6;
    function readInt8(buffer) {
      var high = buffer.readInt32BE(0);
      var low = buffer.readUInt32BE(4);
      var sign = "";
      if (high < 0) {
        high = ~high + (low === 0);
        low = ~low + 1 >>> 0;
        sign = "-";
      }
      var result = "";
      var carry;
      var t2;
      var digits;
      var pad;
      var l3;
      var i;
      {
        carry = high % BASE;
        high = high / BASE >>> 0;
        t2 = 4294967296 * carry + low;
        low = t2 / BASE >>> 0;
        digits = "" + (t2 - BASE * low);
        if (low === 0 && high === 0) {
          return sign + digits + result;
        }
        pad = "";
        l3 = 6 - digits.length;
        for (i = 0; i < l3; i++) {
          pad += "0";
        }
        result = pad + digits + result;
      }
      {
        carry = high % BASE;
        high = high / BASE >>> 0;
        t2 = 4294967296 * carry + low;
        low = t2 / BASE >>> 0;
        digits = "" + (t2 - BASE * low);
        if (low === 0 && high === 0) {
          return sign + digits + result;
        }
        pad = "";
        l3 = 6 - digits.length;
        for (i = 0; i < l3; i++) {
          pad += "0";
        }
        result = pad + digits + result;
      }
      {
        carry = high % BASE;
        high = high / BASE >>> 0;
        t2 = 4294967296 * carry + low;
        low = t2 / BASE >>> 0;
        digits = "" + (t2 - BASE * low);
        if (low === 0 && high === 0) {
          return sign + digits + result;
        }
        pad = "";
        l3 = 6 - digits.length;
        for (i = 0; i < l3; i++) {
          pad += "0";
        }
        result = pad + digits + result;
      }
      {
        carry = high % BASE;
        t2 = 4294967296 * carry + low;
        digits = "" + t2 % BASE;
        return sign + digits + result;
      }
    }
    module.exports = readInt8;
  }
});

// node_modules/pg-types/lib/binaryParsers.js
var require_binaryParsers = __commonJS({
  "node_modules/pg-types/lib/binaryParsers.js"(exports, module) {
    var parseInt64 = require_pg_int8();
    var parseBits = function(data, bits, offset, invert, callback) {
      offset = offset || 0;
      invert = invert || false;
      callback = callback || function(lastValue, newValue, bits2) {
        return lastValue * Math.pow(2, bits2) + newValue;
      };
      var offsetBytes = offset >> 3;
      var inv = function(value) {
        if (invert) {
          return ~value & 255;
        }
        return value;
      };
      var mask = 255;
      var firstBits = 8 - offset % 8;
      if (bits < firstBits) {
        mask = 255 << 8 - bits & 255;
        firstBits = bits;
      }
      if (offset) {
        mask = mask >> offset % 8;
      }
      var result = 0;
      if (offset % 8 + bits >= 8) {
        result = callback(0, inv(data[offsetBytes]) & mask, firstBits);
      }
      var bytes = bits + offset >> 3;
      for (var i = offsetBytes + 1; i < bytes; i++) {
        result = callback(result, inv(data[i]), 8);
      }
      var lastBits = (bits + offset) % 8;
      if (lastBits > 0) {
        result = callback(result, inv(data[bytes]) >> 8 - lastBits, lastBits);
      }
      return result;
    };
    var parseFloatFromBits = function(data, precisionBits, exponentBits) {
      var bias = Math.pow(2, exponentBits - 1) - 1;
      var sign = parseBits(data, 1);
      var exponent = parseBits(data, exponentBits, 1);
      if (exponent === 0) {
        return 0;
      }
      var precisionBitsCounter = 1;
      var parsePrecisionBits = function(lastValue, newValue, bits) {
        if (lastValue === 0) {
          lastValue = 1;
        }
        for (var i = 1; i <= bits; i++) {
          precisionBitsCounter /= 2;
          if ((newValue & 1 << bits - i) > 0) {
            lastValue += precisionBitsCounter;
          }
        }
        return lastValue;
      };
      var mantissa = parseBits(data, precisionBits, exponentBits + 1, false, parsePrecisionBits);
      if (exponent == Math.pow(2, exponentBits + 1) - 1) {
        if (mantissa === 0) {
          return sign === 0 ? Infinity : -Infinity;
        }
        return NaN;
      }
      return (sign === 0 ? 1 : -1) * Math.pow(2, exponent - bias) * mantissa;
    };
    var parseInt16 = function(value) {
      if (parseBits(value, 1) == 1) {
        return -1 * (parseBits(value, 15, 1, true) + 1);
      }
      return parseBits(value, 15, 1);
    };
    var parseInt32 = function(value) {
      if (parseBits(value, 1) == 1) {
        return -1 * (parseBits(value, 31, 1, true) + 1);
      }
      return parseBits(value, 31, 1);
    };
    var parseFloat32 = function(value) {
      return parseFloatFromBits(value, 23, 8);
    };
    var parseFloat64 = function(value) {
      return parseFloatFromBits(value, 52, 11);
    };
    var parseNumeric = function(value) {
      var sign = parseBits(value, 16, 32);
      if (sign == 49152) {
        return NaN;
      }
      var weight = Math.pow(1e4, parseBits(value, 16, 16));
      var result = 0;
      var digits = [];
      var ndigits = parseBits(value, 16);
      for (var i = 0; i < ndigits; i++) {
        result += parseBits(value, 16, 64 + 16 * i) * weight;
        weight /= 1e4;
      }
      var scale = Math.pow(10, parseBits(value, 16, 48));
      return (sign === 0 ? 1 : -1) * Math.round(result * scale) / scale;
    };
    var parseDate = function(isUTC, value) {
      var sign = parseBits(value, 1);
      var rawValue = parseBits(value, 63, 1);
      var result = new Date((sign === 0 ? 1 : -1) * rawValue / 1e3 + 9466848e5);
      if (!isUTC) {
        result.setTime(result.getTime() + result.getTimezoneOffset() * 6e4);
      }
      result.usec = rawValue % 1e3;
      result.getMicroSeconds = function() {
        return this.usec;
      };
      result.setMicroSeconds = function(value2) {
        this.usec = value2;
      };
      result.getUTCMicroSeconds = function() {
        return this.usec;
      };
      return result;
    };
    var parseArray = function(value) {
      var dim = parseBits(value, 32);
      var flags = parseBits(value, 32, 32);
      var elementType = parseBits(value, 32, 64);
      var offset = 96;
      var dims = [];
      for (var i = 0; i < dim; i++) {
        dims[i] = parseBits(value, 32, offset);
        offset += 32;
        offset += 32;
      }
      var parseElement = function(elementType2) {
        var length = parseBits(value, 32, offset);
        offset += 32;
        if (length == 4294967295) {
          return null;
        }
        var result;
        if (elementType2 == 23 || elementType2 == 20) {
          result = parseBits(value, length * 8, offset);
          offset += length * 8;
          return result;
        } else if (elementType2 == 25) {
          result = value.toString(this.encoding, offset >> 3, (offset += length << 3) >> 3);
          return result;
        } else {
          console.log("ERROR: ElementType not implemented: " + elementType2);
        }
      };
      var parse = function(dimension, elementType2) {
        var array = [];
        var i2;
        if (dimension.length > 1) {
          var count = dimension.shift();
          for (i2 = 0; i2 < count; i2++) {
            array[i2] = parse(dimension, elementType2);
          }
          dimension.unshift(count);
        } else {
          for (i2 = 0; i2 < dimension[0]; i2++) {
            array[i2] = parseElement(elementType2);
          }
        }
        return array;
      };
      return parse(dims, elementType);
    };
    var parseText = function(value) {
      return value.toString("utf8");
    };
    var parseBool = function(value) {
      if (value === null) return null;
      return parseBits(value, 8) > 0;
    };
    var init = function(register) {
      register(20, parseInt64);
      register(21, parseInt16);
      register(23, parseInt32);
      register(26, parseInt32);
      register(1700, parseNumeric);
      register(700, parseFloat32);
      register(701, parseFloat64);
      register(16, parseBool);
      register(1114, parseDate.bind(null, false));
      register(1184, parseDate.bind(null, true));
      register(1e3, parseArray);
      register(1007, parseArray);
      register(1016, parseArray);
      register(1008, parseArray);
      register(1009, parseArray);
      register(25, parseText);
    };
    module.exports = {
      init
    };
  }
});

// node_modules/pg-types/lib/builtins.js
var require_builtins = __commonJS({
  "node_modules/pg-types/lib/builtins.js"(exports, module) {
    module.exports = {
      BOOL: 16,
      BYTEA: 17,
      CHAR: 18,
      INT8: 20,
      INT2: 21,
      INT4: 23,
      REGPROC: 24,
      TEXT: 25,
      OID: 26,
      TID: 27,
      XID: 28,
      CID: 29,
      JSON: 114,
      XML: 142,
      PG_NODE_TREE: 194,
      SMGR: 210,
      PATH: 602,
      POLYGON: 604,
      CIDR: 650,
      FLOAT4: 700,
      FLOAT8: 701,
      ABSTIME: 702,
      RELTIME: 703,
      TINTERVAL: 704,
      CIRCLE: 718,
      MACADDR8: 774,
      MONEY: 790,
      MACADDR: 829,
      INET: 869,
      ACLITEM: 1033,
      BPCHAR: 1042,
      VARCHAR: 1043,
      DATE: 1082,
      TIME: 1083,
      TIMESTAMP: 1114,
      TIMESTAMPTZ: 1184,
      INTERVAL: 1186,
      TIMETZ: 1266,
      BIT: 1560,
      VARBIT: 1562,
      NUMERIC: 1700,
      REFCURSOR: 1790,
      REGPROCEDURE: 2202,
      REGOPER: 2203,
      REGOPERATOR: 2204,
      REGCLASS: 2205,
      REGTYPE: 2206,
      UUID: 2950,
      TXID_SNAPSHOT: 2970,
      PG_LSN: 3220,
      PG_NDISTINCT: 3361,
      PG_DEPENDENCIES: 3402,
      TSVECTOR: 3614,
      TSQUERY: 3615,
      GTSVECTOR: 3642,
      REGCONFIG: 3734,
      REGDICTIONARY: 3769,
      JSONB: 3802,
      REGNAMESPACE: 4089,
      REGROLE: 4096
    };
  }
});

// node_modules/pg-types/index.js
var require_pg_types = __commonJS({
  "node_modules/pg-types/index.js"(exports) {
    var textParsers = require_textParsers();
    var binaryParsers = require_binaryParsers();
    var arrayParser = require_arrayParser();
    var builtinTypes = require_builtins();
    exports.getTypeParser = getTypeParser;
    exports.setTypeParser = setTypeParser;
    exports.arrayParser = arrayParser;
    exports.builtins = builtinTypes;
    var typeParsers = {
      text: {},
      binary: {}
    };
    function noParse(val) {
      return String(val);
    }
    function getTypeParser(oid, format) {
      format = format || "text";
      if (!typeParsers[format]) {
        return noParse;
      }
      return typeParsers[format][oid] || noParse;
    }
    function setTypeParser(oid, format, parseFn) {
      if (typeof format == "function") {
        parseFn = format;
        format = "text";
      }
      typeParsers[format][oid] = parseFn;
    }
    textParsers.init(function(oid, converter) {
      typeParsers.text[oid] = converter;
    });
    binaryParsers.init(function(oid, converter) {
      typeParsers.binary[oid] = converter;
    });
  }
});

// node_modules/pg/lib/defaults.js
var require_defaults = __commonJS({
  "node_modules/pg/lib/defaults.js"(exports, module) {
    "use strict";
    var user;
    try {
      user = process.platform === "win32" ? process.env.USERNAME : process.env.USER;
    } catch {
    }
    module.exports = {
      // database host. defaults to localhost
      host: "localhost",
      // database user's name
      user,
      // name of database to connect
      database: void 0,
      // database user's password
      password: null,
      // a Postgres connection string to be used instead of setting individual connection items
      // NOTE:  Setting this value will cause it to override any other value (such as database or user) defined
      // in the defaults object.
      connectionString: void 0,
      // database port
      port: 5432,
      // number of rows to return at a time from a prepared statement's
      // portal. 0 will return all rows at once
      rows: 0,
      // binary result mode
      binary: false,
      // Connection pool options - see https://github.com/brianc/node-pg-pool
      // number of connections to use in connection pool
      // 0 will disable connection pooling
      max: 10,
      // max milliseconds a client can go unused before it is removed
      // from the pool and destroyed
      idleTimeoutMillis: 3e4,
      client_encoding: "",
      ssl: false,
      // SSL negotiation style: 'postgres' (traditional SSLRequest) or 'direct'
      sslnegotiation: void 0,
      application_name: void 0,
      fallback_application_name: void 0,
      options: void 0,
      parseInputDatesAsUTC: false,
      // max milliseconds any query using this connection will execute for before timing out in error.
      // false=unlimited
      statement_timeout: false,
      // Abort any statement that waits longer than the specified duration in milliseconds while attempting to acquire a lock.
      // false=unlimited
      lock_timeout: false,
      // Terminate any session with an open transaction that has been idle for longer than the specified duration in milliseconds
      // false=unlimited
      idle_in_transaction_session_timeout: false,
      // max milliseconds to wait for query to complete (client side)
      query_timeout: false,
      connect_timeout: 0,
      keepalives: 1,
      keepalives_idle: 0
    };
    var pgTypes = require_pg_types();
    var parseBigInteger = pgTypes.getTypeParser(20, "text");
    var parseBigIntegerArray = pgTypes.getTypeParser(1016, "text");
    module.exports.__defineSetter__("parseInt8", function(val) {
      pgTypes.setTypeParser(20, "text", val ? pgTypes.getTypeParser(23, "text") : parseBigInteger);
      pgTypes.setTypeParser(1016, "text", val ? pgTypes.getTypeParser(1007, "text") : parseBigIntegerArray);
    });
  }
});

// node_modules/pg/lib/utils.js
var require_utils = __commonJS({
  "node_modules/pg/lib/utils.js"(exports, module) {
    "use strict";
    var defaults2 = require_defaults();
    var nodeUtils = __require("util");
    var { isDate } = __require("util/types");
    var invalidDateDeprecationNotice = nodeUtils.deprecate(
      () => {
      },
      "Sending an invalid date to Postgres is deprecated and will throw an error in the next major version of pg. Ensure any Date object passed as a query parameter is valid.",
      "PG_INVALID_DATE"
    );
    function escapeElement(elementRepresentation) {
      const escaped = elementRepresentation.replace(/\\/g, "\\\\").replace(/"/g, '\\"');
      return '"' + escaped + '"';
    }
    function arrayString(val) {
      let result = "{";
      for (let i = 0; i < val.length; i++) {
        if (i > 0) {
          result += ",";
        }
        let item = val[i];
        if (item == null) {
          result += "NULL";
        } else if (Array.isArray(item)) {
          result += arrayString(item);
        } else if (ArrayBuffer.isView(item)) {
          if (!(item instanceof Buffer)) {
            item = Buffer.from(item.buffer, item.byteOffset, item.byteLength);
          }
          result += "\\\\x" + item.toString("hex");
        } else {
          result += escapeElement(prepareValue(item));
        }
      }
      result += "}";
      return result;
    }
    var prepareValue = function(val, seen) {
      if (val == null) {
        return null;
      }
      if (typeof val === "object") {
        if (val instanceof Buffer) {
          return val;
        }
        if (ArrayBuffer.isView(val)) {
          return Buffer.from(val.buffer, val.byteOffset, val.byteLength);
        }
        if (isDate(val)) {
          if (isNaN(val.getTime())) {
            invalidDateDeprecationNotice();
          }
          if (defaults2.parseInputDatesAsUTC) {
            return dateToStringUTC(val);
          } else {
            return dateToString(val);
          }
        }
        if (Array.isArray(val)) {
          return arrayString(val);
        }
        return prepareObject(val, seen);
      }
      return val.toString();
    };
    function prepareObject(val, seen) {
      if (val && typeof val.toPostgres === "function") {
        seen = seen || [];
        if (seen.indexOf(val) !== -1) {
          throw new Error('circular reference detected while preparing "' + val + '" for query');
        }
        seen.push(val);
        return prepareValue(val.toPostgres(prepareValue), seen);
      }
      return JSON.stringify(val);
    }
    function dateToString(date) {
      let offset = -date.getTimezoneOffset();
      let year = date.getFullYear();
      const isBCYear = year < 1;
      if (isBCYear) year = Math.abs(year) + 1;
      let ret = String(year).padStart(4, "0") + "-" + String(date.getMonth() + 1).padStart(2, "0") + "-" + String(date.getDate()).padStart(2, "0") + "T" + String(date.getHours()).padStart(2, "0") + ":" + String(date.getMinutes()).padStart(2, "0") + ":" + String(date.getSeconds()).padStart(2, "0") + "." + String(date.getMilliseconds()).padStart(3, "0");
      if (offset < 0) {
        ret += "-";
        offset *= -1;
      } else {
        ret += "+";
      }
      ret += String(Math.floor(offset / 60)).padStart(2, "0") + ":" + String(offset % 60).padStart(2, "0");
      if (isBCYear) ret += " BC";
      return ret;
    }
    function dateToStringUTC(date) {
      let year = date.getUTCFullYear();
      const isBCYear = year < 1;
      if (isBCYear) year = Math.abs(year) + 1;
      let ret = String(year).padStart(4, "0") + "-" + String(date.getUTCMonth() + 1).padStart(2, "0") + "-" + String(date.getUTCDate()).padStart(2, "0") + "T" + String(date.getUTCHours()).padStart(2, "0") + ":" + String(date.getUTCMinutes()).padStart(2, "0") + ":" + String(date.getUTCSeconds()).padStart(2, "0") + "." + String(date.getUTCMilliseconds()).padStart(3, "0");
      ret += "+00:00";
      if (isBCYear) ret += " BC";
      return ret;
    }
    function normalizeQueryConfig(config, values, callback) {
      config = typeof config === "string" ? { text: config } : cloneQueryConfig(config);
      if (values) {
        if (typeof values === "function") {
          config.callback = values;
        } else {
          config.values = values;
        }
      }
      if (callback) {
        config.callback = callback;
      }
      return config;
    }
    function cloneQueryConfig(config) {
      if (config == null) {
        return config;
      }
      return Object.defineProperties(Object.create(Object.getPrototypeOf(config)), Object.getOwnPropertyDescriptors(config));
    }
    var escapeIdentifier2 = function(str4) {
      return '"' + str4.replace(/"/g, '""') + '"';
    };
    var escapeLiteral2 = function(str4) {
      let hasBackslash = false;
      let escaped = "'";
      if (str4 == null) {
        return "''";
      }
      if (typeof str4 !== "string") {
        return "''";
      }
      for (let i = 0; i < str4.length; i++) {
        const c3 = str4[i];
        if (c3 === "'") {
          escaped += c3 + c3;
        } else if (c3 === "\\") {
          escaped += c3 + c3;
          hasBackslash = true;
        } else {
          escaped += c3;
        }
      }
      escaped += "'";
      if (hasBackslash === true) {
        escaped = " E" + escaped;
      }
      return escaped;
    };
    module.exports = {
      prepareValue: function prepareValueWrapper(value) {
        return prepareValue(value);
      },
      normalizeQueryConfig,
      escapeIdentifier: escapeIdentifier2,
      escapeLiteral: escapeLiteral2
    };
  }
});

// node_modules/pg/lib/crypto/utils.js
var require_utils2 = __commonJS({
  "node_modules/pg/lib/crypto/utils.js"(exports, module) {
    var nodeCrypto = __require("crypto");
    module.exports = {
      postgresMd5PasswordHash,
      randomBytes: randomBytes6,
      deriveKey,
      sha256,
      hashByName,
      hmacSha256,
      md5
    };
    var webCrypto = nodeCrypto.webcrypto || globalThis.crypto;
    var subtleCrypto = webCrypto.subtle;
    var textEncoder = new TextEncoder();
    function randomBytes6(length) {
      return webCrypto.getRandomValues(Buffer.alloc(length));
    }
    async function md5(string) {
      try {
        return nodeCrypto.createHash("md5").update(string, "utf-8").digest("hex");
      } catch (e) {
        const data = typeof string === "string" ? textEncoder.encode(string) : string;
        const hash = await subtleCrypto.digest("MD5", data);
        return Array.from(new Uint8Array(hash)).map((b3) => b3.toString(16).padStart(2, "0")).join("");
      }
    }
    async function postgresMd5PasswordHash(user, password, salt) {
      const inner = await md5(password + user);
      const outer = await md5(Buffer.concat([Buffer.from(inner), salt]));
      return "md5" + outer;
    }
    async function sha256(text2) {
      return await subtleCrypto.digest("SHA-256", text2);
    }
    async function hashByName(hashName, text2) {
      return await subtleCrypto.digest(hashName, text2);
    }
    async function hmacSha256(keyBuffer, msg) {
      const key2 = await subtleCrypto.importKey("raw", keyBuffer, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
      return await subtleCrypto.sign("HMAC", key2, textEncoder.encode(msg));
    }
    async function deriveKey(password, salt, iterations) {
      const key2 = await subtleCrypto.importKey("raw", textEncoder.encode(password), "PBKDF2", false, ["deriveBits"]);
      const params = { name: "PBKDF2", hash: "SHA-256", salt, iterations };
      return await subtleCrypto.deriveBits(params, key2, 32 * 8, ["deriveBits"]);
    }
  }
});

// node_modules/pg/lib/crypto/cert-signatures.js
var require_cert_signatures = __commonJS({
  "node_modules/pg/lib/crypto/cert-signatures.js"(exports, module) {
    function x509Error(msg, cert) {
      return new Error("SASL channel binding: " + msg + " when parsing public certificate " + cert.toString("base64"));
    }
    function readASN1Length(data, index) {
      let length = data[index++];
      if (length < 128) return { length, index };
      const lengthBytes = length & 127;
      if (lengthBytes > 4) throw x509Error("bad length", data);
      length = 0;
      for (let i = 0; i < lengthBytes; i++) {
        length = length << 8 | data[index++];
      }
      return { length, index };
    }
    function readASN1OID(data, index) {
      if (data[index++] !== 6) throw x509Error("non-OID data", data);
      const { length: OIDLength, index: indexAfterOIDLength } = readASN1Length(data, index);
      index = indexAfterOIDLength;
      const lastIndex = index + OIDLength;
      const byte1 = data[index++];
      let oid = (byte1 / 40 >> 0) + "." + byte1 % 40;
      while (index < lastIndex) {
        let value = 0;
        while (index < lastIndex) {
          const nextByte = data[index++];
          value = value << 7 | nextByte & 127;
          if (nextByte < 128) break;
        }
        oid += "." + value;
      }
      return { oid, index };
    }
    function expectASN1Seq(data, index) {
      if (data[index++] !== 48) throw x509Error("non-sequence data", data);
      return readASN1Length(data, index);
    }
    function signatureAlgorithmHashFromCertificate(data, index) {
      if (index === void 0) index = 0;
      index = expectASN1Seq(data, index).index;
      const { length: certInfoLength, index: indexAfterCertInfoLength } = expectASN1Seq(data, index);
      index = indexAfterCertInfoLength + certInfoLength;
      index = expectASN1Seq(data, index).index;
      const { oid, index: indexAfterOID } = readASN1OID(data, index);
      switch (oid) {
        // RSA
        case "1.2.840.113549.1.1.4":
          return "MD5";
        case "1.2.840.113549.1.1.5":
          return "SHA-1";
        case "1.2.840.113549.1.1.11":
          return "SHA-256";
        case "1.2.840.113549.1.1.12":
          return "SHA-384";
        case "1.2.840.113549.1.1.13":
          return "SHA-512";
        case "1.2.840.113549.1.1.14":
          return "SHA-224";
        case "1.2.840.113549.1.1.15":
          return "SHA512-224";
        case "1.2.840.113549.1.1.16":
          return "SHA512-256";
        // ECDSA
        case "1.2.840.10045.4.1":
          return "SHA-1";
        case "1.2.840.10045.4.3.1":
          return "SHA-224";
        case "1.2.840.10045.4.3.2":
          return "SHA-256";
        case "1.2.840.10045.4.3.3":
          return "SHA-384";
        case "1.2.840.10045.4.3.4":
          return "SHA-512";
        // RSASSA-PSS: hash is indicated separately
        case "1.2.840.113549.1.1.10": {
          index = indexAfterOID;
          index = expectASN1Seq(data, index).index;
          if (data[index++] !== 160) throw x509Error("non-tag data", data);
          index = readASN1Length(data, index).index;
          index = expectASN1Seq(data, index).index;
          const { oid: hashOID } = readASN1OID(data, index);
          switch (hashOID) {
            // standalone hash OIDs
            case "1.2.840.113549.2.5":
              return "MD5";
            case "1.3.14.3.2.26":
              return "SHA-1";
            case "2.16.840.1.101.3.4.2.1":
              return "SHA-256";
            case "2.16.840.1.101.3.4.2.2":
              return "SHA-384";
            case "2.16.840.1.101.3.4.2.3":
              return "SHA-512";
          }
          throw x509Error("unknown hash OID " + hashOID, data);
        }
        // Ed25519 -- see https://github.com/openssl/openssl/issues/15477
        case "1.3.101.110":
        case "1.3.101.112":
          return "SHA-512";
        // Ed448 -- still not in pg 17.2 (if supported, digest would be SHAKE256 x 64 bytes)
        case "1.3.101.111":
        case "1.3.101.113":
          throw x509Error("Ed448 certificate channel binding is not currently supported by Postgres");
      }
      throw x509Error("unknown OID " + oid, data);
    }
    module.exports = { signatureAlgorithmHashFromCertificate };
  }
});

// node_modules/pg/lib/crypto/sasl.js
var require_sasl = __commonJS({
  "node_modules/pg/lib/crypto/sasl.js"(exports, module) {
    "use strict";
    var crypto = require_utils2();
    var { signatureAlgorithmHashFromCertificate } = require_cert_signatures();
    function saslprep(password) {
      const nonAsciiSpace = /[\u00A0\u1680\u2000-\u200B\u202F\u205F\u3000]/g;
      const mappedToNothing = /[\u00AD\u034F\u1806\u180B\u180C\u180D\u200C\u200D\u2060\uFE00-\uFE0F\uFEFF]/g;
      return password.replace(nonAsciiSpace, " ").replace(mappedToNothing, "").normalize("NFKC");
    }
    var DEFAULT_MAX_SCRAM_ITERATIONS = 1e5;
    function startSession(mechanisms, stream, scramMaxIterations = DEFAULT_MAX_SCRAM_ITERATIONS) {
      const candidates = ["SCRAM-SHA-256"];
      if (stream) candidates.unshift("SCRAM-SHA-256-PLUS");
      const mechanism = candidates.find((candidate) => mechanisms.includes(candidate));
      if (!mechanism) {
        throw new Error("SASL: Only mechanism(s) " + candidates.join(" and ") + " are supported");
      }
      if (mechanism === "SCRAM-SHA-256-PLUS" && typeof stream.getPeerCertificate !== "function") {
        throw new Error("SASL: Mechanism SCRAM-SHA-256-PLUS requires a certificate");
      }
      const clientNonce = crypto.randomBytes(18).toString("base64");
      const gs2Header = mechanism === "SCRAM-SHA-256-PLUS" ? "p=tls-server-end-point" : stream ? "y" : "n";
      return {
        mechanism,
        clientNonce,
        response: gs2Header + ",,n=*,r=" + clientNonce,
        message: "SASLInitialResponse",
        scramMaxIterations
      };
    }
    async function continueSession(session, password, serverData, stream) {
      if (session.message !== "SASLInitialResponse") {
        throw new Error("SASL: Last message was not SASLInitialResponse");
      }
      if (typeof password !== "string") {
        throw new Error("SASL: SCRAM-SERVER-FIRST-MESSAGE: client password must be a string");
      }
      if (password === "") {
        throw new Error("SASL: SCRAM-SERVER-FIRST-MESSAGE: client password must be a non-empty string");
      }
      if (typeof serverData !== "string") {
        throw new Error("SASL: SCRAM-SERVER-FIRST-MESSAGE: serverData must be a string");
      }
      const sv = parseServerFirstMessage(serverData);
      if (!sv.nonce.startsWith(session.clientNonce)) {
        throw new Error("SASL: SCRAM-SERVER-FIRST-MESSAGE: server nonce does not start with client nonce");
      } else if (sv.nonce.length === session.clientNonce.length) {
        throw new Error("SASL: SCRAM-SERVER-FIRST-MESSAGE: server nonce is too short");
      }
      const scramMaxIterations = typeof session.scramMaxIterations === "number" ? session.scramMaxIterations : DEFAULT_MAX_SCRAM_ITERATIONS;
      if (scramMaxIterations !== 0 && sv.iteration > scramMaxIterations) {
        throw new Error(
          "SASL: SCRAM-SERVER-FIRST-MESSAGE: iteration count " + sv.iteration + " exceeds scramMaxIterations of " + scramMaxIterations
        );
      }
      const clientFirstMessageBare = "n=*,r=" + session.clientNonce;
      const serverFirstMessage = "r=" + sv.nonce + ",s=" + sv.salt + ",i=" + sv.iteration;
      let channelBinding = stream ? "eSws" : "biws";
      if (session.mechanism === "SCRAM-SHA-256-PLUS") {
        const peerCert = stream.getPeerCertificate().raw;
        let hashName = signatureAlgorithmHashFromCertificate(peerCert);
        if (hashName === "MD5" || hashName === "SHA-1") hashName = "SHA-256";
        const certHash = await crypto.hashByName(hashName, peerCert);
        const bindingData = Buffer.concat([Buffer.from("p=tls-server-end-point,,"), Buffer.from(certHash)]);
        channelBinding = bindingData.toString("base64");
      }
      const clientFinalMessageWithoutProof = "c=" + channelBinding + ",r=" + sv.nonce;
      const authMessage = clientFirstMessageBare + "," + serverFirstMessage + "," + clientFinalMessageWithoutProof;
      const saltBytes = Buffer.from(sv.salt, "base64");
      const saltedPassword = await crypto.deriveKey(saslprep(password), saltBytes, sv.iteration);
      const clientKey = await crypto.hmacSha256(saltedPassword, "Client Key");
      const storedKey = await crypto.sha256(clientKey);
      const clientSignature = await crypto.hmacSha256(storedKey, authMessage);
      const clientProof = xorBuffers(Buffer.from(clientKey), Buffer.from(clientSignature)).toString("base64");
      const serverKey = await crypto.hmacSha256(saltedPassword, "Server Key");
      const serverSignatureBytes = await crypto.hmacSha256(serverKey, authMessage);
      session.message = "SASLResponse";
      session.serverSignature = Buffer.from(serverSignatureBytes).toString("base64");
      session.response = clientFinalMessageWithoutProof + ",p=" + clientProof;
    }
    function finalizeSession(session, serverData) {
      if (session.message !== "SASLResponse") {
        throw new Error("SASL: Last message was not SASLResponse");
      }
      if (typeof serverData !== "string") {
        throw new Error("SASL: SCRAM-SERVER-FINAL-MESSAGE: serverData must be a string");
      }
      const { serverSignature } = parseServerFinalMessage(serverData);
      if (serverSignature !== session.serverSignature) {
        throw new Error("SASL: SCRAM-SERVER-FINAL-MESSAGE: server signature does not match");
      }
    }
    function isPrintableChars(text2) {
      if (typeof text2 !== "string") {
        throw new TypeError("SASL: text must be a string");
      }
      return text2.split("").map((_3, i) => text2.charCodeAt(i)).every((c3) => c3 >= 33 && c3 <= 43 || c3 >= 45 && c3 <= 126);
    }
    function isBase64(text2) {
      return /^(?:[a-zA-Z0-9+/]{4})*(?:[a-zA-Z0-9+/]{2}==|[a-zA-Z0-9+/]{3}=)?$/.test(text2);
    }
    function parseAttributePairs(text2) {
      if (typeof text2 !== "string") {
        throw new TypeError("SASL: attribute pairs text must be a string");
      }
      return new Map(
        text2.split(",").map((attrValue) => {
          if (!/^.=/.test(attrValue)) {
            throw new Error("SASL: Invalid attribute pair entry");
          }
          const name = attrValue[0];
          const value = attrValue.substring(2);
          return [name, value];
        })
      );
    }
    function parseServerFirstMessage(data) {
      const attrPairs = parseAttributePairs(data);
      const nonce = attrPairs.get("r");
      if (!nonce) {
        throw new Error("SASL: SCRAM-SERVER-FIRST-MESSAGE: nonce missing");
      } else if (!isPrintableChars(nonce)) {
        throw new Error("SASL: SCRAM-SERVER-FIRST-MESSAGE: nonce must only contain printable characters");
      }
      const salt = attrPairs.get("s");
      if (!salt) {
        throw new Error("SASL: SCRAM-SERVER-FIRST-MESSAGE: salt missing");
      } else if (!isBase64(salt)) {
        throw new Error("SASL: SCRAM-SERVER-FIRST-MESSAGE: salt must be base64");
      }
      const iterationText = attrPairs.get("i");
      if (!iterationText) {
        throw new Error("SASL: SCRAM-SERVER-FIRST-MESSAGE: iteration missing");
      } else if (!/^[1-9][0-9]*$/.test(iterationText)) {
        throw new Error("SASL: SCRAM-SERVER-FIRST-MESSAGE: invalid iteration count");
      }
      const iteration = parseInt(iterationText, 10);
      return {
        nonce,
        salt,
        iteration
      };
    }
    function parseServerFinalMessage(serverData) {
      const attrPairs = parseAttributePairs(serverData);
      const error = attrPairs.get("e");
      const serverSignature = attrPairs.get("v");
      if (error) {
        throw new Error(`SASL: SCRAM-SERVER-FINAL-MESSAGE: server returned error: "${error}"`);
      }
      if (!serverSignature) {
        throw new Error("SASL: SCRAM-SERVER-FINAL-MESSAGE: server signature is missing");
      } else if (!isBase64(serverSignature)) {
        throw new Error("SASL: SCRAM-SERVER-FINAL-MESSAGE: server signature must be base64");
      }
      return {
        serverSignature
      };
    }
    function xorBuffers(a, b3) {
      if (!Buffer.isBuffer(a)) {
        throw new TypeError("first argument must be a Buffer");
      }
      if (!Buffer.isBuffer(b3)) {
        throw new TypeError("second argument must be a Buffer");
      }
      if (a.length !== b3.length) {
        throw new Error("Buffer lengths must match");
      }
      if (a.length === 0) {
        throw new Error("Buffers cannot be empty");
      }
      return Buffer.from(a.map((_3, i) => a[i] ^ b3[i]));
    }
    module.exports = {
      startSession,
      continueSession,
      finalizeSession,
      DEFAULT_MAX_SCRAM_ITERATIONS
    };
  }
});

// node_modules/pg/lib/type-overrides.js
var require_type_overrides = __commonJS({
  "node_modules/pg/lib/type-overrides.js"(exports, module) {
    "use strict";
    var types3 = require_pg_types();
    function TypeOverrides2(userTypes) {
      this._types = userTypes || types3;
      this.text = {};
      this.binary = {};
    }
    TypeOverrides2.prototype.getOverrides = function(format) {
      switch (format) {
        case "text":
          return this.text;
        case "binary":
          return this.binary;
        default:
          return {};
      }
    };
    TypeOverrides2.prototype.setTypeParser = function(oid, format, parseFn) {
      if (typeof format === "function") {
        parseFn = format;
        format = "text";
      }
      this.getOverrides(format)[oid] = parseFn;
    };
    TypeOverrides2.prototype.getTypeParser = function(oid, format) {
      format = format || "text";
      return this.getOverrides(format)[oid] || this._types.getTypeParser(oid, format);
    };
    module.exports = TypeOverrides2;
  }
});

// node_modules/pg-connection-string/index.js
var require_pg_connection_string = __commonJS({
  "node_modules/pg-connection-string/index.js"(exports, module) {
    "use strict";
    function parse(str4, options = {}) {
      if (str4.charAt(0) === "/") {
        const config2 = str4.split(" ");
        return { host: config2[0], database: config2[1] };
      }
      const config = /* @__PURE__ */ Object.create(null);
      let result;
      let dummyHost = false;
      if (/ |%[^a-f0-9]|%[a-f0-9][^a-f0-9]/i.test(str4)) {
        str4 = encodeURI(str4).replace(/%25(\d\d)/g, "%$1");
      }
      try {
        try {
          result = new URL(str4, "postgres://base");
        } catch (e) {
          result = new URL(str4.replace("@/", "@___DUMMY___/"), "postgres://base");
          dummyHost = true;
        }
      } catch (err) {
        err.input && (err.input = "*****REDACTED*****");
        throw err;
      }
      for (const entry of result.searchParams.entries()) {
        config[entry[0]] = entry[1];
      }
      config.user = config.user || decodeURIComponent(result.username);
      config.password = config.password || decodeURIComponent(result.password);
      if (result.protocol == "socket:") {
        config.host = decodeURI(result.pathname);
        config.database = result.searchParams.get("db");
        config.client_encoding = result.searchParams.get("encoding");
        return config;
      }
      const hostname2 = (dummyHost ? "" : result.hostname).replace(/^\[(.+)\]$/, "$1");
      if (!config.host) {
        config.host = decodeURIComponent(hostname2);
      } else if (hostname2 && /^%2f/i.test(hostname2)) {
        result.pathname = hostname2 + result.pathname;
      }
      if (!config.port) {
        config.port = result.port;
      }
      const pathname = result.pathname.slice(1) || null;
      config.database = pathname ? decodeURI(pathname) : null;
      if (config.ssl === "true" || config.ssl === "1") {
        config.ssl = true;
      }
      if (config.ssl === "0") {
        config.ssl = false;
      }
      if (config.sslcert || config.sslkey || config.sslrootcert || config.sslmode) {
        config.ssl = {};
      }
      if (config.sslnegotiation === "direct" && config.ssl === void 0) {
        config.ssl = true;
      }
      const fs2 = config.sslcert || config.sslkey || config.sslrootcert ? __require("fs") : null;
      if (config.sslcert) {
        config.ssl.cert = fs2.readFileSync(config.sslcert).toString();
      }
      if (config.sslkey) {
        config.ssl.key = fs2.readFileSync(config.sslkey).toString();
      }
      if (config.sslrootcert) {
        config.ssl.ca = fs2.readFileSync(config.sslrootcert).toString();
      }
      if (options.useLibpqCompat && config.uselibpqcompat) {
        throw new Error("Both useLibpqCompat and uselibpqcompat are set. Please use only one of them.");
      }
      if (config.uselibpqcompat === "true" || options.useLibpqCompat) {
        switch (config.sslmode) {
          case "disable": {
            config.ssl = false;
            break;
          }
          case "prefer": {
            config.ssl.rejectUnauthorized = false;
            break;
          }
          case "require": {
            if (config.sslrootcert) {
              config.ssl.checkServerIdentity = function() {
              };
            } else {
              config.ssl.rejectUnauthorized = false;
            }
            break;
          }
          case "verify-ca": {
            if (!config.ssl.ca) {
              throw new Error(
                "SECURITY WARNING: Using sslmode=verify-ca requires specifying a CA with sslrootcert. If a public CA is used, verify-ca allows connections to a server that somebody else may have registered with the CA, making you vulnerable to Man-in-the-Middle attacks. Either specify a custom CA certificate with sslrootcert parameter or use sslmode=verify-full for proper security."
              );
            }
            config.ssl.checkServerIdentity = function() {
            };
            break;
          }
          case "verify-full": {
            break;
          }
        }
      } else {
        switch (config.sslmode) {
          case "disable": {
            config.ssl = false;
            break;
          }
          case "prefer":
          case "require":
          case "verify-ca":
          case "verify-full": {
            if (config.sslmode !== "verify-full") {
              deprecatedSslModeWarning(config.sslmode);
            }
            break;
          }
          case "no-verify": {
            config.ssl.rejectUnauthorized = false;
            break;
          }
        }
      }
      return config;
    }
    function toConnectionOptions(sslConfig) {
      const connectionOptions = Object.entries(sslConfig).reduce((c3, [key2, value]) => {
        if (value !== void 0 && value !== null) {
          c3[key2] = value;
        }
        return c3;
      }, /* @__PURE__ */ Object.create(null));
      return connectionOptions;
    }
    function toClientConfig(config) {
      const poolConfig = Object.entries(config).reduce((c3, [key2, value]) => {
        if (key2 === "ssl") {
          const sslConfig = value;
          if (typeof sslConfig === "boolean") {
            c3[key2] = sslConfig;
          }
          if (typeof sslConfig === "object") {
            c3[key2] = toConnectionOptions(sslConfig);
          }
        } else if (value !== void 0 && value !== null) {
          if (key2 === "port") {
            if (value !== "") {
              const v2 = parseInt(value, 10);
              if (isNaN(v2)) {
                throw new Error(`Invalid ${key2}: ${value}`);
              }
              c3[key2] = v2;
            }
          } else {
            c3[key2] = value;
          }
        }
        return c3;
      }, /* @__PURE__ */ Object.create(null));
      return poolConfig;
    }
    function parseIntoClientConfig(str4) {
      return toClientConfig(parse(str4));
    }
    function deprecatedSslModeWarning(sslmode) {
      if (!deprecatedSslModeWarning.warned && typeof process !== "undefined" && process.emitWarning) {
        deprecatedSslModeWarning.warned = true;
        process.emitWarning(`SECURITY WARNING: The SSL modes 'prefer', 'require', and 'verify-ca' are treated as aliases for 'verify-full'.
In the next major version (pg-connection-string v3.0.0 and pg v9.0.0), these modes will adopt standard libpq semantics, which have weaker security guarantees.

To prepare for this change:
- If you want the current behavior, explicitly use 'sslmode=verify-full'
- If you want libpq compatibility now, use 'uselibpqcompat=true&sslmode=${sslmode}'

See https://www.postgresql.org/docs/current/libpq-ssl.html for libpq SSL mode definitions.`);
      }
    }
    module.exports = parse;
    parse.parse = parse;
    parse.toClientConfig = toClientConfig;
    parse.parseIntoClientConfig = parseIntoClientConfig;
  }
});

// node_modules/pg/lib/connection-parameters.js
var require_connection_parameters = __commonJS({
  "node_modules/pg/lib/connection-parameters.js"(exports, module) {
    "use strict";
    var dns = __require("dns");
    var defaults2 = require_defaults();
    var parse = require_pg_connection_string().parse;
    var val = function(key2, config, envVar) {
      if (config[key2]) {
        return config[key2];
      }
      if (envVar === void 0) {
        envVar = process.env["PG" + key2.toUpperCase()];
      } else if (envVar === false) {
      } else {
        envVar = process.env[envVar];
      }
      return envVar || defaults2[key2];
    };
    var readSSLConfigFromEnvironment = function() {
      switch (process.env.PGSSLMODE) {
        case "disable":
          return false;
        case "prefer":
        case "require":
        case "verify-ca":
        case "verify-full":
          return true;
        case "no-verify":
          return { rejectUnauthorized: false };
      }
      return defaults2.ssl;
    };
    var quoteParamValue = function(value) {
      return "'" + ("" + value).replace(/\\/g, "\\\\").replace(/'/g, "\\'") + "'";
    };
    var add = function(params, config, paramName) {
      const value = config[paramName];
      if (value !== void 0 && value !== null) {
        params.push(paramName + "=" + quoteParamValue(value));
      }
    };
    var ConnectionParameters = class {
      constructor(config) {
        config = typeof config === "string" ? parse(config) : config || {};
        if (config.connectionString) {
          config = Object.assign({}, config, parse(config.connectionString));
        }
        this.user = val("user", config);
        this.database = val("database", config);
        if (this.database === void 0) {
          this.database = this.user;
        }
        this.port = parseInt(val("port", config), 10);
        this.host = val("host", config);
        Object.defineProperty(this, "password", {
          configurable: true,
          enumerable: false,
          writable: true,
          value: val("password", config)
        });
        this.binary = val("binary", config);
        this.options = val("options", config);
        this.ssl = typeof config.ssl === "undefined" ? readSSLConfigFromEnvironment() : config.ssl;
        if (typeof this.ssl === "string") {
          if (this.ssl === "true") {
            this.ssl = true;
          }
        }
        if (this.ssl === "no-verify") {
          this.ssl = { rejectUnauthorized: false };
        }
        if (this.ssl && this.ssl.key) {
          Object.defineProperty(this.ssl, "key", {
            enumerable: false
          });
        }
        this.sslnegotiation = val("sslnegotiation", config, "PGSSLNEGOTIATION");
        if (this.sslnegotiation !== void 0 && this.sslnegotiation !== "postgres" && this.sslnegotiation !== "direct") {
          throw new Error(
            `Invalid sslnegotiation value: "${this.sslnegotiation}". Valid values are "postgres" and "direct".`
          );
        }
        if (this.sslnegotiation === "direct" && !this.ssl) {
          throw new Error("sslnegotiation=direct requires SSL to be enabled");
        }
        this.client_encoding = val("client_encoding", config);
        this.replication = val("replication", config);
        this.isDomainSocket = !(this.host || "").indexOf("/");
        this.application_name = val("application_name", config, "PGAPPNAME");
        this.fallback_application_name = val("fallback_application_name", config, false);
        this.statement_timeout = val("statement_timeout", config, false);
        this.lock_timeout = val("lock_timeout", config, false);
        this.idle_in_transaction_session_timeout = val("idle_in_transaction_session_timeout", config, false);
        this.query_timeout = val("query_timeout", config, false);
        if (config.connectionTimeoutMillis === void 0) {
          this.connect_timeout = process.env.PGCONNECT_TIMEOUT || 0;
        } else {
          this.connect_timeout = Math.floor(config.connectionTimeoutMillis / 1e3);
        }
        if (config.keepAlive === false) {
          this.keepalives = 0;
        } else if (config.keepAlive === true) {
          this.keepalives = 1;
        }
        if (typeof config.keepAliveInitialDelayMillis === "number") {
          this.keepalives_idle = Math.floor(config.keepAliveInitialDelayMillis / 1e3);
        }
      }
      getLibpqConnectionString(cb) {
        const params = [];
        add(params, this, "user");
        add(params, this, "password");
        add(params, this, "port");
        add(params, this, "application_name");
        add(params, this, "fallback_application_name");
        add(params, this, "connect_timeout");
        add(params, this, "options");
        const ssl = typeof this.ssl === "object" ? this.ssl : this.ssl ? { sslmode: this.ssl } : {};
        add(params, ssl, "sslmode");
        add(params, ssl, "sslca");
        add(params, ssl, "sslkey");
        add(params, ssl, "sslcert");
        add(params, ssl, "sslrootcert");
        add(params, this, "sslnegotiation");
        if (this.database) {
          params.push("dbname=" + quoteParamValue(this.database));
        }
        if (this.replication) {
          params.push("replication=" + quoteParamValue(this.replication));
        }
        if (this.host) {
          params.push("host=" + quoteParamValue(this.host));
        }
        if (this.isDomainSocket) {
          return cb(null, params.join(" "));
        }
        if (this.client_encoding) {
          params.push("client_encoding=" + quoteParamValue(this.client_encoding));
        }
        dns.lookup(this.host, function(err, address) {
          if (err) return cb(err, null);
          params.push("hostaddr=" + quoteParamValue(address));
          return cb(null, params.join(" "));
        });
      }
    };
    module.exports = ConnectionParameters;
  }
});

// node_modules/pg/lib/result.js
var require_result = __commonJS({
  "node_modules/pg/lib/result.js"(exports, module) {
    "use strict";
    var types3 = require_pg_types();
    var matchRegexp = /^([A-Za-z]+)(?: (\d+))?(?: (\d+))?/;
    var Result2 = class {
      constructor(rowMode, types4) {
        this.command = null;
        this.rowCount = null;
        this.oid = null;
        this.rows = [];
        this.fields = [];
        this._parsers = void 0;
        this._types = types4;
        this.RowCtor = null;
        this.rowAsArray = rowMode === "array";
        if (this.rowAsArray) {
          this.parseRow = this._parseRowAsArray;
        }
        this._prebuiltEmptyResultObject = null;
      }
      // adds a command complete message
      addCommandComplete(msg) {
        let match;
        if (msg.text) {
          match = matchRegexp.exec(msg.text);
        } else {
          match = matchRegexp.exec(msg.command);
        }
        if (match) {
          this.command = match[1];
          if (match[3]) {
            this.oid = parseInt(match[2], 10);
            this.rowCount = parseInt(match[3], 10);
          } else if (match[2]) {
            this.rowCount = parseInt(match[2], 10);
          }
        }
      }
      _parseRowAsArray(rowData) {
        const row = new Array(rowData.length);
        for (let i = 0, len = rowData.length; i < len; i++) {
          const rawValue = rowData[i];
          if (rawValue !== null) {
            row[i] = this._parsers[i](rawValue);
          } else {
            row[i] = null;
          }
        }
        return row;
      }
      parseRow(rowData) {
        const row = { ...this._prebuiltEmptyResultObject };
        for (let i = 0, len = rowData.length; i < len; i++) {
          const rawValue = rowData[i];
          const field = this.fields[i].name;
          if (rawValue !== null) {
            const v2 = this.fields[i].format === "binary" ? Buffer.from(rawValue) : rawValue;
            row[field] = this._parsers[i](v2);
          } else {
            row[field] = null;
          }
        }
        return row;
      }
      addRow(row) {
        this.rows.push(row);
      }
      addFields(fieldDescriptions) {
        this.fields = fieldDescriptions;
        if (this.fields.length) {
          this._parsers = new Array(fieldDescriptions.length);
        }
        const row = /* @__PURE__ */ Object.create(null);
        for (let i = 0; i < fieldDescriptions.length; i++) {
          const desc = fieldDescriptions[i];
          row[desc.name] = null;
          if (this._types) {
            this._parsers[i] = this._types.getTypeParser(desc.dataTypeID, desc.format || "text");
          } else {
            this._parsers[i] = types3.getTypeParser(desc.dataTypeID, desc.format || "text");
          }
        }
        this._prebuiltEmptyResultObject = { ...row };
      }
    };
    module.exports = Result2;
  }
});

// node_modules/pg/lib/query.js
var require_query = __commonJS({
  "node_modules/pg/lib/query.js"(exports, module) {
    "use strict";
    var { EventEmitter } = __require("events");
    var Result2 = require_result();
    var utils = require_utils();
    var Query2 = class extends EventEmitter {
      constructor(config, values, callback) {
        super();
        config = utils.normalizeQueryConfig(config, values, callback);
        this.text = config.text;
        this.values = config.values;
        this.rows = config.rows;
        this.types = config.types;
        this.name = config.name;
        this.queryMode = config.queryMode;
        this.binary = config.binary;
        this.portal = config.portal || "";
        this.callback = config.callback;
        this._rowMode = config.rowMode;
        if (process.domain && config.callback) {
          this.callback = process.domain.bind(config.callback);
        }
        this._result = new Result2(this._rowMode, this.types);
        this._results = this._result;
        this._canceledDueToError = false;
      }
      requiresPreparation() {
        if (this.queryMode === "extended") {
          return true;
        }
        if (this.name) {
          return true;
        }
        if (this.rows) {
          return true;
        }
        if (!this.text) {
          return false;
        }
        if (!this.values) {
          return false;
        }
        return this.values.length > 0;
      }
      _checkForMultirow() {
        if (this._result.command) {
          if (!Array.isArray(this._results)) {
            this._results = [this._result];
          }
          this._result = new Result2(this._rowMode, this._result._types);
          this._results.push(this._result);
        }
      }
      // associates row metadata from the supplied
      // message with this query object
      // metadata used when parsing row results
      handleRowDescription(msg) {
        this._checkForMultirow();
        this._result.addFields(msg.fields);
        this._accumulateRows = this.callback || !this.listeners("row").length;
      }
      handleDataRow(msg) {
        let row;
        if (this._canceledDueToError) {
          return;
        }
        try {
          row = this._result.parseRow(msg.fields);
        } catch (err) {
          this._canceledDueToError = err;
          return;
        }
        this.emit("row", row, this._result);
        if (this._accumulateRows) {
          this._result.addRow(row);
        }
      }
      handleCommandComplete(msg, connection) {
        this._checkForMultirow();
        this._result.addCommandComplete(msg);
        if (this.rows) {
          connection.sync();
        }
      }
      // if a named prepared statement is created with empty query text
      // the backend will send an emptyQuery message but *not* a command complete message
      // since we pipeline sync immediately after execute we don't need to do anything here
      // unless we have rows specified, in which case we did not pipeline the initial sync call
      handleEmptyQuery(connection) {
        if (this.rows) {
          connection.sync();
        }
      }
      handleError(err, connection) {
        if (this._canceledDueToError) {
          err = this._canceledDueToError;
          this._canceledDueToError = false;
        }
        if (this.callback) {
          return this.callback(err);
        }
        this.emit("error", err);
      }
      handleReadyForQuery(con) {
        if (this._canceledDueToError) {
          return this.handleError(this._canceledDueToError, con);
        }
        if (this.callback) {
          try {
            this.callback(null, this._results);
          } catch (err) {
            process.nextTick(() => {
              throw err;
            });
          }
        }
        this.emit("end", this._results);
      }
      submit(connection) {
        if (typeof this.text !== "string" && typeof this.name !== "string") {
          return new Error("A query must have either text or a name. Supplying neither is unsupported.");
        }
        const previous = connection.parsedStatements[this.name] || connection.submittedNamedStatements[this.name];
        if (this.text && previous && this.text !== previous) {
          return new Error(`Prepared statements must be unique - '${this.name}' was used for a different statement`);
        }
        if (this.values && !Array.isArray(this.values)) {
          return new Error("Query values must be an array");
        }
        if (this.requiresPreparation()) {
          connection.stream.cork && connection.stream.cork();
          try {
            this.prepare(connection);
          } finally {
            connection.stream.uncork && connection.stream.uncork();
          }
        } else {
          connection.query(this.text);
        }
        return null;
      }
      hasBeenParsed(connection) {
        return this.name && (connection.parsedStatements[this.name] !== void 0 || connection.submittedNamedStatements[this.name] !== void 0);
      }
      handlePortalSuspended(connection) {
        this._getRows(connection, this.rows);
      }
      _getRows(connection, rows) {
        connection.execute({
          portal: this.portal,
          rows
        });
        if (!rows) {
          connection.sync();
        } else {
          connection.flush();
        }
      }
      // http://developer.postgresql.org/pgdocs/postgres/protocol-flow.html#PROTOCOL-FLOW-EXT-QUERY
      prepare(connection) {
        if (!this.hasBeenParsed(connection)) {
          connection.parse({
            text: this.text,
            name: this.name,
            types: this.types
          });
          if (this.name) {
            connection.submittedNamedStatements[this.name] = this.text;
          }
        }
        try {
          connection.bind({
            portal: this.portal,
            statement: this.name,
            values: this.values,
            binary: this.binary,
            valueMapper: utils.prepareValue
          });
        } catch (err) {
          connection.close({ type: "S", name: this.name });
          connection.sync();
          this.handleError(err, connection);
          return;
        }
        connection.describe({
          type: "P",
          name: this.portal || ""
        });
        this._getRows(connection, this.rows);
      }
      handleCopyInResponse(connection) {
        connection.sendCopyFail("No source stream defined");
      }
      handleCopyData(msg, connection) {
      }
    };
    module.exports = Query2;
  }
});

// node_modules/pg-protocol/dist/messages.js
var require_messages = __commonJS({
  "node_modules/pg-protocol/dist/messages.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.NoticeMessage = exports.DataRowMessage = exports.CommandCompleteMessage = exports.ReadyForQueryMessage = exports.NotificationResponseMessage = exports.BackendKeyDataMessage = exports.AuthenticationMD5Password = exports.ParameterStatusMessage = exports.ParameterDescriptionMessage = exports.RowDescriptionMessage = exports.Field = exports.CopyResponse = exports.CopyDataMessage = exports.DatabaseError = exports.copyDone = exports.emptyQuery = exports.replicationStart = exports.portalSuspended = exports.noData = exports.closeComplete = exports.bindComplete = exports.parseComplete = void 0;
    exports.parseComplete = {
      name: "parseComplete",
      length: 5
    };
    exports.bindComplete = {
      name: "bindComplete",
      length: 5
    };
    exports.closeComplete = {
      name: "closeComplete",
      length: 5
    };
    exports.noData = {
      name: "noData",
      length: 5
    };
    exports.portalSuspended = {
      name: "portalSuspended",
      length: 5
    };
    exports.replicationStart = {
      name: "replicationStart",
      length: 4
    };
    exports.emptyQuery = {
      name: "emptyQuery",
      length: 4
    };
    exports.copyDone = {
      name: "copyDone",
      length: 4
    };
    var DatabaseError2 = class extends Error {
      constructor(message, length, name) {
        super(message);
        this.length = length;
        this.name = name;
      }
    };
    exports.DatabaseError = DatabaseError2;
    var CopyDataMessage = class {
      constructor(length, chunk) {
        this.length = length;
        this.chunk = chunk;
        this.name = "copyData";
      }
    };
    exports.CopyDataMessage = CopyDataMessage;
    var CopyResponse = class {
      constructor(length, name, binary, columnCount) {
        this.length = length;
        this.name = name;
        this.binary = binary;
        this.columnTypes = new Array(columnCount);
      }
    };
    exports.CopyResponse = CopyResponse;
    var Field = class {
      constructor(name, tableID, columnID, dataTypeID, dataTypeSize, dataTypeModifier, format) {
        this.name = name;
        this.tableID = tableID;
        this.columnID = columnID;
        this.dataTypeID = dataTypeID;
        this.dataTypeSize = dataTypeSize;
        this.dataTypeModifier = dataTypeModifier;
        this.format = format;
      }
    };
    exports.Field = Field;
    var RowDescriptionMessage = class {
      constructor(length, fieldCount) {
        this.length = length;
        this.fieldCount = fieldCount;
        this.name = "rowDescription";
        this.fields = new Array(this.fieldCount);
      }
    };
    exports.RowDescriptionMessage = RowDescriptionMessage;
    var ParameterDescriptionMessage = class {
      constructor(length, parameterCount) {
        this.length = length;
        this.parameterCount = parameterCount;
        this.name = "parameterDescription";
        this.dataTypeIDs = new Array(this.parameterCount);
      }
    };
    exports.ParameterDescriptionMessage = ParameterDescriptionMessage;
    var ParameterStatusMessage = class {
      constructor(length, parameterName, parameterValue) {
        this.length = length;
        this.parameterName = parameterName;
        this.parameterValue = parameterValue;
        this.name = "parameterStatus";
      }
    };
    exports.ParameterStatusMessage = ParameterStatusMessage;
    var AuthenticationMD5Password = class {
      constructor(length, salt) {
        this.length = length;
        this.salt = salt;
        this.name = "authenticationMD5Password";
      }
    };
    exports.AuthenticationMD5Password = AuthenticationMD5Password;
    var BackendKeyDataMessage = class {
      constructor(length, processID, secretKey) {
        this.length = length;
        this.processID = processID;
        this.secretKey = secretKey;
        this.name = "backendKeyData";
      }
    };
    exports.BackendKeyDataMessage = BackendKeyDataMessage;
    var NotificationResponseMessage = class {
      constructor(length, processId, channel, payload) {
        this.length = length;
        this.processId = processId;
        this.channel = channel;
        this.payload = payload;
        this.name = "notification";
      }
    };
    exports.NotificationResponseMessage = NotificationResponseMessage;
    var ReadyForQueryMessage = class {
      constructor(length, status) {
        this.length = length;
        this.status = status;
        this.name = "readyForQuery";
      }
    };
    exports.ReadyForQueryMessage = ReadyForQueryMessage;
    var CommandCompleteMessage = class {
      constructor(length, text2) {
        this.length = length;
        this.text = text2;
        this.name = "commandComplete";
      }
    };
    exports.CommandCompleteMessage = CommandCompleteMessage;
    var DataRowMessage = class {
      constructor(length, fields) {
        this.length = length;
        this.fields = fields;
        this.name = "dataRow";
        this.fieldCount = fields.length;
      }
    };
    exports.DataRowMessage = DataRowMessage;
    var NoticeMessage = class {
      constructor(length, message) {
        this.length = length;
        this.message = message;
        this.name = "notice";
      }
    };
    exports.NoticeMessage = NoticeMessage;
  }
});

// node_modules/pg-protocol/dist/buffer-writer.js
var require_buffer_writer = __commonJS({
  "node_modules/pg-protocol/dist/buffer-writer.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.Writer = void 0;
    var Writer = class {
      constructor(size = 256) {
        this.size = size;
        this.offset = 5;
        this.headerPosition = 0;
        this.buffer = Buffer.allocUnsafe(size);
      }
      ensure(size) {
        const remaining = this.buffer.length - this.offset;
        if (remaining < size) {
          const oldBuffer = this.buffer;
          const newSize = oldBuffer.length + (oldBuffer.length >> 1) + size;
          this.buffer = Buffer.allocUnsafe(newSize);
          oldBuffer.copy(this.buffer, 0, 0, this.offset);
        }
      }
      addInt32(num2) {
        this.ensure(4);
        this.buffer[this.offset++] = num2 >>> 24 & 255;
        this.buffer[this.offset++] = num2 >>> 16 & 255;
        this.buffer[this.offset++] = num2 >>> 8 & 255;
        this.buffer[this.offset++] = num2 >>> 0 & 255;
        return this;
      }
      addInt16(num2) {
        this.ensure(2);
        this.buffer[this.offset++] = num2 >>> 8 & 255;
        this.buffer[this.offset++] = num2 >>> 0 & 255;
        return this;
      }
      addCString(string) {
        if (!string) {
          this.ensure(1);
        } else {
          const len = Buffer.byteLength(string);
          this.ensure(len + 1);
          this.buffer.write(string, this.offset, "utf-8");
          this.offset += len;
        }
        this.buffer[this.offset++] = 0;
        return this;
      }
      addString(string = "") {
        const len = Buffer.byteLength(string);
        this.ensure(len);
        this.buffer.write(string, this.offset);
        this.offset += len;
        return this;
      }
      // Write an Int32 byte-length prefix immediately followed by the string's UTF-8
      // bytes. Postgres' Bind wire format prefixes every parameter with its length,
      // and doing it in one method computes Buffer.byteLength ONCE — the previous
      // `addInt32(Buffer.byteLength(s)).addString(s)` pairing scanned the string
      // three times (byteLength for the prefix, byteLength again inside addString,
      // then the encode), which is costly for large text parameters.
      addInt32PrefixedString(string) {
        const len = Buffer.byteLength(string);
        this.ensure(4 + len);
        const buffer = this.buffer;
        let offset = this.offset;
        buffer[offset++] = len >>> 24 & 255;
        buffer[offset++] = len >>> 16 & 255;
        buffer[offset++] = len >>> 8 & 255;
        buffer[offset++] = len >>> 0 & 255;
        buffer.write(string, offset, "utf-8");
        this.offset = offset + len;
        return this;
      }
      add(otherBuffer) {
        this.ensure(otherBuffer.length);
        otherBuffer.copy(this.buffer, this.offset);
        this.offset += otherBuffer.length;
        return this;
      }
      /**
       * Appends an uninitialized block of {@link size} bytes to the buffer and returns its offset.
       */
      reserveUnsafe(size) {
        const offset = this.offset;
        this.ensure(size);
        this.offset += size;
        return offset;
      }
      join(code) {
        if (code) {
          this.buffer[this.headerPosition] = code;
          const length = this.offset - (this.headerPosition + 1);
          this.buffer.writeInt32BE(length, this.headerPosition + 1);
        }
        return this.buffer.slice(code ? 0 : 5, this.offset);
      }
      flush(code) {
        const result = this.join(code);
        this.offset = 5;
        this.headerPosition = 0;
        this.buffer = Buffer.allocUnsafe(this.size);
        return result;
      }
      clear() {
        this.offset = 5;
        this.headerPosition = 0;
      }
    };
    exports.Writer = Writer;
  }
});

// node_modules/pg-protocol/dist/serializer.js
var require_serializer = __commonJS({
  "node_modules/pg-protocol/dist/serializer.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.serialize = void 0;
    var buffer_writer_1 = require_buffer_writer();
    var writer = new buffer_writer_1.Writer();
    var startup = (opts) => {
      writer.addInt16(3).addInt16(0);
      for (const key2 of Object.keys(opts)) {
        writer.addCString(key2).addCString(opts[key2]);
      }
      writer.addCString("client_encoding").addCString("UTF8");
      const bodyBuffer = writer.addCString("").flush();
      const length = bodyBuffer.length + 4;
      return new buffer_writer_1.Writer().addInt32(length).add(bodyBuffer).flush();
    };
    var requestSsl = () => {
      const response = Buffer.allocUnsafe(8);
      response.writeInt32BE(8, 0);
      response.writeInt32BE(80877103, 4);
      return response;
    };
    var password = (password2) => {
      return writer.addCString(password2).flush(
        112
        /* code.startup */
      );
    };
    var sendSASLInitialResponseMessage = function(mechanism, initialResponse) {
      writer.addCString(mechanism).addInt32PrefixedString(initialResponse);
      return writer.flush(
        112
        /* code.startup */
      );
    };
    var sendSCRAMClientFinalMessage = function(additionalData) {
      return writer.addString(additionalData).flush(
        112
        /* code.startup */
      );
    };
    var query2 = (text2) => {
      return writer.addCString(text2).flush(
        81
        /* code.query */
      );
    };
    var emptyArray = [];
    var parse = (query3) => {
      const name = query3.name || "";
      if (name.length > 63) {
        console.error("Warning! Postgres only supports 63 characters for query names.");
        console.error("You supplied %s (%s)", name, name.length);
        console.error("This can cause conflicts and silent errors executing queries");
      }
      const types3 = query3.types || emptyArray;
      const len = types3.length;
      const buffer = writer.addCString(name).addCString(query3.text).addInt16(len);
      for (let i = 0; i < len; i++) {
        buffer.addInt32(types3[i]);
      }
      return writer.flush(
        80
        /* code.parse */
      );
    };
    var writeValues = function(values, valueMapper, formatsOffset) {
      const len = values.length;
      for (let i = 0; i < len; i++) {
        const mappedVal = valueMapper ? valueMapper(values[i], i) : values[i];
        let formatByte = 0;
        if (mappedVal == null) {
          writer.addInt32(-1);
        } else if (mappedVal instanceof Buffer) {
          formatByte = 1;
          writer.addInt32(mappedVal.length);
          writer.add(mappedVal);
        } else {
          writer.addInt32PrefixedString(mappedVal);
        }
        const buf = writer.buffer;
        buf[formatsOffset++] = 0;
        buf[formatsOffset++] = formatByte;
      }
    };
    var bind = (config = {}) => {
      const portal = config.portal || "";
      const statement = config.statement || "";
      const binary = config.binary || false;
      const values = config.values || emptyArray;
      const len = values.length;
      writer.addCString(portal).addCString(statement);
      writer.addInt16(len);
      const formatsOffset = writer.reserveUnsafe(len * 2);
      writer.addInt16(len);
      try {
        writeValues(values, config.valueMapper, formatsOffset);
      } catch (err) {
        writer.clear();
        throw err;
      }
      writer.addInt16(1);
      writer.addInt16(
        binary ? 1 : 0
        /* ParamType.STRING */
      );
      return writer.flush(
        66
        /* code.bind */
      );
    };
    var emptyExecute = Buffer.from([69, 0, 0, 0, 9, 0, 0, 0, 0, 0]);
    var execute = (config) => {
      if (!config || !config.portal && !config.rows) {
        return emptyExecute;
      }
      const portal = config.portal || "";
      const rows = config.rows || 0;
      const portalLength = Buffer.byteLength(portal);
      const len = 4 + portalLength + 1 + 4;
      const buff = Buffer.allocUnsafe(1 + len);
      buff[0] = 69;
      buff.writeInt32BE(len, 1);
      buff.write(portal, 5, "utf-8");
      buff[portalLength + 5] = 0;
      buff.writeUInt32BE(rows, buff.length - 4);
      return buff;
    };
    var cancel = (processID, secretKey) => {
      const buffer = Buffer.allocUnsafe(16);
      buffer.writeInt32BE(16, 0);
      buffer.writeInt16BE(1234, 4);
      buffer.writeInt16BE(5678, 6);
      buffer.writeInt32BE(processID, 8);
      buffer.writeInt32BE(secretKey, 12);
      return buffer;
    };
    var cstringMessage = (code, string) => {
      const stringLen = Buffer.byteLength(string);
      const len = 4 + stringLen + 1;
      const buffer = Buffer.allocUnsafe(1 + len);
      buffer[0] = code;
      buffer.writeInt32BE(len, 1);
      buffer.write(string, 5, "utf-8");
      buffer[len] = 0;
      return buffer;
    };
    var emptyDescribePortal = writer.addCString("P").flush(
      68
      /* code.describe */
    );
    var emptyDescribeStatement = writer.addCString("S").flush(
      68
      /* code.describe */
    );
    var describe = (msg) => {
      return msg.name ? cstringMessage(68, `${msg.type}${msg.name || ""}`) : msg.type === "P" ? emptyDescribePortal : emptyDescribeStatement;
    };
    var close = (msg) => {
      const text2 = `${msg.type}${msg.name || ""}`;
      return cstringMessage(67, text2);
    };
    var copyData = (chunk) => {
      return writer.add(chunk).flush(
        100
        /* code.copyFromChunk */
      );
    };
    var copyFail = (message) => {
      return cstringMessage(102, message);
    };
    var codeOnlyBuffer = (code) => Buffer.from([code, 0, 0, 0, 4]);
    var flushBuffer = codeOnlyBuffer(
      72
      /* code.flush */
    );
    var syncBuffer = codeOnlyBuffer(
      83
      /* code.sync */
    );
    var endBuffer = codeOnlyBuffer(
      88
      /* code.end */
    );
    var copyDoneBuffer = codeOnlyBuffer(
      99
      /* code.copyDone */
    );
    var serialize = {
      startup,
      password,
      requestSsl,
      sendSASLInitialResponseMessage,
      sendSCRAMClientFinalMessage,
      query: query2,
      parse,
      bind,
      execute,
      describe,
      close,
      flush: () => flushBuffer,
      sync: () => syncBuffer,
      end: () => endBuffer,
      copyData,
      copyDone: () => copyDoneBuffer,
      copyFail,
      cancel
    };
    exports.serialize = serialize;
  }
});

// node_modules/pg-protocol/dist/buffer-reader.js
var require_buffer_reader = __commonJS({
  "node_modules/pg-protocol/dist/buffer-reader.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.BufferReader = void 0;
    var BufferReader = class {
      constructor(offset = 0) {
        this.offset = offset;
        this.buffer = Buffer.allocUnsafe(0);
        this.encoding = "utf-8";
      }
      setBuffer(offset, buffer) {
        this.offset = offset;
        this.buffer = buffer;
      }
      int16() {
        const result = this.buffer.readInt16BE(this.offset);
        this.offset += 2;
        return result;
      }
      byte() {
        const result = this.buffer[this.offset];
        this.offset++;
        return result;
      }
      int32() {
        const result = this.buffer.readInt32BE(this.offset);
        this.offset += 4;
        return result;
      }
      uint32() {
        const result = this.buffer.readUInt32BE(this.offset);
        this.offset += 4;
        return result;
      }
      string(length) {
        const result = this.buffer.toString(this.encoding, this.offset, this.offset + length);
        this.offset += length;
        return result;
      }
      cstring() {
        const start = this.offset;
        let end = start;
        while (this.buffer[end++]) {
        }
        this.offset = end;
        return this.buffer.toString(this.encoding, start, end - 1);
      }
      bytes(length) {
        const result = this.buffer.slice(this.offset, this.offset + length);
        this.offset += length;
        return result;
      }
    };
    exports.BufferReader = BufferReader;
  }
});

// node_modules/pg-protocol/dist/parser.js
var require_parser = __commonJS({
  "node_modules/pg-protocol/dist/parser.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.Parser = void 0;
    var messages_1 = require_messages();
    var buffer_reader_1 = require_buffer_reader();
    var CODE_LENGTH = 1;
    var LEN_LENGTH = 4;
    var HEADER_LENGTH = CODE_LENGTH + LEN_LENGTH;
    var LATEINIT_LENGTH = -1;
    var emptyBuffer = Buffer.allocUnsafe(0);
    var Parser = class {
      constructor(opts) {
        this.buffer = emptyBuffer;
        this.bufferLength = 0;
        this.bufferOffset = 0;
        this.reader = new buffer_reader_1.BufferReader();
        if ((opts === null || opts === void 0 ? void 0 : opts.mode) === "binary") {
          throw new Error("Binary mode not supported yet");
        }
        this.mode = (opts === null || opts === void 0 ? void 0 : opts.mode) || "text";
      }
      parse(buffer, callback) {
        this.mergeBuffer(buffer);
        const bufferFullLength = this.bufferOffset + this.bufferLength;
        let offset = this.bufferOffset;
        while (offset + HEADER_LENGTH <= bufferFullLength) {
          const code = this.buffer[offset];
          const length = this.buffer.readUInt32BE(offset + CODE_LENGTH);
          const fullMessageLength = CODE_LENGTH + length;
          if (fullMessageLength + offset <= bufferFullLength) {
            const message = this.handlePacket(offset + HEADER_LENGTH, code, length, this.buffer);
            callback(message);
            offset += fullMessageLength;
          } else {
            break;
          }
        }
        if (offset === bufferFullLength) {
          this.buffer = emptyBuffer;
          this.bufferLength = 0;
          this.bufferOffset = 0;
        } else {
          this.bufferLength = bufferFullLength - offset;
          this.bufferOffset = offset;
        }
      }
      mergeBuffer(buffer) {
        if (this.bufferLength > 0) {
          const newLength = this.bufferLength + buffer.byteLength;
          const newFullLength = newLength + this.bufferOffset;
          if (newFullLength > this.buffer.byteLength) {
            let newBuffer;
            if (newLength <= this.buffer.byteLength && this.bufferOffset >= this.bufferLength) {
              newBuffer = this.buffer;
            } else {
              let newBufferLength = this.buffer.byteLength * 2;
              while (newLength >= newBufferLength) {
                newBufferLength *= 2;
              }
              newBuffer = Buffer.allocUnsafe(newBufferLength);
            }
            this.buffer.copy(newBuffer, 0, this.bufferOffset, this.bufferOffset + this.bufferLength);
            this.buffer = newBuffer;
            this.bufferOffset = 0;
          }
          buffer.copy(this.buffer, this.bufferOffset + this.bufferLength);
          this.bufferLength = newLength;
        } else {
          this.buffer = buffer;
          this.bufferOffset = 0;
          this.bufferLength = buffer.byteLength;
        }
      }
      handlePacket(offset, code, length, bytes) {
        const { reader } = this;
        reader.setBuffer(offset, bytes);
        let message;
        switch (code) {
          case 50:
            message = messages_1.bindComplete;
            break;
          case 49:
            message = messages_1.parseComplete;
            break;
          case 51:
            message = messages_1.closeComplete;
            break;
          case 110:
            message = messages_1.noData;
            break;
          case 115:
            message = messages_1.portalSuspended;
            break;
          case 99:
            message = messages_1.copyDone;
            break;
          case 87:
            message = messages_1.replicationStart;
            break;
          case 73:
            message = messages_1.emptyQuery;
            break;
          case 68:
            message = parseDataRowMessage(reader);
            break;
          case 67:
            message = parseCommandCompleteMessage(reader);
            break;
          case 90:
            message = parseReadyForQueryMessage(reader);
            break;
          case 65:
            message = parseNotificationMessage(reader);
            break;
          case 82:
            message = parseAuthenticationResponse(reader, length);
            break;
          case 83:
            message = parseParameterStatusMessage(reader);
            break;
          case 75:
            message = parseBackendKeyData(reader);
            break;
          case 69:
            message = parseErrorMessage(reader, "error");
            break;
          case 78:
            message = parseErrorMessage(reader, "notice");
            break;
          case 84:
            message = parseRowDescriptionMessage(reader);
            break;
          case 116:
            message = parseParameterDescriptionMessage(reader);
            break;
          case 71:
            message = parseCopyInMessage(reader);
            break;
          case 72:
            message = parseCopyOutMessage(reader);
            break;
          case 100:
            message = parseCopyData(reader, length);
            break;
          default:
            return new messages_1.DatabaseError("received invalid response: " + code.toString(16), length, "error");
        }
        reader.setBuffer(0, emptyBuffer);
        message.length = length;
        return message;
      }
    };
    exports.Parser = Parser;
    var parseReadyForQueryMessage = (reader) => {
      const status = reader.string(1);
      return new messages_1.ReadyForQueryMessage(LATEINIT_LENGTH, status);
    };
    var parseCommandCompleteMessage = (reader) => {
      const text2 = reader.cstring();
      return new messages_1.CommandCompleteMessage(LATEINIT_LENGTH, text2);
    };
    var parseCopyData = (reader, length) => {
      const chunk = reader.bytes(length - 4);
      return new messages_1.CopyDataMessage(LATEINIT_LENGTH, chunk);
    };
    var parseCopyInMessage = (reader) => parseCopyMessage(reader, "copyInResponse");
    var parseCopyOutMessage = (reader) => parseCopyMessage(reader, "copyOutResponse");
    var parseCopyMessage = (reader, messageName) => {
      const isBinary = reader.byte() !== 0;
      const columnCount = reader.int16();
      const message = new messages_1.CopyResponse(LATEINIT_LENGTH, messageName, isBinary, columnCount);
      for (let i = 0; i < columnCount; i++) {
        message.columnTypes[i] = reader.int16();
      }
      return message;
    };
    var parseNotificationMessage = (reader) => {
      const processId = reader.int32();
      const channel = reader.cstring();
      const payload = reader.cstring();
      return new messages_1.NotificationResponseMessage(LATEINIT_LENGTH, processId, channel, payload);
    };
    var parseRowDescriptionMessage = (reader) => {
      const fieldCount = reader.int16();
      const message = new messages_1.RowDescriptionMessage(LATEINIT_LENGTH, fieldCount);
      for (let i = 0; i < fieldCount; i++) {
        message.fields[i] = parseField(reader);
      }
      return message;
    };
    var parseField = (reader) => {
      const name = reader.cstring();
      const tableID = reader.uint32();
      const columnID = reader.int16();
      const dataTypeID = reader.uint32();
      const dataTypeSize = reader.int16();
      const dataTypeModifier = reader.int32();
      const mode = reader.int16() === 0 ? "text" : "binary";
      return new messages_1.Field(name, tableID, columnID, dataTypeID, dataTypeSize, dataTypeModifier, mode);
    };
    var parseParameterDescriptionMessage = (reader) => {
      const parameterCount = reader.int16();
      const message = new messages_1.ParameterDescriptionMessage(LATEINIT_LENGTH, parameterCount);
      for (let i = 0; i < parameterCount; i++) {
        message.dataTypeIDs[i] = reader.uint32();
      }
      return message;
    };
    var parseDataRowMessage = (reader) => {
      const fieldCount = reader.int16();
      const fields = new Array(fieldCount);
      for (let i = 0; i < fieldCount; i++) {
        const len = reader.int32();
        fields[i] = len === -1 ? null : reader.string(len);
      }
      return new messages_1.DataRowMessage(LATEINIT_LENGTH, fields);
    };
    var parseParameterStatusMessage = (reader) => {
      const name = reader.cstring();
      const value = reader.cstring();
      return new messages_1.ParameterStatusMessage(LATEINIT_LENGTH, name, value);
    };
    var parseBackendKeyData = (reader) => {
      const processID = reader.int32();
      const secretKey = reader.int32();
      return new messages_1.BackendKeyDataMessage(LATEINIT_LENGTH, processID, secretKey);
    };
    var parseAuthenticationResponse = (reader, length) => {
      const code = reader.int32();
      const message = {
        name: "authenticationOk",
        length
      };
      switch (code) {
        case 0:
          break;
        case 3:
          if (message.length === 8) {
            message.name = "authenticationCleartextPassword";
          }
          break;
        case 5:
          if (message.length === 12) {
            message.name = "authenticationMD5Password";
            const salt = reader.bytes(4);
            return new messages_1.AuthenticationMD5Password(LATEINIT_LENGTH, salt);
          }
          break;
        case 10:
          {
            message.name = "authenticationSASL";
            message.mechanisms = [];
            let mechanism;
            do {
              mechanism = reader.cstring();
              if (mechanism) {
                message.mechanisms.push(mechanism);
              }
            } while (mechanism);
          }
          break;
        case 11:
          message.name = "authenticationSASLContinue";
          message.data = reader.string(length - 8);
          break;
        case 12:
          message.name = "authenticationSASLFinal";
          message.data = reader.string(length - 8);
          break;
        default:
          throw new Error("Unknown authenticationOk message type " + code);
      }
      return message;
    };
    var parseErrorMessage = (reader, name) => {
      const fields = {};
      let fieldType = reader.string(1);
      while (fieldType !== "\0") {
        fields[fieldType] = reader.cstring();
        fieldType = reader.string(1);
      }
      const messageValue = fields.M;
      const message = name === "notice" ? new messages_1.NoticeMessage(LATEINIT_LENGTH, messageValue) : new messages_1.DatabaseError(messageValue, LATEINIT_LENGTH, name);
      message.severity = fields.S;
      message.code = fields.C;
      message.detail = fields.D;
      message.hint = fields.H;
      message.position = fields.P;
      message.internalPosition = fields.p;
      message.internalQuery = fields.q;
      message.where = fields.W;
      message.schema = fields.s;
      message.table = fields.t;
      message.column = fields.c;
      message.dataType = fields.d;
      message.constraint = fields.n;
      message.file = fields.F;
      message.line = fields.L;
      message.routine = fields.R;
      return message;
    };
  }
});

// node_modules/pg-protocol/dist/index.js
var require_dist2 = __commonJS({
  "node_modules/pg-protocol/dist/index.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.DatabaseError = exports.serialize = void 0;
    exports.parse = parse;
    var messages_1 = require_messages();
    Object.defineProperty(exports, "DatabaseError", { enumerable: true, get: function() {
      return messages_1.DatabaseError;
    } });
    var serializer_1 = require_serializer();
    Object.defineProperty(exports, "serialize", { enumerable: true, get: function() {
      return serializer_1.serialize;
    } });
    var parser_1 = require_parser();
    function parse(stream, callback) {
      const parser = new parser_1.Parser();
      stream.on("data", (buffer) => parser.parse(buffer, callback));
      return new Promise((resolve4) => stream.on("end", () => resolve4()));
    }
  }
});

// node_modules/pg-cloudflare/dist/empty.js
var require_empty = __commonJS({
  "node_modules/pg-cloudflare/dist/empty.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.default = {};
  }
});

// node_modules/pg/lib/stream.js
var require_stream = __commonJS({
  "node_modules/pg/lib/stream.js"(exports, module) {
    var { getStream, getSecureStream } = getStreamFuncs();
    module.exports = {
      /**
       * Get a socket stream compatible with the current runtime environment.
       * @returns {Duplex}
       */
      getStream,
      /**
       * Get a TLS secured socket, compatible with the current environment,
       * using the socket and other settings given in `options`.
       * @returns {Duplex}
       */
      getSecureStream
    };
    function getNodejsStreamFuncs() {
      function getStream2(ssl) {
        const net = __require("net");
        return new net.Socket();
      }
      function getSecureStream2(options) {
        const tls = __require("tls");
        return tls.connect(options);
      }
      return {
        getStream: getStream2,
        getSecureStream: getSecureStream2
      };
    }
    function getCloudflareStreamFuncs() {
      function getStream2(ssl) {
        const { CloudflareSocket } = require_empty();
        return new CloudflareSocket(ssl);
      }
      function getSecureStream2(options) {
        options.socket.startTls(options);
        return options.socket;
      }
      return {
        getStream: getStream2,
        getSecureStream: getSecureStream2
      };
    }
    function isCloudflareRuntime() {
      if (typeof navigator === "object" && navigator !== null && typeof navigator.userAgent === "string") {
        return navigator.userAgent === "Cloudflare-Workers";
      }
      if (typeof Response === "function") {
        const resp = new Response(null, { cf: { thing: true } });
        if (typeof resp.cf === "object" && resp.cf !== null && resp.cf.thing) {
          return true;
        }
      }
      return false;
    }
    function getStreamFuncs() {
      if (isCloudflareRuntime()) {
        return getCloudflareStreamFuncs();
      }
      return getNodejsStreamFuncs();
    }
  }
});

// node_modules/pg/lib/connection.js
var require_connection = __commonJS({
  "node_modules/pg/lib/connection.js"(exports, module) {
    "use strict";
    var EventEmitter = __require("events").EventEmitter;
    var { parse, serialize } = require_dist2();
    var stream = require_stream();
    var { getStream } = stream;
    var flushBuffer = serialize.flush();
    var syncBuffer = serialize.sync();
    var endBuffer = serialize.end();
    var Connection2 = class extends EventEmitter {
      constructor(config) {
        super();
        config = config || {};
        this.stream = config.stream || getStream(config.ssl);
        if (typeof this.stream === "function") {
          this.stream = this.stream(config);
        }
        this._keepAlive = config.keepAlive;
        this._keepAliveInitialDelayMillis = config.keepAliveInitialDelayMillis;
        this.parsedStatements = {};
        this.submittedNamedStatements = {};
        this.ssl = config.ssl || false;
        this.sslNegotiation = config.sslNegotiation || "postgres";
        this._ending = false;
        this._emitMessage = false;
        const self = this;
        this.on("newListener", function(eventName) {
          if (eventName === "message") {
            self._emitMessage = true;
          }
        });
      }
      connect(port, host) {
        const self = this;
        this._connecting = true;
        this.stream.setNoDelay(true);
        this.stream.connect(port, host);
        this.stream.once("connect", function() {
          if (self._keepAlive) {
            self.stream.setKeepAlive(true, self._keepAliveInitialDelayMillis);
          }
          self.emit("connect");
        });
        const reportStreamError = function(error) {
          if (self._ending && (error.code === "ECONNRESET" || error.code === "EPIPE")) {
            return;
          }
          self.emit("error", error);
        };
        this.stream.on("error", reportStreamError);
        this.stream.on("close", function() {
          self.emit("end");
        });
        if (!this.ssl) {
          return this.attachListeners(this.stream);
        }
        if (this.sslNegotiation === "direct") {
          return this.stream.once("connect", function() {
            self.upgradeToSSL(host, reportStreamError);
          });
        }
        this.stream.once("data", function(buffer) {
          const responseCode = buffer.toString("utf8");
          switch (responseCode) {
            case "S":
              break;
            case "N":
              self.stream.end();
              return self.emit("error", new Error("The server does not support SSL connections"));
            default:
              self.stream.end();
              return self.emit("error", new Error("There was an error establishing an SSL connection"));
          }
          self.upgradeToSSL(host, reportStreamError);
        });
      }
      upgradeToSSL(host, reportStreamError) {
        const self = this;
        const options = {
          socket: self.stream,
          // tls.connect checks the server identity against `servername`, falling
          // back to `host` and then to 'localhost'. `servername` must stay unset
          // for IP addresses (see below), so `host` is needed to keep certificate
          // validation working when connecting to an IP address.
          host
        };
        if (self.ssl !== true) {
          Object.assign(options, self.ssl);
          if ("key" in self.ssl) {
            options.key = self.ssl.key;
          }
        }
        if (self.sslNegotiation === "direct") {
          options.ALPNProtocols = ["postgresql"];
        }
        const net = __require("net");
        if (net.isIP && net.isIP(host) === 0) {
          options.servername = host;
        }
        try {
          self.stream = stream.getSecureStream(options);
        } catch (err) {
          return self.emit("error", err);
        }
        self.attachListeners(self.stream);
        self.stream.on("error", reportStreamError);
        self.emit("sslconnect");
      }
      attachListeners(stream2) {
        parse(stream2, (msg) => {
          const eventName = msg.name === "error" ? "errorMessage" : msg.name;
          if (this._emitMessage) {
            this.emit("message", msg);
          }
          this.emit(eventName, msg);
        });
      }
      requestSsl() {
        this.stream.write(serialize.requestSsl());
      }
      startup(config) {
        this.stream.write(serialize.startup(config));
      }
      cancel(processID, secretKey) {
        this._send(serialize.cancel(processID, secretKey));
      }
      password(password) {
        this._send(serialize.password(password));
      }
      sendSASLInitialResponseMessage(mechanism, initialResponse) {
        this._send(serialize.sendSASLInitialResponseMessage(mechanism, initialResponse));
      }
      sendSCRAMClientFinalMessage(additionalData) {
        this._send(serialize.sendSCRAMClientFinalMessage(additionalData));
      }
      _send(buffer) {
        if (!this.stream.writable) {
          return false;
        }
        return this.stream.write(buffer);
      }
      query(text2) {
        this._send(serialize.query(text2));
      }
      // send parse message
      parse(query2) {
        this._send(serialize.parse(query2));
      }
      // send bind message
      bind(config) {
        this._send(serialize.bind(config));
      }
      // send execute message
      execute(config) {
        this._send(serialize.execute(config));
      }
      flush() {
        if (this.stream.writable) {
          this.stream.write(flushBuffer);
        }
      }
      sync() {
        this._send(syncBuffer);
      }
      ref() {
        this.stream.ref();
      }
      unref() {
        this.stream.unref();
      }
      end() {
        this._ending = true;
        if (!this._connecting || !this.stream.writable) {
          this.stream.end();
          return;
        }
        return this.stream.write(endBuffer, () => {
          this.stream.end();
        });
      }
      close(msg) {
        this._send(serialize.close(msg));
      }
      describe(msg) {
        this._send(serialize.describe(msg));
      }
      sendCopyFromChunk(chunk) {
        this._send(serialize.copyData(chunk));
      }
      endCopyFrom() {
        this._send(serialize.copyDone());
      }
      sendCopyFail(msg) {
        this._send(serialize.copyFail(msg));
      }
    };
    module.exports = Connection2;
  }
});

// node_modules/split2/index.js
var require_split2 = __commonJS({
  "node_modules/split2/index.js"(exports, module) {
    "use strict";
    var { Transform } = __require("stream");
    var { StringDecoder } = __require("string_decoder");
    var kLast = Symbol("last");
    var kDecoder = Symbol("decoder");
    function transform(chunk, enc, cb) {
      let list2;
      if (this.overflow) {
        const buf = this[kDecoder].write(chunk);
        list2 = buf.split(this.matcher);
        if (list2.length === 1) return cb();
        list2.shift();
        this.overflow = false;
      } else {
        this[kLast] += this[kDecoder].write(chunk);
        list2 = this[kLast].split(this.matcher);
      }
      this[kLast] = list2.pop();
      for (let i = 0; i < list2.length; i++) {
        try {
          push(this, this.mapper(list2[i]));
        } catch (error) {
          return cb(error);
        }
      }
      this.overflow = this[kLast].length > this.maxLength;
      if (this.overflow && !this.skipOverflow) {
        cb(new Error("maximum buffer reached"));
        return;
      }
      cb();
    }
    function flush(cb) {
      this[kLast] += this[kDecoder].end();
      if (this[kLast]) {
        try {
          push(this, this.mapper(this[kLast]));
        } catch (error) {
          return cb(error);
        }
      }
      cb();
    }
    function push(self, val) {
      if (val !== void 0) {
        self.push(val);
      }
    }
    function noop(incoming) {
      return incoming;
    }
    function split(matcher, mapper, options) {
      matcher = matcher || /\r?\n/;
      mapper = mapper || noop;
      options = options || {};
      switch (arguments.length) {
        case 1:
          if (typeof matcher === "function") {
            mapper = matcher;
            matcher = /\r?\n/;
          } else if (typeof matcher === "object" && !(matcher instanceof RegExp) && !matcher[Symbol.split]) {
            options = matcher;
            matcher = /\r?\n/;
          }
          break;
        case 2:
          if (typeof matcher === "function") {
            options = mapper;
            mapper = matcher;
            matcher = /\r?\n/;
          } else if (typeof mapper === "object") {
            options = mapper;
            mapper = noop;
          }
      }
      options = Object.assign({}, options);
      options.autoDestroy = true;
      options.transform = transform;
      options.flush = flush;
      options.readableObjectMode = true;
      const stream = new Transform(options);
      stream[kLast] = "";
      stream[kDecoder] = new StringDecoder("utf8");
      stream.matcher = matcher;
      stream.mapper = mapper;
      stream.maxLength = options.maxLength;
      stream.skipOverflow = options.skipOverflow || false;
      stream.overflow = false;
      stream._destroy = function(err, cb) {
        this._writableState.errorEmitted = false;
        cb(err);
      };
      return stream;
    }
    module.exports = split;
  }
});

// node_modules/pgpass/lib/helper.js
var require_helper = __commonJS({
  "node_modules/pgpass/lib/helper.js"(exports, module) {
    "use strict";
    var path = __require("path");
    var Stream = __require("stream").Stream;
    var split = require_split2();
    var util = __require("util");
    var defaultPort = 5432;
    var isWin = process.platform === "win32";
    var warnStream = process.stderr;
    var S_IRWXG = 56;
    var S_IRWXO = 7;
    var S_IFMT = 61440;
    var S_IFREG = 32768;
    function isRegFile(mode) {
      return (mode & S_IFMT) == S_IFREG;
    }
    var fieldNames = ["host", "port", "database", "user", "password"];
    var nrOfFields = fieldNames.length;
    var passKey = fieldNames[nrOfFields - 1];
    function warn() {
      var isWritable = warnStream instanceof Stream && true === warnStream.writable;
      if (isWritable) {
        var args = Array.prototype.slice.call(arguments).concat("\n");
        warnStream.write(util.format.apply(util, args));
      }
    }
    Object.defineProperty(module.exports, "isWin", {
      get: function() {
        return isWin;
      },
      set: function(val) {
        isWin = val;
      }
    });
    module.exports.warnTo = function(stream) {
      var old = warnStream;
      warnStream = stream;
      return old;
    };
    module.exports.getFileName = function(rawEnv) {
      var env = rawEnv || process.env;
      var file = env.PGPASSFILE || (isWin ? path.join(env.APPDATA || "./", "postgresql", "pgpass.conf") : path.join(env.HOME || "./", ".pgpass"));
      return file;
    };
    module.exports.usePgPass = function(stats, fname) {
      if (Object.prototype.hasOwnProperty.call(process.env, "PGPASSWORD")) {
        return false;
      }
      if (isWin) {
        return true;
      }
      fname = fname || "<unkn>";
      if (!isRegFile(stats.mode)) {
        warn('WARNING: password file "%s" is not a plain file', fname);
        return false;
      }
      if (stats.mode & (S_IRWXG | S_IRWXO)) {
        warn('WARNING: password file "%s" has group or world access; permissions should be u=rw (0600) or less', fname);
        return false;
      }
      return true;
    };
    var matcher = module.exports.match = function(connInfo, entry) {
      return fieldNames.slice(0, -1).reduce(function(prev, field, idx) {
        if (idx == 1) {
          if (Number(connInfo[field] || defaultPort) === Number(entry[field])) {
            return prev && true;
          }
        }
        return prev && (entry[field] === "*" || entry[field] === connInfo[field]);
      }, true);
    };
    module.exports.getPassword = function(connInfo, stream, cb) {
      var pass;
      var lineStream = stream.pipe(split());
      function onLine(line) {
        var entry = parseLine(line);
        if (entry && isValidEntry(entry) && matcher(connInfo, entry)) {
          pass = entry[passKey];
          lineStream.end();
        }
      }
      var onEnd = function() {
        stream.destroy();
        cb(pass);
      };
      var onErr = function(err) {
        stream.destroy();
        warn("WARNING: error on reading file: %s", err);
        cb(void 0);
      };
      stream.on("error", onErr);
      lineStream.on("data", onLine).on("end", onEnd).on("error", onErr);
    };
    var parseLine = module.exports.parseLine = function(line) {
      if (line.length < 11 || line.match(/^\s+#/)) {
        return null;
      }
      var curChar = "";
      var prevChar = "";
      var fieldIdx = 0;
      var startIdx = 0;
      var endIdx = 0;
      var obj3 = {};
      var isLastField = false;
      var addToObj = function(idx, i0, i1) {
        var field = line.substring(i0, i1);
        if (!Object.hasOwnProperty.call(process.env, "PGPASS_NO_DEESCAPE")) {
          field = field.replace(/\\([:\\])/g, "$1");
        }
        obj3[fieldNames[idx]] = field;
      };
      for (var i = 0; i < line.length - 1; i += 1) {
        curChar = line.charAt(i + 1);
        prevChar = line.charAt(i);
        isLastField = fieldIdx == nrOfFields - 1;
        if (isLastField) {
          addToObj(fieldIdx, startIdx);
          break;
        }
        if (i >= 0 && curChar == ":" && prevChar !== "\\") {
          addToObj(fieldIdx, startIdx, i + 1);
          startIdx = i + 2;
          fieldIdx += 1;
        }
      }
      obj3 = Object.keys(obj3).length === nrOfFields ? obj3 : null;
      return obj3;
    };
    var isValidEntry = module.exports.isValidEntry = function(entry) {
      var rules = {
        // host
        0: function(x3) {
          return x3.length > 0;
        },
        // port
        1: function(x3) {
          if (x3 === "*") {
            return true;
          }
          x3 = Number(x3);
          return isFinite(x3) && x3 > 0 && x3 < 9007199254740992 && Math.floor(x3) === x3;
        },
        // database
        2: function(x3) {
          return x3.length > 0;
        },
        // username
        3: function(x3) {
          return x3.length > 0;
        },
        // password
        4: function(x3) {
          return x3.length > 0;
        }
      };
      for (var idx = 0; idx < fieldNames.length; idx += 1) {
        var rule = rules[idx];
        var value = entry[fieldNames[idx]] || "";
        var res = rule(value);
        if (!res) {
          return false;
        }
      }
      return true;
    };
  }
});

// node_modules/pgpass/lib/index.js
var require_lib = __commonJS({
  "node_modules/pgpass/lib/index.js"(exports, module) {
    "use strict";
    var path = __require("path");
    var fs2 = __require("fs");
    var helper = require_helper();
    module.exports = function(connInfo, cb) {
      var file = helper.getFileName();
      fs2.stat(file, function(err, stat) {
        if (err || !helper.usePgPass(stat, file)) {
          return cb(void 0);
        }
        var st2 = fs2.createReadStream(file);
        helper.getPassword(connInfo, st2, cb);
      });
    };
    module.exports.warnTo = helper.warnTo;
  }
});

// node_modules/pg/lib/client.js
var require_client = __commonJS({
  "node_modules/pg/lib/client.js"(exports, module) {
    var EventEmitter = __require("events").EventEmitter;
    var utils = require_utils();
    var nodeUtils = __require("util");
    var sasl = require_sasl();
    var TypeOverrides2 = require_type_overrides();
    var ConnectionParameters = require_connection_parameters();
    var Query2 = require_query();
    var defaults2 = require_defaults();
    var Connection2 = require_connection();
    var crypto = require_utils2();
    var activeQueryDeprecationNotice = nodeUtils.deprecate(
      () => {
      },
      "Client.activeQuery is deprecated and will be removed in pg@9.0"
    );
    var queryQueueDeprecationNotice = nodeUtils.deprecate(
      () => {
      },
      "Client.queryQueue is deprecated and will be removed in pg@9.0."
    );
    var pgPassDeprecationNotice = nodeUtils.deprecate(
      () => {
      },
      "pgpass support is deprecated and will be removed in pg@9.0. You can provide an async function as the password property to the Client/Pool constructor that returns a password instead. Within this function you can call the pgpass module in your own code."
    );
    var byoPromiseDeprecationNotice = nodeUtils.deprecate(
      () => {
      },
      "Passing a custom Promise implementation to the Client/Pool constructor is deprecated and will be removed in pg@9.0."
    );
    var queryQueueLengthDeprecationNotice = nodeUtils.deprecate(
      () => {
      },
      "Calling client.query() when the client is already executing a query is deprecated and will be removed in pg@9.0. Use async/await or an external async flow control mechanism instead."
    );
    function coerceNumberOrDefault(value, defaultValue) {
      if (typeof value === "number") {
        return Number.isFinite(value) ? value : defaultValue;
      }
      if (typeof value === "string" && value.trim() !== "") {
        const n = Number(value);
        return Number.isFinite(n) ? n : defaultValue;
      }
      return defaultValue;
    }
    var Client2 = class extends EventEmitter {
      constructor(config) {
        super();
        this.connectionParameters = new ConnectionParameters(config);
        this.user = this.connectionParameters.user;
        this.database = this.connectionParameters.database;
        this.port = this.connectionParameters.port;
        this.host = this.connectionParameters.host;
        Object.defineProperty(this, "password", {
          configurable: true,
          enumerable: false,
          writable: true,
          value: this.connectionParameters.password
        });
        this.replication = this.connectionParameters.replication;
        const c3 = config || {};
        if (c3.Promise) {
          byoPromiseDeprecationNotice();
        }
        this._Promise = c3.Promise || global.Promise;
        this._types = new TypeOverrides2(c3.types);
        this._ending = false;
        this._ended = false;
        this._connecting = false;
        this._connected = false;
        this._connectionError = false;
        this._queryable = true;
        this._activeQuery = null;
        this._txStatus = null;
        this.enableChannelBinding = Boolean(c3.enableChannelBinding);
        this.scramMaxIterations = coerceNumberOrDefault(c3.scramMaxIterations, sasl.DEFAULT_MAX_SCRAM_ITERATIONS);
        this.connection = c3.connection || new Connection2({
          stream: c3.stream,
          ssl: this.connectionParameters.ssl,
          sslNegotiation: this.connectionParameters.sslnegotiation,
          keepAlive: c3.keepAlive || false,
          keepAliveInitialDelayMillis: c3.keepAliveInitialDelayMillis || 0,
          encoding: this.connectionParameters.client_encoding || "utf8"
        });
        this._queryQueue = [];
        this._sentQueryQueue = [];
        this.pipeline = Boolean(c3.pipeline);
        this.binary = c3.binary || defaults2.binary;
        this.processID = null;
        this.secretKey = null;
        this.ssl = this.connectionParameters.ssl || false;
        this.sslNegotiation = this.connectionParameters.sslnegotiation || "postgres";
        if (this.ssl && this.ssl.key) {
          Object.defineProperty(this.ssl, "key", {
            enumerable: false
          });
        }
        this._connectionTimeoutMillis = c3.connectionTimeoutMillis || 0;
      }
      get activeQuery() {
        activeQueryDeprecationNotice();
        return this._activeQuery;
      }
      set activeQuery(val) {
        activeQueryDeprecationNotice();
        this._activeQuery = val;
      }
      _getActiveQuery() {
        return this._activeQuery;
      }
      _errorAllQueries(err) {
        const enqueueError = (query2) => {
          process.nextTick(() => {
            query2.handleError(err, this.connection);
          });
        };
        const activeQuery = this._getActiveQuery();
        if (activeQuery) {
          enqueueError(activeQuery);
          this._activeQuery = null;
        }
        this._sentQueryQueue.forEach(enqueueError);
        this._sentQueryQueue.length = 0;
        this._queryQueue.forEach(enqueueError);
        this._queryQueue.length = 0;
      }
      _connect(callback) {
        const self = this;
        const con = this.connection;
        this._connectionCallback = callback;
        if (this._connecting || this._connected) {
          const err = new Error("Client has already been connected. You cannot reuse a client.");
          process.nextTick(() => {
            callback(err);
          });
          return;
        }
        this._connecting = true;
        if (this._connectionTimeoutMillis > 0) {
          this.connectionTimeoutHandle = setTimeout(() => {
            con._ending = true;
            con.stream.destroy(new Error("timeout expired"));
          }, this._connectionTimeoutMillis);
          if (this.connectionTimeoutHandle.unref) {
            this.connectionTimeoutHandle.unref();
          }
        }
        if (this.host && this.host.indexOf("/") === 0) {
          con.connect(this.host + "/.s.PGSQL." + this.port);
        } else {
          con.connect(this.port, this.host);
        }
        con.on("connect", function() {
          if (self.ssl) {
            if (self.sslNegotiation !== "direct") {
              con.requestSsl();
            }
          } else {
            con.startup(self.getStartupConf());
          }
        });
        con.on("sslconnect", function() {
          con.startup(self.getStartupConf());
        });
        this._attachListeners(con);
        con.once("end", () => {
          const error = this._ending ? new Error("Connection terminated") : new Error("Connection terminated unexpectedly");
          clearTimeout(this.connectionTimeoutHandle);
          this._errorAllQueries(error);
          this._ended = true;
          if (!this._ending) {
            if (this._connecting && !this._connectionError) {
              if (this._connectionCallback) {
                this._connectionCallback(error);
              } else {
                this._handleErrorEvent(error);
              }
            } else if (!this._connectionError) {
              this._handleErrorEvent(error);
            }
          }
          process.nextTick(() => {
            this.emit("end");
          });
        });
      }
      connect(callback) {
        if (callback) {
          this._connect(callback);
          return;
        }
        return new this._Promise((resolve4, reject) => {
          this._connect((error) => {
            if (error) {
              reject(error);
            } else {
              resolve4(this);
            }
          });
        });
      }
      _attachListeners(con) {
        con.on("authenticationCleartextPassword", this._handleAuthCleartextPassword.bind(this));
        con.on("authenticationMD5Password", this._handleAuthMD5Password.bind(this));
        con.on("authenticationSASL", this._handleAuthSASL.bind(this));
        con.on("authenticationSASLContinue", this._handleAuthSASLContinue.bind(this));
        con.on("authenticationSASLFinal", this._handleAuthSASLFinal.bind(this));
        con.on("backendKeyData", this._handleBackendKeyData.bind(this));
        con.on("error", this._handleErrorEvent.bind(this));
        con.on("errorMessage", this._handleErrorMessage.bind(this));
        con.on("readyForQuery", this._handleReadyForQuery.bind(this));
        con.on("notice", this._handleNotice.bind(this));
        con.on("rowDescription", this._handleRowDescription.bind(this));
        con.on("dataRow", this._handleDataRow.bind(this));
        con.on("portalSuspended", this._handlePortalSuspended.bind(this));
        con.on("emptyQuery", this._handleEmptyQuery.bind(this));
        con.on("commandComplete", this._handleCommandComplete.bind(this));
        con.on("parseComplete", this._handleParseComplete.bind(this));
        con.on("copyInResponse", this._handleCopyInResponse.bind(this));
        con.on("copyData", this._handleCopyData.bind(this));
        con.on("notification", this._handleNotification.bind(this));
      }
      _getPassword(cb) {
        const con = this.connection;
        if (typeof this.password === "function") {
          this._Promise.resolve().then(() => this.password(this.connectionParameters)).then((pass) => {
            if (pass !== void 0) {
              if (typeof pass !== "string") {
                con.emit("error", new TypeError("Password must be a string"));
                return;
              }
              this.connectionParameters.password = this.password = pass;
            } else {
              this.connectionParameters.password = this.password = null;
            }
            cb();
          }).catch((err) => {
            con.emit("error", err);
          });
        } else if (this.password !== null) {
          cb();
        } else {
          try {
            const pgPass = require_lib();
            pgPass(this.connectionParameters, (pass) => {
              if (void 0 !== pass) {
                pgPassDeprecationNotice();
                this.connectionParameters.password = this.password = pass;
              }
              cb();
            });
          } catch (e) {
            this.emit("error", e);
          }
        }
      }
      _handleAuthCleartextPassword(msg) {
        this._getPassword(() => {
          this.connection.password(this.password);
        });
      }
      _handleAuthMD5Password(msg) {
        this._getPassword(async () => {
          try {
            const hashedPassword = await crypto.postgresMd5PasswordHash(this.user, this.password, msg.salt);
            this.connection.password(hashedPassword);
          } catch (e) {
            this.emit("error", e);
          }
        });
      }
      _handleAuthSASL(msg) {
        this._getPassword(() => {
          try {
            this.saslSession = sasl.startSession(
              msg.mechanisms,
              this.enableChannelBinding && this.connection.stream,
              this.scramMaxIterations
            );
            this.connection.sendSASLInitialResponseMessage(this.saslSession.mechanism, this.saslSession.response);
          } catch (err) {
            this.connection.emit("error", err);
          }
        });
      }
      async _handleAuthSASLContinue(msg) {
        try {
          await sasl.continueSession(
            this.saslSession,
            this.password,
            msg.data,
            this.enableChannelBinding && this.connection.stream
          );
          this.connection.sendSCRAMClientFinalMessage(this.saslSession.response);
        } catch (err) {
          this.connection.emit("error", err);
        }
      }
      _handleAuthSASLFinal(msg) {
        try {
          sasl.finalizeSession(this.saslSession, msg.data);
          this.saslSession = null;
        } catch (err) {
          this.connection.emit("error", err);
        }
      }
      _handleBackendKeyData(msg) {
        this.processID = msg.processID;
        this.secretKey = msg.secretKey;
      }
      _handleReadyForQuery(msg) {
        if (this._connecting) {
          this._connecting = false;
          this._connected = true;
          clearTimeout(this.connectionTimeoutHandle);
          if (this._connectionCallback) {
            this._connectionCallback(null, this);
            this._connectionCallback = null;
          }
          this.emit("connect");
        }
        const activeQuery = this._getActiveQuery();
        this._activeQuery = null;
        this._txStatus = msg?.status ?? null;
        this.readyForQuery = true;
        if (activeQuery) {
          activeQuery.handleReadyForQuery(this.connection);
        }
        this._pulseQueryQueue();
      }
      // if we receive an error event or error message
      // during the connection process we handle it here
      _handleErrorWhileConnecting(err) {
        if (this._connectionError) {
          return;
        }
        this._connectionError = true;
        clearTimeout(this.connectionTimeoutHandle);
        if (this._connectionCallback) {
          return this._connectionCallback(err);
        }
        this.emit("error", err);
      }
      // if we're connected and we receive an error event from the connection
      // this means the socket is dead - do a hard abort of all queries and emit
      // the socket error on the client as well
      _handleErrorEvent(err) {
        if (this._connecting) {
          return this._handleErrorWhileConnecting(err);
        }
        this._queryable = false;
        this._errorAllQueries(err);
        this.emit("error", err);
      }
      // handle error messages from the postgres backend
      _handleErrorMessage(msg) {
        if (this._connecting) {
          return this._handleErrorWhileConnecting(msg);
        }
        const activeQuery = this._getActiveQuery();
        if (!activeQuery) {
          this._handleErrorEvent(msg);
          return;
        }
        this._activeQuery = null;
        if (activeQuery.name) {
          delete this.connection.submittedNamedStatements[activeQuery.name];
        }
        activeQuery.handleError(msg, this.connection);
      }
      _handleRowDescription(msg) {
        const activeQuery = this._getActiveQuery();
        if (activeQuery == null) {
          const error = new Error("Received unexpected rowDescription message from backend.");
          this._handleErrorEvent(error);
          return;
        }
        activeQuery.handleRowDescription(msg);
      }
      _handleDataRow(msg) {
        const activeQuery = this._getActiveQuery();
        if (activeQuery == null) {
          const error = new Error("Received unexpected dataRow message from backend.");
          this._handleErrorEvent(error);
          return;
        }
        activeQuery.handleDataRow(msg);
      }
      _handlePortalSuspended(msg) {
        const activeQuery = this._getActiveQuery();
        if (activeQuery == null) {
          const error = new Error("Received unexpected portalSuspended message from backend.");
          this._handleErrorEvent(error);
          return;
        }
        activeQuery.handlePortalSuspended(this.connection);
      }
      _handleEmptyQuery(msg) {
        const activeQuery = this._getActiveQuery();
        if (activeQuery == null) {
          const error = new Error("Received unexpected emptyQuery message from backend.");
          this._handleErrorEvent(error);
          return;
        }
        activeQuery.handleEmptyQuery(this.connection);
      }
      _handleCommandComplete(msg) {
        const activeQuery = this._getActiveQuery();
        if (activeQuery == null) {
          const error = new Error("Received unexpected commandComplete message from backend.");
          this._handleErrorEvent(error);
          return;
        }
        activeQuery.handleCommandComplete(msg, this.connection);
      }
      _handleParseComplete() {
        const activeQuery = this._getActiveQuery();
        if (activeQuery == null) {
          const error = new Error("Received unexpected parseComplete message from backend.");
          this._handleErrorEvent(error);
          return;
        }
        if (activeQuery.name) {
          this.connection.parsedStatements[activeQuery.name] = activeQuery.text;
          delete this.connection.submittedNamedStatements[activeQuery.name];
        }
      }
      _handleCopyInResponse(msg) {
        const activeQuery = this._getActiveQuery();
        if (activeQuery == null) {
          const error = new Error("Received unexpected copyInResponse message from backend.");
          this._handleErrorEvent(error);
          return;
        }
        activeQuery.handleCopyInResponse(this.connection);
      }
      _handleCopyData(msg) {
        const activeQuery = this._getActiveQuery();
        if (activeQuery == null) {
          const error = new Error("Received unexpected copyData message from backend.");
          this._handleErrorEvent(error);
          return;
        }
        activeQuery.handleCopyData(msg, this.connection);
      }
      _handleNotification(msg) {
        this.emit("notification", msg);
      }
      _handleNotice(msg) {
        this.emit("notice", msg);
      }
      getStartupConf() {
        const params = this.connectionParameters;
        const data = {
          user: params.user,
          database: params.database
        };
        const appName = params.application_name || params.fallback_application_name;
        if (appName) {
          data.application_name = appName;
        }
        if (params.replication) {
          data.replication = "" + params.replication;
        }
        if (params.statement_timeout) {
          data.statement_timeout = String(parseInt(params.statement_timeout, 10));
        }
        if (params.lock_timeout) {
          data.lock_timeout = String(parseInt(params.lock_timeout, 10));
        }
        if (params.idle_in_transaction_session_timeout) {
          data.idle_in_transaction_session_timeout = String(parseInt(params.idle_in_transaction_session_timeout, 10));
        }
        if (params.options) {
          data.options = params.options;
        }
        return data;
      }
      cancel(client, query2) {
        if (client.activeQuery === query2) {
          const con = this.connection;
          if (this.host && this.host.indexOf("/") === 0) {
            con.connect(this.host + "/.s.PGSQL." + this.port);
          } else {
            con.connect(this.port, this.host);
          }
          con.on("connect", function() {
            con.cancel(client.processID, client.secretKey);
          });
        } else if (client._queryQueue.indexOf(query2) !== -1) {
          client._queryQueue.splice(client._queryQueue.indexOf(query2), 1);
        } else if (client._sentQueryQueue.indexOf(query2) !== -1) {
          query2.callback = () => {
          };
        }
      }
      setTypeParser(oid, format, parseFn) {
        return this._types.setTypeParser(oid, format, parseFn);
      }
      getTypeParser(oid, format) {
        return this._types.getTypeParser(oid, format);
      }
      // escapeIdentifier and escapeLiteral moved to utility functions & exported
      // on PG
      // re-exported here for backwards compatibility
      escapeIdentifier(str4) {
        return utils.escapeIdentifier(str4);
      }
      escapeLiteral(str4) {
        return utils.escapeLiteral(str4);
      }
      _pulseQueryQueue() {
        if (this.pipeline) {
          this._pulsePipelinedQueryQueue();
          return;
        }
        if (this.readyForQuery === true) {
          this._activeQuery = this._queryQueue.shift();
          const activeQuery = this._getActiveQuery();
          if (activeQuery) {
            this.readyForQuery = false;
            this.hasExecuted = true;
            const queryError = activeQuery.submit(this.connection);
            if (queryError) {
              process.nextTick(() => {
                activeQuery.handleError(queryError, this.connection);
                this.readyForQuery = true;
                this._pulseQueryQueue();
              });
            }
          } else if (this.hasExecuted) {
            this._activeQuery = null;
            this.emit("drain");
          }
        }
      }
      _pulsePipelinedQueryQueue() {
        if (!this._connected || !this._queryable) {
          return;
        }
        while (this._queryQueue.length > 0) {
          const query2 = this._queryQueue.shift();
          this.hasExecuted = true;
          const queryError = query2.submit(this.connection);
          if (queryError) {
            process.nextTick(() => {
              query2.handleError(queryError, this.connection);
            });
            continue;
          }
          this._sentQueryQueue.push(query2);
        }
        if (this.readyForQuery && !this._activeQuery && this._sentQueryQueue.length > 0) {
          this._activeQuery = this._sentQueryQueue.shift();
          this.readyForQuery = false;
        }
        if (!this._activeQuery && this._sentQueryQueue.length === 0 && this._queryQueue.length === 0 && this.hasExecuted) {
          this.emit("drain");
        }
      }
      query(config, values, callback) {
        let query2;
        let result;
        if (config == null) {
          throw new TypeError("Client was passed a null or undefined query");
        }
        if (typeof config.submit === "function") {
          result = query2 = config;
          if (!query2.callback) {
            if (typeof values === "function") {
              query2.callback = values;
            } else if (callback) {
              query2.callback = callback;
            }
          }
        } else {
          query2 = new Query2(config, values, callback);
          if (!query2.callback) {
            result = new this._Promise((resolve4, reject) => {
              query2.callback = (err, res) => err ? reject(err) : resolve4(res);
            }).catch((err) => {
              Error.captureStackTrace(err);
              throw err;
            });
          } else if (typeof query2.callback !== "function") {
            throw new TypeError("callback is not a function");
          }
        }
        const readTimeout = config.query_timeout || this.connectionParameters.query_timeout;
        if (readTimeout) {
          const queryCallback = query2.callback || (() => {
          });
          const readTimeoutTimer = setTimeout(() => {
            const error = new Error("Query read timeout");
            process.nextTick(() => {
              query2.handleError(error, this.connection);
            });
            queryCallback(error);
            query2.callback = () => {
            };
            const index = this._queryQueue.indexOf(query2);
            if (index > -1) {
              this._queryQueue.splice(index, 1);
            } else if (this.pipeline) {
              this.connection.stream.destroy();
              return;
            }
            this._pulseQueryQueue();
          }, readTimeout);
          query2.callback = (err, res) => {
            clearTimeout(readTimeoutTimer);
            queryCallback(err, res);
          };
        }
        if (this.binary && !query2.binary) {
          query2.binary = true;
        }
        if (query2._result && !query2._result._types) {
          query2._result._types = this._types;
        }
        if (this.pipeline) {
          const portalQuery = typeof config.submit === "function" && !(query2 instanceof Query2) ? "Custom query classes such as pg-cursor and pg-query-stream are" : query2.rows ? "The `rows` option is" : null;
          if (portalQuery) {
            process.nextTick(() => {
              query2.handleError(new Error(`${portalQuery} not supported in pipeline mode`), this.connection);
            });
            return result;
          }
        }
        if (!this._queryable) {
          process.nextTick(() => {
            query2.handleError(new Error("Client has encountered a connection error and is not queryable"), this.connection);
          });
          return result;
        }
        if (this._ending) {
          process.nextTick(() => {
            query2.handleError(new Error("Client was closed and is not queryable"), this.connection);
          });
          return result;
        }
        if (this._queryQueue.length > 0 && !this.pipeline) {
          queryQueueLengthDeprecationNotice();
        }
        this._queryQueue.push(query2);
        this._pulseQueryQueue();
        return result;
      }
      ref() {
        this.connection.ref();
      }
      unref() {
        this.connection.unref();
      }
      getTransactionStatus() {
        return this._txStatus;
      }
      end(cb) {
        this._ending = true;
        if (!this.connection._connecting || this._ended) {
          if (cb) {
            cb();
            return;
          } else {
            return this._Promise.resolve();
          }
        }
        if (!this._queryable) {
          this.connection.stream.destroy();
        } else if (this.pipeline && (this._getActiveQuery() || this._sentQueryQueue.length > 0 || this._queryQueue.length > 0)) {
          this.once("drain", () => this.connection.end());
        } else if (this._getActiveQuery()) {
          this.connection.stream.destroy();
        } else {
          this.connection.end();
        }
        if (cb) {
          this.connection.once("end", cb);
        } else {
          return new this._Promise((resolve4) => {
            this.connection.once("end", resolve4);
          });
        }
      }
      get queryQueue() {
        queryQueueDeprecationNotice();
        return this._queryQueue;
      }
    };
    Client2.Query = Query2;
    module.exports = Client2;
  }
});

// node_modules/pg-pool/index.js
var require_pg_pool = __commonJS({
  "node_modules/pg-pool/index.js"(exports, module) {
    "use strict";
    var EventEmitter = __require("events").EventEmitter;
    var NOOP = function() {
    };
    var removeWhere = (list2, predicate) => {
      const i = list2.findIndex(predicate);
      return i === -1 ? void 0 : list2.splice(i, 1)[0];
    };
    var IdleItem = class {
      constructor(client, idleListener, timeoutId) {
        this.client = client;
        this.idleListener = idleListener;
        this.timeoutId = timeoutId;
      }
    };
    var PendingItem = class {
      constructor(callback) {
        this.callback = callback;
      }
    };
    function throwOnDoubleRelease() {
      throw new Error("Release called on client which has already been released to the pool.");
    }
    function promisify(Promise2, callback) {
      if (callback) {
        return { callback, result: void 0 };
      }
      let rej;
      let res;
      const cb = function(err, client) {
        err ? rej(err) : res(client);
      };
      const result = new Promise2(function(resolve4, reject) {
        res = resolve4;
        rej = reject;
      }).catch((err) => {
        Error.captureStackTrace(err);
        throw err;
      });
      return { callback: cb, result };
    }
    function makeIdleListener(pool, client) {
      return function idleListener(err) {
        err.client = client;
        client.removeListener("error", idleListener);
        client.on("error", () => {
          pool.log("additional client error after disconnection due to error", err);
        });
        pool._remove(client);
        pool.emit("error", err, client);
      };
    }
    var Pool2 = class extends EventEmitter {
      constructor(options, Client2) {
        super();
        this.options = Object.assign({}, options);
        if (options != null && "password" in options) {
          Object.defineProperty(this.options, "password", {
            configurable: true,
            enumerable: false,
            writable: true,
            value: options.password
          });
        }
        if (options != null && options.ssl && options.ssl.key) {
          Object.defineProperty(this.options.ssl, "key", {
            enumerable: false
          });
        }
        this.options.max = this.options.max || this.options.poolSize || 10;
        this.options.min = this.options.min || 0;
        this.options.maxUses = this.options.maxUses || Infinity;
        this.options.allowExitOnIdle = this.options.allowExitOnIdle || false;
        this.options.maxLifetimeSeconds = this.options.maxLifetimeSeconds || 0;
        this.log = this.options.log || function() {
        };
        this.Client = this.options.Client || Client2 || require_lib2().Client;
        this.Promise = this.options.Promise || global.Promise;
        if (typeof this.options.idleTimeoutMillis === "undefined") {
          this.options.idleTimeoutMillis = 1e4;
        }
        this._clients = [];
        this._idle = [];
        this._expired = /* @__PURE__ */ new WeakSet();
        this._pendingQueue = [];
        this._endCallback = void 0;
        this.ending = false;
        this.ended = false;
      }
      _promiseTry(f3) {
        const Promise2 = this.Promise;
        if (typeof Promise2.try === "function") {
          return Promise2.try(f3);
        }
        return new Promise2((resolve4) => resolve4(f3()));
      }
      _isFull() {
        return this._clients.length >= this.options.max;
      }
      _isAboveMin() {
        return this._clients.length > this.options.min;
      }
      _pulseQueue() {
        this.log("pulse queue");
        if (this.ended) {
          this.log("pulse queue ended");
          return;
        }
        if (this.ending) {
          this.log("pulse queue on ending");
          if (this._idle.length) {
            this._idle.slice().map((item) => {
              this._remove(item.client);
            });
          }
          if (!this._clients.length) {
            this.ended = true;
            this._endCallback();
          }
          return;
        }
        if (!this._pendingQueue.length) {
          this.log("no queued requests");
          return;
        }
        if (!this._idle.length && this._isFull()) {
          return;
        }
        const pendingItem = this._pendingQueue.shift();
        if (this._idle.length) {
          const idleItem = this._idle.pop();
          clearTimeout(idleItem.timeoutId);
          const client = idleItem.client;
          client.ref && client.ref();
          const idleListener = idleItem.idleListener;
          return this._acquireClient(client, pendingItem, idleListener, false);
        }
        if (!this._isFull()) {
          return this.newClient(pendingItem);
        }
        throw new Error("unexpected condition");
      }
      _remove(client, callback) {
        const removed = removeWhere(this._idle, (item) => item.client === client);
        if (removed !== void 0) {
          clearTimeout(removed.timeoutId);
        }
        this._clients = this._clients.filter((c3) => c3 !== client);
        const context = this;
        client.end(() => {
          context.emit("remove", client);
          if (typeof callback === "function") {
            callback();
          }
        });
      }
      connect(cb) {
        if (this.ending) {
          const err = new Error("Cannot use a pool after calling end on the pool");
          return cb ? cb(err) : this.Promise.reject(err);
        }
        const response = promisify(this.Promise, cb);
        const result = response.result;
        if (this._isFull() || this._idle.length) {
          if (this._idle.length) {
            process.nextTick(() => this._pulseQueue());
          }
          if (!this.options.connectionTimeoutMillis) {
            this._pendingQueue.push(new PendingItem(response.callback));
            return result;
          }
          const queueCallback = (err, res, done) => {
            clearTimeout(tid);
            response.callback(err, res, done);
          };
          const pendingItem = new PendingItem(queueCallback);
          const tid = setTimeout(() => {
            removeWhere(this._pendingQueue, (i) => i.callback === queueCallback);
            pendingItem.timedOut = true;
            response.callback(new Error("timeout exceeded when trying to connect"));
          }, this.options.connectionTimeoutMillis);
          if (tid.unref) {
            tid.unref();
          }
          this._pendingQueue.push(pendingItem);
          return result;
        }
        this.newClient(new PendingItem(response.callback));
        return result;
      }
      newClient(pendingItem) {
        const client = new this.Client(this.options);
        this._clients.push(client);
        const idleListener = makeIdleListener(this, client);
        this.log("checking client timeout");
        let tid;
        let timeoutHit = false;
        if (this.options.connectionTimeoutMillis) {
          tid = setTimeout(() => {
            if (client.connection) {
              this.log("ending client due to timeout");
              timeoutHit = true;
              client.connection.stream.destroy();
            } else if (!client.isConnected()) {
              this.log("ending client due to timeout");
              timeoutHit = true;
              client.end();
            }
          }, this.options.connectionTimeoutMillis);
        }
        this.log("connecting new client");
        client.connect((err) => {
          if (tid) {
            clearTimeout(tid);
          }
          client.on("error", idleListener);
          if (err) {
            this.log("client failed to connect", err);
            this._clients = this._clients.filter((c3) => c3 !== client);
            if (timeoutHit) {
              err = new Error("Connection terminated due to connection timeout", { cause: err });
            }
            this._pulseQueue();
            if (!pendingItem.timedOut) {
              pendingItem.callback(err, void 0, NOOP);
            }
          } else {
            this.log("new client connected");
            if (this.options.onConnect) {
              this._promiseTry(() => this.options.onConnect(client)).then(
                () => {
                  this._afterConnect(client, pendingItem, idleListener);
                },
                (hookErr) => {
                  this._clients = this._clients.filter((c3) => c3 !== client);
                  client.end(() => {
                    this._pulseQueue();
                    if (!pendingItem.timedOut) {
                      pendingItem.callback(hookErr, void 0, NOOP);
                    }
                  });
                }
              );
              return;
            }
            return this._afterConnect(client, pendingItem, idleListener);
          }
        });
      }
      _afterConnect(client, pendingItem, idleListener) {
        if (this.options.maxLifetimeSeconds !== 0) {
          const maxLifetimeTimeout = setTimeout(() => {
            this.log("ending client due to expired lifetime");
            this._expired.add(client);
            const idleIndex = this._idle.findIndex((idleItem) => idleItem.client === client);
            if (idleIndex !== -1) {
              this._acquireClient(
                client,
                new PendingItem((err, client2, clientRelease) => clientRelease()),
                idleListener,
                false
              );
            }
          }, this.options.maxLifetimeSeconds * 1e3);
          maxLifetimeTimeout.unref();
          client.once("end", () => clearTimeout(maxLifetimeTimeout));
        }
        return this._acquireClient(client, pendingItem, idleListener, true);
      }
      // acquire a client for a pending work item
      _acquireClient(client, pendingItem, idleListener, isNew) {
        if (isNew) {
          this.emit("connect", client);
        }
        this.emit("acquire", client);
        client.release = this._releaseOnce(client, idleListener);
        client.removeListener("error", idleListener);
        if (!pendingItem.timedOut) {
          if (isNew && this.options.verify) {
            this.options.verify(client, (err) => {
              if (err) {
                client.release(err);
                return pendingItem.callback(err, void 0, NOOP);
              }
              pendingItem.callback(void 0, client, client.release);
            });
          } else {
            pendingItem.callback(void 0, client, client.release);
          }
        } else {
          if (isNew && this.options.verify) {
            this.options.verify(client, client.release);
          } else {
            client.release();
          }
        }
      }
      // returns a function that wraps _release and throws if called more than once
      _releaseOnce(client, idleListener) {
        let released = false;
        return (err) => {
          if (released) {
            throwOnDoubleRelease();
          }
          released = true;
          this._release(client, idleListener, err);
        };
      }
      // release a client back to the poll, include an error
      // to remove it from the pool
      _release(client, idleListener, err) {
        client.on("error", idleListener);
        client._poolUseCount = (client._poolUseCount || 0) + 1;
        this.emit("release", err, client);
        if (err || this.ending || !client._queryable || client._ending || client._poolUseCount >= this.options.maxUses) {
          if (client._poolUseCount >= this.options.maxUses) {
            this.log("remove expended client");
          }
          return this._remove(client, this._pulseQueue.bind(this));
        }
        const isExpired = this._expired.has(client);
        if (isExpired) {
          this.log("remove expired client");
          this._expired.delete(client);
          return this._remove(client, this._pulseQueue.bind(this));
        }
        let tid;
        if (this.options.idleTimeoutMillis && this._isAboveMin()) {
          tid = setTimeout(() => {
            if (this._isAboveMin()) {
              this.log("remove idle client");
              this._remove(client, this._pulseQueue.bind(this));
            }
          }, this.options.idleTimeoutMillis);
          if (this.options.allowExitOnIdle) {
            tid.unref();
          }
        }
        if (this.options.allowExitOnIdle) {
          client.unref();
        }
        this._idle.push(new IdleItem(client, idleListener, tid));
        this._pulseQueue();
      }
      query(text2, values, cb) {
        if (typeof text2 === "function") {
          const response2 = promisify(this.Promise, text2);
          setImmediate(function() {
            return response2.callback(new Error("Passing a function as the first parameter to pool.query is not supported"));
          });
          return response2.result;
        }
        if (typeof values === "function") {
          cb = values;
          values = void 0;
        }
        const response = promisify(this.Promise, cb);
        cb = response.callback;
        this.connect((err, client) => {
          if (err) {
            return cb(err);
          }
          let clientReleased = false;
          const onError = (err2) => {
            if (clientReleased) {
              return;
            }
            clientReleased = true;
            client.release(err2);
            cb(err2);
          };
          client.once("error", onError);
          this.log("dispatching query");
          try {
            client.query(text2, values, (err2, res) => {
              this.log("query dispatched");
              client.removeListener("error", onError);
              if (clientReleased) {
                return;
              }
              clientReleased = true;
              client.release(err2);
              if (err2) {
                return cb(err2);
              }
              return cb(void 0, res);
            });
          } catch (err2) {
            client.release(err2);
            return cb(err2);
          }
        });
        return response.result;
      }
      end(cb) {
        this.log("ending");
        if (this.ending) {
          const err = new Error("Called end on pool more than once");
          return cb ? cb(err) : this.Promise.reject(err);
        }
        this.ending = true;
        const promised = promisify(this.Promise, cb);
        this._endCallback = promised.callback;
        this._pulseQueue();
        return promised.result;
      }
      get waitingCount() {
        return this._pendingQueue.length;
      }
      get idleCount() {
        return this._idle.length;
      }
      get expiredCount() {
        return this._clients.reduce((acc, client) => acc + (this._expired.has(client) ? 1 : 0), 0);
      }
      get totalCount() {
        return this._clients.length;
      }
    };
    module.exports = Pool2;
  }
});

// node_modules/pg/lib/native/query.js
var require_query2 = __commonJS({
  "node_modules/pg/lib/native/query.js"(exports, module) {
    "use strict";
    var EventEmitter = __require("events").EventEmitter;
    var util = __require("util");
    var utils = require_utils();
    var NativeQuery = module.exports = function(config, values, callback) {
      EventEmitter.call(this);
      config = utils.normalizeQueryConfig(config, values, callback);
      this.text = config.text;
      this.values = config.values;
      this.name = config.name;
      this.queryMode = config.queryMode;
      this.callback = config.callback;
      this.state = "new";
      this._arrayMode = config.rowMode === "array";
      this._emitRowEvents = false;
      this.on(
        "newListener",
        function(event) {
          if (event === "row") this._emitRowEvents = true;
        }.bind(this)
      );
    };
    util.inherits(NativeQuery, EventEmitter);
    var errorFieldMap = {
      sqlState: "code",
      statementPosition: "position",
      messagePrimary: "message",
      messageDetail: "detail",
      messageHint: "hint",
      context: "where",
      schemaName: "schema",
      tableName: "table",
      columnName: "column",
      dataTypeName: "dataType",
      constraintName: "constraint",
      sourceFile: "file",
      sourceLine: "line",
      sourceFunction: "routine"
    };
    NativeQuery.prototype.handleError = function(err) {
      const fields = this.native && this.native.pq.resultErrorFields();
      if (fields) {
        for (const key2 in fields) {
          const normalizedFieldName = errorFieldMap[key2] || key2;
          err[normalizedFieldName] = fields[key2];
        }
      }
      if (this.callback) {
        this.callback(err);
      } else {
        this.emit("error", err);
      }
      this.state = "error";
    };
    NativeQuery.prototype.then = function(onSuccess, onFailure) {
      return this._getPromise().then(onSuccess, onFailure);
    };
    NativeQuery.prototype.catch = function(callback) {
      return this._getPromise().catch(callback);
    };
    NativeQuery.prototype._getPromise = function() {
      if (this._promise) return this._promise;
      this._promise = new Promise(
        function(resolve4, reject) {
          this._once("end", resolve4);
          this._once("error", reject);
        }.bind(this)
      );
      return this._promise;
    };
    NativeQuery.prototype.submit = function(client) {
      this.state = "running";
      const self = this;
      this.native = client.native;
      client.native.arrayMode = this._arrayMode;
      let after = function(err, rows, results) {
        client.native.arrayMode = false;
        setImmediate(function() {
          self.emit("_done");
        });
        if (err) {
          return self.handleError(err);
        }
        if (self._emitRowEvents) {
          if (results.length > 1) {
            rows.forEach((rowOfRows, i) => {
              rowOfRows.forEach((row) => {
                self.emit("row", row, results[i]);
              });
            });
          } else {
            rows.forEach(function(row) {
              self.emit("row", row, results);
            });
          }
        }
        self.state = "end";
        self.emit("end", results);
        if (self.callback) {
          self.callback(null, results);
        }
      };
      if (process.domain) {
        after = process.domain.bind(after);
      }
      if (this.name) {
        if (this.name.length > 63) {
          console.error("Warning! Postgres only supports 63 characters for query names.");
          console.error("You supplied %s (%s)", this.name, this.name.length);
          console.error("This can cause conflicts and silent errors executing queries");
        }
        const values = (this.values || []).map(utils.prepareValue);
        if (client.namedQueries[this.name] !== void 0) {
          if (this.text && client.namedQueries[this.name] !== this.text) {
            const err = new Error(`Prepared statements must be unique - '${this.name}' was used for a different statement`);
            return after(err);
          }
          return client.native.execute(this.name, values, after);
        }
        return client.native.prepare(this.name, this.text, values.length, function(err) {
          if (err) return after(err);
          client.namedQueries[self.name] = self.text;
          return self.native.execute(self.name, values, after);
        });
      } else if (this.values) {
        if (!Array.isArray(this.values)) {
          const err = new Error("Query values must be an array");
          return after(err);
        }
        const vals = this.values.map(utils.prepareValue);
        client.native.query(this.text, vals, after);
      } else if (this.queryMode === "extended") {
        client.native.query(this.text, [], after);
      } else {
        client.native.query(this.text, after);
      }
    };
  }
});

// node_modules/pg/lib/native/client.js
var require_client2 = __commonJS({
  "node_modules/pg/lib/native/client.js"(exports, module) {
    var nodeUtils = __require("util");
    var Native;
    try {
      Native = __require("pg-native");
    } catch (e) {
      throw e;
    }
    var TypeOverrides2 = require_type_overrides();
    var EventEmitter = __require("events").EventEmitter;
    var util = __require("util");
    var ConnectionParameters = require_connection_parameters();
    var NativeQuery = require_query2();
    var queryQueueLengthDeprecationNotice = nodeUtils.deprecate(
      () => {
      },
      "Calling client.query() when the client is already executing a query is deprecated and will be removed in pg@9.0. Use async/await or an external async flow control mechanism instead."
    );
    var Client2 = module.exports = function(config) {
      EventEmitter.call(this);
      config = config || {};
      this._Promise = config.Promise || global.Promise;
      this._types = new TypeOverrides2(config.types);
      this.native = new Native({
        types: this._types
      });
      this._queryQueue = [];
      this._ending = false;
      this._connecting = false;
      this._connected = false;
      this._queryable = true;
      this.pipeline = Boolean(config.pipeline);
      this._pipelineInFlight = false;
      const cp = this.connectionParameters = new ConnectionParameters(config);
      if (config.nativeConnectionString) cp.nativeConnectionString = config.nativeConnectionString;
      this.user = cp.user;
      Object.defineProperty(this, "password", {
        configurable: true,
        enumerable: false,
        writable: true,
        value: cp.password
      });
      this.database = cp.database;
      this.host = cp.host;
      this.port = cp.port;
      this.namedQueries = {};
    };
    Client2.Query = NativeQuery;
    util.inherits(Client2, EventEmitter);
    Client2.prototype._errorAllQueries = function(err) {
      const enqueueError = (query2) => {
        process.nextTick(() => {
          query2.native = this.native;
          query2.handleError(err);
        });
      };
      if (this._hasActiveQuery()) {
        enqueueError(this._activeQuery);
        this._activeQuery = null;
      }
      this._queryQueue.forEach(enqueueError);
      this._queryQueue.length = 0;
    };
    Client2.prototype._connect = function(cb) {
      const self = this;
      if (this._connecting) {
        process.nextTick(() => cb(new Error("Client has already been connected. You cannot reuse a client.")));
        return;
      }
      this._connecting = true;
      this.connectionParameters.getLibpqConnectionString(function(err, conString) {
        if (self.connectionParameters.nativeConnectionString) conString = self.connectionParameters.nativeConnectionString;
        if (err) return cb(err);
        self.native.connect(conString, function(err2) {
          if (err2) {
            self.native.end();
            return cb(err2);
          }
          self._connected = true;
          self.native.on("error", function(err3) {
            self._queryable = false;
            self._errorAllQueries(err3);
            self.emit("error", err3);
          });
          self.native.on("notification", function(msg) {
            self.emit("notification", {
              channel: msg.relname,
              payload: msg.extra
            });
          });
          self.emit("connect");
          self._pulseQueryQueue(true);
          cb(null, this);
        });
      });
    };
    Client2.prototype.connect = function(callback) {
      if (callback) {
        this._connect(callback);
        return;
      }
      return new this._Promise((resolve4, reject) => {
        this._connect((error) => {
          if (error) {
            reject(error);
          } else {
            resolve4(this);
          }
        });
      });
    };
    Client2.prototype.query = function(config, values, callback) {
      let query2;
      let result;
      let readTimeout;
      let readTimeoutTimer;
      let queryCallback;
      if (config === null || config === void 0) {
        throw new TypeError("Client was passed a null or undefined query");
      } else if (typeof config.submit === "function") {
        readTimeout = config.query_timeout || this.connectionParameters.query_timeout;
        result = query2 = config;
        if (typeof values === "function") {
          config.callback = values;
        }
      } else {
        readTimeout = config.query_timeout || this.connectionParameters.query_timeout;
        query2 = new NativeQuery(config, values, callback);
        if (!query2.callback) {
          let resolveOut, rejectOut;
          result = new this._Promise((resolve4, reject) => {
            resolveOut = resolve4;
            rejectOut = reject;
          }).catch((err) => {
            Error.captureStackTrace(err);
            throw err;
          });
          query2.callback = (err, res) => err ? rejectOut(err) : resolveOut(res);
        }
      }
      if (readTimeout) {
        queryCallback = query2.callback || (() => {
        });
        readTimeoutTimer = setTimeout(() => {
          const error = new Error("Query read timeout");
          process.nextTick(() => {
            query2.handleError(error, this.connection);
          });
          queryCallback(error);
          query2.callback = () => {
          };
          const index = this._queryQueue.indexOf(query2);
          if (index > -1) {
            this._queryQueue.splice(index, 1);
          }
          this._pulseQueryQueue();
        }, readTimeout);
        query2.callback = (err, res) => {
          clearTimeout(readTimeoutTimer);
          queryCallback(err, res);
        };
      }
      if (!this._queryable) {
        query2.native = this.native;
        process.nextTick(() => {
          query2.handleError(new Error("Client has encountered a connection error and is not queryable"));
        });
        return result;
      }
      if (this._ending) {
        query2.native = this.native;
        process.nextTick(() => {
          query2.handleError(new Error("Client was closed and is not queryable"));
        });
        return result;
      }
      if (this._queryQueue.length > 0 && !this.pipeline) {
        queryQueueLengthDeprecationNotice();
      }
      this._queryQueue.push(query2);
      this._pulseQueryQueue();
      return result;
    };
    Client2.prototype.end = function(cb) {
      const self = this;
      this._ending = true;
      if (this._connecting && !this._connected) {
        this.once("connect", () => {
          this.end(() => {
          });
        });
      }
      let result;
      if (!cb) {
        result = new this._Promise(function(resolve4, reject) {
          cb = (err) => err ? reject(err) : resolve4();
        });
      }
      const doEnd = function() {
        self.native.end(function() {
          self._connected = false;
          self._errorAllQueries(new Error("Connection terminated"));
          process.nextTick(() => {
            self.emit("end");
            if (cb) cb();
          });
        });
      };
      if (this.pipeline && (this._pipelineInFlight || this._queryQueue.length > 0)) {
        this.once("drain", doEnd);
      } else {
        doEnd();
      }
      return result;
    };
    Client2.prototype._hasActiveQuery = function() {
      return this._activeQuery && this._activeQuery.state !== "error" && this._activeQuery.state !== "end";
    };
    Client2.prototype._pulseQueryQueue = function(initialConnection) {
      if (!this._connected) {
        return;
      }
      if (this.pipeline && !initialConnection) {
        return this._pulsePipelinedQueryQueue();
      }
      if (this._hasActiveQuery()) {
        return;
      }
      const query2 = this._queryQueue.shift();
      if (!query2) {
        if (!initialConnection) {
          this.emit("drain");
        }
        return;
      }
      this._activeQuery = query2;
      query2.submit(this);
      const self = this;
      query2.once("_done", function() {
        self._pulseQueryQueue();
      });
    };
    Client2.prototype._pulsePipelinedQueryQueue = function() {
      if (!this._connected || this._pipelineInFlight) {
        return;
      }
      if (this._queryQueue.length === 0) {
        if (this.hasExecuted) {
          this.emit("drain");
        }
        return;
      }
      this._pipelineInFlight = true;
      const self = this;
      const queries = [];
      const nativeQueries = [];
      const utils = require_utils();
      while (this._queryQueue.length > 0) {
        const query2 = this._queryQueue.shift();
        this.hasExecuted = true;
        nativeQueries.push(query2);
        const values = query2.values ? query2.values.map(utils.prepareValue) : null;
        const pipelineEntry = { text: query2.text, name: query2.name, arrayMode: query2._arrayMode };
        if (values) {
          pipelineEntry.values = values;
        }
        if (query2.name && this.namedQueries[query2.name]) {
          pipelineEntry._alreadyPrepared = true;
        }
        queries.push(pipelineEntry);
      }
      this.native.pipeline(queries, function(err, results) {
        self._pipelineInFlight = false;
        if (err) {
          self._connected = false;
          self._queryable = false;
          for (let i = 0; i < nativeQueries.length; i++) {
            const q3 = nativeQueries[i];
            q3.native = self.native;
            q3.handleError(err);
          }
          self._errorAllQueries(err);
          self.emit("error", err);
          self.emit("end");
          return;
        }
        for (let i = 0; i < nativeQueries.length; i++) {
          const q3 = nativeQueries[i];
          const r2 = results[i];
          q3.native = self.native;
          if (r2.err) {
            q3.handleError(r2.err);
          } else {
            if (q3.name) {
              self.namedQueries[q3.name] = q3.text;
            }
            q3.state = "end";
            q3.emit("end", r2.result);
            if (q3.callback) {
              q3.callback(null, r2.result);
            }
          }
          setImmediate(function() {
            q3.emit("_done");
          });
        }
        self._pulsePipelinedQueryQueue();
      });
    };
    Client2.prototype.cancel = function(query2) {
      if (this._activeQuery === query2) {
        this.native.cancel(function() {
        });
      } else if (this._queryQueue.indexOf(query2) !== -1) {
        this._queryQueue.splice(this._queryQueue.indexOf(query2), 1);
      }
    };
    Client2.prototype.ref = function() {
    };
    Client2.prototype.unref = function() {
    };
    Client2.prototype.setTypeParser = function(oid, format, parseFn) {
      return this._types.setTypeParser(oid, format, parseFn);
    };
    Client2.prototype.getTypeParser = function(oid, format) {
      return this._types.getTypeParser(oid, format);
    };
    Client2.prototype.isConnected = function() {
      return this._connected;
    };
    Client2.prototype.getTransactionStatus = function() {
      return this.native.getTransactionStatus();
    };
  }
});

// node_modules/pg/lib/native/index.js
var require_native = __commonJS({
  "node_modules/pg/lib/native/index.js"(exports, module) {
    "use strict";
    module.exports = require_client2();
  }
});

// node_modules/pg/lib/index.js
var require_lib2 = __commonJS({
  "node_modules/pg/lib/index.js"(exports, module) {
    "use strict";
    var Client2 = require_client();
    var defaults2 = require_defaults();
    var Connection2 = require_connection();
    var Result2 = require_result();
    var utils = require_utils();
    var Pool2 = require_pg_pool();
    var TypeOverrides2 = require_type_overrides();
    var { DatabaseError: DatabaseError2 } = require_dist2();
    var { escapeIdentifier: escapeIdentifier2, escapeLiteral: escapeLiteral2 } = require_utils();
    var poolFactory = (Client3) => {
      return class BoundPool extends Pool2 {
        constructor(options) {
          super(options, Client3);
        }
      };
    };
    var PG = function(clientConstructor2) {
      this.defaults = defaults2;
      this.Client = clientConstructor2;
      this.Query = this.Client.Query;
      this.Pool = poolFactory(this.Client);
      this._pools = [];
      this.Connection = Connection2;
      this.types = require_pg_types();
      this.DatabaseError = DatabaseError2;
      this.TypeOverrides = TypeOverrides2;
      this.escapeIdentifier = escapeIdentifier2;
      this.escapeLiteral = escapeLiteral2;
      this.Result = Result2;
      this.utils = utils;
    };
    var clientConstructor = Client2;
    var forceNative = false;
    try {
      forceNative = !!process.env.NODE_PG_FORCE_NATIVE;
    } catch {
    }
    if (forceNative) {
      clientConstructor = require_native();
    }
    module.exports = new PG(clientConstructor);
    Object.defineProperty(module.exports, "native", {
      configurable: true,
      enumerable: false,
      get() {
        let native = null;
        try {
          native = new PG(require_native());
        } catch (err) {
          if (err.code !== "MODULE_NOT_FOUND") {
            throw err;
          }
        }
        Object.defineProperty(module.exports, "native", {
          value: native
        });
        return native;
      }
    });
  }
});

// node_modules/@kwsites/file-exists/dist/src/index.js
var require_src2 = __commonJS({
  "node_modules/@kwsites/file-exists/dist/src/index.js"(exports) {
    "use strict";
    var __importDefault = exports && exports.__importDefault || function(mod) {
      return mod && mod.__esModule ? mod : { "default": mod };
    };
    Object.defineProperty(exports, "__esModule", { value: true });
    var fs_1 = __require("fs");
    var debug_1 = __importDefault(require_src());
    var log = debug_1.default("@kwsites/file-exists");
    function check(path, isFile, isDirectory) {
      log(`checking %s`, path);
      try {
        const stat = fs_1.statSync(path);
        if (stat.isFile() && isFile) {
          log(`[OK] path represents a file`);
          return true;
        }
        if (stat.isDirectory() && isDirectory) {
          log(`[OK] path represents a directory`);
          return true;
        }
        log(`[FAIL] path represents something other than a file or directory`);
        return false;
      } catch (e) {
        if (e.code === "ENOENT") {
          log(`[FAIL] path is not accessible: %o`, e);
          return false;
        }
        log(`[FATAL] %o`, e);
        throw e;
      }
    }
    function exists(path, type = exports.READABLE) {
      return check(path, (type & exports.FILE) > 0, (type & exports.FOLDER) > 0);
    }
    exports.exists = exists;
    exports.FILE = 1;
    exports.FOLDER = 2;
    exports.READABLE = exports.FILE + exports.FOLDER;
  }
});

// node_modules/@kwsites/file-exists/dist/index.js
var require_dist3 = __commonJS({
  "node_modules/@kwsites/file-exists/dist/index.js"(exports) {
    "use strict";
    function __export(m2) {
      for (var p2 in m2) if (!exports.hasOwnProperty(p2)) exports[p2] = m2[p2];
    }
    Object.defineProperty(exports, "__esModule", { value: true });
    __export(require_src2());
  }
});

// node_modules/@kwsites/promise-deferred/dist/index.js
var require_dist4 = __commonJS({
  "node_modules/@kwsites/promise-deferred/dist/index.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.createDeferred = exports.deferred = void 0;
    function deferred() {
      let done;
      let fail4;
      let status = "pending";
      const promise = new Promise((_done, _fail) => {
        done = _done;
        fail4 = _fail;
      });
      return {
        promise,
        done(result) {
          if (status === "pending") {
            status = "resolved";
            done(result);
          }
        },
        fail(error) {
          if (status === "pending") {
            status = "rejected";
            fail4(error);
          }
        },
        get fulfilled() {
          return status !== "pending";
        },
        get status() {
          return status;
        }
      };
    }
    exports.deferred = deferred;
    exports.createDeferred = deferred;
    exports.default = deferred;
  }
});

// src/store/index.ts
import { join, resolve } from "node:path";

// node_modules/pg/esm/index.mjs
var import_lib = __toESM(require_lib2(), 1);
var Client = import_lib.default.Client;
var Pool = import_lib.default.Pool;
var Connection = import_lib.default.Connection;
var types = import_lib.default.types;
var Query = import_lib.default.Query;
var DatabaseError = import_lib.default.DatabaseError;
var escapeIdentifier = import_lib.default.escapeIdentifier;
var escapeLiteral = import_lib.default.escapeLiteral;
var Result = import_lib.default.Result;
var TypeOverrides = import_lib.default.TypeOverrides;
var defaults = import_lib.default.defaults;
var esm_default = import_lib.default;

// src/store/stored-text.ts
import { brotliCompressSync, brotliDecompressSync, constants } from "node:zlib";
var BROTLI_QUALITY = 1;
function brotli(text2) {
  return brotliCompressSync(text2, { params: { [constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY, [constants.BROTLI_PARAM_SIZE_HINT]: text2.length } });
}
function storedText(value) {
  return Buffer.isBuffer(value) ? brotliDecompressSync(value).toString("utf8") : String(value);
}
function sqliteParams(params) {
  return params.map((p2) => p2 !== null && typeof p2 === "object" ? brotli(p2.compressed) : p2);
}
function postgresParams(params) {
  return params.map((p2) => p2 !== null && typeof p2 === "object" ? p2.compressed : p2);
}

// src/store/postgres.ts
var types2 = {
  getTypeParser: ((oid, format) => oid === 20 ? (value) => Number(value) : esm_default.types.getTypeParser(oid, format))
};
function numbered(sql) {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}
var named = /* @__PURE__ */ new Map();
function prepared(sql) {
  let s = named.get(sql);
  if (!s) named.set(sql, s = { name: `gitcrew_${named.size + 1}`, text: numbered(sql) });
  return s;
}
function query(client, sql, params, options = {}) {
  const values = postgresParams(params);
  return options.prepared ? client.query({ ...prepared(sql), values }) : client.query(numbered(sql), values);
}
function on(client, dbTx, close, relaxed) {
  return {
    dialect: "postgres",
    all: async (sql, params = [], options) => (await query(options?.relaxed && relaxed ? relaxed() : client, sql, params, options)).rows,
    run: async (sql, params = []) => (await query(client, sql, params)).rowCount ?? 0,
    tx: dbTx,
    close
  };
}
function openPostgres(url, maxConnections = 10) {
  const pool = new esm_default.Pool({ connectionString: url, max: maxConnections, types: types2 });
  pool.on("error", () => void 0);
  let relaxedPool;
  const relaxed = () => {
    if (relaxedPool) return relaxedPool;
    const p2 = new esm_default.Pool({ connectionString: url, max: Math.max(2, Math.ceil(maxConnections / 2)), types: types2 });
    p2.on("error", () => void 0);
    p2.on("connect", (client) => void client.query("SET synchronous_commit = off").catch(() => void 0));
    return relaxedPool = p2;
  };
  const tx = async (fn2, options = {}) => {
    const client = await (options.relaxed ? relaxed() : pool).connect();
    try {
      await client.query("BEGIN");
      const inner = on(client, (nested) => nested(inner), async () => void 0);
      const result = await fn2(inner);
      await client.query("COMMIT");
      return result;
    } catch (err) {
      await client.query("ROLLBACK").catch(() => void 0);
      throw err;
    } finally {
      client.release();
    }
  };
  const listeners = /* @__PURE__ */ new Set();
  const db = on(pool, tx, async () => {
    await Promise.all([...listeners].map((l3) => l3.stop()));
    await Promise.all([pool.end(), relaxedPool?.end()]);
  }, relaxed);
  db.listen = (channel, onNotify) => {
    const l3 = listenOn(url, channel, onNotify);
    listeners.add(l3);
    return () => void (listeners.delete(l3), l3.stop());
  };
  return db;
}
var RELISTEN_MS = 1e3;
function listenOn(url, channel, onNotify) {
  let stopped = false;
  let client;
  let timer;
  const again = () => {
    client = void 0;
    if (!stopped) (timer = setTimeout(() => void connect(), RELISTEN_MS)).unref();
  };
  const connect = async () => {
    const c3 = new esm_default.Client({ connectionString: url });
    client = c3;
    c3.on("notification", (n) => n.channel === channel && onNotify(n.payload));
    c3.on("error", () => void 0);
    c3.once("end", () => client === c3 && again());
    try {
      await c3.connect();
      await c3.query(`LISTEN ${esm_default.escapeIdentifier(channel)}`);
      if (stopped) return void await c3.end().catch(() => void 0);
      onNotify();
    } catch {
      await c3.end().catch(() => void 0);
      if (client === c3) again();
    }
  };
  void connect();
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await client?.end().catch(() => void 0);
    }
  };
}

// src/store/sqlite.ts
import Database from "better-sqlite3";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";

// src/util/native-module.ts
var NODE_OF_ABI = { 93: "16", 108: "18", 115: "20", 120: "21", 127: "22", 131: "23", 137: "24", 141: "25" };
var MISMATCH = /compiled against a different Node\.js version using\s+NODE_MODULE_VERSION (\d+)\.\s+This version of Node\.js requires\s+NODE_MODULE_VERSION (\d+)/;
function abiMismatch(err, name) {
  const m2 = MISMATCH.exec(err instanceof Error ? err.message : String(err));
  if (!m2) return void 0;
  const built = Number(m2[1]);
  const here = process.versions.node;
  const builtFor = NODE_OF_ABI[built] ? `Node ${NODE_OF_ABI[built]}` : "another Node";
  return new EnvironmentError(
    `${name} was built for ${builtFor} (NODE_MODULE_VERSION ${built}), this is Node ${here} (NODE_MODULE_VERSION ${m2[2]})`,
    `run \`npm rebuild ${name}\` with this Node in the folder gitcrew is installed in, or start gitcrew with the Node it was installed with`
  );
}
function withNativeModule(name, load) {
  try {
    return load();
  } catch (err) {
    throw abiMismatch(err, name) ?? err;
  }
}

// src/store/db.ts
var Mutex = class {
  busy = false;
  urgent = [];
  normal = [];
  async lock(fn2, urgent = false) {
    if (this.busy) await new Promise((resolve4) => (urgent ? this.urgent : this.normal).push(resolve4));
    else this.busy = true;
    try {
      return await fn2();
    } finally {
      const next = this.urgent.shift() ?? this.normal.shift();
      if (next) next();
      else this.busy = false;
    }
  }
};

// src/store/sqlite-thread.ts
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
var SCRIPT = `
const { statSync } = require("node:fs");
const zlib = require("node:zlib");
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.module);
const db = new Database(workerData.file);
db.pragma("synchronous = FULL");
db.pragma("busy_timeout = 10000");
db.pragma("wal_autocheckpoint = " + workerData.burstPages);
const statements = new Map();
// As stored-text.ts's sqliteParams: compressed text becomes its brotli BLOB.
const brotli = (text) => zlib.brotliCompressSync(text, { params: {
  [zlib.constants.BROTLI_PARAM_QUALITY]: workerData.brotliQuality, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: text.length } });
parentPort.on("message", ({ seq, sql, params }) => {
  try {
    for (let i = 0; i < params.length; i++) if (params[i] !== null && typeof params[i] === "object") params[i] = brotli(params[i].compressed);
    let s = statements.get(sql);
    if (!s) statements.set(sql, (s = db.prepare(sql)));
    parentPort.postMessage({ seq, rows: s.reader ? s.all(...params) : (s.run(...params), []) });
  } catch (e) {
    parentPort.postMessage({ seq, error: String(e && e.message), code: e && e.code });
  }
});
// Checkpoint once the WAL's mtime has stood still for quietMs.
let seen = -1, seenAt = Date.now(), done = -1;
setInterval(() => {
  let mtime;
  try { mtime = statSync(workerData.file + "-wal").mtimeMs; } catch { return; }
  const now = Date.now();
  if (mtime !== seen) { seen = mtime; seenAt = now; return; }
  if (mtime === done || now - seenAt < workerData.quietMs) return;
  try {
    db.pragma("wal_checkpoint(PASSIVE)");
    done = mtime;
  } catch { /* busy: next time */ }
}, workerData.everyMs).unref();
`;
var StoreThread = class {
  constructor(worker) {
    this.worker = worker;
    worker.on("message", (m2) => {
      const p2 = this.pending.get(m2.seq);
      if (!p2) return;
      this.pending.delete(m2.seq);
      this.idle();
      if (m2.error === void 0) p2.resolve(m2.rows ?? []);
      else p2.reject(Object.assign(new Error(m2.error), { code: m2.code }));
    });
    const gone = (err) => {
      this.alive = false;
      for (const p2 of this.pending.values()) p2.reject(err);
      this.pending.clear();
    };
    worker.on("error", gone);
    worker.on("exit", () => gone(new Error("the store's thread stopped")));
    this.idle();
  }
  seq = 0;
  pending = /* @__PURE__ */ new Map();
  alive = true;
  /** False once the thread is gone: the caller then runs statements itself. */
  get usable() {
    return this.alive;
  }
  /** One statement (the caller's placeholders, already in the backend's syntax) and its rows. */
  all(sql, params) {
    const seq = ++this.seq;
    return new Promise((resolve4, reject) => {
      this.pending.set(seq, { resolve: resolve4, reject });
      this.worker.ref();
      this.worker.postMessage({ seq, sql, params });
    });
  }
  idle() {
    if (this.pending.size === 0) this.worker.unref();
  }
  async stop() {
    this.alive = false;
    await this.worker.terminate();
  }
};
function startStoreThread(target) {
  try {
    const module = createRequire(import.meta.url).resolve("better-sqlite3");
    return new StoreThread(new Worker(SCRIPT, { eval: true, workerData: { ...target, module, brotliQuality: BROTLI_QUALITY } }));
  } catch {
    return void 0;
  }
}

// src/store/sqlite.ts
var SqliteDb = class {
  constructor(db, thread) {
    this.db = db;
    this.thread = thread;
  }
  dialect = "sqlite";
  statements = /* @__PURE__ */ new Map();
  mutex = new Mutex();
  prepare(sql) {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }
  allNow(sql, params) {
    return this.prepare(sql).all(...sqliteParams(params));
  }
  runNow(sql, params) {
    return this.prepare(sql).run(...sqliteParams(params)).changes;
  }
  // Outside a transaction each call waits for the one in progress: one connection is shared.
  all(sql, params = [], options = {}) {
    const thread = options.offThread && this.thread?.usable ? this.thread : void 0;
    return this.mutex.lock(async () => thread ? thread.all(sql, params) : options.relaxed ? this.relaxedNow(() => this.allNow(sql, params)) : this.allNow(sql, params), options.urgent);
  }
  /** WAL + NORMAL: this commit skips its fsync; the next FULL commit syncs the WAL up to and past it. */
  relaxedNow(fn2) {
    this.db.pragma("synchronous = NORMAL");
    try {
      return fn2();
    } finally {
      this.db.pragma("synchronous = FULL");
    }
  }
  run(sql, params = []) {
    return this.mutex.lock(async () => this.runNow(sql, params));
  }
  tx(fn2, options = {}) {
    return this.mutex.lock(async () => {
      if (options.relaxed) this.db.pragma("synchronous = NORMAL");
      try {
        return await this.txNow(fn2);
      } finally {
        if (options.relaxed) this.db.pragma("synchronous = FULL");
      }
    }, options.urgent);
  }
  async txNow(fn2) {
    this.db.exec("BEGIN IMMEDIATE");
    const inner = {
      dialect: "sqlite",
      all: async (sql, params = []) => this.allNow(sql, params),
      run: async (sql, params = []) => this.runNow(sql, params),
      tx: (nested) => nested(inner),
      close: async () => void 0
    };
    try {
      const result = await fn2(inner);
      this.db.exec("COMMIT");
      return result;
    } catch (err) {
      if (this.db.inTransaction) this.db.exec("ROLLBACK");
      throw err;
    }
  }
  async close() {
    await this.mutex.lock(async () => {
      if (this.thread) await this.thread.stop().catch(() => void 0);
      this.db.close();
    });
  }
};
function openSqlite(file) {
  if (file !== ":memory:") mkdirSync(dirname(file), { recursive: true });
  const db = withNativeModule("better-sqlite3", () => new Database(file));
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = FULL");
  db.pragma("busy_timeout = 10000");
  if (file === ":memory:") return new SqliteDb(db);
  db.pragma(`wal_autocheckpoint = ${BURST_CHECKPOINT_PAGES}`);
  return new SqliteDb(db, startStoreThread({ file, quietMs: QUIET_MS, everyMs: LOOK_EVERY_MS, burstPages: BURST_CHECKPOINT_PAGES }));
}
var BURST_CHECKPOINT_PAGES = 250;
var QUIET_MS = 200;
var LOOK_EVERY_MS = 100;

// src/store/sql-store.ts
import { randomBytes as randomBytes2 } from "node:crypto";

// src/store/schema.ts
function tables(dialect) {
  const serial = dialect === "postgres" ? "BIGSERIAL PRIMARY KEY" : "INTEGER PRIMARY KEY AUTOINCREMENT";
  return [
    `CREATE TABLE IF NOT EXISTS gc_deliveries (
      id TEXT PRIMARY KEY,
      event TEXT NOT NULL,
      payload TEXT NOT NULL,
      received_at BIGINT NOT NULL,
      state TEXT NOT NULL DEFAULT 'pending',
      attempts INTEGER NOT NULL DEFAULT 0,
      not_before BIGINT NOT NULL DEFAULT 0,
      lease_owner TEXT,
      lease_expires_at BIGINT,
      error TEXT,
      body_key TEXT
    )`,
    `CREATE INDEX IF NOT EXISTS gc_deliveries_pending ON gc_deliveries (received_at) WHERE state = 'pending'`,
    `CREATE TABLE IF NOT EXISTS gc_runs (
      seq ${serial},
      id TEXT NOT NULL UNIQUE,
      delivery_id TEXT NOT NULL,
      agent TEXT NOT NULL,
      thread_key TEXT NOT NULL,
      status TEXT NOT NULL,
      plan TEXT NOT NULL,
      attempt INTEGER NOT NULL DEFAULT 1,
      max_attempts INTEGER NOT NULL DEFAULT 3,
      agent_limit INTEGER NOT NULL DEFAULT 1,
      not_before BIGINT NOT NULL DEFAULT 0,
      lease_owner TEXT,
      lease_expires_at BIGINT,
      started_at BIGINT,
      session_id TEXT,
      container_id TEXT,
      error TEXT,
      cancel_requested INTEGER NOT NULL DEFAULT 0,
      created_at BIGINT NOT NULL,
      claimed_at BIGINT,
      finished_at BIGINT
    )`,
    `CREATE INDEX IF NOT EXISTS gc_runs_queued ON gc_runs (seq) WHERE status = 'queued'`,
    `CREATE INDEX IF NOT EXISTS gc_runs_thread ON gc_runs (thread_key, status, seq)`,
    `CREATE INDEX IF NOT EXISTS gc_runs_agent ON gc_runs (agent, status)`,
    `CREATE INDEX IF NOT EXISTS gc_runs_owner ON gc_runs (lease_owner, status)`,
    `CREATE INDEX IF NOT EXISTS gc_runs_delivery ON gc_runs (delivery_id)`,
    // The database itself refuses a second running run in one thread.
    `CREATE UNIQUE INDEX IF NOT EXISTS gc_runs_one_per_thread ON gc_runs (thread_key) WHERE status = 'running'`,
    `CREATE TABLE IF NOT EXISTS gc_logs (
      seq ${serial},
      run_id TEXT NOT NULL,
      at BIGINT NOT NULL,
      text TEXT NOT NULL
    )`,
    `CREATE INDEX IF NOT EXISTS gc_logs_run ON gc_logs (run_id, seq)`,
    `CREATE TABLE IF NOT EXISTS gc_once (
      key TEXT PRIMARY KEY,
      owner TEXT NOT NULL,
      at BIGINT NOT NULL
    )`,
    // Model spend per budget key (agent_day:<agent>:<date>, thread:<repo>#<n>). USD in
    // nano-dollars, an integer, so that concurrent additions sum exactly on both backends.
    `CREATE TABLE IF NOT EXISTS gc_spend (
      key TEXT PRIMARY KEY,
      tokens BIGINT NOT NULL DEFAULT 0,
      usd_nano BIGINT NOT NULL DEFAULT 0,
      updated_at BIGINT NOT NULL
    )`,
    // Queue-position edits of queued runs' tracking comments (store/queue.ts): the last text, the throttle, the editor's lease.
    `CREATE TABLE IF NOT EXISTS gc_queue_edits (
      run_id TEXT PRIMARY KEY,
      text TEXT,
      edited_at BIGINT NOT NULL DEFAULT 0,
      editor TEXT,
      editing_until BIGINT
    )`,
    // Whose turn it is among repositories for claims: the repository with the lowest `turn` was served least recently.
    `CREATE TABLE IF NOT EXISTS gc_repo_turns (
      repo_key TEXT PRIMARY KEY,
      turn BIGINT NOT NULL
    )`,
    `CREATE INDEX IF NOT EXISTS gc_repo_turns_turn ON gc_repo_turns (turn)`,
    // Dashboard sign-in (store/sessions.ts): the sha256 of the cookie value, never the value.
    `CREATE TABLE IF NOT EXISTS gc_sessions (
      id_hash TEXT PRIMARY KEY,
      login TEXT NOT NULL,
      user_id BIGINT NOT NULL,
      avatar TEXT,
      csrf TEXT NOT NULL,
      created_at BIGINT NOT NULL,
      expires_at BIGINT NOT NULL
    )`,
    `CREATE INDEX IF NOT EXISTS gc_sessions_expires ON gc_sessions (expires_at)`,
    // Approval pull requests gitcrew resolved (store/approval-decisions.ts): the dashboard reads decisions here, not from GitHub.
    `CREATE TABLE IF NOT EXISTS gc_approval_decisions (
      repo_key TEXT NOT NULL,
      pull BIGINT NOT NULL,
      repo TEXT NOT NULL,
      decision TEXT NOT NULL,
      decided_by TEXT,
      decided_at BIGINT NOT NULL,
      PRIMARY KEY (repo_key, pull)
    )`,
    // Answers GitHub did not take, written again later by any instance (store/answers.ts, server/answer-outbox.ts).
    `CREATE TABLE IF NOT EXISTS gc_answers (
      id TEXT PRIMARY KEY,
      what TEXT NOT NULL,
      answer TEXT NOT NULL,
      since BIGINT NOT NULL,
      not_before BIGINT NOT NULL,
      delay_ms BIGINT NOT NULL,
      lease_owner TEXT,
      lease_expires_at BIGINT
    )`,
    `CREATE INDEX IF NOT EXISTS gc_answers_due ON gc_answers (not_before)`,
    // Each serve's heartbeat, for the dashboard's health page.
    `CREATE TABLE IF NOT EXISTS gc_instances (
      name TEXT PRIMARY KEY,
      last_seen BIGINT NOT NULL,
      runs INTEGER NOT NULL DEFAULT 0
    )`
  ];
}
async function migrate(db) {
  if (db.dialect === "sqlite") return db.tx(async (t2) => migrateIn(t2));
  if (await postgresIsCurrent(db)) return;
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.tx(async (t2) => {
        await t2.all("SELECT pg_advisory_xact_lock(7428105)");
        if (await postgresIsCurrent(t2)) return;
        await migrateIn(t2);
      });
    } catch (err) {
      if (err.code !== DEADLOCK_DETECTED || attempt >= MIGRATE_ATTEMPTS) throw err;
    }
  }
}
var DEADLOCK_DETECTED = "40P01";
var MIGRATE_ATTEMPTS = 5;
async function migrateIn(t2) {
  for (const sql of tables(t2.dialect)) await t2.run(sql);
  await addBodyKey(t2);
  await addRunCost(t2);
  await addRepo(t2);
  await addRunOutcome(t2);
  for (const sql of PAGE_INDEXES) await t2.run(sql);
  if (t2.dialect === "postgres") await compressPayloadsWithLz4(t2);
}
function expectedRelations() {
  const names2 = tables("postgres").flatMap((sql) => [...sql.matchAll(/IF NOT EXISTS (\w+)/g)].map((m2) => m2[1]));
  return [...names2, "gc_deliveries_body_key", ...[...REPO_INDEXES, ...PAGE_INDEXES].map((sql) => /IF NOT EXISTS (\w+)/.exec(sql)[1])];
}
var ADDED_COLUMNS = [
  ["gc_deliveries", "body_key"],
  ["gc_runs", "cost"],
  ["gc_deliveries", "repo"],
  ["gc_runs", "repo"],
  ["gc_runs", "repo_key"],
  ["gc_runs", "outcome"]
];
async function postgresIsCurrent(t2) {
  const [row] = await t2.all(
    `SELECT
       (SELECT count(*) FROM unnest(?::text[]) AS n WHERE to_regclass(n) IS NULL) AS missing_relations,
       (SELECT count(*) FROM unnest(?::text[], ?::text[]) AS c(tab, col)
          WHERE to_regclass(c.tab) IS NULL OR NOT EXISTS (
            SELECT 1 FROM pg_attribute a WHERE a.attrelid = to_regclass(c.tab) AND a.attname = c.col AND NOT a.attisdropped)) AS missing_columns`,
    [pgArray(expectedRelations()), pgArray(ADDED_COLUMNS.map((c3) => c3[0])), pgArray(ADDED_COLUMNS.map((c3) => c3[1]))]
  );
  if (Number(row?.missing_relations) !== 0 || Number(row?.missing_columns) !== 0) return false;
  return !await lz4Pending(t2);
}
async function lz4Pending(t2) {
  const lz4 = await t2.all(`SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression' AND 'lz4' = ANY (enumvals)`);
  if (!lz4.length) return false;
  const column = await t2.all(
    `SELECT attcompression AS c FROM pg_attribute WHERE attrelid = 'gc_deliveries'::regclass AND attname = 'payload'`
  );
  return column[0]?.c !== "l";
}
function pgArray(items) {
  return `{${items.join(",")}}`;
}
async function addBodyKey(t2) {
  if (t2.dialect === "postgres") {
    await t2.run("ALTER TABLE gc_deliveries ADD COLUMN IF NOT EXISTS body_key TEXT");
  } else {
    const columns = await t2.all("SELECT name FROM pragma_table_info('gc_deliveries')");
    if (!columns.some((c3) => c3.name === "body_key")) await t2.run("ALTER TABLE gc_deliveries ADD COLUMN body_key TEXT");
  }
  await t2.run("CREATE UNIQUE INDEX IF NOT EXISTS gc_deliveries_body_key ON gc_deliveries (body_key)");
}
async function addRunCost(t2) {
  if (t2.dialect === "postgres") {
    await t2.run("ALTER TABLE gc_runs ADD COLUMN IF NOT EXISTS cost TEXT");
  } else {
    const columns = await t2.all("SELECT name FROM pragma_table_info('gc_runs')");
    if (!columns.some((c3) => c3.name === "cost")) await t2.run("ALTER TABLE gc_runs ADD COLUMN cost TEXT");
  }
}
async function addRunOutcome(t2) {
  if (t2.dialect === "postgres") {
    await t2.run("ALTER TABLE gc_runs ADD COLUMN IF NOT EXISTS outcome TEXT");
  } else {
    const columns = await t2.all("SELECT name FROM pragma_table_info('gc_runs')");
    if (!columns.some((c3) => c3.name === "outcome")) await t2.run("ALTER TABLE gc_runs ADD COLUMN outcome TEXT");
  }
}
var REPO_INDEXES = [
  // A repository's runs, newest first (`ps --repo`, the API's filter).
  `CREATE INDEX IF NOT EXISTS gc_runs_repo ON gc_runs (repo_key, seq)`,
  // Claims: the repositories with queued runs (one probe each) and each one's oldest.
  `CREATE INDEX IF NOT EXISTS gc_runs_repo_queued ON gc_runs (repo_key, seq) WHERE status = 'queued'`,
  // Claims: a repository's running runs, against its limit.
  `CREATE INDEX IF NOT EXISTS gc_runs_repo_running ON gc_runs (repo_key) WHERE status = 'running'`
];
var PAGE_INDEXES = [
  `CREATE INDEX IF NOT EXISTS gc_runs_created ON gc_runs (created_at, id)`,
  `CREATE INDEX IF NOT EXISTS gc_runs_repo_created ON gc_runs (repo_key, created_at, id)`
];
async function addRepo(t2) {
  if (t2.dialect === "postgres") {
    await t2.run("ALTER TABLE gc_deliveries ADD COLUMN IF NOT EXISTS repo TEXT");
    await t2.run("ALTER TABLE gc_runs ADD COLUMN IF NOT EXISTS repo TEXT");
    await t2.run("ALTER TABLE gc_runs ADD COLUMN IF NOT EXISTS repo_key TEXT NOT NULL DEFAULT ''");
  } else {
    const deliveries = await t2.all("SELECT name FROM pragma_table_info('gc_deliveries')");
    if (!deliveries.some((c3) => c3.name === "repo")) await t2.run("ALTER TABLE gc_deliveries ADD COLUMN repo TEXT");
    const runs2 = await t2.all("SELECT name FROM pragma_table_info('gc_runs')");
    if (!runs2.some((c3) => c3.name === "repo")) await t2.run("ALTER TABLE gc_runs ADD COLUMN repo TEXT");
    if (!runs2.some((c3) => c3.name === "repo_key")) await t2.run("ALTER TABLE gc_runs ADD COLUMN repo_key TEXT NOT NULL DEFAULT ''");
  }
  for (const sql of REPO_INDEXES) await t2.run(sql);
  await fillRunRepos(t2);
}
async function fillRunRepos(t2) {
  const threads = await t2.all("SELECT DISTINCT thread_key FROM gc_runs WHERE repo_key = ''");
  const byRepo = /* @__PURE__ */ new Map();
  for (const row of threads) {
    const thread = String(row.thread_key);
    const repo = repoOfThreadKey(thread);
    if (repo) byRepo.set(repo, [...byRepo.get(repo) ?? [], thread]);
  }
  for (const [repo, keys] of byRepo) {
    for (let i = 0; i < keys.length; i += 500) {
      const part = keys.slice(i, i + 500);
      await t2.run(`UPDATE gc_runs SET repo = ?, repo_key = ? WHERE repo_key = '' AND thread_key IN (${part.map(() => "?").join(", ")})`, [
        repo,
        repoKey(repo),
        ...part
      ]);
    }
  }
}
async function compressPayloadsWithLz4(t2) {
  if (await lz4Pending(t2)) await t2.run("ALTER TABLE gc_deliveries ALTER COLUMN payload SET COMPRESSION lz4");
}

// src/store/rows.ts
function str(v2) {
  return v2 === null || v2 === void 0 ? void 0 : String(v2);
}
function num(v2) {
  return v2 === null || v2 === void 0 ? void 0 : Number(v2);
}
function toRun(row) {
  return {
    id: String(row.id),
    deliveryId: String(row.delivery_id),
    // Rows stored before the column, or by an older instance, have none: their thread key names it.
    repo: str(row.repo) ?? repoOfThreadKey(String(row.thread_key)) ?? UNKNOWN_REPO,
    agent: String(row.agent),
    threadKey: String(row.thread_key),
    status: String(row.status),
    plan: JSON.parse(String(row.plan)),
    agentLimit: Number(row.agent_limit),
    attempt: Number(row.attempt),
    maxAttempts: Number(row.max_attempts),
    notBefore: Number(row.not_before),
    leaseOwner: str(row.lease_owner),
    leaseExpiresAt: num(row.lease_expires_at),
    startedAt: num(row.started_at),
    sessionId: str(row.session_id),
    containerId: str(row.container_id),
    error: str(row.error),
    cancelRequested: Number(row.cancel_requested) === 1,
    createdAt: Number(row.created_at),
    claimedAt: num(row.claimed_at),
    finishedAt: num(row.finished_at),
    ...row.cost ? { cost: JSON.parse(String(row.cost)) } : {},
    ...row.outcome ? { outcome: JSON.parse(String(row.outcome)) } : {}
  };
}
function toDelivery(row) {
  const payload = storedText(row.payload);
  return {
    id: String(row.id),
    event: String(row.event),
    payload,
    // Rows stored before the column, or by an older instance, have none: the body names it.
    repo: str(row.repo) ?? repoOfPayload(payload) ?? UNKNOWN_REPO,
    receivedAt: Number(row.received_at),
    state: String(row.state),
    attempts: Number(row.attempts),
    error: str(row.error)
  };
}
function backoffMs(attempt, baseMs = 2e3) {
  return Math.min(baseMs * 2 ** Math.max(0, attempt - 1), 3e5);
}

// src/store/batch.ts
var DeliveryBatcher = class {
  /** `write` stores distinct deliveries in one transaction and returns the ids it newly inserted. */
  constructor(write2, options = {}) {
    this.write = write2;
    this.options = options;
  }
  queue = [];
  writing = 0;
  scheduled = false;
  record(delivery) {
    return new Promise((resolve4, reject) => {
      this.queue.push({ delivery, resolve: resolve4, reject });
      if (!this.scheduled && this.writing < (this.options.inFlight ?? 1)) {
        this.scheduled = true;
        setImmediate(() => {
          this.scheduled = false;
          void this.flush();
        });
      }
    });
  }
  async flush() {
    this.writing++;
    try {
      while (this.queue.length) {
        const batch = this.queue.splice(0, this.options.maxBatch ?? 500);
        const first = /* @__PURE__ */ new Map();
        const bodies = /* @__PURE__ */ new Set();
        for (const w2 of batch) {
          const key2 = w2.delivery.bodyKey;
          if (first.has(w2.delivery.id) || key2 !== void 0 && bodies.has(key2)) continue;
          first.set(w2.delivery.id, w2.delivery);
          if (key2 !== void 0) bodies.add(key2);
        }
        try {
          const inserted = await this.write([...first.values()]);
          for (const w2 of batch) {
            const mine = first.get(w2.delivery.id) === w2.delivery;
            w2.resolve(mine && inserted.has(w2.delivery.id));
          }
        } catch (err) {
          for (const w2 of batch) w2.reject(err);
        }
      }
    } finally {
      this.writing--;
    }
  }
};

// src/store/writes.ts
var DEFAULT_MAX_ATTEMPTS = 3;
var ROWS_PER_STATEMENT = 100;
var OFF_THREAD_ROWS = 4;
async function insertDeliveries(db, batch) {
  const write2 = async (d2, options = {}) => {
    const inserted = /* @__PURE__ */ new Set();
    for (let i = 0; i < batch.length; i += ROWS_PER_STATEMENT) {
      const part = batch.slice(i, i + ROWS_PER_STATEMENT);
      const rows = await d2.all(
        // No conflict target: a known delivery id or a known body (body_key) makes the row a duplicate.
        `INSERT INTO gc_deliveries (id, event, payload, received_at, body_key, repo, lease_owner, lease_expires_at, attempts)
         VALUES ${part.map(() => "(?, ?, ?, ?, ?, ?, ?, ?, ?)").join(", ")}
         ON CONFLICT DO NOTHING RETURNING id`,
        // A leased delivery is stored as its owner's first attempt (as claimDelivery would count it).
        part.flatMap((x3) => [x3.id, x3.event, { compressed: x3.payload }, x3.receivedAt, x3.bodyKey ?? null, x3.repo ?? null, x3.lease?.owner ?? null, x3.lease?.until ?? null, x3.lease ? 1 : 0]),
        { ...options, prepared: true }
      );
      for (const row of rows) inserted.add(String(row.id));
    }
    return inserted;
  };
  return batch.length <= ROWS_PER_STATEMENT ? write2(db, { urgent: true, offThread: batch.length >= OFF_THREAD_ROWS }) : db.tx((t2) => write2(t2), { urgent: true });
}
async function insertRun(db, id, deliveryId, run, now) {
  const repo = run.repo ?? repoOfThreadKey(run.threadKey) ?? UNKNOWN_REPO;
  await db.run(
    `INSERT INTO gc_runs (id, delivery_id, repo, repo_key, agent, thread_key, status, plan, max_attempts, agent_limit, created_at)
     VALUES (?, ?, ?, ?, ?, ?, 'queued', ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
    [
      id,
      deliveryId,
      repo,
      repoKey(repo),
      run.agent,
      run.threadKey,
      JSON.stringify(run.plan ?? null),
      run.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
      Math.max(1, run.agentLimit),
      now
    ]
  );
}
async function cancelWhere(db, where, params, now) {
  await db.run(
    `UPDATE gc_runs SET status = 'cancelled', cancel_requested = 1, finished_at = ?, error = 'cancelled before it started' WHERE status = 'queued' AND ${where}`,
    [now, ...params]
  );
  await db.run(`UPDATE gc_runs SET cancel_requested = 1 WHERE status = 'running' AND ${where}`, params);
}

// src/store/queue.ts
async function readQueue(db, o2) {
  const limit = Math.max(0, Math.floor(o2.limit ?? 100));
  const rows = await db.all(
    `SELECT q.id, q.agent, q.thread_key, q.repo, q.repo_key, q.not_before, q.agent_limit, q.attempt, q.created_at,
       (SELECT count(*) FROM gc_runs a WHERE a.agent = q.agent AND a.status = 'running') AS agent_running,
       (SELECT count(*) FROM gc_runs t WHERE t.thread_key = q.thread_key AND t.status = 'running') AS thread_running,
       (SELECT count(*) FROM gc_runs p WHERE p.repo_key = q.repo_key AND p.status = 'running') AS repo_running,
       (SELECT count(*) FROM gc_runs c WHERE c.status = 'queued') AS queued_total,
       (SELECT count(*) FROM gc_runs c WHERE c.status = 'running') AS running_total
     FROM gc_runs q WHERE q.status = 'queued' ORDER BY q.seq LIMIT ?`,
    [limit]
  );
  const threadAhead = /* @__PURE__ */ new Map();
  const agentAhead = /* @__PURE__ */ new Map();
  const starting = /* @__PURE__ */ new Map();
  const repoAhead = /* @__PURE__ */ new Map();
  const repoStarting = /* @__PURE__ */ new Map();
  const repoLimit = o2.repoLimit !== void 0 && Number.isFinite(o2.repoLimit) ? Math.max(1, Math.floor(o2.repoLimit)) : void 0;
  let started = 0;
  const entries = rows.map((r2, i) => {
    const agent = String(r2.agent);
    const threadKey = String(r2.thread_key);
    const agentRunning = Number(r2.agent_running);
    const repoKey2 = String(r2.repo_key);
    const repoRunning = Number(r2.repo_running);
    const limitOfAgent = Number(r2.agent_limit);
    const inThread = Number(r2.thread_running) + (threadAhead.get(threadKey) ?? 0);
    const ofAgent = agentRunning + (agentAhead.get(agent) ?? 0);
    let reason;
    if (Number(r2.not_before) > o2.now) reason = { kind: "retry", notBefore: Number(r2.not_before), attempt: Number(r2.attempt) };
    else if (inThread > 0) reason = { kind: "thread", ahead: inThread };
    else if (agentRunning + (starting.get(agent) ?? 0) >= limitOfAgent) reason = { kind: "agent", ahead: ofAgent, limit: limitOfAgent };
    else if (repoLimit !== void 0 && repoRunning + (repoStarting.get(repoKey2) ?? 0) >= repoLimit) {
      reason = { kind: "repo", repo: String(r2.repo), ahead: repoRunning + (repoAhead.get(repoKey2) ?? 0), limit: repoLimit };
    } else if (o2.freeSlots !== void 0 && started >= o2.freeSlots) reason = { kind: "capacity" };
    else {
      reason = { kind: "next" };
      started++;
      starting.set(agent, (starting.get(agent) ?? 0) + 1);
      repoStarting.set(repoKey2, (repoStarting.get(repoKey2) ?? 0) + 1);
    }
    repoAhead.set(repoKey2, (repoAhead.get(repoKey2) ?? 0) + 1);
    threadAhead.set(threadKey, (threadAhead.get(threadKey) ?? 0) + 1);
    agentAhead.set(agent, (agentAhead.get(agent) ?? 0) + 1);
    return { id: String(r2.id), agent, threadKey, repo: String(r2.repo), position: i + 1, createdAt: Number(r2.created_at), attempt: Number(r2.attempt), reason };
  });
  const totals = rows[0] ?? (await db.all(
    `SELECT (SELECT count(*) FROM gc_runs WHERE status = 'queued') AS queued_total, (SELECT count(*) FROM gc_runs WHERE status = 'running') AS running_total`
  ))[0];
  return { entries, queued: Number(totals?.queued_total ?? 0), running: Number(totals?.running_total ?? 0) };
}
var CLAIM_LOCK = "SELECT pg_advisory_xact_lock(7428106)";
var SqlQueueEdits = class {
  constructor(db) {
    this.db = db;
  }
  async states() {
    const rows = await this.db.all("SELECT run_id, text, edited_at, editing_until FROM gc_queue_edits");
    return new Map(
      rows.map((r2) => [
        String(r2.run_id),
        {
          ...r2.text === null || r2.text === void 0 ? {} : { text: String(r2.text) },
          editedAt: Number(r2.edited_at),
          ...r2.editing_until === null || r2.editing_until === void 0 ? {} : { editingUntil: Number(r2.editing_until) }
        }
      ])
    );
  }
  take(runId, text2, owner, now, throttleMs, leaseMs) {
    return this.db.tx(async (t2) => {
      if (t2.dialect === "postgres") await t2.all(CLAIM_LOCK);
      const [queued] = await t2.all("SELECT 1 AS one FROM gc_runs WHERE id = ? AND status = 'queued'", [runId]);
      if (!queued) return false;
      const n = await t2.run(
        `INSERT INTO gc_queue_edits (run_id, text, edited_at, editor, editing_until) VALUES (?, NULL, 0, ?, ?)
         ON CONFLICT (run_id) DO UPDATE SET editor = excluded.editor, editing_until = excluded.editing_until
         WHERE (gc_queue_edits.editing_until IS NULL OR gc_queue_edits.editing_until < ?)
           AND gc_queue_edits.edited_at <= ? AND (gc_queue_edits.text IS NULL OR gc_queue_edits.text <> ?)`,
        [runId, owner, now + leaseMs, now, now - throttleMs, text2]
      );
      return n === 1;
    }, { relaxed: true });
  }
  async done(runId, owner, text2, now) {
    await this.db.run(
      "UPDATE gc_queue_edits SET text = COALESCE(?, text), edited_at = ?, editor = NULL, editing_until = NULL WHERE run_id = ? AND editor = ?",
      [text2 ?? null, now, runId, owner]
    );
  }
  async settle(runId, now) {
    const [row] = await this.db.all("SELECT editing_until FROM gc_queue_edits WHERE run_id = ?", [runId]);
    const until = row?.editing_until === null || row?.editing_until === void 0 ? 0 : Number(row.editing_until);
    if (until >= now) return until;
    if (row) await this.db.run("DELETE FROM gc_queue_edits WHERE run_id = ? AND (editing_until IS NULL OR editing_until < ?)", [runId, now]);
    return 0;
  }
  sweep(now) {
    return this.db.run(
      `DELETE FROM gc_queue_edits WHERE (editing_until IS NULL OR editing_until < ?)
         AND NOT EXISTS (SELECT 1 FROM gc_runs r WHERE r.id = gc_queue_edits.run_id AND r.status = 'queued')`,
      [now]
    );
  }
};

// src/store/runs-page.ts
async function readRunsPage(db, o2) {
  if (o2.repos && o2.repos.length === 0) return { runs: [] };
  const where = [];
  const params = [];
  if (o2.agent) where.push("agent = ?"), params.push(o2.agent);
  if (o2.status) where.push("status = ?"), params.push(o2.status);
  if (o2.threadKey) where.push("thread_key = ?"), params.push(o2.threadKey);
  if (o2.repo) where.push("repo_key = ?"), params.push(repoKey(o2.repo));
  if (o2.repos) where.push(`repo_key IN (${o2.repos.map(() => "?").join(", ")})`), params.push(...o2.repos.map(repoKey));
  if (o2.has === "approvals") where.push(`outcome LIKE '%"approvals":%'`);
  if (o2.has === "followUp") where.push(`plan LIKE '%"followUp":%'`);
  if (o2.before) {
    where.push("created_at <= ? AND (created_at < ? OR id < ?)");
    params.push(o2.before.createdAt, o2.before.createdAt, o2.before.id);
  }
  const rows = await db.all(
    `SELECT * FROM gc_runs ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY created_at DESC, id DESC LIMIT ?`,
    [...params, o2.limit + 1]
  );
  const runs2 = rows.slice(0, o2.limit).map(toRun);
  const last = runs2[runs2.length - 1];
  return rows.length > o2.limit && last ? { runs: runs2, next: { createdAt: last.createdAt, id: last.id } } : { runs: runs2 };
}
async function readRunRepos(db) {
  const rows = await db.all(
    `WITH RECURSIVE repos (k) AS (
       SELECT (SELECT repo_key FROM gc_runs WHERE repo_key > '' ORDER BY repo_key LIMIT 1)
       UNION ALL
       SELECT (SELECT repo_key FROM gc_runs WHERE repo_key > r.k ORDER BY repo_key LIMIT 1) FROM repos r WHERE r.k IS NOT NULL
     )
     SELECT k FROM repos WHERE k IS NOT NULL`
  );
  return rows.map((r2) => String(r2.k));
}

// src/store/sessions.ts
var SqlSessions = class {
  constructor(db) {
    this.db = db;
  }
  async create(idHash, s) {
    await this.db.run(
      "INSERT INTO gc_sessions (id_hash, login, user_id, avatar, csrf, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
      [idHash, s.login, s.userId, s.avatarUrl ?? null, s.csrf, s.createdAt, s.expiresAt]
    );
  }
  async get(idHash, now) {
    const [row] = await this.db.all(
      "SELECT login, user_id, avatar, csrf, created_at, expires_at FROM gc_sessions WHERE id_hash = ? AND expires_at > ?",
      [idHash, now]
    );
    if (!row) return void 0;
    return {
      login: String(row.login),
      userId: Number(row.user_id),
      ...row.avatar === null || row.avatar === void 0 ? {} : { avatarUrl: String(row.avatar) },
      csrf: String(row.csrf),
      createdAt: Number(row.created_at),
      expiresAt: Number(row.expires_at)
    };
  }
  async remove(idHash) {
    await this.db.run("DELETE FROM gc_sessions WHERE id_hash = ?", [idHash]);
  }
  prune(now) {
    return this.db.run("DELETE FROM gc_sessions WHERE expires_at <= ?", [now]);
  }
};
var SqlInstances = class {
  constructor(db) {
    this.db = db;
  }
  async beat(name, now, runs2) {
    await this.db.run(
      "INSERT INTO gc_instances (name, last_seen, runs) VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET last_seen = excluded.last_seen, runs = excluded.runs",
      [name, now, runs2]
    );
  }
  async list(since) {
    const rows = await this.db.all("SELECT name, last_seen, runs FROM gc_instances WHERE last_seen >= ? ORDER BY last_seen DESC, name LIMIT 1000", [since]);
    return rows.map((r2) => ({ name: String(r2.name), lastSeen: Number(r2.last_seen), runs: Number(r2.runs) }));
  }
  prune(before) {
    return this.db.run("DELETE FROM gc_instances WHERE last_seen < ?", [before]);
  }
};

// src/store/approval-decisions.ts
var KINDS = ["approved", "rejected", "not-counted"];
var CHUNK = 500;
var SqlApprovalDecisions = class {
  constructor(db) {
    this.db = db;
  }
  async record(d2) {
    await this.db.run(
      `INSERT INTO gc_approval_decisions (repo_key, pull, repo, decision, decided_by, decided_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (repo_key, pull) DO UPDATE SET repo = excluded.repo, decision = excluded.decision, decided_by = excluded.decided_by, decided_at = excluded.decided_at`,
      [repoKey(d2.repo), d2.pull, d2.repo, d2.decision, d2.by ?? null, d2.at]
    );
  }
  async of(repo, pulls) {
    const wanted = [...new Set(pulls.filter((n) => Number.isSafeInteger(n) && n > 0))];
    const out = [];
    for (let i = 0; i < wanted.length; i += CHUNK) {
      const part = wanted.slice(i, i + CHUNK);
      const rows = await this.db.all(
        `SELECT repo, pull, decision, decided_by, decided_at FROM gc_approval_decisions WHERE repo_key = ? AND pull IN (${part.map(() => "?").join(", ")})`,
        [repoKey(repo), ...part]
      );
      for (const r2 of rows) {
        if (!KINDS.includes(String(r2.decision))) continue;
        out.push({
          repo: String(r2.repo),
          pull: Number(r2.pull),
          decision: String(r2.decision),
          ...r2.decided_by === null || r2.decided_by === void 0 ? {} : { by: String(r2.decided_by) },
          at: Number(r2.decided_at)
        });
      }
    }
    return out;
  }
};

// src/store/answers.ts
import { randomBytes } from "node:crypto";
var SqlPendingAnswers = class {
  constructor(db) {
    this.db = db;
  }
  async add(a, notBefore) {
    const id = randomBytes(12).toString("hex");
    await this.db.run("INSERT INTO gc_answers (id, what, answer, since, not_before, delay_ms) VALUES (?, ?, ?, ?, ?, ?)", [
      id,
      a.what,
      a.answer,
      a.since,
      notBefore,
      a.delayMs
    ]);
    return id;
  }
  async claimDue(owner, now, leaseMs, limit) {
    const skipLocked = this.db.dialect === "postgres" ? " FOR UPDATE SKIP LOCKED" : "";
    const rows = await this.db.all(
      `UPDATE gc_answers SET lease_owner = ?, lease_expires_at = ?
       WHERE id IN (SELECT id FROM gc_answers WHERE not_before <= ? AND (lease_expires_at IS NULL OR lease_expires_at < ?)
                    ORDER BY not_before, id LIMIT ?${skipLocked})
       RETURNING id, what, answer, since, delay_ms`,
      [owner, now + leaseMs, now, now, limit]
    );
    return rows.map((r2) => ({ id: String(r2.id), what: String(r2.what), answer: String(r2.answer), since: Number(r2.since), delayMs: Number(r2.delay_ms) }));
  }
  async later(id, owner, notBefore, delayMs) {
    const n = await this.db.run(
      "UPDATE gc_answers SET not_before = ?, delay_ms = ?, lease_owner = NULL, lease_expires_at = NULL WHERE id = ? AND lease_owner = ?",
      [notBefore, delayMs, id, owner]
    );
    return n === 1;
  }
  async remove(id, owner) {
    await this.db.run("DELETE FROM gc_answers WHERE id = ? AND lease_owner = ?", [id, owner]);
  }
  async release(owner) {
    await this.db.run("UPDATE gc_answers SET lease_owner = NULL, lease_expires_at = NULL WHERE lease_owner = ?", [owner]);
  }
  async count() {
    const [row] = await this.db.all("SELECT count(*) AS n FROM gc_answers");
    return Number(row?.n ?? 0);
  }
};

// src/store/sql-store.ts
var WORK_CHANNEL = "gitcrew_work";
var RELAXED = { relaxed: true };
var SqlStore = class {
  constructor(db) {
    this.db = db;
    this.kind = db.dialect;
    this.queueEdits = new SqlQueueEdits(db);
    this.sessions = new SqlSessions(db);
    this.instances = new SqlInstances(db);
    this.approvalDecisions = new SqlApprovalDecisions(db);
    this.answers = new SqlPendingAnswers(db);
    this.intake = new DeliveryBatcher((batch) => insertDeliveries(this.db, batch), { inFlight: db.dialect === "postgres" ? 4 : 1 });
  }
  kind;
  intake;
  queueEdits;
  sessions;
  instances;
  approvalDecisions;
  answers;
  /** `FOR UPDATE SKIP LOCKED` where the backend has row locks; SQLite locks the whole file instead. */
  get skipLocked() {
    return this.db.dialect === "postgres" ? " FOR UPDATE SKIP LOCKED" : "";
  }
  migrate() {
    return migrate(this.db);
  }
  close() {
    this.listeners.clear();
    return this.db.close();
  }
  listeners = /* @__PURE__ */ new Set();
  /** Names this process in its NOTIFY payloads: its own come back through LISTEN, and its listeners were told already. */
  nonce = randomBytes2(6).toString("hex");
  subscribe(listener) {
    this.listeners.add(listener);
    const unlisten = this.listeners.size === 1 ? this.db.listen?.(WORK_CHANNEL, (payload) => this.heard(payload)) : void 0;
    if (unlisten) this.unlisten = unlisten;
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.unlisten?.(), this.unlisten = void 0;
    };
  }
  unlisten;
  tell(kind) {
    for (const l3 of this.listeners) l3(kind);
  }
  /** A NOTIFY `<kind>:<nonce>` (an older instance's has no payload; a reconnection none either: anything may have been missed). */
  heard(payload) {
    const [kind, from] = (payload ?? "").split(":");
    if (from === this.nonce) return;
    this.tell(kind === "delivery" || kind === "run" ? kind : "any");
  }
  /** Work to do (a delivery stored, runs queued or handed back): wake this process's workers, and the others' through NOTIFY. */
  announce(kind) {
    this.tell(kind);
    if (this.db.dialect === "postgres") void this.db.all(`NOTIFY ${WORK_CHANNEL}, '${kind}:${this.nonce}'`, [], { relaxed: true }).catch(() => void 0);
  }
  async recordDelivery(d2, lease) {
    const fresh = await this.intake.record(lease ? { ...d2, lease } : d2);
    if (fresh && !lease) this.announce("delivery");
    return fresh;
  }
  async getDelivery(id) {
    const [row] = await this.db.all("SELECT * FROM gc_deliveries WHERE id = ?", [id]);
    return row ? toDelivery(row) : void 0;
  }
  /** One relaxed statement (on PostgreSQL one round trip, no WAL flush awaited): a lost claim is claimed again. */
  async claimDelivery(owner, now, leaseMs) {
    const [row] = await this.db.all(
      `UPDATE gc_deliveries SET lease_owner = ?, lease_expires_at = ?, attempts = attempts + 1
       WHERE id = (SELECT id FROM gc_deliveries WHERE state = 'pending' AND not_before <= ?
                     AND (lease_expires_at IS NULL OR lease_expires_at < ?)
                   ORDER BY received_at, id LIMIT 1${this.skipLocked})
       RETURNING id, event, payload, received_at, state, attempts, error, repo`,
      [owner, now + leaseMs, now, now],
      { relaxed: true, prepared: true }
    );
    return row ? toDelivery(row) : void 0;
  }
  completeDelivery(id, runs2, now) {
    return this.db.tx(async (t2) => {
      const seen = /* @__PURE__ */ new Set();
      for (const run of runs2) {
        let runId = `${id}:${run.agent}`;
        for (let i = 2; seen.has(runId); i++) runId = `${id}:${run.agent}:${i}`;
        seen.add(runId);
        await insertRun(t2, runId, id, run, now);
      }
      await t2.run("UPDATE gc_deliveries SET state = 'planned', lease_owner = NULL, lease_expires_at = NULL, error = NULL WHERE id = ?", [id]);
      return (await t2.all("SELECT * FROM gc_runs WHERE delivery_id = ? ORDER BY seq", [id])).map(toRun);
    }, RELAXED).then((stored) => {
      if (runs2.length) this.announce("run");
      return stored;
    });
  }
  async failDelivery(id, error, retryAt) {
    await this.db.run(
      "UPDATE gc_deliveries SET state = ?, error = ?, not_before = ?, lease_owner = NULL, lease_expires_at = NULL WHERE id = ?",
      [retryAt === void 0 ? "failed" : "pending", error, retryAt ?? 0, id]
    );
  }
  async enqueue(id, deliveryId, run, now) {
    await insertRun(this.db, id, deliveryId, run, now);
    this.announce("run");
    const record = await this.getRun(id);
    if (!record) throw new Error(`run ${id} vanished after insert`);
    return record;
  }
  claimRun(o2) {
    return this.db.tx(async (t2) => {
      if (t2.dialect === "postgres") await t2.all("SELECT pg_advisory_xact_lock(7428106)");
      const [held] = await t2.all("SELECT count(*) AS n FROM gc_runs WHERE status = 'running' AND lease_owner = ?", [o2.owner]);
      if (Number(held?.n ?? 0) >= o2.ownerLimit) return void 0;
      for (const repo of await this.repoTurns(t2, o2.repoLimit)) {
        const [row] = await t2.all(
          `SELECT r.id FROM gc_runs r
           WHERE r.status = 'queued' AND r.repo_key = ? AND r.not_before <= ?
             AND NOT EXISTS (SELECT 1 FROM gc_runs o WHERE o.thread_key = r.thread_key
                             AND (o.status = 'running' OR (o.status = 'queued' AND o.seq < r.seq)))
             AND (SELECT count(*) FROM gc_runs a WHERE a.agent = r.agent AND a.status = 'running') < r.agent_limit
           ORDER BY r.seq LIMIT 1${this.skipLocked}`,
          [repo, o2.now]
        );
        if (!row) continue;
        await t2.run(
          `UPDATE gc_runs SET status = 'running', lease_owner = ?, lease_expires_at = ?, claimed_at = ?,
             started_at = NULL, container_id = NULL WHERE id = ? AND status = 'queued'`,
          [o2.owner, o2.now + o2.leaseMs, o2.now, String(row.id)]
        );
        await t2.run(
          `INSERT INTO gc_repo_turns (repo_key, turn) VALUES (?, (SELECT COALESCE(max(turn), 0) + 1 FROM gc_repo_turns))
           ON CONFLICT (repo_key) DO UPDATE SET turn = excluded.turn`,
          [repo]
        );
        const [claimed] = await t2.all("SELECT * FROM gc_runs WHERE id = ?", [String(row.id)]);
        return claimed ? toRun(claimed) : void 0;
      }
      return void 0;
    }, RELAXED);
  }
  /**
   * Repositories with queued runs, in the order they get a turn: served least
   * recently first (never served: first), then the one waiting longest. Those
   * at `repoLimit` are left out. The distinct repositories are read one index
   * probe each (a loose index scan), not by reading every queued run.
   */
  async repoTurns(t2, repoLimit) {
    const limited = repoLimit !== void 0 && Number.isFinite(repoLimit);
    const rows = await t2.all(
      `WITH RECURSIVE queued (k) AS (
         SELECT (SELECT repo_key FROM gc_runs WHERE status = 'queued' ORDER BY repo_key LIMIT 1)
         UNION ALL
         SELECT (SELECT repo_key FROM gc_runs WHERE status = 'queued' AND repo_key > q.k ORDER BY repo_key LIMIT 1) FROM queued q WHERE q.k IS NOT NULL
       )
       SELECT q.k AS repo_key FROM queued q LEFT JOIN gc_repo_turns turns ON turns.repo_key = q.k
       WHERE q.k IS NOT NULL${limited ? " AND (SELECT count(*) FROM gc_runs x WHERE x.repo_key = q.k AND x.status = 'running') < ?" : ""}
       ORDER BY COALESCE(turns.turn, 0), (SELECT seq FROM gc_runs m WHERE m.repo_key = q.k AND m.status = 'queued' ORDER BY seq LIMIT 1)`,
      limited ? [Math.max(1, Math.floor(repoLimit))] : []
    );
    return rows.map((r2) => String(r2.repo_key));
  }
  async heartbeat(owner, runIds, now, leaseMs) {
    if (runIds.length === 0) return [];
    const lost = [];
    await this.db.tx(async (t2) => {
      for (const id of runIds) {
        const n = await t2.run("UPDATE gc_runs SET lease_expires_at = ? WHERE id = ? AND lease_owner = ? AND status = 'running'", [
          now + leaseMs,
          id,
          owner
        ]);
        if (n === 0) lost.push(id);
      }
    }, RELAXED);
    return lost;
  }
  async markStarted(id, owner, now, patch) {
    await this.db.run(
      `UPDATE gc_runs SET started_at = COALESCE(started_at, ?), container_id = COALESCE(?, container_id),
         session_id = COALESCE(?, session_id) WHERE id = ? AND lease_owner = ? AND status = 'running'`,
      [now, patch.containerId ?? null, patch.sessionId ?? null, id, owner]
    );
  }
  async finishRun(id, owner, outcome, now) {
    const n = await this.db.run(
      `UPDATE gc_runs SET status = ?, error = ?, session_id = COALESCE(?, session_id), finished_at = ?, cost = ?, outcome = ?,
         lease_owner = NULL, lease_expires_at = NULL WHERE id = ? AND lease_owner = ? AND status = 'running'`,
      [outcome.status, outcome.error ?? null, outcome.sessionId ?? null, now, outcome.cost ? JSON.stringify(outcome.cost) : null, outcome.outcome ? JSON.stringify(outcome.outcome) : null, id, owner]
    );
    if (n === 1) this.announce("run");
    return n === 1;
  }
  async retryLater(id, owner, error, notBefore) {
    const n = await this.db.run(
      `UPDATE gc_runs SET status = 'queued', attempt = attempt + 1, error = ?, not_before = ?, lease_owner = NULL,
         lease_expires_at = NULL, started_at = NULL WHERE id = ? AND lease_owner = ? AND status = 'running'`,
      [error, notBefore, id, owner]
    );
    return n === 1;
  }
  async release(id, owner) {
    const n = await this.db.run(
      `UPDATE gc_runs SET status = 'queued', lease_owner = NULL, lease_expires_at = NULL, started_at = NULL
       WHERE id = ? AND lease_owner = ? AND status = 'running'`,
      [id, owner]
    );
    if (n === 1) this.announce("run");
    return n === 1;
  }
  reapExpired(now) {
    return this.db.tx(async (t2) => {
      const result = { requeued: [], retried: [], failed: [] };
      const rows = await t2.all(`SELECT * FROM gc_runs WHERE status = 'running' AND lease_expires_at < ?${this.skipLocked}`, [now]);
      for (const run of rows.map(toRun)) {
        const lost = `the instance ${run.leaseOwner ?? "?"} holding this run stopped renewing its lease`;
        if (run.startedAt === void 0 && !run.cancelRequested) {
          await t2.run("UPDATE gc_runs SET status = 'queued', lease_owner = NULL, lease_expires_at = NULL WHERE id = ?", [run.id]);
          result.requeued.push(run.id);
        } else if (run.attempt < run.maxAttempts && !run.cancelRequested) {
          await t2.run(
            `UPDATE gc_runs SET status = 'queued', attempt = attempt + 1, not_before = ?, error = ?, lease_owner = NULL,
               lease_expires_at = NULL, started_at = NULL WHERE id = ?`,
            [now + backoffMs(run.attempt), `attempt ${run.attempt} lost: ${lost}`, run.id]
          );
          result.retried.push(run.id);
        } else {
          const status = run.cancelRequested ? "cancelled" : "failed";
          await t2.run(
            "UPDATE gc_runs SET status = ?, error = ?, finished_at = ?, lease_owner = NULL, lease_expires_at = NULL WHERE id = ?",
            [status, run.cancelRequested ? "cancelled" : `failed after ${run.attempt} attempts: ${lost}`, now, run.id]
          );
          result.failed.push(run.id);
        }
      }
      return result;
    });
  }
  requestCancel(id, now) {
    return this.db.tx(async (t2) => {
      await cancelWhere(t2, "id = ?", [id], now);
      const [row] = await t2.all("SELECT * FROM gc_runs WHERE id = ?", [id]);
      return row ? toRun(row) : void 0;
    });
  }
  cancelThread(threadKey, now) {
    return this.db.tx(async (t2) => {
      const ids = (await t2.all("SELECT id FROM gc_runs WHERE thread_key = ? AND status IN ('queued', 'running') ORDER BY seq", [threadKey])).map(
        (r2) => String(r2.id)
      );
      await cancelWhere(t2, "thread_key = ?", [threadKey], now);
      const out = [];
      for (const id of ids) {
        const [row] = await t2.all("SELECT * FROM gc_runs WHERE id = ?", [id]);
        if (row) out.push(toRun(row));
      }
      return out;
    });
  }
  async cancelRequested(runIds) {
    if (runIds.length === 0) return [];
    const marks = runIds.map(() => "?").join(", ");
    const rows = await this.db.all(`SELECT id FROM gc_runs WHERE cancel_requested = 1 AND id IN (${marks})`, runIds);
    return rows.map((r2) => String(r2.id));
  }
  async getRun(id) {
    const [row] = await this.db.all("SELECT * FROM gc_runs WHERE id = ?", [id]);
    return row ? toRun(row) : void 0;
  }
  queue(o2) {
    return readQueue(this.db, o2);
  }
  runsPage(o2) {
    return readRunsPage(this.db, o2);
  }
  runRepos() {
    return readRunRepos(this.db);
  }
  async listRuns(o2 = {}) {
    const where = [];
    const params = [];
    if (o2.status) where.push("status = ?"), params.push(o2.status);
    if (o2.threadKey) where.push("thread_key = ?"), params.push(o2.threadKey);
    if (o2.repo) {
      const r2 = sameRepo(o2.repo);
      where.push(r2.sql);
      params.push(...r2.params);
    }
    const sql = `SELECT * FROM gc_runs ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY seq DESC LIMIT ?`;
    return (await this.db.all(sql, [...params, o2.limit ?? 50])).map(toRun);
  }
  async lastSessionId(threadKey) {
    const [row] = await this.db.all("SELECT session_id FROM gc_runs WHERE thread_key = ? AND session_id IS NOT NULL ORDER BY seq DESC LIMIT 1", [
      threadKey
    ]);
    return row ? String(row.session_id) : void 0;
  }
  async countByStatus() {
    const counts = Object.fromEntries(RUN_STATUSES.map((s) => [s, 0]));
    for (const row of await this.db.all("SELECT status, count(*) AS n FROM gc_runs GROUP BY status")) {
      counts[String(row.status)] = Number(row.n);
    }
    return counts;
  }
  async countByRepo() {
    const rows = await this.db.all(
      `SELECT repo_key, max(repo) AS repo, status, count(*) AS n FROM gc_runs
       WHERE status IN ('queued', 'running') AND repo_key <> '' GROUP BY repo_key, status`
    );
    const unnamed = await this.db.all(
      `SELECT thread_key, status, count(*) AS n FROM gc_runs WHERE status IN ('queued', 'running') AND repo_key = '' GROUP BY thread_key, status`
    );
    const counts = /* @__PURE__ */ new Map();
    const add = (repo, status, n) => {
      const key2 = repoKey(repo);
      const c3 = counts.get(key2) ?? { repo, queued: 0, running: 0 };
      c3[status === "running" ? "running" : "queued"] += Number(n);
      counts.set(key2, c3);
    };
    for (const row of rows) add(String(row.repo ?? row.repo_key), row.status, row.n);
    for (const row of unnamed) add(repoOfThreadKey(String(row.thread_key)) ?? UNKNOWN_REPO, row.status, row.n);
    return [...counts.values()].sort((a, b3) => a.repo.localeCompare(b3.repo));
  }
  async pendingDeliveries() {
    const [row] = await this.db.all("SELECT count(*) AS n FROM gc_deliveries WHERE state = 'pending'");
    return Number(row?.n ?? 0);
  }
  async appendLog(runId, text2, now) {
    await this.db.run("INSERT INTO gc_logs (run_id, at, text) VALUES (?, ?, ?)", [runId, now, text2]);
  }
  async readLog(runId, afterSeq = 0) {
    const rows = await this.db.all("SELECT seq, at, text FROM gc_logs WHERE run_id = ? AND seq > ? ORDER BY seq", [runId, afterSeq]);
    return rows.map((r2) => ({ seq: Number(r2.seq), at: Number(r2.at), text: String(r2.text) }));
  }
  async spent(key2) {
    const [row] = await this.db.all("SELECT tokens, usd_nano FROM gc_spend WHERE key = ?", [key2]);
    return row ? { tokens: Number(row.tokens), usd: Number(row.usd_nano) / NANO } : { tokens: 0, usd: 0 };
  }
  async addSpend(key2, spend, now) {
    await this.db.run(
      `INSERT INTO gc_spend (key, tokens, usd_nano, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET tokens = gc_spend.tokens + excluded.tokens,
         usd_nano = gc_spend.usd_nano + excluded.usd_nano, updated_at = excluded.updated_at`,
      [key2, Math.round(spend.tokens), Math.round(spend.usd * NANO), now]
    );
  }
  async once(key2, owner, now) {
    return await this.db.run("INSERT INTO gc_once (key, owner, at) VALUES (?, ?, ?) ON CONFLICT (key) DO NOTHING", [key2, owner, now]) === 1;
  }
  async prune(before, now = before) {
    const over = FINAL_STATUSES.filter((s) => s !== "awaiting_approval");
    const finishedBefore = (run) => `${run}.status IN (${over.map(() => "?").join(", ")}) AND ${run}.finished_at < ?`;
    const old = [...over, before];
    return {
      logs: await this.deleteInChunks(
        `DELETE FROM gc_logs WHERE seq IN (SELECT l.seq FROM gc_logs l JOIN gc_runs r ON r.id = l.run_id WHERE ${finishedBefore("r")} LIMIT ${PRUNE_CHUNK})`,
        old
      ),
      // The thread's latest run stays (its session id resumes the conversation).
      runs: await this.deleteInChunks(
        `DELETE FROM gc_runs WHERE seq IN (SELECT seq FROM gc_runs old WHERE ${finishedBefore("old")}
           AND EXISTS (SELECT 1 FROM gc_runs newer WHERE newer.thread_key = old.thread_key AND newer.seq > old.seq) LIMIT ${PRUNE_CHUNK})`,
        old
      ),
      deliveries: await this.deleteInChunks(
        `DELETE FROM gc_deliveries WHERE id IN (SELECT id FROM gc_deliveries d WHERE state <> 'pending' AND received_at < ?
           AND NOT EXISTS (SELECT 1 FROM gc_runs r WHERE r.delivery_id = d.id) LIMIT ${PRUNE_CHUNK})`,
        [before]
      ),
      onceKeys: await this.deleteInChunks(`DELETE FROM gc_once WHERE key IN (SELECT key FROM gc_once WHERE at < ? LIMIT ${PRUNE_CHUNK})`, [before]),
      spendRows: await this.pruneSpend(before, now),
      repoTurns: await this.pruneRepoTurns(before),
      approvalDecisions: await this.pruneApprovalDecisions(before),
      answers: await this.pruneAnswers(before, now)
    };
  }
  /**
   * Decisions on approval pull requests (gc_approval_decisions) made before
   * the window whose request no stored run lists any more: the dashboard reads
   * a decision only for a stored run's request (its outcome names the pull
   * request as `"pr":{"number":N,` , server/run-outcome.ts), so one still
   * listed (a thread's latest run, a run awaiting approval) keeps its decision.
   */
  async pruneApprovalDecisions(before) {
    return this.deleteInChunks(
      `DELETE FROM gc_approval_decisions WHERE (repo_key, pull) IN (SELECT d.repo_key, d.pull FROM gc_approval_decisions d WHERE d.decided_at < ?
         AND NOT EXISTS (SELECT 1 FROM gc_runs r WHERE r.repo_key = d.repo_key AND r.outcome LIKE ('%"pr":{"number":' || CAST(d.pull AS TEXT) || ',%'))
         LIMIT ${PRUNE_CHUNK})`,
      [before]
    );
  }
  /**
   * Answers GitHub never took (gc_answers) first put off before the window and
   * over ANSWERS_KEPT_MS ago, not leased now: the outbox gives an answer up a
   * day after it was put off (server/answer-outbox.ts); one still here was
   * left by instances that stopped before they got to it.
   */
  async pruneAnswers(before, now) {
    return this.deleteInChunks(
      `DELETE FROM gc_answers WHERE id IN (SELECT id FROM gc_answers WHERE since < ? AND (lease_expires_at IS NULL OR lease_expires_at < ?) LIMIT ${PRUNE_CHUNK})`,
      [Math.min(before, now - ANSWERS_KEPT_MS), now]
    );
  }
  /**
   * A repository's claim turn once it has no run queued or running and none
   * created or finished within the window: served longer ago than that, it
   * would come first anyway, as a repository never served does.
   */
  async pruneRepoTurns(before) {
    return this.deleteInChunks(
      `DELETE FROM gc_repo_turns WHERE repo_key IN (SELECT t.repo_key FROM gc_repo_turns t WHERE NOT EXISTS
         (SELECT 1 FROM gc_runs r WHERE r.repo_key = t.repo_key AND (r.finished_at IS NULL OR r.finished_at >= ? OR r.created_at >= ?))
         LIMIT ${PRUNE_CHUNK})`,
      [before, before]
    );
  }
  /**
   * Budget rows no cap reads any more: an agent's day (`agent_day:<agent>:<date>`)
   * once that UTC day ended before the retention window and at least 2 days
   * ago (a run started late in a day charges it after midnight); a thread's
   * (`thread:<thread key>`) once the thread has no run queued, running,
   * awaiting approval or finished within the window.
   */
  async pruneSpend(before, now) {
    const cutoff = Math.min(before, now - 2 * 864e5);
    const days = await this.deleteInChunks(
      `DELETE FROM gc_spend WHERE key IN (SELECT key FROM gc_spend WHERE substr(key, 1, 10) = 'agent_day:'
         AND substr(key, length(key) - 9) < ? AND updated_at < ? LIMIT ${PRUNE_CHUNK})`,
      [new Date(cutoff).toISOString().slice(0, 10), cutoff]
    );
    const threads = await this.deleteInChunks(
      `DELETE FROM gc_spend WHERE key IN (SELECT s.key FROM gc_spend s WHERE substr(s.key, 1, 7) = 'thread:' AND s.updated_at < ?
         AND NOT EXISTS (SELECT 1 FROM gc_runs r WHERE r.thread_key = substr(s.key, 8)
           AND (r.finished_at IS NULL OR r.finished_at >= ? OR r.created_at >= ? OR r.status = 'awaiting_approval')) LIMIT ${PRUNE_CHUNK})`,
      [before, before, before]
    );
    return days + threads;
  }
  /** Short transactions, so that webhook intake never waits behind a large delete. */
  async deleteInChunks(sql, params) {
    let total = 0;
    for (; ; ) {
      const n = await this.db.run(sql, params);
      total += n;
      if (n < PRUNE_CHUNK) return total;
    }
  }
};
var PRUNE_CHUNK = 1e3;
var ANSWERS_KEPT_MS = 2 * 864e5;
function sameRepo(repo) {
  const key2 = repoKey(repo);
  const like = key2.replace(/[\\%_]/g, (c3) => `\\${c3}`);
  return {
    sql: `(repo_key = ? OR (repo_key = '' AND (lower(thread_key) LIKE ? ESCAPE '\\' OR lower(thread_key) LIKE ? ESCAPE '\\')))`,
    params: [key2, `${like}#%`, `${like}@%`]
  };
}
var NANO = 1e9;

// src/store/index.ts
function defaultStorePath(env = process.env) {
  return join(gitcrewHome(env), "gitcrew.db");
}
function isPostgresUrl(spec) {
  return /^postgres(ql)?:\/\//.test(spec);
}
function describeStore(spec) {
  return isPostgresUrl(spec) ? spec.replace(/\/\/([^:@/]+):[^@/]*@/, "//$1:***@") : spec;
}
async function openStore(spec, options = {}) {
  const target = spec || defaultStorePath(options.env);
  const store = isPostgresUrl(target) ? new SqlStore(openPostgres(target)) : new SqlStore(openSqlite(resolve(options.cwd ?? ".", target)));
  try {
    await store.migrate();
  } catch (err) {
    await store.close().catch(() => void 0);
    throw new EnvironmentError(
      `cannot open the store ${describeStore(target)}: ${errorMessage(err)}`,
      isPostgresUrl(target) ? "Check that PostgreSQL is running and the URL, user and password are right." : "Check that the file's folder is writable."
    );
  }
  return store;
}

// src/server/dashboard/approvals-view.ts
var RUNS_READ = 200;
function approverNames(a) {
  const names2 = [...a.users.map((u2) => `@${u2}`), ...a.teams.map((t2) => `@${t2}`), ...a.codeowners ? ["CODEOWNERS of the touched paths"] : []];
  return names2.length ? names2 : ["maintainers (maintain or admin)"];
}
var key = (repo, pr2) => `${repoKey(repo)}#${pr2}`;
function decisionsOf(followUps) {
  const out = /* @__PURE__ */ new Map();
  for (const run of followUps) {
    const plan2 = run.plan;
    const pull = plan2?.followUp?.pull;
    if (typeof pull !== "number") continue;
    const by = typeof plan2?.note === "string" ? /\bby @([A-Za-z0-9][A-Za-z0-9-]*(?:\[bot\])?)/.exec(plan2.note)?.[1] : void 0;
    if (!out.has(key(run.repo, pull))) out.set(key(run.repo, pull), { decision: "approved", runId: run.id, ...by ? { decidedBy: by } : {} });
  }
  return out;
}
var ASK_GITHUB = Symbol("pull state not in the store");
function approvalsOfRun(run, approvers, decisions, recorded = /* @__PURE__ */ new Map()) {
  return (run.outcome?.approvals ?? []).map((a, i) => {
    const k2 = key(run.repo, a.pr.number);
    const d2 = decisions.get(k2);
    const r2 = recorded.get(k2);
    const approved = d2 || r2?.decision === "approved";
    const by = d2?.decidedBy ?? r2?.by;
    const state = approved ? "approved" : r2?.decision === "rejected" ? "closed" : r2?.decision === "not-counted" ? "merged" : run.status === "awaiting_approval" ? "open" : "unknown";
    const view = {
      id: `${run.id}/${i + 1}`,
      repo: run.repo,
      agent: run.agent,
      runId: run.id,
      kind: a.kind,
      reason: a.reason,
      pr: { number: a.pr.number, url: a.pr.url, state },
      approvers,
      ...approved ? { decision: "approved" } : r2?.decision === "rejected" ? { decision: "rejected" } : {},
      ...(approved || r2?.decision === "rejected") && by ? { decidedBy: by } : {},
      ...d2 ? { followUpRunId: d2.runId } : {},
      createdAt: run.finishedAt ?? run.createdAt
    };
    if (!r2 && !d2 && !run.outcome?.decisionsRecorded) view[ASK_GITHUB] = true;
    return view;
  });
}
async function recordedDecisions(store, runs2) {
  const pulls = /* @__PURE__ */ new Map();
  for (const run of runs2) {
    for (const a of run.outcome?.approvals ?? []) {
      const p2 = pulls.get(repoKey(run.repo)) ?? { repo: run.repo, numbers: [] };
      p2.numbers.push(a.pr.number);
      pulls.set(repoKey(run.repo), p2);
    }
  }
  const out = /* @__PURE__ */ new Map();
  for (const { repo, numbers } of pulls.values()) for (const d2 of await store.approvalDecisions.of(repo, numbers)) out.set(key(repo, d2.pull), d2);
  return out;
}
function approversFor(repo, crews) {
  return crews.find((c3) => c3.repo.toLowerCase() === repo.toLowerCase())?.approvers ?? [];
}
async function storedApprovals(store, state, crews) {
  const [asked, followUps] = await Promise.all([store.runsPage({ has: "approvals", limit: RUNS_READ }), store.runsPage({ has: "followUp", limit: RUNS_READ })]);
  const decisions = decisionsOf(followUps.runs);
  const recorded = await recordedDecisions(store, asked.runs);
  const all = asked.runs.flatMap((run) => approvalsOfRun(run, approversFor(run.repo, crews), decisions, recorded));
  return state === "all" ? all : all.filter((a) => !a.decision && a.pr.state === "open");
}
async function runApprovals(store, run, crews) {
  if (!run.outcome?.approvals?.length) return [];
  const followUps = await store.runsPage({ has: "followUp", repo: run.repo, limit: RUNS_READ });
  return approvalsOfRun(run, approversFor(run.repo, crews), decisionsOf(followUps.runs), await recordedDecisions(store, [run]));
}
async function withPullDecisions(views, pullState) {
  if (!pullState) return views;
  const asked = views.filter((v2) => v2[ASK_GITHUB] && !v2.decision && v2.pr.state === "open" && v2.pr.number > 0).slice(0, PULLS_ASKED);
  const states = await Promise.all(asked.map((v2) => pullState(v2.repo, v2.pr.number).catch(() => void 0)));
  const found = new Map(asked.map((v2, i) => [v2, states[i]]));
  return views.map((v2) => {
    const state = found.get(v2);
    if (state === "closed") return { ...v2, pr: { ...v2.pr, state: "closed" }, decision: "rejected" };
    if (state === "merged") return { ...v2, pr: { ...v2.pr, state: "merged" } };
    return v2;
  });
}
var PULLS_ASKED = 50;
function rememberingFinal(pullState) {
  const final = /* @__PURE__ */ new Map();
  return async (repo, n) => {
    const k2 = key(repo, n);
    const known = final.get(k2);
    if (known) return known;
    const state = await pullState(repo, n);
    if (state !== "open") {
      if (final.size >= 1e4) final.clear();
      final.set(k2, state);
    }
    return state;
  };
}
var isOpen = (a) => !a.decision && a.pr.state === "open";

// src/server/http.ts
import { createServer } from "node:http";

// src/server/api.ts
import { timingSafeEqual, createHash as createHash2 } from "node:crypto";

// src/pipeline/types.ts
var HISTORY_COMMENTS = 50;
function repoId(t2) {
  return { owner: t2.repo.owner, repo: t2.repo.name };
}

// src/pipeline/own-comments.ts
var lower = (s) => s.toLowerCase();
function configured(env) {
  return (env.GITCREW_SELF_LOGIN ?? "").split(",").map((l3) => lower(l3.trim())).filter(Boolean);
}
async function gitcrewLogins(s) {
  const named2 = configured(s.env);
  if (named2.length) return named2;
  const learned = await s.github.selfLogin?.();
  return learned ? [lower(learned)] : DEFAULT_SELF_LOGINS.map(lower);
}
async function writtenByGitcrew(s) {
  const self = await gitcrewLogins(s);
  return (c3) => self.includes(lower(c3.author));
}

// src/pipeline/plan-trigger.ts
async function enrichTrigger(s, t2) {
  const thread = t2.thread;
  if (thread?.kind !== "pull_request") return t2;
  const [pr2, listed] = await Promise.all([
    thread.pr ? void 0 : s.github.getPullRequest(repoId(t2), thread.number),
    t2.changedFiles ? void 0 : s.github.listPullFiles(repoId(t2), thread.number)
  ]);
  const trigger = thread.pr ? t2 : withPullRequest(t2, pr2);
  return listed ? { ...trigger, changedFiles: listed.files.map((f3) => f3.filename) } : trigger;
}
async function planContext(s, t2, extra = {}) {
  const [permission, authorPermission, selfLogins, thread] = await Promise.all([
    // Schedules and pushes have no human actor to look up.
    t2.event === "schedule" ? "none" : s.github.permissionOf(repoId(t2), t2.actor.login),
    // Someone else's comment, edited: its author's permission counts too (policy/authorize.ts).
    t2.author ? s.github.permissionOf(repoId(t2), t2.author.login) : void 0,
    // gitcrew's own logins: only their comments' markers count (own-comments.ts), also for the loop guard.
    gitcrewLogins(s),
    t2.thread ? s.github.listComments(repoId(t2), t2.thread.number, { max: HISTORY_COMMENTS }) : void 0
  ]);
  let history = [];
  let sessions = {};
  if (thread) {
    const { comments } = thread;
    const earlier = comments.filter((c3) => c3.id !== t2.comment?.id);
    history = earlier.map((c3) => ({ author: c3.author, body: c3.body, createdAt: c3.createdAt }));
    sessions = readSessions(earlier.filter((c3) => selfLogins.includes(c3.author.toLowerCase()) && parseOrigin(c3.body)).map((c3) => c3.body));
  }
  const author = authorPermission ? { author: { permission: authorPermission } } : {};
  return { permission, ...author, history, sessions, changedFiles: t2.changedFiles, selfLogins, ...extra };
}
function jobsOf(p2, crew2, note) {
  return p2.runs.flatMap((planned) => {
    const agent = crew2.agents.find((a) => a.name === planned.agent);
    return agent ? [{ trigger: p2.trigger, planned, agent, ...note ? { note } : {} }] : [];
  });
}
async function planTrigger(s, t2, crew2, extra = {}) {
  const [trigger, context] = await Promise.all([enrichTrigger(s, t2), planContext(s, t2, extra)]);
  return plan(trigger, crew2, { ...context, changedFiles: trigger.changedFiles, ...extra });
}

// src/approvals/claim.ts
var MARKER_SCAN = 300;
async function botComments(s, repo, issue) {
  const { comments } = await s.github.listComments(repo, issue, { max: MARKER_SCAN });
  const own = await writtenByGitcrew(s);
  return comments.filter(own);
}
async function claimOnce(s, repo, issue, key2, body) {
  const done = (await botComments(s, repo, issue)).find((c3) => hasDoneMarker(c3.body, key2));
  if (done) return { earlier: done };
  const mine = await s.github.createComment(repo, issue, `${body}

${doneMarker(key2)}`);
  if (s.once && !await s.once(key2)) {
    await s.github.deleteComment(repo, mine.id).catch(() => void 0);
    return { lost: true };
  }
  const winners = (await botComments(s, repo, issue)).filter((c3) => hasDoneMarker(c3.body, key2)).sort((a, b3) => a.id - b3.id);
  const first = winners[0];
  if (first && first.id !== mine.id) {
    await s.github.deleteComment(repo, mine.id).catch(() => void 0);
    return { lost: true };
  }
  return { won: mine };
}
async function claim(s, repo, issue, key2, body) {
  const outcome = await claimOnce(s, repo, issue, key2, body);
  return "won" in outcome ? outcome.won : void 0;
}
async function claimReply(s, repo, issue, key2, body) {
  const posted = await claim(s, repo, issue, key2, body);
  return posted ? [{ issue, url: posted.url }] : [];
}

// src/approvals/follow-up-runs.ts
import { createHash } from "node:crypto";
var ACTION_GRACE_SECONDS = 600;
function followUpRunId(claimKey) {
  return `approved-${createHash("sha256").update(claimKey).digest("hex").slice(0, 20)}`;
}
function claimsFollowUp(comment, runId) {
  return parseFollowUpMarkers(comment.body).some((m2) => m2.run === runId);
}
function startedIn(comments, runId) {
  return comments.some((c3) => {
    const run = parseOrigin(c3.body)?.runId;
    return run === runId || !!run?.startsWith(`${runId}.attempt`);
  });
}
async function followUpStarted(s, repo, issue, runId) {
  return startedIn(await botComments(s, repo, issue), runId);
}
function followUpState(comments, key2) {
  const claim2 = comments.find((c3) => hasDoneMarker(c3.body, key2));
  if (!claim2) return "unclaimed";
  const runId = followUpRunId(key2);
  return claimsFollowUp(claim2, runId) && !startedIn(comments, runId) ? "owed" : "settled";
}
async function claimedVia(s, repo, issue, via) {
  return (await botComments(s, repo, issue)).some((c3) => parseFollowUpMarkers(c3.body).some((m2) => m2.via === via));
}
function mayRequeue(s, claimed, now = Date.now()) {
  if (s.once) return true;
  return !(now - Date.parse(claimed.createdAt) < graceSeconds(s) * 1e3);
}
function graceSeconds(s) {
  const set = Number(s.env.GITCREW_FOLLOW_UP_GRACE_SECONDS ?? Number.NaN);
  return Number.isFinite(set) && set >= 0 ? set : ACTION_GRACE_SECONDS;
}
async function claimFollowUp(s, f3) {
  const runId = followUpRunId(f3.key);
  const job2 = { ...f3.job, followUp: { key: f3.key, runId, ...f3.pull ? { pull: f3.pull } : {} } };
  const claimed = await claimOnce(s, f3.repo, f3.issue, f3.key, `${f3.body}
${followUpMarker({ run: runId, via: f3.via })}`);
  if ("lost" in claimed) return { busy: true };
  if ("won" in claimed) return { queue: job2, reply: { issue: f3.issue, url: claimed.won.url } };
  if (!claimsFollowUp(claimed.earlier, runId)) return { settled: true };
  if (await followUpStarted(s, f3.repo, f3.issue, runId)) return { settled: true };
  if (mayRequeue(s, claimed.earlier)) return { queue: job2 };
  s.log(`approvals: follow-up ${runId} was claimed at ${claimed.earlier.createdAt} and has not started; left to the workflow that claimed it for ${graceSeconds(s)} s (GITCREW_FOLLOW_UP_GRACE_SECONDS), run again after that`);
  return { busy: true };
}
async function followUpRecorded(s, job2) {
  const pull = job2.followUp?.pull;
  if (!pull) return;
  await s.github.addLabels?.(repoId(job2.trigger), pull, [RESOLVED_LABEL]).catch((err) => s.log(`could not label #${pull}: ${errorMessage(err)}`));
}

// src/approvals/follow-up.ts
async function readThread(s, repo, number) {
  const raw = await s.github.getIssue?.(repo, number);
  if (raw && typeof raw === "object") {
    const t2 = readIssueThread(new PayloadReader("issues", { issue: raw }), "issue", []);
    if (t2.kind === "pull_request") return { ...t2, pr: void 0 };
    return t2;
  }
  const pull = await s.github.getPullRequest(repo, number).catch(() => void 0);
  return { kind: pull ? "pull_request" : "issue", number, title: "", body: "", url: "", author: "ghost", labels: [], state: "open" };
}
function soloCrew(crew2, agent) {
  return { ...crew2, agents: [{ ...agent, triggers: { ...agent.triggers, mention: true, edits: false } }] };
}
function withoutOrigin(f3) {
  const { origin: _origin, ...rest } = f3;
  return rest;
}
async function followUp(s, f3) {
  const { crew: crew2, agent } = f3;
  const thread = await readThread(s, { owner: f3.repo.owner, repo: f3.repo.name }, f3.thread);
  const t2 = {
    event: "issue_comment",
    action: "created",
    kind: "issue_comment.created",
    repo: f3.repo,
    thread,
    actor: { login: f3.actor.login, type: f3.actor.type === "Bot" ? "Bot" : "User" },
    ...withoutOrigin(textFields(`@${agent.name} ${f3.text}`)),
    commands: [],
    untrusted: []
  };
  const permission = permissionAtLeast(agent.allow.permission, "write") ? agent.allow.permission : "write";
  const p2 = await planTrigger(s, t2, soloCrew(crew2, agent), { preface: f3.preface, permission, ...f3.sessions ? { sessions: f3.sessions } : {} });
  return jobsOf(p2, crew2, f3.note)[0] ?? p2.skipped.find((k2) => k2.agent === agent.name)?.reason ?? "it was not planned";
}

// src/approvals/approvers.ts
var lower2 = (s) => s.toLowerCase();
function isBotLogin(login, type) {
  return type === "Bot" || /\[bot\]$/i.test(login);
}
function countsAsApprover(c3, crew2, ctx = {}) {
  const login = lower2(c3.login);
  if (!login) return { ok: false, why: "nobody" };
  if (isBotLogin(c3.login, c3.type)) return { ok: false, why: `@${c3.login} is a bot` };
  if ((ctx.selfLogins ?? DEFAULT_SELF_LOGINS).map(lower2).includes(login) || ctx.opener && lower2(ctx.opener) === login) {
    return { ok: false, why: `@${c3.login} opened the request itself` };
  }
  if (ctx.agent && lower2(ctx.agent) === login) return { ok: false, why: `@${c3.login} is the agent that asked` };
  const requesters = (Array.isArray(ctx.requester) ? ctx.requester : [ctx.requester]).filter((r2) => !!r2).map(lower2);
  if (requesters.includes(login)) return { ok: false, why: `@${c3.login} asked for it (an approval needs a second person)` };
  if (crew2.agents.some((a2) => a2.name === login)) return { ok: false, why: `@${c3.login} is an agent of the crew` };
  const a = crew2.config.approvers;
  if (a.users.map(lower2).includes(login)) return { ok: true, why: `@${c3.login} is in crew.cue approvers.users` };
  const team = (c3.teams ?? []).find((t2) => a.teams.map(lower2).includes(lower2(t2)));
  if (team) return { ok: true, why: `@${c3.login} is in approvers team ${team}` };
  if (a.codeowners && ctx.codeowners !== void 0 && ctx.paths && ctx.paths.length > 0) {
    if (ownsAll(ctx.codeowners, ctx.paths, c3.login, c3.teams ?? [])) return { ok: true, why: `@${c3.login} owns the touched paths in CODEOWNERS` };
  }
  const listed = a.users.length > 0 || a.teams.length > 0 || a.codeowners;
  if (!listed && permissionAtLeast(c3.permission, "maintain")) return { ok: true, why: `@${c3.login} has ${c3.permission} permission` };
  return { ok: false, why: `@${c3.login} is not an approver` };
}
function codeownersPattern(pattern) {
  let p2 = pattern.replace(/\\([# ])/g, "$1");
  const dir = p2.endsWith("/");
  p2 = p2.replace(/\/+$/, "");
  const anchored = p2.startsWith("/") || p2.includes("/", 1);
  p2 = p2.replace(/^\//, "");
  let re2 = "";
  for (let i = 0; i < p2.length; i++) {
    const ch = p2[i];
    if (ch === "*" && p2[i + 1] === "*") {
      i++;
      if (p2[i + 1] === "/") {
        re2 += "(?:.*/)?";
        i++;
      } else re2 += ".*";
    } else if (ch === "*") re2 += "[^/]*";
    else if (ch === "?") re2 += "[^/]";
    else re2 += ch.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  const last = p2.slice(p2.lastIndexOf("/") + 1);
  const below = dir ? "/.*" : /\*/.test(last.replace(/\*\*/g, "")) ? "" : "(?:/.*)?";
  const start = anchored ? "^" : "^(?:.*/)?";
  return new RegExp(`${start}${re2}${below}$`);
}
function ownersOf(codeowners, path) {
  let owners = [];
  for (const line of codeowners.split("\n")) {
    const [pattern, ...names2] = line.replace(/#.*/, "").trim().split(/\s+/);
    if (!pattern) continue;
    if (codeownersPattern(pattern).test(path)) owners = names2;
  }
  return owners.map((o2) => lower2(o2.replace(/^@/, "")));
}
function ownsAll(codeowners, paths, login, teams) {
  const mine = /* @__PURE__ */ new Set([lower2(login), ...teams.map(lower2)]);
  return paths.every((p2) => ownersOf(codeowners, p2).some((o2) => mine.has(o2)));
}

// src/approvals/judge-approver.ts
async function teamsOf(s, crew2, login, codeowners) {
  if (!s.github.isTeamMember || !login) return [];
  const named2 = new Set(crew2.config.approvers.teams.map((t2) => t2.toLowerCase()));
  if (codeowners) for (const m2 of codeowners.matchAll(/@([A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+)/g)) named2.add(m2[1].toLowerCase());
  const out = [];
  for (const slug of named2) {
    const [org = "", team = ""] = slug.split("/");
    if (await s.github.isTeamMember(org, team, login).catch(() => false)) out.push(slug);
  }
  return out;
}
async function judgeApprover(s, crew2, repo, who, ctx = {}) {
  const permission = who.login ? await s.github.permissionOf(repo, who.login) : "none";
  const teams = await teamsOf(s, crew2, who.login, ctx.codeowners);
  return countsAsApprover({ login: who.login, type: who.type, permission, teams }, crew2, ctx);
}

// src/approvals/refusals.ts
async function replyToRefusals(s, plan2, crew2) {
  const t2 = plan2.trigger;
  if (!t2.thread || t2.actor.type === "Bot") return [];
  const refused = plan2.skipped.filter((k2) => k2.code === "unauthorized" || k2.code === "untrusted");
  if (refused.length === 0) return [];
  const key2 = refusalKey(t2);
  const sha = t2.thread.pr?.fork ? t2.thread.pr.headSha : "-";
  const fork = refused.some((k2) => k2.code === "untrusted");
  const names2 = refused.map((k2) => `@${k2.agent}`).join(", ");
  const reasons = refused.map((k2) => `- @${k2.agent}: ${k2.reason}`).join("\n");
  const how = fork ? `${whoCanApprove(crew2.config)} can approve it by commenting \`/approve\` or with an approving review. The approval is for head \`${sha.slice(0, 7)}\` only: new commits need a new approval.` : `${whoCanApprove(crew2.config)} can approve it by commenting \`/approve\`; it then runs once.`;
  const text2 = textHash(stripHidden(t2.text));
  const markers = refused.map((k2) => refusalMarker({ key: key2, agent: k2.agent, sha, actor: k2.requester ?? t2.actor.login, event: t2.kind, code: k2.code, text: text2 }));
  const body = [`@${t2.actor.login} thanks! ${names2} did not start:`, reasons, "", how, ...markers].join("\n");
  return claimReply(s, repoId(t2), t2.thread.number, `refused:${t2.repo.fullName}#${t2.thread.number}:${key2}`, body);
}
function refusalKey(t2) {
  if (t2.comment) return `${t2.comment.kind}-${t2.comment.id}`;
  const at2 = (t2.sha || t2.thread?.pr?.headSha || "").slice(0, 12) || t2.deliveryId || "-";
  return `${t2.kind}@${at2}`;
}
async function pendingRefusals(s, repo, fullName, issue, before) {
  const comments = await botComments(s, repo, issue);
  const markers = comments.filter((c3) => before === void 0 || c3.id < before).flatMap((c3) => parseRefusalMarkers(c3.body));
  return markers.filter((m2) => followUpState(comments, refusalDoneKey(fullName, issue, m2)) !== "settled");
}
function refusalDoneKey(fullName, issue, m2) {
  return `approve:${fullName}#${issue}:${m2.key}:${m2.agent}:${m2.sha}`;
}

// src/approvals/result.ts
var notHandled = () => ({ handled: false, jobs: [], replies: [] });
var handled = (jobs = [], replies = []) => ({ handled: true, jobs, replies });

// src/approvals/approve-refused.ts
async function handleApproveCommand(s, t2, crew2, args) {
  const thread = t2.thread;
  if (!thread) return notHandled();
  const rid = repoId(t2);
  const replyOnce = async (what, body) => {
    const key2 = `${what}:${t2.repo.fullName}#${thread.number}:${t2.comment?.id ?? t2.deliveryId ?? ""}`;
    return handled([], await claimReply(s, rid, thread.number, key2, body));
  };
  const pick = approveArgs(args);
  const pending = (await pendingRefusals(s, rid, t2.repo.fullName, thread.number, t2.comment?.id)).filter((m2) => pick.matches(m2));
  const people = [...new Set(pending.map((m2) => m2.actor.toLowerCase()))];
  const verdict = await judgeApprover(s, crew2, rid, t2.actor, { requester: people.length === 1 ? pending[0]?.actor : void 0 });
  if (!verdict.ok) return replyOnce("approve-refused", `@${t2.actor.login} \`/approve\` was not applied: ${verdict.why}. Only ${whoCanApprove(crew2.config)} can approve.`);
  const last = pending[pending.length - 1];
  if (!last) {
    if (await claimedVia(s, rid, thread.number, approvingEvent(t2))) return handled();
    const which = pick.any ? ` matching \`${args.trim()}\`` : "";
    return replyOnce("approve-nothing", `@${t2.actor.login} nothing in this thread${which} is waiting for an approval.`);
  }
  if (people.length > 1) return replyOnce("approve-ambiguous", ambiguousReply(t2, thread.url, pending, args));
  const group = pending.filter((m2) => m2.key === last.key && m2.sha === last.sha);
  return runRefused(s, crew2, t2, group, t2.actor.login, "");
}
function approveArgs(args) {
  const names2 = [];
  const keys = [];
  const shas = [];
  for (const raw of args.split(/\s+/).filter(Boolean)) {
    const link = /#(issuecomment|pullrequestreview|discussion_r)-?(\d+)\b/.exec(raw);
    if (link) keys.push(`${{ issuecomment: "issue", pullrequestreview: "review", discussion_r: "review_comment" }[link[1]]}-${link[2]}`);
    else if (/^\d+$/.test(raw)) keys.push(`issue-${raw}`, `review-${raw}`, `review_comment-${raw}`);
    else if (/^[0-9a-f]{7,40}$/i.test(raw)) shas.push(raw.toLowerCase());
    else names2.push(raw.replace(/^@/, "").toLowerCase());
  }
  return {
    any: names2.length + keys.length + shas.length > 0,
    matches: (m2) => (names2.length === 0 || names2.some((n) => n === m2.agent || n === m2.actor.toLowerCase())) && (keys.length === 0 || keys.includes(m2.key)) && (shas.length === 0 || shas.some((h3) => m2.sha.startsWith(h3)))
  };
}
function ambiguousReply(t2, threadUrl, pending, args) {
  const byKey = /* @__PURE__ */ new Map();
  for (const m2 of pending) byKey.set(m2.key, [...byKey.get(m2.key) ?? [], m2]);
  const lines = [...byKey.entries()].map(([key2, ms2]) => {
    const first = ms2[0];
    const link = refusedLink(threadUrl, key2);
    return `- @${first.actor}: ${link ? `[${link.label}](${link.url})` : `\`${key2}\``} for ${ms2.map((m2) => `@${m2.agent}`).join(", ")}`;
  });
  const example = pending[pending.length - 1];
  const which = args.trim() ? ` matching \`${args.trim()}\`` : "";
  return [
    `@${t2.actor.login} \`/approve\` was not applied: requests of more than one person are waiting${which}, so it is not clear which one you approve:`,
    ...lines,
    "",
    `Name one: \`/approve @${example.actor}\` (that person's latest request) or \`/approve <link to the comment>\`.`
  ].join("\n");
}
function refusedLink(threadUrl, key2) {
  const m2 = /^(issue|review|review_comment)-(\d+)$/.exec(key2);
  if (!m2 || !threadUrl) return void 0;
  const anchor = { issue: "issuecomment-", review: "pullrequestreview-", review_comment: "discussion_r" }[m2[1]];
  return { label: `comment ${m2[2]}`, url: `${threadUrl}#${anchor}${m2[2]}` };
}
function approvingEvent(t2) {
  return t2.comment ? `${t2.comment.kind}-${t2.comment.id}` : t2.deliveryId ?? "-";
}
var CONVERSATIONAL = /* @__PURE__ */ new Set(["issue_comment.created", "issues.opened", "pull_request.opened", "pull_request_review.submitted", "pull_request_review_comment.created"]);
async function runRefused(s, crew2, t2, group, approver, how) {
  const thread = t2.thread;
  if (!thread) return notHandled();
  const rid = repoId(t2);
  const replies = [];
  const jobs = [];
  const first = group[0];
  let text2 = "";
  const commentId = /^issue-(\d+)$/.exec(first.key)?.[1];
  if (commentId) {
    const { comments } = await s.github.listComments(rid, thread.number, { max: MARKER_SCAN });
    text2 = comments.find((c3) => String(c3.id) === commentId)?.body ?? "";
  } else if (first.event === "issues.opened" || first.event === "pull_request.opened") text2 = thread.body;
  if (first.text && (commentId || text2) && textHash(stripHidden(text2)) !== first.text) {
    const body = `@${approver} the request was edited (or deleted) after it was refused, so this approval does not run it. @${first.actor}, please ask again in a new comment.`;
    return handled([], await claimReply(s, rid, thread.number, `edited:${refusalDoneKey(t2.repo.fullName, thread.number, first)}`, body));
  }
  const kind = CONVERSATIONAL.has(first.event) ? first.event : "issue_comment.created";
  const [event = "issue_comment", action = "created"] = kind.split(".");
  for (const m2 of group) {
    const agent = crew2.agents.find((a) => a.name === m2.agent);
    if (!agent) continue;
    const fields = withoutOrigin(textFields(text2.includes(`@${agent.name}`) ? text2 : `@${agent.name} ${text2}`));
    const trig = {
      event,
      action,
      kind,
      repo: t2.repo,
      thread,
      actor: { login: m2.actor, type: "User" },
      ...fields,
      mentions: fields.mentions.includes(agent.name) ? fields.mentions : [...fields.mentions, agent.name],
      commands: [],
      untrusted: [...t2.untrusted],
      ...t2.changedFiles ? { changedFiles: t2.changedFiles } : {}
    };
    const pinned = m2.sha !== "-" ? [m2.sha] : [];
    const p2 = await planTrigger(s, trig, soloCrew(crew2, agent), { approvedShas: pinned, permission: agent.allow.permission });
    const run = p2.runs[0];
    const head = p2.trigger.thread?.pr?.headSha ?? "";
    if (!run) {
      const skip = p2.skipped[0];
      if (skip?.code === "untrusted" && head) {
        const body2 = `@${approver} your approval was for head \`${m2.sha.slice(0, 7)}\`, but the pull request has moved to \`${head.slice(0, 7)}\` since. New code needs a new approval: review it and comment \`/approve\` again to run @${agent.name} on \`${head.slice(0, 7)}\`.

` + refusalMarker({ ...m2, sha: head });
        replies.push(...await claimReply(s, rid, thread.number, `moved:${refusalDoneKey(t2.repo.fullName, thread.number, m2)}:${head}`, body2));
      }
      continue;
    }
    const key2 = refusalDoneKey(t2.repo.fullName, thread.number, m2);
    const at2 = m2.sha !== "-" ? ` at head \`${m2.sha.slice(0, 7)}\`` : "";
    const [job2] = jobsOf(p2, crew2, `approved by @${approver}${at2.replace(/`/g, "")}`).map((j3) => ({ ...j3, planned: { ...j3.planned, untrusted: [] } }));
    if (!job2) continue;
    const body = `\u25B6\uFE0F @${approver} approved${how} running @${agent.name} once for @${m2.actor}'s request${at2}.`;
    const claimed = await claimFollowUp(s, { repo: rid, issue: thread.number, key: key2, body, job: job2, via: approvingEvent(t2) });
    if (!("queue" in claimed)) continue;
    jobs.push(claimed.queue);
    if (claimed.reply) replies.push(claimed.reply);
  }
  return handled(jobs, replies);
}

// src/approvals/pull-view.ts
function str2(o2, ...path) {
  let cur = o2;
  for (const k2 of path) cur = cur && typeof cur === "object" ? cur[k2] : void 0;
  return typeof cur === "string" ? cur : void 0;
}
function pullView(raw) {
  const o2 = raw;
  const fullName = str2(o2, "base", "repo", "full_name") ?? "";
  const [owner = "", name = ""] = fullName.split("/");
  const labels = Array.isArray(o2.labels) ? o2.labels.map((l3) => str2(l3, "name") ?? "").filter(Boolean) : [];
  const mergedByLogin = str2(o2, "merged_by", "login");
  return {
    number: Number(o2.number),
    url: str2(o2, "html_url") ?? "",
    state: str2(o2, "state") ?? "open",
    body: str2(o2, "body") ?? "",
    author: str2(o2, "user", "login") ?? "ghost",
    headRef: str2(o2, "head", "ref") ?? "",
    headSha: str2(o2, "head", "sha") ?? "",
    headRepo: str2(o2, "head", "repo", "full_name") ?? "",
    baseRef: str2(o2, "base", "ref") ?? "",
    labels,
    merged: o2.merged === true || typeof o2.merged_at === "string" && o2.merged_at !== "",
    ...str2(o2, "merge_commit_sha") ? { mergeSha: str2(o2, "merge_commit_sha") } : {},
    ...mergedByLogin ? { mergedBy: { login: mergedByLogin, type: str2(o2, "merged_by", "type") } } : {},
    repo: {
      owner: str2(o2, "base", "repo", "owner", "login") ?? owner,
      name: str2(o2, "base", "repo", "name") ?? name,
      fullName,
      defaultBranch: str2(o2, "base", "repo", "default_branch") ?? "main",
      private: o2.base?.repo?.private === true
    }
  };
}
function isApprovalPull(p2) {
  return idFromBranch(p2.headRef) !== void 0 && p2.labels.includes(APPROVAL_LABEL);
}
function notOwnApprovalPull(p2, selfLogins) {
  if (idFromBranch(p2.headRef) === void 0) return "not an approval branch";
  if (!p2.headRepo || p2.headRepo.toLowerCase() !== p2.repo.fullName.toLowerCase()) return `its head is in another repository (${p2.headRepo || "deleted"})`;
  if (!p2.labels.includes(APPROVAL_LABEL)) return `it lacks the ${APPROVAL_LABEL} label`;
  if (!selfLogins.includes(p2.author.toLowerCase())) return `@${p2.author} opened it, not gitcrew`;
  return void 0;
}
function repoOfPull(p2) {
  return { owner: p2.repo.owner, repo: p2.repo.name };
}

// node_modules/@simple-git/args-pathspec/dist/index.mjs
var t = /* @__PURE__ */ new WeakMap();
function c(...n) {
  const e = new String(n);
  return t.set(e, n), e;
}
function r(n) {
  return n instanceof String && t.has(n);
}
function o(n) {
  return t.get(n) ?? [];
}

// node_modules/simple-git/dist/index.mjs
var import_file_exists = __toESM(require_dist3(), 1);
var import_debug = __toESM(require_src(), 1);
var import_promise_deferred = __toESM(require_dist4(), 1);
import { spawn as ve } from "node:child_process";
import { normalize as Se } from "node:path";

// node_modules/@simple-git/argv-parser/dist/index.mjs
function* x(e, n) {
  const t2 = n === "global";
  for (const o2 of e)
    o2.isGlobal === t2 && (yield o2);
}
var P = /* @__PURE__ */ new Set([
  "--add",
  "--edit",
  "--remove-section",
  "--rename-section",
  "--replace-all",
  "--unset",
  "--unset-all",
  "-e"
]);
var S = /* @__PURE__ */ new Set([
  "--get",
  "--get-all",
  "--get-color",
  "--get-colorbool",
  "--get-regexp",
  "--get-urlmatch",
  "--list",
  "-l"
]);
var E = /* @__PURE__ */ new Set([
  "edit",
  "remove-section",
  "rename-section",
  "set",
  "unset"
]);
var F = /* @__PURE__ */ new Set(["get", "get-color", "get-colorbool", "list"]);
function A(e, n) {
  for (const { name: o2 } of x(e, "task")) {
    if (P.has(o2))
      return w(true, n);
    if (S.has(o2))
      return w(false, n);
  }
  const t2 = n.at(0)?.toLowerCase();
  return t2 === void 0 ? null : E.has(t2) ? w(true, n.slice(1)) : F.has(t2) ? w(false, n.slice(1)) : n.length === 1 ? w(false, n) : w(true, n);
}
function w(e = false, n = []) {
  const t2 = n.at(0)?.toLowerCase();
  return t2 === void 0 ? null : {
    isWrite: e,
    isRead: !e,
    key: t2,
    value: n.at(1)
  };
}
function O(e, n) {
  return n.isWrite && n.value !== void 0 ? { key: n.key, value: n.value, scope: e } : { key: n.key, scope: e };
}
function G(e) {
  const n = e?.indexOf("=") || -1;
  return !e || n < 0 ? null : {
    key: e.slice(0, n).trim().toLowerCase(),
    value: e.slice(n + 1)
  };
}
function M(e) {
  for (const { name: n } of x(e, "task"))
    switch (n) {
      case "--global":
        return "global";
      case "--system":
        return "system";
      case "--worktree":
        return "worktree";
      case "--local":
        return "local";
      case "--file":
      case "-f":
        return "file";
    }
  return "local";
}
function N({ name: e }) {
  if (e === "-c" || e === "--config")
    return "inline";
  if (e === "--config-env")
    return "env";
}
function* $(e) {
  for (const n of e) {
    const t2 = N(n), o2 = t2 && G(n.value);
    o2 && (yield {
      ...o2,
      scope: t2
    });
  }
}
function D(e, n, t2) {
  const o2 = {
    read: [],
    write: [...$(n)]
  };
  return e === "config" && L(
    o2,
    M(n),
    A(n, t2)
  ), o2;
}
function L(e, n, t2) {
  if (t2 === null)
    return;
  const o2 = O(n, t2);
  t2.isWrite ? e.write.push(o2) : e.read.push(o2);
}
var C = {
  short: /* @__PURE__ */ new Map([
    ["c", true]
    //  -c <k=v>    set config key for this invocation
  ])
};
var I = {
  short: new Map([
    ["C", true],
    //  -C <path>   change working directory
    ["P", false],
    // -P          no pager (alias for --no-pager)
    ["h", false],
    // -h          help
    ["p", false],
    // -p          paginate
    ["v", false],
    // -v          version
    ...C.short.entries()
  ]),
  long: /* @__PURE__ */ new Set([
    "attr-source",
    "config-env",
    "exec-path",
    "git-dir",
    "list-cmds",
    "namespace",
    "super-prefix",
    "work-tree"
  ])
};
var R = {
  clone: {
    short: /* @__PURE__ */ new Map([
      ["b", true],
      // -b <branch>
      ["j", true],
      // -j <n>          parallel jobs
      ["l", false],
      // -l local
      ["n", false],
      // -n no-checkout
      ["o", true],
      // -o <name>       remote name
      ["q", false],
      // -q quiet
      ["s", false],
      // -s shared
      ["u", true]
      // -u <upload-pack>
    ]),
    long: /* @__PURE__ */ new Set(["branch", "config", "jobs", "origin", "upload-pack", "u", "template"])
  },
  commit: {
    short: /* @__PURE__ */ new Map([
      ["C", true],
      // -C <commit>  reuse message
      ["F", true],
      // -F <file>    read message from file
      ["c", true],
      // -c <commit>  reedit message
      ["m", true],
      // -m <msg>
      ["t", true]
      // -t <template>
    ]),
    long: /* @__PURE__ */ new Set(["file", "message", "reedit-message", "reuse-message", "template"])
  },
  config: {
    short: /* @__PURE__ */ new Map([
      ["e", false],
      // -e  open editor
      ["f", true],
      //  -f <file>
      ["l", false]
      // -l  list
    ]),
    long: /* @__PURE__ */ new Set(["blob", "comment", "default", "file", "type", "value"])
  },
  fetch: {
    short: /* @__PURE__ */ new Map(),
    long: /* @__PURE__ */ new Set(["upload-pack"])
  },
  init: {
    short: /* @__PURE__ */ new Map(),
    long: /* @__PURE__ */ new Set(["template"])
  },
  pull: {
    short: /* @__PURE__ */ new Map(),
    long: /* @__PURE__ */ new Set(["upload-pack"])
  },
  push: {
    short: /* @__PURE__ */ new Map(),
    long: /* @__PURE__ */ new Set(["exec", "receive-pack"])
  },
  rebase: {
    short: /* @__PURE__ */ new Map([
      ["X", true],
      // -X <option>   strategy option
      ["f", false],
      // -f force-rebase
      ["i", false],
      // -i interactive
      ["k", false],
      // -k keep-base
      ["m", false],
      // -m merge
      ["n", false],
      // -n no-stat
      ["q", false],
      // -q quiet
      ["r", false],
      // -r rebase-merges
      ["s", true],
      // -s <strategy>
      ["v", false],
      // -v verbose
      ["x", true]
      // -x <cmd>      exec
    ]),
    long: /* @__PURE__ */ new Set(["exec", "onto", "strategy", "strategy-option"])
  }
};
var T = { short: /* @__PURE__ */ new Map(), long: /* @__PURE__ */ new Set() };
function B(e) {
  const n = R[e ?? ""] ?? T;
  return {
    short: new Map([...C.short.entries(), ...n.short.entries()]),
    long: n.long
  };
}
function b(e, n = I) {
  if (e.startsWith("--")) {
    const t2 = e.indexOf("=");
    if (t2 > 2)
      return [{ name: e.slice(0, t2), value: e.slice(t2 + 1), needsNext: false }];
    const o2 = e.slice(2);
    return [{ name: e, needsNext: n.long.has(o2) }];
  }
  if (e.length === 2) {
    const t2 = e.charAt(1), o2 = n.short.get(t2);
    return [{ name: e, needsNext: o2 === true }];
  }
  return j(e, n.short);
}
function j(e, n) {
  const t2 = e.slice(1).split(""), o2 = [];
  for (let a = 0; a < t2.length; a++) {
    const s = t2[a], r2 = n.get(s);
    if (r2 === void 0)
      return [{ name: e, needsNext: false }];
    if (r2) {
      const i = t2.slice(a + 1).join("");
      if (i && ![...i].every((m2) => n.has(m2)))
        return o2.push({ name: `-${s}`, value: i, needsNext: false }), o2;
    }
    o2.push({ name: `-${s}`, needsNext: r2 });
  }
  return o2;
}
function W(e, n = []) {
  let t2 = 0;
  for (; t2 < e.length; ) {
    const o2 = String(e[t2]);
    if (!o2.startsWith("-") || o2.length < 2) break;
    const a = b(o2);
    let s = t2 + 1;
    for (const r2 of a) {
      const i = {
        name: r2.name,
        value: r2.value,
        absorbedNext: false,
        isGlobal: true
      };
      r2.needsNext && i.value === void 0 && s < e.length && (i.value = String(e[s]), i.absorbedNext = true, s++), n.push(i);
    }
    t2 = s;
  }
  return { flags: n, taskIndex: t2 };
}
function V(e, n, t2 = []) {
  const o2 = B(n), a = [], s = [];
  let r2 = 0;
  for (; r2 < e.length; ) {
    const i = e[r2];
    if (r(i)) {
      s.push(...o(i)), r2++;
      continue;
    }
    const p2 = String(i);
    if (p2 === "--") {
      for (let d2 = r2 + 1; d2 < e.length; d2++) {
        const g2 = e[d2];
        r(g2) ? s.push(...o(g2)) : s.push(String(g2));
      }
      break;
    }
    if (!p2.startsWith("-") || p2.length < 2) {
      a.push(p2), r2++;
      continue;
    }
    const m2 = b(p2, o2);
    let u2 = r2 + 1;
    for (const d2 of m2) {
      const g2 = {
        name: d2.name,
        value: d2.value,
        absorbedNext: false,
        isGlobal: false
      };
      d2.needsNext && g2.value === void 0 && u2 < e.length && !r(e[u2]) && (g2.value = String(e[u2]), g2.absorbedNext = true, u2++), t2.push(g2);
    }
    r2 = u2;
  }
  return { flags: t2, positionals: a, pathspecs: s };
}
function* q({
  write: e
}) {
  for (const n of e)
    for (const t2 of K) {
      const o2 = t2(n.key);
      o2 && (yield o2);
    }
}
function f(e, n, t2 = String(e)) {
  const o2 = typeof e == "string" ? new RegExp(`\\s*${e.toLowerCase()}`) : e;
  return function(s) {
    if (o2.test(s))
      return {
        category: n,
        message: `Configuring ${t2} is not permitted without enabling ${n}`
      };
  };
}
function l(e, n) {
  const t2 = new RegExp(`\\s*${e.toLowerCase().replace(/\./g, "(..+)?.")}`);
  return f(t2, n, e);
}
var K = [
  f("alias", "allowUnsafeAlias"),
  f("core.askPass", "allowUnsafeAskPass"),
  f("core.editor", "allowUnsafeEditor"),
  f("core.fsmonitor", "allowUnsafeFsMonitor"),
  f("core.gitProxy", "allowUnsafeGitProxy"),
  f("core.hooksPath", "allowUnsafeHooksPath"),
  f("core.pager", "allowUnsafePager"),
  f("core.sshCommand", "allowUnsafeSshCommand"),
  l("credential.helper", "allowUnsafeCredentialHelper"),
  l("diff.command", "allowUnsafeDiffExternal"),
  f("diff.external", "allowUnsafeDiffExternal"),
  l("difftool.cmd", "allowUnsafeDiffExternal"),
  l("diff.textconv", "allowUnsafeDiffTextConv"),
  l("filter.clean", "allowUnsafeFilter"),
  l("filter.process", "allowUnsafeFilter"),
  l("filter.smudge", "allowUnsafeFilter"),
  l("gpg.program", "allowUnsafeGpgProgram"),
  f("include.path", "allowUnsafeInclude"),
  l("includeIf", "allowUnsafeInclude"),
  f("init.templateDir", "allowUnsafeTemplateDir"),
  l("pager.", "allowUnsafePager"),
  l("merge.driver", "allowUnsafeMergeDriver"),
  l("mergetool.path", "allowUnsafeMergeDriver"),
  l("mergetool.cmd", "allowUnsafeMergeDriver"),
  l("protocol.allow", "allowUnsafeProtocolOverride"),
  l("remote.receivepack", "allowUnsafePack"),
  l("remote.uploadpack", "allowUnsafePack"),
  f("uploadpack.packObjectsHook", "allowUnsafePack"),
  f("sequence.editor", "allowUnsafeEditor"),
  l("submodule.update", "allowUnsafeSubmodule"),
  l("tar.command", "allowUnsafeCommandBinaries"),
  l("trailer.cmd", "allowUnsafeCommandBinaries"),
  l("trailer.command", "allowUnsafeCommandBinaries"),
  l("url.insteadOf", "allowUnsafeUrlRewrite")
];
function* H(e, n) {
  for (const t2 of n)
    for (const o2 of X) {
      const a = o2(e, t2);
      a && (yield a);
    }
}
function c2(e, n, t2, { name: o2 = String(n), globalOnly: a = false, withValue: s = false } = {}) {
  const r2 = typeof n == "string" ? new RegExp(`\\s*${n.toLowerCase()}`) : n, i = `Use of ${e ? `${e} with option ` : ""}${o2} is not permitted without enabling ${t2}`;
  return function(m2, u2) {
    if (!(e && m2 !== e) && !(a && !u2.isGlobal) && !(s && u2.value === void 0) && r2.test(u2.name))
      return {
        category: t2,
        message: i
      };
  };
}
var h = { globalOnly: true, withValue: true };
var X = [
  c2(null, /--(upload|receive)-pack/, "allowUnsafePack", {
    name: "--upload-pack or --receive-pack"
  }),
  c2("clone", /^-\w*u/, "allowUnsafePack"),
  c2("clone", "--u", "allowUnsafePack"),
  c2("push", /^--exec$/, "allowUnsafePack", { name: "--exec" }),
  // `git` accepts unambiguous abbreviations of long options, so `--ex` and `--exe` are `--exec`
  c2("rebase", /^(-x|--ex(ec?)?)$/, "allowUnsafeExec", { name: "-x or --exec" }),
  c2(null, "--template", "allowUnsafeTemplateDir"),
  c2(null, "--exec-path", "allowUnsafeExec", h),
  // `git` reads the configuration of whichever repository these name, so the
  // directory alone is enough to deliver config the argv guards never see
  c2(null, "--git-dir", "allowUnsafeConfigPaths", h),
  c2(null, "--work-tree", "allowUnsafeConfigPaths", h),
  c2(null, /^-C$/, "allowUnsafeConfigPaths", { ...h, name: "-C" })
];
function k(e, n, t2) {
  return [...H(e, n), ...q(t2)];
}
function Y(...e) {
  const { flags: n, taskIndex: t2 } = W(e), o2 = t2 < e.length ? String(e[t2]).toLowerCase() : null, a = o2 !== null ? e.slice(t2 + 1) : [], { positionals: s, pathspecs: r2 } = V(a, o2, n), i = D(o2, n, s);
  return {
    task: o2,
    flags: n.map(J),
    paths: r2,
    config: i,
    vulnerabilities: z(k(o2, n, i))
  };
}
function z(e) {
  return Object.defineProperty(e, "vulnerabilities", {
    value: e
  });
}
function J({ value: e, name: n }) {
  return e !== void 0 ? { name: n, value: e } : { name: n };
}
var y = {
  editor: "allowUnsafeEditor",
  git_askpass: "allowUnsafeAskPass",
  git_config_global: "allowUnsafeConfigPaths",
  git_config_system: "allowUnsafeConfigPaths",
  git_config_count: "allowUnsafeConfigEnvCount",
  git_config_parameters: "allowUnsafeConfigEnvCount",
  git_config: "allowUnsafeConfigPaths",
  git_editor: "allowUnsafeEditor",
  git_exec_path: "allowUnsafeExec",
  git_external_diff: "allowUnsafeDiffExternal",
  git_pager: "allowUnsafePager",
  git_proxy_command: "allowUnsafeGitProxy",
  git_template_dir: "allowUnsafeTemplateDir",
  git_sequence_editor: "allowUnsafeEditor",
  git_ssh: "allowUnsafeSshCommand",
  git_ssh_command: "allowUnsafeSshCommand",
  pager: "allowUnsafePager",
  prefix: "allowUnsafeConfigPaths",
  ssh_askpass: "allowUnsafeAskPass",
  visual: "allowUnsafeEditor"
};
function* Q(e) {
  const n = parseInt(e.git_config_count ?? "0", 10);
  for (let t2 = 0; t2 < n; t2++) {
    const o2 = e[`git_config_key_${t2}`], a = e[`git_config_value_${t2}`];
    o2 !== void 0 && (yield { key: o2.toLowerCase().trim(), value: a, scope: "env" });
  }
}
function* Z(e) {
  for (const n of Object.keys(e))
    if (_(n)) {
      const t2 = y[n];
      yield {
        category: t2,
        message: `Use of "${n.toUpperCase()}" is not permitted without enabling ${t2}`
      };
    }
}
function _(e) {
  return Object.hasOwn(y, e);
}
function ee(e) {
  const n = {};
  for (const [t2, o2] of Object.entries(e)) {
    const a = t2.toLowerCase().trim();
    (_(a) || a.startsWith("git")) && (n[a] = String(o2));
  }
  return n;
}
function ne(e) {
  const n = ee(e), t2 = {
    read: [],
    write: [...Q(n)]
  }, o2 = [
    ...Z(n),
    ...k(null, [], t2)
  ];
  return {
    config: t2,
    vulnerabilities: o2
  };
}
function oe(e, n) {
  return [...Y(...e).vulnerabilities, ...ne(n).vulnerabilities];
}

// node_modules/simple-git/dist/index.mjs
import { EventEmitter as Ce } from "node:events";
var O2 = class extends Error {
  constructor(e, n) {
    super(n), this.task = e, Object.setPrototypeOf(this, new.target.prototype);
  }
};
var Ae = class extends O2 {
  constructor(e, n) {
    super(void 0, n), this.config = e;
  }
};
var A2 = class extends O2 {
  constructor(e, n, r2) {
    super(e, r2), this.task = e, this.plugin = n, Object.setPrototypeOf(this, new.target.prototype);
  }
};
var at = class extends O2 {
  constructor(e, n) {
    super(void 0, n || String(e)), this.git = e;
  }
};
var xe = class extends O2 {
  constructor(e) {
    super(void 0, e);
  }
};
var I2 = "\0";
var W2 = () => {
};
function Ne(t2) {
  return typeof t2 != "function" ? W2 : t2;
}
function $e(t2) {
  return typeof t2 == "function" && t2 !== W2;
}
function Pe(t2, e) {
  const n = t2.indexOf(e);
  return n <= 0 ? [t2, ""] : [t2.substr(0, n), t2.substr(n + 1)];
}
function Me(t2, e = 0) {
  return Dt(t2) && t2.length > e ? t2[e] : void 0;
}
function N2(t2, e = 0) {
  if (Dt(t2) && t2.length > e)
    return t2[t2.length - 1 - e];
}
function Dt(t2) {
  return Bt(t2);
}
function H2(t2 = "", e = true, n = `
`) {
  return t2.split(n).reduce((r2, s) => {
    const o2 = e ? s.trim() : s;
    return o2 && r2.push(o2), r2;
  }, []);
}
function ut(t2, e) {
  return H2(t2, true).map((n) => e(n));
}
function Lt(t2) {
  return (0, import_file_exists.exists)(t2, import_file_exists.FOLDER);
}
function S2(t2, e) {
  return Array.isArray(t2) ? t2.includes(e) || t2.push(e) : t2.add(e), e;
}
function De(t2, e) {
  return Array.isArray(t2) && !t2.includes(e) && t2.push(e), t2;
}
function ct(t2, e) {
  if (Array.isArray(t2)) {
    const n = t2.indexOf(e);
    n >= 0 && t2.splice(n, 1);
  } else
    t2.delete(e);
  return e;
}
var ft = Object.prototype.toString.call.bind(Object.prototype.toString);
function v(t2) {
  return Array.isArray(t2) ? t2 : [t2];
}
function jt(t2) {
  return t2.replace(/[\s-]+(.)/g, (e, n) => n.toUpperCase());
}
function L2(t2) {
  return v(t2).map((e) => e instanceof String ? e : String(e));
}
function p(t2, e = 0) {
  if (t2 == null)
    return e;
  const n = parseInt(t2, 10);
  return Number.isNaN(n) ? e : n;
}
function U(t2, e) {
  const n = [];
  for (let r2 = 0, s = t2.length; r2 < s; r2++)
    n.push(e, t2[r2]);
  return n;
}
function F2(t2) {
  return (Array.isArray(t2) ? Buffer.concat(t2) : t2).toString("utf-8");
}
function Le(t2) {
  return t2 ? Buffer.isBuffer(t2) ? t2.length : Buffer.byteLength(t2) : 0;
}
function je(t2, e) {
  const n = {};
  return e.forEach((r2) => {
    t2[r2] !== void 0 && (n[r2] = t2[r2]);
  }), n;
}
function wt(t2 = 0) {
  return new Promise((e) => setTimeout(e, t2));
}
function bt(t2) {
  if (t2 !== false)
    return t2;
}
function d(t2, e, n) {
  return e(t2) ? t2 : arguments.length > 2 ? n : void 0;
}
var K2 = (t2) => Array.isArray(t2);
function st(t2, e) {
  const n = r(t2) ? "string" : typeof t2;
  return /number|string|boolean/.test(n) && (!e || !e.includes(n));
}
var m = (t2) => typeof t2 == "string" || r(t2);
var Be = (t2) => m(t2) || Buffer.isBuffer(t2);
var G2 = (t2) => m(t2) || Array.isArray(t2) && t2.every(m);
function lt(t2) {
  return !!t2 && ft(t2) === "[object Object]";
}
function Ie(t2) {
  return typeof t2 == "function";
}
var Bt = (t2) => t2 == null || "number|boolean|function".includes(typeof t2) ? false : typeof t2.length == "number";
var V2 = /* @__PURE__ */ ((t2) => (t2[t2.SUCCESS = 0] = "SUCCESS", t2[t2.ERROR = 1] = "ERROR", t2[t2.NOT_FOUND = -2] = "NOT_FOUND", t2[t2.UNCLEAN = 128] = "UNCLEAN", t2))(V2 || {});
var z2 = class _z {
  constructor(e, n) {
    this.stdOut = e, this.stdErr = n;
  }
  asStrings() {
    return new _z(this.stdOut.toString("utf8"), this.stdErr.toString("utf8"));
  }
};
function Ue() {
  throw new Error("LineParser:useMatches not implemented");
}
var l2 = class {
  constructor(e, n) {
    this.matches = [], this.useMatches = Ue, this.parse = (r2, s) => (this.resetMatches(), this._regExp.every((o2, i) => this.addMatch(o2, i, r2(i))) ? this.useMatches(s, this.prepareMatches()) !== false : false), this._regExp = Array.isArray(e) ? e : [e], n && (this.useMatches = n);
  }
  resetMatches() {
    this.matches.length = 0;
  }
  prepareMatches() {
    return this.matches;
  }
  addMatch(e, n, r2) {
    const s = r2 && e.exec(r2);
    return s && this.pushMatch(n, s), !!s;
  }
  pushMatch(e, n) {
    this.matches.push(...n.slice(1));
  }
};
var x2 = class extends l2 {
  addMatch(e, n, r2) {
    return /^remote:\s/.test(String(r2)) && super.addMatch(e, n, r2);
  }
  pushMatch(e, n) {
    (e > 0 || n.length > 1) && super.pushMatch(e, n);
  }
};
var Fe = {
  binary: "git",
  maxConcurrentProcesses: 5,
  config: [],
  trimmed: false
};
function Ge(...t2) {
  const e = process.cwd(), n = Object.assign(
    { baseDir: e, ...Fe },
    ...t2.filter((r2) => typeof r2 == "object" && r2)
  );
  return n.baseDir = n.baseDir || e, n.trimmed = n.trimmed === true, n;
}
function It(t2, e = []) {
  return lt(t2) ? Object.keys(t2).reduce((n, r2) => {
    const s = t2[r2];
    if (r(s))
      n.push(s);
    else if (st(s, ["boolean"]))
      n.push(r2 + "=" + s);
    else if (Array.isArray(s))
      for (const o2 of s)
        st(o2, ["string", "number"]) || n.push(r2 + "=" + o2);
    else
      n.push(r2);
    return n;
  }, e) : e;
}
function h2(t2, e = 0, n = false) {
  const r2 = [];
  for (let s = 0, o2 = e < 0 ? t2.length : e; s < o2; s++)
    "string|number".includes(typeof t2[s]) && r2.push(String(t2[s]));
  return It(ht(t2), r2), n || r2.push(...ze(t2)), r2;
}
function ze(t2) {
  const e = typeof N2(t2) == "function";
  return L2(d(N2(t2, e ? 1 : 0), K2, []));
}
function ht(t2) {
  const e = Ie(N2(t2));
  return d(N2(t2, e ? 1 : 0), lt);
}
function u(t2, e = true) {
  const n = Ne(N2(t2));
  return e || $e(n) ? n : void 0;
}
function Tt(t2, e) {
  return t2(e.stdOut, e.stdErr);
}
function E2(t2, e, n, r2 = true) {
  return v(n).forEach((s) => {
    for (let o2 = H2(s, r2), i = 0, a = o2.length; i < a; i++) {
      const c3 = (y2 = 0) => {
        if (!(i + y2 >= a))
          return o2[i + y2];
      };
      e.some(({ parse: y2 }) => y2(c3, t2));
    }
  }), t2;
}
var mt = ({ exitCode: t2 }, e, n, r2) => {
  if (t2 === V2.UNCLEAN && Ve(e))
    return n(Buffer.from("false"));
  r2(e);
};
var Ut = (t2) => t2.trim() === "true";
function We(t2) {
  switch (t2) {
    case "bare":
      return Ke();
    case "root":
      return He();
  }
  return {
    commands: ["rev-parse", "--is-inside-work-tree"],
    format: "utf-8",
    onError: mt,
    parser: Ut
  };
}
function He() {
  return {
    commands: ["rev-parse", "--git-dir"],
    format: "utf-8",
    onError: mt,
    parser(e) {
      return /^\.(git)?$/.test(e.trim());
    }
  };
}
function Ke() {
  return {
    commands: ["rev-parse", "--is-bare-repository"],
    format: "utf-8",
    onError: mt,
    parser: Ut
  };
}
function Ve(t2) {
  return /(Not a git repository|Kein Git-Repository)/i.test(String(t2));
}
var Xe = class {
  constructor(e) {
    this.paths = [], this.files = [], this.folders = [], this.dryRun = e;
  }
};
var Ye = /^[a-z]+\s*/i;
var Qe = /^[a-z]+\s+[a-z]+\s*/i;
var Je = /\/$/;
function Ze(t2, e) {
  const n = new Xe(t2), r2 = t2 ? Qe : Ye;
  return H2(e).forEach((s) => {
    const o2 = s.replace(r2, "");
    n.paths.push(o2), (Je.test(o2) ? n.folders : n.files).push(o2);
  }), n;
}
var Ft = [];
function tn(t2) {
  return {
    commands: Ft,
    format: "empty",
    parser: t2
  };
}
function b2(t2) {
  return {
    commands: Ft,
    format: "empty",
    parser() {
      throw typeof t2 == "string" ? new xe(t2) : t2;
    }
  };
}
function g(t2, e = false) {
  return {
    commands: t2,
    format: "utf-8",
    parser(n) {
      return e ? String(n).trim() : n;
    }
  };
}
function Gt(t2) {
  return {
    commands: t2,
    format: "buffer",
    parser(e) {
      return e;
    }
  };
}
function en(t2) {
  return t2.format === "buffer";
}
function kt(t2) {
  return t2.format === "empty" || !t2.commands.length;
}
var nn = "Git clean interactive mode is not supported";
var rn = 'Git clean mode parameter ("n" or "f") is required';
var sn = "Git clean unknown option found in: ";
var zt = /* @__PURE__ */ ((t2) => (t2.DRY_RUN = "n", t2.FORCE = "f", t2.IGNORED_INCLUDED = "x", t2.IGNORED_ONLY = "X", t2.EXCLUDING = "e", t2.QUIET = "q", t2.RECURSIVE = "d", t2))(zt || {});
var qt = /* @__PURE__ */ new Set([
  "i",
  ...L2(Object.values(zt))
]);
function on2(t2, e) {
  const { cleanMode: n, options: r2, valid: s } = cn(t2);
  return n ? s.options ? (r2.push(...e), r2.some(hn) ? b2(nn) : an(n, r2)) : b2(sn + JSON.stringify(t2)) : b2(rn);
}
function an(t2, e) {
  return {
    commands: ["clean", `-${t2}`, ...e],
    format: "utf-8",
    parser(r2) {
      return Ze(t2 === "n", r2);
    }
  };
}
function un(t2) {
  return Array.isArray(t2) && t2.every((e) => qt.has(e));
}
function cn(t2) {
  let e, n = [], r2 = { cleanMode: false, options: true };
  return t2.replace(/[^a-z]i/g, "").split("").forEach((s) => {
    fn(s) ? (e = s, r2.cleanMode = true) : r2.options = r2.options && ln(n[n.length] = `-${s}`);
  }), {
    cleanMode: e,
    options: n,
    valid: r2
  };
}
function fn(t2) {
  return t2 === "f" || t2 === "n";
}
function ln(t2) {
  return /^-[a-z]$/i.test(t2) && qt.has(t2.charAt(1));
}
function hn(t2) {
  return /^-[^\-]/.test(t2) ? t2.indexOf("i") > 0 : t2 === "--interactive";
}
var mn = class {
  constructor() {
    this.files = [], this.values = /* @__PURE__ */ Object.create(null);
  }
  get all() {
    return this._all || (this._all = this.files.reduce((e, n) => Object.assign(e, this.values[n]), {})), this._all;
  }
  addFile(e) {
    if (!(e in this.values)) {
      const n = N2(this.files);
      this.values[e] = n ? Object.create(this.values[n]) : {}, this.files.push(e);
    }
    return this.values[e];
  }
  addValue(e, n, r2) {
    const s = this.addFile(e);
    Object.hasOwn(s, n) ? Array.isArray(s[n]) ? s[n].push(r2) : s[n] = [s[n], r2] : s[n] = r2, this._all = void 0;
  }
};
function pn(t2) {
  const e = new mn();
  for (const n of Wt(t2))
    e.addValue(n.file, String(n.key), n.value);
  return e;
}
function dn(t2, e) {
  let n = null;
  const r2 = [], s = /* @__PURE__ */ new Map();
  for (const o2 of Wt(t2, e))
    o2.key === e && (r2.push(n = o2.value), s.has(o2.file) || s.set(o2.file, []), s.get(o2.file).push(n));
  return {
    key: e,
    paths: Array.from(s.keys()),
    scopes: s,
    value: n,
    values: r2
  };
}
function gn(t2) {
  return t2.replace(/^(file):/, "");
}
function* Wt(t2, e = null) {
  const n = t2.split("\0");
  for (let r2 = 0, s = n.length - 1; r2 < s; ) {
    const o2 = gn(n[r2++]);
    let i = n[r2++], a = e;
    if (i.includes(`
`)) {
      const c3 = Pe(i, `
`);
      a = c3[0], i = c3[1];
    }
    yield { file: o2, key: a, value: i };
  }
}
var Ht = /* @__PURE__ */ ((t2) => (t2.system = "system", t2.global = "global", t2.local = "local", t2.worktree = "worktree", t2))(Ht || {});
function Y2(t2, e) {
  return typeof t2 == "string" && Object.hasOwn(Ht, t2) ? t2 : e;
}
function yn(t2, e, n, r2) {
  const s = ["config", `--${r2}`];
  return n && s.push("--add"), s.push(t2, e), {
    commands: s,
    format: "utf-8",
    parser(o2) {
      return o2;
    }
  };
}
function wn(t2, e) {
  const n = ["config", "--null", "--show-origin", "--get-all", t2];
  return e && n.splice(1, 0, `--${e}`), {
    commands: n,
    format: "utf-8",
    parser(r2) {
      return dn(r2, t2);
    }
  };
}
function bn(t2) {
  const e = ["config", "--list", "--show-origin", "--null"];
  return t2 && e.push(`--${t2}`), {
    commands: e,
    format: "utf-8",
    parser(n) {
      return pn(n);
    }
  };
}
function Tn() {
  return {
    addConfig(t2, e, ...n) {
      return this._runTask(
        yn(
          t2,
          e,
          n[0] === true,
          Y2(
            n[1],
            "local"
            /* local */
          )
        ),
        u(arguments)
      );
    },
    getConfig(t2, e) {
      return this._runTask(
        wn(t2, Y2(e, void 0)),
        u(arguments)
      );
    },
    listConfig(...t2) {
      return this._runTask(
        bn(Y2(t2[0], void 0)),
        u(arguments)
      );
    }
  };
}
var Kt = /* @__PURE__ */ ((t2) => (t2.ADDED = "A", t2.COPIED = "C", t2.DELETED = "D", t2.MODIFIED = "M", t2.RENAMED = "R", t2.CHANGED = "T", t2.UNMERGED = "U", t2.UNKNOWN = "X", t2.BROKEN = "B", t2))(Kt || {});
var kn = new Set(Object.values(Kt));
function _n(t2) {
  return kn.has(t2);
}
var _t;
var vn = ["-h"];
var j2 = /* @__PURE__ */ Symbol("grepQuery");
var En = class {
  constructor() {
    this[_t] = [];
  }
  *[(_t = j2, Symbol.iterator)]() {
    for (const e of this[j2])
      yield e;
  }
  and(...e) {
    return e.length && this[j2].push("--and", "(", ...U(e, "-e"), ")"), this;
  }
  param(...e) {
    return this[j2].push(...U(e, "-e")), this;
  }
};
function Sn(...t2) {
  return new En().param(...t2);
}
function Rn(t2) {
  const e = /* @__PURE__ */ new Set(), n = {};
  return ut(t2, (r2) => {
    const [s, o2, i] = r2.split(I2);
    e.add(s), (n[s] = n[s] || []).push({
      line: p(o2),
      path: s,
      preview: i
    });
  }), {
    paths: e,
    results: n
  };
}
function On() {
  return {
    grep(t2) {
      const e = u(arguments), n = h2(arguments);
      for (const s of vn)
        if (n.includes(s))
          return this._runTask(
            b2(`git.grep: use of "${s}" is not supported.`),
            e
          );
      typeof t2 == "string" && (t2 = Sn().param(t2));
      const r2 = ["grep", "--null", "-n", "--full-name", ...n, ...t2];
      return this._runTask(
        {
          commands: r2,
          format: "utf-8",
          parser(s) {
            return Rn(s);
          }
        },
        e
      );
    }
  };
}
var Vt = /* @__PURE__ */ ((t2) => (t2.MIXED = "mixed", t2.SOFT = "soft", t2.HARD = "hard", t2.MERGE = "merge", t2.KEEP = "keep", t2))(Vt || {});
var Cn = L2(Object.values(Vt));
function An(t2, e) {
  const n = ["reset"];
  return Xt(t2) && n.push(`--${t2}`), n.push(...e), g(n);
}
function xn(t2) {
  if (Xt(t2))
    return t2;
  switch (typeof t2) {
    case "string":
    case "undefined":
      return "soft";
  }
}
function Xt(t2) {
  return typeof t2 == "string" && Cn.includes(t2);
}
import_debug.default.formatters.L = (t2) => String(Bt(t2) ? t2.length : "-");
import_debug.default.formatters.B = (t2) => Buffer.isBuffer(t2) ? t2.toString("utf8") : ft(t2);
function Nn() {
  return (0, import_debug.default)("simple-git");
}
function vt(t2, e, n) {
  return !e || !String(e).replace(/\s*/, "") ? n ? (r2, ...s) => {
    t2(r2, ...s), n(r2, ...s);
  } : t2 : (r2, ...s) => {
    t2(`%s ${r2}`, e, ...s), n && n(r2, ...s);
  };
}
function $n(t2, e, { namespace: n }) {
  if (typeof t2 == "string")
    return t2;
  const r2 = e && e.namespace || "";
  return r2.startsWith(n) ? r2.substr(n.length + 1) : r2 || n;
}
function $2(t2, e, n, r2 = Nn()) {
  const s = t2 && `[${t2}]` || "", o2 = [], i = typeof e == "string" ? r2.extend(e) : e, a = $n(d(e, m), i, r2);
  return y2(n);
  function c3(w2, T2) {
    return S2(
      o2,
      $2(t2, a.replace(/^[^:]+/, w2), T2, r2)
    );
  }
  function y2(w2) {
    const T2 = w2 && `[${w2}]` || "", k2 = i && vt(i, T2) || W2, C2 = vt(r2, `${s} ${T2}`, k2);
    return Object.assign(i ? k2 : C2, {
      label: t2,
      sibling: c3,
      info: C2,
      step: y2
    });
  }
}
var M2 = class M3 {
  constructor(e = "GitExecutor") {
    this.logLabel = e, this._queue = /* @__PURE__ */ new Map();
  }
  withProgress(e) {
    return this._queue.get(e);
  }
  createProgress(e) {
    const n = M3.getName(e.commands[0]), r2 = $2(this.logLabel, n);
    return {
      task: e,
      logger: r2,
      name: n
    };
  }
  push(e) {
    const n = this.createProgress(e);
    return n.logger("Adding task to the queue, commands = %o", e.commands), this._queue.set(e, n), n;
  }
  fatal(e) {
    for (const [n, { logger: r2 }] of Array.from(this._queue.entries()))
      n === e.task ? (r2.info("Failed %o", e), r2(
        "Fatal exception, any as-yet un-started tasks run through this executor will not be attempted"
      )) : r2.info(
        "A fatal exception occurred in a previous task, the queue has been purged: %o",
        e.message
      ), this.complete(n);
    if (this._queue.size !== 0)
      throw new Error(`Queue size should be zero after fatal: ${this._queue.size}`);
  }
  complete(e) {
    this.withProgress(e) && this._queue.delete(e);
  }
  attempt(e) {
    const n = this.withProgress(e);
    if (!n)
      throw new O2(void 0, "TasksPendingQueue: attempt called for an unknown task");
    return n.logger("Starting task"), n;
  }
  static getName(e = "empty") {
    return `task:${e}:${++M3.counter}`;
  }
};
M2.counter = 0;
var ot = M2;
var Pn = class {
  constructor(e, n, r2) {
    this._executor = e, this._scheduler = n, this._plugins = r2, this._chain = Promise.resolve(), this._queue = new ot();
  }
  get cwd() {
    return this._cwd || this._executor.cwd;
  }
  set cwd(e) {
    this._cwd = e;
  }
  get env() {
    return this._executor.env;
  }
  get outputHandler() {
    return this._executor.outputHandler;
  }
  chain() {
    return this;
  }
  push(e) {
    return this._queue.push(e), this._chain = this._chain.then(() => this.attemptTask(e));
  }
  async attemptTask(e) {
    const n = await this._scheduler.next(), r2 = () => this._queue.complete(e);
    try {
      const { logger: s } = this._queue.attempt(e);
      return await (kt(e) ? this.attemptEmptyTask(e, s) : this.attemptRemoteTask(e, s));
    } catch (s) {
      throw this.onFatalException(e, s);
    } finally {
      r2(), n();
    }
  }
  onFatalException(e, n) {
    const r2 = n instanceof O2 ? Object.assign(n, { task: e }) : new O2(e, n && String(n));
    return this._chain = Promise.resolve(), this._queue.fatal(r2), r2;
  }
  async attemptRemoteTask(e, n) {
    const r2 = this._plugins.exec("spawn.binary", "", this.taskContext(e, e.commands)), s = this._plugins.exec(
      "spawn.args",
      [...e.commands],
      this.taskContext(e, e.commands)
    ), o2 = await this.gitResponse(
      e,
      r2,
      s,
      this.outputHandler,
      n.step("SPAWN")
    ), i = await this.handleTaskData(e, s, o2, n.step("HANDLE"));
    return n("passing response to task's parser as a %s", e.format), en(e) ? Tt(e.parser, i) : Tt(e.parser, i.asStrings());
  }
  async attemptEmptyTask(e, n) {
    return n("empty task bypassing child process to call to task's parser"), e.parser(this);
  }
  handleTaskData(e, n, r2, s) {
    const { exitCode: o2, rejection: i, stdOut: a, stdErr: c3 } = r2;
    return new Promise((y2, w2) => {
      s("Preparing to handle process response exitCode=%d stdOut=", o2);
      const { error: T2 } = this._plugins.exec(
        "task.error",
        { error: i },
        {
          ...this.taskContext(e, n),
          ...r2
        }
      );
      if (T2 && e.onError)
        return s.info("exitCode=%s handling with custom error handler"), e.onError(
          r2,
          T2,
          (k2) => {
            s.info("custom error handler treated as success"), s("custom error returned a %s", ft(k2)), y2(
              new z2(
                Array.isArray(k2) ? Buffer.concat(k2) : k2,
                Buffer.concat(c3)
              )
            );
          },
          w2
        );
      if (T2)
        return s.info(
          "handling as error: exitCode=%s stdErr=%s rejection=%o",
          o2,
          c3.length,
          i
        ), w2(T2);
      s.info("retrieving task output complete"), y2(new z2(Buffer.concat(a), Buffer.concat(c3)));
    });
  }
  async gitResponse(e, n, r2, s, o2) {
    const i = o2.sibling("output"), a = this._plugins.exec(
      "spawn.options",
      {
        cwd: this.cwd,
        env: this.env,
        windowsHide: true
      },
      this.taskContext(e, e.commands)
    );
    return new Promise((c3) => {
      const y2 = [], w2 = [];
      o2.info("%s %o", n, r2), o2("%O", a);
      let T2 = this._beforeSpawn(e, r2);
      if (T2)
        return c3({
          stdOut: y2,
          stdErr: w2,
          exitCode: 9901,
          rejection: T2
        });
      this._plugins.exec("spawn.before", void 0, {
        ...this.taskContext(e, r2),
        kill(C2) {
          T2 = C2 || T2;
        }
      });
      const k2 = ve(n, r2, a);
      k2.stdout.on(
        "data",
        Et(y2, "stdOut", o2, i.step("stdOut"))
      ), k2.stderr.on(
        "data",
        Et(w2, "stdErr", o2, i.step("stdErr"))
      ), k2.on("error", Mn(w2, o2)), s && (o2("Passing child process stdOut/stdErr to custom outputHandler"), s(n, k2.stdout, k2.stderr, [...r2])), this._plugins.exec("spawn.after", void 0, {
        ...this.taskContext(e, r2),
        spawned: k2,
        close(C2, Te) {
          c3({
            stdOut: y2,
            stdErr: w2,
            exitCode: C2,
            rejection: T2 || Te
          });
        },
        kill(C2) {
          k2.killed || (T2 = C2, k2.kill("SIGINT"));
        }
      });
    });
  }
  _beforeSpawn(e, n) {
    let r2;
    return this._plugins.exec("spawn.before", void 0, {
      ...this.taskContext(e, n),
      kill(s) {
        r2 = s || r2;
      }
    }), r2;
  }
  taskContext(e, n) {
    return {
      method: String(Me(e.commands) || ""),
      commands: n,
      env: { ...this.env },
      input: kt(e) ? void 0 : e.input
    };
  }
};
function Mn(t2, e) {
  return (n) => {
    e("[ERROR] child process exception %o", n), t2.push(Buffer.from(String(n.stack), "ascii"));
  };
}
function Et(t2, e, n, r2) {
  return (s) => {
    n("%s received %L bytes", e, s), r2("%B", s), t2.push(s);
  };
}
var Dn = class {
  constructor(e, n, r2) {
    this.cwd = e, this._scheduler = n, this._plugins = r2, this._chain = this.chain();
  }
  chain() {
    return new Pn(this, this._scheduler, this._plugins);
  }
  push(e) {
    return this._chain.push(e);
  }
};
function Ln(t2, e, n = W2) {
  const r2 = (o2) => {
    n(null, o2);
  }, s = (o2) => {
    o2?.task === t2 && n(o2, void 0);
  };
  e.then(r2, s);
}
function St(t2, e) {
  return tn((n) => {
    if (!Lt(t2))
      throw new Error(`Git.cwd: cannot change to non-directory "${t2}"`);
    return (e || n).cwd = t2;
  });
}
function Q2(t2) {
  const e = ["checkout", ...t2];
  return e[1] === "-b" && e.includes("-B") && (e[1] = ct(e, "-B")), g(e);
}
function jn() {
  return {
    checkout() {
      return this._runTask(
        Q2(h2(arguments, 1)),
        u(arguments)
      );
    },
    checkoutBranch(t2, e) {
      return this._runTask(
        Q2(["-b", t2, e, ...h2(arguments)]),
        u(arguments)
      );
    },
    checkoutLocalBranch(t2) {
      return this._runTask(
        Q2(["-b", t2, ...h2(arguments)]),
        u(arguments)
      );
    }
  };
}
var Yt = (t2, e, n) => {
  const r2 = ["clone", ...n];
  return m(t2) && r2.push(c(t2)), m(e) && r2.push(c(e)), g(r2);
};
var Bn = (t2, e, n) => (S2(n, "--mirror"), Yt(t2, e, n));
function Rt(t2, e, n, ...r2) {
  return m(n) ? e(n, d(r2[0], m), h2(arguments)) : b2(`git.${t2}() requires a string 'repoPath'`);
}
function In() {
  return {
    clone(t2, ...e) {
      return this._runTask(
        Rt("clone", Yt, d(t2, m), ...e),
        u(arguments)
      );
    },
    mirror(t2, ...e) {
      return this._runTask(
        Rt("mirror", Bn, d(t2, m), ...e),
        u(arguments)
      );
    }
  };
}
var Un = [
  new l2(/^\[([^\s]+)( \([^)]+\))? ([^\]]+)/, (t2, [e, n, r2]) => {
    t2.branch = e, t2.commit = r2, t2.root = !!n;
  }),
  new l2(/\s*Author:\s(.+)/i, (t2, [e]) => {
    const n = e.split("<"), r2 = n.pop();
    !r2 || !r2.includes("@") || (t2.author = {
      email: r2.substr(0, r2.length - 1),
      name: n.join("<").trim()
    });
  }),
  new l2(
    /(\d+)[^,]*(?:,\s*(\d+)[^,]*)(?:,\s*(\d+))/g,
    (t2, [e, n, r2]) => {
      t2.summary.changes = parseInt(e, 10) || 0, t2.summary.insertions = parseInt(n, 10) || 0, t2.summary.deletions = parseInt(r2, 10) || 0;
    }
  ),
  new l2(
    /^(\d+)[^,]*(?:,\s*(\d+)[^(]+\(([+-]))?/,
    (t2, [e, n, r2]) => {
      t2.summary.changes = parseInt(e, 10) || 0;
      const s = parseInt(n, 10) || 0;
      r2 === "-" ? t2.summary.deletions = s : r2 === "+" && (t2.summary.insertions = s);
    }
  )
];
function Fn(t2) {
  return E2({
    author: null,
    branch: "",
    commit: "",
    root: false,
    summary: {
      changes: 0,
      insertions: 0,
      deletions: 0
    }
  }, Un, t2);
}
function Gn(t2, e, n) {
  return {
    commands: [
      "-c",
      "core.abbrev=40",
      "commit",
      ...U(t2, "-m"),
      ...e,
      ...n
    ],
    format: "utf-8",
    parser: Fn
  };
}
function zn() {
  return {
    commit(e, ...n) {
      const r2 = u(arguments), s = t2(e) || Gn(
        v(e),
        v(d(n[0], G2, [])),
        [
          ...L2(d(n[1], K2, [])),
          ...h2(arguments, 0, true)
        ]
      );
      return this._runTask(s, r2);
    }
  };
  function t2(e) {
    return !G2(e) && b2(
      "git.commit: requires the commit message to be supplied as a string/string[]"
    );
  }
}
function qn() {
  return {
    count: 0,
    garbage: 0,
    inPack: 0,
    packs: 0,
    prunePackable: 0,
    size: 0,
    sizeGarbage: 0,
    sizePack: 0
  };
}
var Wn = new l2(
  /([a-z-]+): (\d+)$/,
  (t2, [e, n]) => {
    const r2 = jt(e);
    Object.hasOwn(t2, r2) && (t2[r2] = p(n));
  }
);
function Hn() {
  return {
    countObjects() {
      return this._runTask({
        commands: ["count-objects", "--verbose"],
        format: "utf-8",
        parser(t2) {
          return E2(qn(), [Wn], t2);
        }
      });
    }
  };
}
function Kn() {
  return {
    firstCommit() {
      return this._runTask(
        g(["rev-list", "--max-parents=0", "HEAD"], true),
        u(arguments)
      );
    }
  };
}
function Vn(t2, e) {
  const n = ["hash-object", t2];
  return e && n.push("-w"), g(n, true);
}
var J2 = class {
  constructor(e, n, r2, s) {
    this.bare = e, this.path = n, this.existing = r2, this.gitDir = s;
  }
};
var Xn = /^Init.+ repository in (.+)$/;
var Yn = /^Rein.+ in (.+)$/;
function Qn(t2, e, n) {
  const r2 = String(n).trim();
  let s;
  if (s = Xn.exec(r2))
    return new J2(t2, e, false, s[1]);
  if (s = Yn.exec(r2))
    return new J2(t2, e, true, s[1]);
  let o2 = "";
  const i = r2.split(" ");
  for (; i.length; )
    if (i.shift() === "in") {
      o2 = i.join(" ");
      break;
    }
  return new J2(t2, e, /^re/i.test(r2), o2);
}
var Qt = "--bare";
function Jn(t2) {
  return t2.includes(Qt);
}
function Zn(t2 = false, e, n) {
  const r2 = ["init", ...n];
  return t2 && !Jn(r2) && r2.splice(1, 0, Qt), {
    commands: r2,
    format: "utf-8",
    parser(s) {
      return Qn(r2.includes("--bare"), e, s);
    }
  };
}
function tr(t2) {
  return t2 === void 0 ? b2("interpretTrailers called without input content") : {
    format: "utf-8",
    parser(e) {
      return Object.fromEntries(
        ut(e, (n) => {
          const r2 = n.indexOf(":");
          return [
            jt(n.substring(0, r2).toLowerCase()),
            n.substring(r2 + 2).trim()
          ];
        })
      );
    },
    commands: ["interpret-trailers", "--parse"],
    input: t2
  };
}
function er() {
  return {
    interpretTrailers(t2) {
      return this._runTask(
        tr(d(t2, Be)),
        u(arguments)
      );
    }
  };
}
var R2 = /* @__PURE__ */ ((t2) => (t2.NONE = "", t2.STAT = "--stat", t2.NUM_STAT = "--numstat", t2.NAME_ONLY = "--name-only", t2.NAME_STATUS = "--name-status", t2))(R2 || {});
var Jt = /^--(stat|numstat|name-only|name-status)(=|$)/;
function pt(t2) {
  for (let e = 0; e < t2.length; e++) {
    const n = Jt.exec(t2[e]);
    if (n)
      return `--${n[1]}`;
  }
  return "";
}
function nr(t2) {
  return Jt.test(t2);
}
var rr = class {
  constructor() {
    this.changed = 0, this.deletions = 0, this.insertions = 0, this.files = [];
  }
};
var Ot = [
  new l2(
    /^(.+)\s+\|\s+(\d+)(\s+[+\-]+)?$/,
    (t2, [e, n, r2 = ""]) => {
      t2.files.push({
        file: e.trim(),
        changes: p(n),
        insertions: r2.replace(/[^+]/g, "").length,
        deletions: r2.replace(/[^-]/g, "").length,
        binary: false
      });
    }
  ),
  new l2(
    /^(.+) \|\s+Bin ([0-9.]+) -> ([0-9.]+) ([a-z]+)/,
    (t2, [e, n, r2]) => {
      t2.files.push({
        file: e.trim(),
        before: p(n),
        after: p(r2),
        binary: true
      });
    }
  ),
  new l2(/^(.+)\s+\|\s+Bin\s*$/, (t2, [e]) => {
    t2.files.push({
      file: e.trim(),
      before: 0,
      after: 0,
      binary: true
    });
  }),
  new l2(
    /(\d+) files? changed\s*((?:, \d+ [^,]+){0,2})/,
    (t2, [e, n]) => {
      const r2 = /(\d+) i/.exec(n), s = /(\d+) d/.exec(n);
      t2.changed = p(e), t2.insertions = p(r2?.[1]), t2.deletions = p(s?.[1]);
    }
  )
];
var sr = [
  new l2(
    /(\d+)\t(\d+)\t(.+)$/,
    (t2, [e, n, r2]) => {
      const s = p(e), o2 = p(n);
      t2.changed++, t2.insertions += s, t2.deletions += o2, t2.files.push({
        file: r2,
        changes: s + o2,
        insertions: s,
        deletions: o2,
        binary: false
      });
    }
  ),
  new l2(/-\t-\t(.+)$/, (t2, [e]) => {
    t2.changed++, t2.files.push({
      file: e,
      after: 0,
      before: 0,
      binary: true
    });
  })
];
var or = [
  new l2(/(.+)$/, (t2, [e]) => {
    t2.changed++, t2.files.push({
      file: e,
      changes: 0,
      insertions: 0,
      deletions: 0,
      binary: false
    });
  })
];
var ir = [
  new l2(
    /([ACDMRTUXB])([0-9]{0,3})\t(.[^\t]*)(\t(.[^\t]*))?$/,
    (t2, [e, n, r2, s, o2]) => {
      t2.changed++, t2.files.push({
        file: o2 ?? r2,
        changes: 0,
        insertions: 0,
        deletions: 0,
        binary: false,
        status: bt(_n(e) && e),
        from: bt(!!o2 && r2 !== o2 && r2),
        similarity: p(n)
      });
    }
  )
];
var ar = {
  [R2.NONE]: Ot,
  [R2.STAT]: Ot,
  [R2.NUM_STAT]: sr,
  [R2.NAME_STATUS]: ir,
  [R2.NAME_ONLY]: or
};
function Zt(t2 = R2.NONE) {
  const e = ar[t2];
  return (n) => E2(new rr(), e, n, false);
}
var te = "\xF2\xF2\xF2\xF2\xF2\xF2 ";
var ee2 = " \xF2\xF2";
var ne2 = " \xF2 ";
var ur = ["hash", "date", "message", "refs", "author_name", "author_email"];
function cr(t2, e) {
  return e.reduce(
    (n, r2, s) => (n[r2] = t2[s] || "", n),
    /* @__PURE__ */ Object.create({ diff: null })
  );
}
function re(t2 = ne2, e = ur, n = R2.NONE) {
  const r2 = Zt(n);
  return function(s) {
    const o2 = H2(
      s.trim(),
      false,
      te
    ).map(function(i) {
      const a = i.split(ee2), c3 = cr(a[0].split(t2), e);
      return a.length > 1 && a[1].trim() && (c3.diff = r2(a[1])), c3;
    });
    return {
      all: o2,
      latest: o2.length && o2[0] || null,
      total: o2.length
    };
  };
}
function fr(t2) {
  let e = pt(t2);
  const n = ["diff"];
  return e === R2.NONE && (e = R2.STAT, n.push("--stat=4096")), n.push(...t2), dt(n) || {
    commands: n,
    format: "utf-8",
    parser: Zt(e)
  };
}
function dt(t2) {
  const e = t2.filter(nr);
  if (e.length > 1)
    return b2(
      `Summary flags are mutually exclusive - pick one of ${e.join(",")}`
    );
  if (e.length && t2.includes("-z"))
    return b2(
      `Summary flag ${e} parsing is not compatible with null termination option '-z'`
    );
}
var se = /* @__PURE__ */ ((t2) => (t2[t2["--pretty"] = 0] = "--pretty", t2[t2["max-count"] = 1] = "max-count", t2[t2.maxCount = 2] = "maxCount", t2[t2.n = 3] = "n", t2[t2.file = 4] = "file", t2[t2.format = 5] = "format", t2[t2.from = 6] = "from", t2[t2.to = 7] = "to", t2[t2.splitter = 8] = "splitter", t2[t2.symmetric = 9] = "symmetric", t2[t2.mailMap = 10] = "mailMap", t2[t2.multiLine = 11] = "multiLine", t2[t2.strictDate = 12] = "strictDate", t2))(se || {});
function lr(t2, e) {
  const n = [], r2 = [];
  return Object.keys(t2).forEach((s) => {
    n.push(s), r2.push(String(t2[s]));
  }), [n, r2.join(e)];
}
function hr(t2) {
  return Object.keys(t2).reduce((e, n) => (n in se || (e[n] = t2[n]), e), {});
}
function oe2(t2 = {}, e = []) {
  const n = d(t2.splitter, m, ne2), r2 = lt(t2.format) ? t2.format : {
    hash: "%H",
    date: t2.strictDate === false ? "%ai" : "%aI",
    message: "%s",
    refs: "%D",
    body: t2.multiLine ? "%B" : "%b",
    author_name: t2.mailMap !== false ? "%aN" : "%an",
    author_email: t2.mailMap !== false ? "%aE" : "%ae"
  }, [s, o2] = lr(r2, n), i = [], a = [
    `--pretty=format:${te}${o2}${ee2}`,
    ...e
  ], c3 = t2.n || t2["max-count"] || t2.maxCount;
  if (c3 && a.push(`--max-count=${c3}`), t2.from || t2.to) {
    const y2 = t2.symmetric !== false ? "..." : "..";
    i.push(`${t2.from || ""}${y2}${t2.to || ""}`);
  }
  return m(t2.file) && a.push("--follow", c(t2.file)), It(hr(t2), a), {
    fields: s,
    splitter: n,
    commands: [...a, ...i]
  };
}
function mr(t2, e, n) {
  const r2 = re(t2, e, pt(n));
  return {
    commands: ["log", ...n],
    format: "utf-8",
    parser: r2
  };
}
function pr() {
  return {
    log(...n) {
      const r2 = u(arguments), s = oe2(
        ht(arguments),
        L2(d(arguments[0], K2, []))
      ), o2 = e(...n) || dt(s.commands) || t2(s);
      return this._runTask(o2, r2);
    }
  };
  function t2(n) {
    return mr(n.splitter, n.fields, n.commands);
  }
  function e(n, r2) {
    return m(n) && m(r2) && b2(
      "git.log(string, string) should be replaced with git.log({ from: string, to: string })"
    );
  }
}
var Z2 = class {
  constructor(e, n = null, r2) {
    this.reason = e, this.file = n, this.meta = r2;
  }
  toString() {
    return `${this.file}:${this.reason}`;
  }
};
var dr = class {
  constructor() {
    this.conflicts = [], this.merges = [], this.result = "success";
  }
  get failed() {
    return this.conflicts.length > 0;
  }
  get reason() {
    return this.result;
  }
  toString() {
    return this.conflicts.length ? `CONFLICTS: ${this.conflicts.join(", ")}` : "OK";
  }
};
var ie = class {
  constructor() {
    this.remoteMessages = {
      all: []
    }, this.created = [], this.deleted = [], this.files = [], this.deletions = {}, this.insertions = {}, this.summary = {
      changes: 0,
      deletions: 0,
      insertions: 0
    };
  }
};
var gr = class {
  constructor() {
    this.remote = "", this.hash = {
      local: "",
      remote: ""
    }, this.branch = {
      local: "",
      remote: ""
    }, this.message = "";
  }
  toString() {
    return this.message;
  }
};
function tt(t2) {
  return t2.objects = t2.objects || {
    compressing: 0,
    counting: 0,
    enumerating: 0,
    packReused: 0,
    reused: { count: 0, delta: 0 },
    total: { count: 0, delta: 0 }
  };
}
function Ct(t2) {
  const e = /^\s*(\d+)/.exec(t2), n = /delta (\d+)/i.exec(t2);
  return {
    count: p(e && e[1] || "0"),
    delta: p(n && n[1] || "0")
  };
}
var yr = [
  new x2(
    /^remote:\s*(enumerating|counting|compressing) objects: (\d+),/i,
    (t2, [e, n]) => {
      const r2 = e.toLowerCase(), s = tt(t2.remoteMessages);
      Object.assign(s, { [r2]: p(n) });
    }
  ),
  new x2(
    /^remote:\s*(enumerating|counting|compressing) objects: \d+% \(\d+\/(\d+)\),/i,
    (t2, [e, n]) => {
      const r2 = e.toLowerCase(), s = tt(t2.remoteMessages);
      Object.assign(s, { [r2]: p(n) });
    }
  ),
  new x2(
    /total ([^,]+), reused ([^,]+), pack-reused (\d+)/i,
    (t2, [e, n, r2]) => {
      const s = tt(t2.remoteMessages);
      s.total = Ct(e), s.reused = Ct(n), s.packReused = p(r2);
    }
  )
];
var wr = [
  new x2(/^remote:\s*(.+)$/, (t2, [e]) => (t2.remoteMessages.all.push(e.trim()), false)),
  ...yr,
  new x2(
    [/create a (?:pull|merge) request/i, /\s(https?:\/\/\S+)$/],
    (t2, [e]) => {
      t2.remoteMessages.pullRequestUrl = e;
    }
  ),
  new x2(
    [/found (\d+) vulnerabilities.+\(([^)]+)\)/i, /\s(https?:\/\/\S+)$/],
    (t2, [e, n, r2]) => {
      t2.remoteMessages.vulnerabilities = {
        count: p(e),
        summary: n,
        url: r2
      };
    }
  )
];
function ae(t2, e) {
  return E2({ remoteMessages: new br() }, wr, e);
}
var br = class {
  constructor() {
    this.all = [];
  }
};
var Tr = /^\s*(.+?)\s+\|\s+\d+\s*(\+*)(-*)/;
var kr = /(\d+)\D+((\d+)\D+\(\+\))?(\D+(\d+)\D+\(-\))?/;
var _r = /^(create|delete) mode \d+ (.+)/;
var vr = [
  new l2(Tr, (t2, [e, n, r2]) => {
    t2.files.push(e), n && (t2.insertions[e] = n.length), r2 && (t2.deletions[e] = r2.length);
  }),
  new l2(kr, (t2, [e, , n, , r2]) => n !== void 0 || r2 !== void 0 ? (t2.summary.changes = +e || 0, t2.summary.insertions = +n || 0, t2.summary.deletions = +r2 || 0, true) : false),
  new l2(_r, (t2, [e, n]) => {
    S2(t2.files, n), S2(e === "create" ? t2.created : t2.deleted, n);
  })
];
var Er = [
  new l2(/^from\s(.+)$/i, (t2, [e]) => {
    t2.remote = e;
  }),
  new l2(/^fatal:\s(.+)$/, (t2, [e]) => {
    t2.message = e;
  }),
  new l2(
    /([a-z0-9]+)\.\.([a-z0-9]+)\s+(\S+)\s+->\s+(\S+)$/,
    (t2, [e, n, r2, s]) => {
      t2.branch.local = r2, t2.hash.local = e, t2.branch.remote = s, t2.hash.remote = n;
    }
  )
];
var Sr = (t2, e) => E2(new ie(), vr, [t2, e]);
var ue = (t2, e) => Object.assign(
  new ie(),
  Sr(t2, e),
  ae(t2, e)
);
function Rr(t2, e) {
  const n = E2(new gr(), Er, [t2, e]);
  return n.message && n;
}
var Or = [
  new l2(/^Auto-merging\s+(.+)$/, (t2, [e]) => {
    t2.merges.push(e);
  }),
  new l2(/^CONFLICT\s+\((.+)\): Merge conflict in (.+)$/, (t2, [e, n]) => {
    t2.conflicts.push(new Z2(e, n));
  }),
  new l2(
    /^CONFLICT\s+\((.+\/delete)\): (.+) deleted in (.+) and/,
    (t2, [e, n, r2]) => {
      t2.conflicts.push(new Z2(e, n, { deleteRef: r2 }));
    }
  ),
  new l2(/^CONFLICT\s+\((.+)\):/, (t2, [e]) => {
    t2.conflicts.push(new Z2(e, null));
  }),
  new l2(/^Automatic merge failed;\s+(.+)$/, (t2, [e]) => {
    t2.result = e;
  })
];
var Cr = (t2, e) => Object.assign(Ar(t2), ue(t2, e));
var Ar = (t2) => E2(new dr(), Or, t2);
function At(t2) {
  return t2.length ? {
    commands: ["merge", ...t2],
    format: "utf-8",
    parser(e, n) {
      const r2 = Cr(e, n);
      if (r2.failed)
        throw new at(r2);
      return r2;
    }
  } : b2("Git.merge requires at least one option");
}
function xr(t2, e, n) {
  const r2 = n.includes("deleted"), s = n.includes("tag") || /^refs\/tags/.test(t2), o2 = !n.includes("new");
  return {
    deleted: r2,
    tag: s,
    branch: !s,
    new: !o2,
    alreadyUpdated: o2,
    local: t2,
    remote: e
  };
}
var Nr = [
  new l2(/^Pushing to (.+)$/, (t2, [e]) => {
    t2.repo = e;
  }),
  new l2(/^updating local tracking ref '(.+)'/, (t2, [e]) => {
    t2.ref = {
      ...t2.ref || {},
      local: e
    };
  }),
  new l2(/^[=*-]\s+([^:]+):(\S+)\s+\[(.+)]$/, (t2, [e, n, r2]) => {
    t2.pushed.push(xr(e, n, r2));
  }),
  new l2(
    /^Branch '([^']+)' set up to track remote branch '([^']+)' from '([^']+)'/,
    (t2, [e, n, r2]) => {
      t2.branch = {
        ...t2.branch || {},
        local: e,
        remote: n,
        remoteName: r2
      };
    }
  ),
  new l2(
    /^([^:]+):(\S+)\s+([a-z0-9]+)\.\.([a-z0-9]+)$/,
    (t2, [e, n, r2, s]) => {
      t2.update = {
        head: {
          local: e,
          remote: n
        },
        hash: {
          from: r2,
          to: s
        }
      };
    }
  )
];
var $r = (t2, e) => {
  const n = Pr(t2, e), r2 = ae(t2, e);
  return {
    ...n,
    ...r2
  };
};
var Pr = (t2, e) => E2({ pushed: [] }, Nr, [t2, e]);
function Mr(t2 = {}, e) {
  return S2(e, "--tags"), ce(t2, e);
}
function ce(t2 = {}, e) {
  const n = ["push", ...e];
  return t2.branch && n.splice(1, 0, t2.branch), t2.remote && n.splice(1, 0, t2.remote), ct(n, "-v"), S2(n, "--verbose"), S2(n, "--porcelain"), {
    commands: n,
    format: "utf-8",
    parser: $r
  };
}
function Dr() {
  return {
    showBuffer() {
      const t2 = ["show", ...h2(arguments, 1)];
      return t2.includes("--binary") || t2.splice(1, 0, "--binary"), this._runTask(
        Gt(t2),
        u(arguments)
      );
    },
    show() {
      const t2 = ["show", ...h2(arguments, 1)];
      return this._runTask(
        g(t2),
        u(arguments)
      );
    }
  };
}
var Lr = /^(.+)\0(.+)$/;
var jr = class {
  constructor(e, n, r2) {
    if (this.path = e, this.index = n, this.working_dir = r2, n === "R" || r2 === "R") {
      const s = Lr.exec(e) || [null, e, e];
      this.from = s[2] || "", this.path = s[1] || "";
    }
  }
};
var Br = class {
  constructor() {
    this.not_added = [], this.conflicted = [], this.created = [], this.deleted = [], this.ignored = void 0, this.modified = [], this.renamed = [], this.files = [], this.staged = [], this.ahead = 0, this.behind = 0, this.current = null, this.tracking = null, this.detached = false, this.isClean = () => !this.files.length;
  }
};
function xt(t2) {
  const [e, n] = t2.split(I2);
  return {
    from: n || e,
    to: e
  };
}
function _2(t2, e, n) {
  return [`${t2}${e}`, n];
}
function et(t2, ...e) {
  return e.map((n) => _2(t2, n, (r2, s) => r2.conflicted.push(s)));
}
var Ir = new Map([
  _2(
    " ",
    "A",
    (t2, e) => t2.created.push(e)
  ),
  _2(
    " ",
    "D",
    (t2, e) => t2.deleted.push(e)
  ),
  _2(
    " ",
    "M",
    (t2, e) => t2.modified.push(e)
  ),
  _2("A", " ", (t2, e) => {
    t2.created.push(e), t2.staged.push(e);
  }),
  _2("A", "M", (t2, e) => {
    t2.created.push(e), t2.staged.push(e), t2.modified.push(e);
  }),
  _2("D", " ", (t2, e) => {
    t2.deleted.push(e), t2.staged.push(e);
  }),
  _2("M", " ", (t2, e) => {
    t2.modified.push(e), t2.staged.push(e);
  }),
  _2("M", "M", (t2, e) => {
    t2.modified.push(e), t2.staged.push(e);
  }),
  _2("R", " ", (t2, e) => {
    t2.renamed.push(xt(e));
  }),
  _2("R", "M", (t2, e) => {
    const n = xt(e);
    t2.renamed.push(n), t2.modified.push(n.to);
  }),
  _2("!", "!", (t2, e) => {
    (t2.ignored = t2.ignored || []).push(e);
  }),
  _2(
    "?",
    "?",
    (t2, e) => t2.not_added.push(e)
  ),
  ...et(
    "A",
    "A",
    "U"
    /* UNMERGED */
  ),
  ...et(
    "D",
    "D",
    "U"
    /* UNMERGED */
  ),
  ...et(
    "U",
    "A",
    "D",
    "U"
    /* UNMERGED */
  ),
  [
    "##",
    (t2, e) => {
      const n = /ahead (\d+)/, r2 = /behind (\d+)/, s = /^(.+?(?=(?:\.{3}|\s|$)))/, o2 = /\.{3}(\S*)/, i = /\son\s(\S+?)(?=\.{3}|$)/;
      let a = n.exec(e);
      t2.ahead = a && +a[1] || 0, a = r2.exec(e), t2.behind = a && +a[1] || 0, a = s.exec(e), t2.current = d(a?.[1], m, null), a = o2.exec(e), t2.tracking = d(a?.[1], m, null), a = i.exec(e), a && (t2.current = d(a?.[1], m, t2.current)), t2.detached = /\(no branch\)/.test(e);
    }
  ]
]);
var Ur = function(t2) {
  const e = t2.split(I2), n = new Br();
  for (let r2 = 0, s = e.length; r2 < s; ) {
    let o2 = e[r2++].trim();
    o2 && (o2.charAt(0) === "R" && (o2 += I2 + (e[r2++] || "")), Fr(n, o2));
  }
  return n;
};
function Fr(t2, e) {
  const n = e.trim();
  switch (" ") {
    case n.charAt(2):
      return r2(n.charAt(0), n.charAt(1), n.slice(3));
    case n.charAt(1):
      return r2(" ", n.charAt(0), n.slice(2));
    default:
      return;
  }
  function r2(s, o2, i) {
    const a = `${s}${o2}`, c3 = Ir.get(a);
    c3 && c3(t2, i), a !== "##" && a !== "!!" && t2.files.push(new jr(i, s, o2));
  }
}
var Gr = ["--null", "-z"];
function zr(t2) {
  return {
    format: "utf-8",
    commands: [
      "status",
      "--porcelain",
      "-b",
      "-u",
      "--null",
      ...t2.filter((n) => !Gr.includes(n))
    ],
    parser(n) {
      return Ur(n);
    }
  };
}
var fe = "installed=false";
function q2(t2 = 0, e = 0, n = 0, r2 = "", s = true) {
  return Object.defineProperty(
    {
      major: t2,
      minor: e,
      patch: n,
      agent: r2,
      installed: s
    },
    "toString",
    {
      value() {
        return `${this.major}.${this.minor}.${this.patch}`;
      },
      configurable: false,
      enumerable: false
    }
  );
}
function qr() {
  return q2(0, 0, 0, "", false);
}
function Wr() {
  return {
    version() {
      return this._runTask({
        commands: ["--version"],
        format: "utf-8",
        parser: Kr,
        onError(t2, e, n, r2) {
          if (t2.exitCode === V2.NOT_FOUND)
            return n(Buffer.from(fe));
          r2(e);
        }
      });
    }
  };
}
var Hr = [
  new l2(
    /version (\d+)\.(\d+)\.(\d+)(?:\s*\((.+)\))?/,
    (t2, [e, n, r2, s = ""]) => {
      Object.assign(
        t2,
        q2(p(e), p(n), p(r2), s)
      );
    }
  ),
  new l2(
    /version (\d+)\.(\d+)\.(\D+)(.+)?$/,
    (t2, [e, n, r2, s = ""]) => {
      Object.assign(t2, q2(p(e), p(n), r2, s));
    }
  )
];
function Kr(t2) {
  return t2 === fe ? qr() : E2(q2(0, 0, 0, t2), Hr, t2);
}
var le = class {
  constructor(e) {
    this._executor = e;
  }
  _runTask(e, n) {
    const r2 = this._executor.chain(), s = r2.push(e);
    return n && Ln(e, s, n), Object.create(this, {
      then: { value: s.then.bind(s) },
      catch: { value: s.catch.bind(s) },
      _executor: { value: r2 }
    });
  }
  add(e) {
    return this._runTask(
      g(["add", ...v(e)]),
      u(arguments)
    );
  }
  cwd(e) {
    const n = u(arguments);
    return typeof e == "string" ? this._runTask(St(e, this._executor), n) : typeof e?.path == "string" ? this._runTask(
      St(
        e.path,
        e.root && this._executor || void 0
      ),
      n
    ) : this._runTask(
      b2("Git.cwd: workingDirectory must be supplied as a string"),
      n
    );
  }
  hashObject(e, n) {
    return this._runTask(
      Vn(e, n === true),
      u(arguments)
    );
  }
  init(e) {
    return this._runTask(
      Zn(e === true, this._executor.cwd, h2(arguments)),
      u(arguments)
    );
  }
  merge() {
    return this._runTask(
      At(h2(arguments)),
      u(arguments)
    );
  }
  mergeFromTo(e, n) {
    return m(e) && m(n) ? this._runTask(
      At([e, n, ...h2(arguments)]),
      u(arguments, false)
    ) : this._runTask(
      b2(
        "Git.mergeFromTo requires that the 'remote' and 'branch' arguments are supplied as strings"
      )
    );
  }
  outputHandler(e) {
    return this._executor.outputHandler = e, this;
  }
  push() {
    const e = ce(
      {
        remote: d(arguments[0], m),
        branch: d(arguments[1], m)
      },
      h2(arguments)
    );
    return this._runTask(e, u(arguments));
  }
  stash() {
    return this._runTask(
      g(["stash", ...h2(arguments)]),
      u(arguments)
    );
  }
  status() {
    return this._runTask(
      zr(h2(arguments)),
      u(arguments)
    );
  }
};
Object.assign(
  le.prototype,
  jn(),
  In(),
  zn(),
  Tn(),
  Hn(),
  Kn(),
  On(),
  er(),
  pr(),
  Dr(),
  Wr()
);
var Vr = /* @__PURE__ */ (() => {
  let t2 = 0;
  return () => {
    t2++;
    const { promise: e, done: n } = (0, import_promise_deferred.createDeferred)();
    return {
      promise: e,
      done: n,
      id: t2
    };
  };
})();
var Xr = class {
  constructor(e = 2) {
    this.concurrency = e, this.logger = $2("", "scheduler"), this.pending = [], this.running = [], this.logger("Constructed, concurrency=%s", e);
  }
  schedule() {
    if (!this.pending.length || this.running.length >= this.concurrency) {
      this.logger(
        "Schedule attempt ignored, pending=%s running=%s concurrency=%s",
        this.pending.length,
        this.running.length,
        this.concurrency
      );
      return;
    }
    const e = S2(this.running, this.pending.shift());
    this.logger("Attempting id=%s", e.id), e.done(() => {
      this.logger("Completing id=", e.id), ct(this.running, e), this.schedule();
    });
  }
  next() {
    const { promise: e, id: n } = S2(this.pending, Vr());
    return this.logger("Scheduling id=%s", n), this.schedule(), e;
  }
};
function Yr(t2, e) {
  return g(["apply", ...e, ...t2]);
}
var he = /* @__PURE__ */ ((t2) => (t2.CURRENT = "*", t2.LINKED = "+", t2))(he || {});
var Qr = class {
  constructor() {
    this.all = [], this.branches = {}, this.current = "", this.detached = false;
  }
  push(e, n, r2, s, o2) {
    e === "*" && (this.detached = n, this.current = r2), this.all.push(r2), this.branches[r2] = {
      current: e === "*",
      linkedWorkTree: e === "+",
      name: r2,
      commit: s,
      label: o2
    };
  }
};
var Jr = [
  new l2(
    /^([*+]\s)?\((?:HEAD )?detached (?:from|at) (\S+)\)\s+([a-z0-9]+)\s(.*)$/,
    (t2, [e, n, r2, s]) => {
      t2.push(Nt(e), true, n, r2, s);
    }
  ),
  new l2(
    /^([*+]\s)?(\S+)\s+([a-z0-9]+)\s?(.*)$/s,
    (t2, [e, n, r2, s]) => {
      t2.push(Nt(e), false, n, r2, s);
    }
  )
];
var Zr = new l2(/^(\S+)$/s, (t2, [e]) => {
  t2.push(he.CURRENT, false, e, "", "");
});
function Nt(t2) {
  return t2 ? t2.charAt(0) : "";
}
function me(t2, e = false) {
  return E2(
    new Qr(),
    e ? [Zr] : Jr,
    t2
  );
}
var ts = class {
  constructor() {
    this.all = [], this.branches = {}, this.errors = [];
  }
  get success() {
    return !this.errors.length;
  }
};
function es(t2, e) {
  return {
    branch: t2,
    hash: e,
    success: true
  };
}
function ns(t2) {
  return {
    branch: t2,
    hash: null,
    success: false
  };
}
var rs = /(\S+)\s+\(\S+\s([^)]+)\)/;
var pe = /^error[^']+'([^']+)'/m;
var ss = [
  new l2(rs, (t2, [e, n]) => {
    const r2 = es(e, n);
    t2.all.push(r2), t2.branches[e] = r2;
  }),
  new l2(pe, (t2, [e]) => {
    const n = ns(e);
    t2.errors.push(n), t2.all.push(n), t2.branches[e] = n;
  })
];
var gt = (t2, e) => E2(new ts(), ss, [t2, e]);
function de(t2, e) {
  return e === V2.ERROR && pe.test(t2);
}
function os(t2) {
  const e = ["-d", "-D", "--delete"];
  return t2.some((n) => e.includes(n));
}
function is(t2) {
  const e = os(t2), n = t2.includes("--show-current"), r2 = ["branch", ...t2];
  return r2.length === 1 && r2.push("-a"), r2.includes("-v") || r2.splice(1, 0, "-v"), {
    format: "utf-8",
    commands: r2,
    parser(s, o2) {
      return e ? gt(s, o2).all[0] : me(s, n);
    }
  };
}
function as() {
  return {
    format: "utf-8",
    commands: ["branch", "-v"],
    parser(t2) {
      return me(t2);
    }
  };
}
function us(t2, e = false) {
  return {
    format: "utf-8",
    commands: ["branch", "-v", e ? "-D" : "-d", ...t2],
    parser(n, r2) {
      return gt(n, r2);
    },
    onError({ exitCode: n, stdOut: r2 }, s, o2, i) {
      if (!de(String(s), n))
        return i(s);
      o2(r2);
    }
  };
}
function cs(t2, e = false) {
  const n = {
    format: "utf-8",
    commands: ["branch", "-v", e ? "-D" : "-d", t2],
    parser(r2, s) {
      return gt(r2, s).branches[t2];
    },
    onError({ exitCode: r2, stdErr: s, stdOut: o2 }, i, a, c3) {
      if (!de(String(i), r2))
        return c3(i);
      throw new at(
        n.parser(F2(o2), F2(s)),
        String(i)
      );
    }
  };
  return n;
}
function fs(t2) {
  return {
    commands: ["check-ignore", ...t2],
    format: "utf-8",
    parser: ls
  };
}
function ls(t2) {
  return t2.split(/\n/g).map(hs).filter(Boolean);
}
function hs(t2) {
  const e = t2.trim().replace(/^["']|["']$/g, "");
  return e && Se(e);
}
var ms = [
  new l2(/From (.+)$/, (t2, [e]) => {
    t2.remote = e;
  }),
  new l2(/\* \[new branch]\s+(\S+)\s*-> (.+)$/, (t2, [e, n]) => {
    t2.branches.push({
      name: e,
      tracking: n
    });
  }),
  new l2(/\* \[new tag]\s+(\S+)\s*-> (.+)$/, (t2, [e, n]) => {
    t2.tags.push({
      name: e,
      tracking: n
    });
  }),
  new l2(/- \[deleted]\s+\S+\s*-> (.+)$/, (t2, [e]) => {
    t2.deleted.push({
      tracking: e
    });
  }),
  new l2(
    /\s*([^.]+)\.\.(\S+)\s+(\S+)\s*-> (.+)$/,
    (t2, [e, n, r2, s]) => {
      t2.updated.push({
        name: r2,
        tracking: s,
        to: n,
        from: e
      });
    }
  )
];
function ps(t2, e) {
  return E2({
    raw: t2,
    remote: null,
    branches: [],
    tags: [],
    updated: [],
    deleted: []
  }, ms, [t2, e]);
}
function ds(t2) {
  return /^--upload-pack(=|$)/.test(t2);
}
function gs(t2, e, n) {
  const r2 = ["fetch", ...n];
  return t2 && e && r2.push(t2, e), r2.find(ds) ? b2("git.fetch: potential exploit argument blocked.") : {
    commands: r2,
    format: "utf-8",
    parser: ps
  };
}
var ys = [
  new l2(/^Renaming (.+) to (.+)$/, (t2, [e, n]) => {
    t2.moves.push({ from: e, to: n });
  })
];
function ws(t2) {
  return E2({ moves: [] }, ys, t2);
}
function bs(t2, e) {
  return {
    commands: ["mv", "-v", ...v(t2), e],
    format: "utf-8",
    parser: ws
  };
}
function Ts(t2, e, n) {
  const r2 = ["pull", ...n];
  return t2 && e && r2.splice(1, 0, t2, e), {
    commands: r2,
    format: "utf-8",
    parser(s, o2) {
      return ue(s, o2);
    },
    onError(s, o2, i, a) {
      const c3 = Rr(
        F2(s.stdOut),
        F2(s.stdErr)
      );
      if (c3)
        return a(new at(c3));
      a(o2);
    }
  };
}
function ks(t2) {
  const e = {};
  return ge(t2, ([n]) => e[n] = { name: n }), Object.values(e);
}
function _s(t2) {
  const e = {};
  return ge(t2, ([n, r2, s]) => {
    Object.hasOwn(e, n) || (e[n] = {
      name: n,
      refs: { fetch: "", push: "" }
    }), s && r2 && (e[n].refs[s.replace(/[^a-z]/g, "")] = r2);
  }), Object.values(e);
}
function ge(t2, e) {
  ut(t2, (n) => e(n.split(/\s+/)));
}
function vs(t2, e, n) {
  return g(["remote", "add", ...n, t2, e]);
}
function Es(t2) {
  const e = ["remote"];
  return t2 && e.push("-v"), {
    commands: e,
    format: "utf-8",
    parser: t2 ? _s : ks
  };
}
function Ss(t2) {
  const e = [...t2];
  return e[0] !== "ls-remote" && e.unshift("ls-remote"), g(e);
}
function Rs(t2) {
  const e = [...t2];
  return e[0] !== "remote" && e.unshift("remote"), g(e);
}
function Os(t2) {
  return g(["remote", "remove", t2]);
}
function Cs(t2 = {}, e) {
  const n = oe2(t2), r2 = ["stash", "list", ...n.commands, ...e], s = re(
    n.splitter,
    n.fields,
    pt(r2)
  );
  return dt(r2) || {
    commands: r2,
    format: "utf-8",
    parser: s
  };
}
function As(t2, e) {
  return X2(["add", t2, e]);
}
function xs(t2) {
  return X2(["init", ...t2]);
}
function X2(t2) {
  const e = [...t2];
  return e[0] !== "submodule" && e.unshift("submodule"), g(e);
}
function Ns(t2) {
  return X2(["update", ...t2]);
}
var $s = class {
  constructor(e, n) {
    this.all = e, this.latest = n;
  }
};
var Ps = function(t2, e = false) {
  const n = t2.split(`
`).map(Ds).filter(Boolean);
  e || n.sort(function(s, o2) {
    const i = s.split("."), a = o2.split(".");
    if (i.length === 1 || a.length === 1)
      return Ms(B2(i[0]), B2(a[0]));
    for (let c3 = 0, y2 = Math.max(i.length, a.length); c3 < y2; c3++) {
      const w2 = ye(B2(i[c3]), B2(a[c3]));
      if (w2)
        return w2;
    }
    return 0;
  });
  const r2 = e ? n[0] : [...n].reverse().find((s) => s.indexOf(".") >= 0);
  return new $s(n, r2);
};
function Ms(t2, e) {
  const n = Number.isNaN(t2), r2 = Number.isNaN(e);
  return n !== r2 ? n ? 1 : -1 : n ? ye(t2, e) : 0;
}
function ye(t2, e) {
  return t2 === e ? 0 : t2 > e ? 1 : -1;
}
function Ds(t2) {
  return t2.trim();
}
function B2(t2) {
  return typeof t2 == "string" && parseInt(t2.replace(/^\D+/g, ""), 10) || 0;
}
function Ls(t2 = []) {
  const e = t2.some((n) => /^--sort=/.test(n));
  return {
    format: "utf-8",
    commands: ["tag", "-l", ...t2],
    parser(n) {
      return Ps(n, e);
    }
  };
}
function js(t2) {
  return {
    format: "utf-8",
    commands: ["tag", t2],
    parser() {
      return { name: t2 };
    }
  };
}
function Bs(t2, e) {
  return {
    format: "utf-8",
    commands: ["tag", "-a", "-m", e, t2],
    parser() {
      return { name: t2 };
    }
  };
}
function f2(t2, e) {
  this._plugins = e, this._executor = new Dn(
    t2.baseDir,
    new Xr(t2.maxConcurrentProcesses),
    e
  ), this._trimmed = t2.trimmed;
}
(f2.prototype = Object.create(le.prototype)).constructor = f2;
f2.prototype.customBinary = function(t2) {
  return this._plugins.reconfigure("binary", t2), this;
};
f2.prototype.env = function(t2, e) {
  return arguments.length === 1 && typeof t2 == "object" ? this._executor.env = t2 : (this._executor.env = this._executor.env || {})[t2] = e, this;
};
f2.prototype.stashList = function(t2) {
  return this._runTask(
    Cs(
      ht(arguments) || {},
      K2(t2) && t2 || []
    ),
    u(arguments)
  );
};
f2.prototype.mv = function(t2, e) {
  return this._runTask(bs(t2, e), u(arguments));
};
f2.prototype.checkoutLatestTag = function(t2) {
  var e = this;
  return this.pull(function() {
    e.tags(function(n, r2) {
      e.checkout(r2.latest, t2);
    });
  });
};
f2.prototype.pull = function(t2, e, n, r2) {
  return this._runTask(
    Ts(
      d(t2, m),
      d(e, m),
      h2(arguments)
    ),
    u(arguments)
  );
};
f2.prototype.fetch = function(t2, e) {
  return this._runTask(
    gs(
      d(t2, m),
      d(e, m),
      h2(arguments)
    ),
    u(arguments)
  );
};
f2.prototype.tags = function(t2, e) {
  return this._runTask(
    Ls(h2(arguments)),
    u(arguments)
  );
};
f2.prototype.rebase = function() {
  return this._runTask(
    g(["rebase", ...h2(arguments)]),
    u(arguments)
  );
};
f2.prototype.reset = function(t2) {
  return this._runTask(
    An(xn(t2), h2(arguments)),
    u(arguments)
  );
};
f2.prototype.revert = function(t2) {
  const e = u(arguments);
  return typeof t2 != "string" ? this._runTask(b2("Commit must be a string"), e) : this._runTask(
    g(["revert", ...h2(arguments, 0, true), t2]),
    e
  );
};
f2.prototype.addTag = function(t2) {
  const e = typeof t2 == "string" ? js(t2) : b2("Git.addTag requires a tag name");
  return this._runTask(e, u(arguments));
};
f2.prototype.addAnnotatedTag = function(t2, e) {
  return this._runTask(
    Bs(t2, e),
    u(arguments)
  );
};
f2.prototype.deleteLocalBranch = function(t2, e, n) {
  return this._runTask(
    cs(t2, typeof e == "boolean" ? e : false),
    u(arguments)
  );
};
f2.prototype.deleteLocalBranches = function(t2, e, n) {
  return this._runTask(
    us(t2, typeof e == "boolean" ? e : false),
    u(arguments)
  );
};
f2.prototype.branch = function(t2, e) {
  return this._runTask(
    is(h2(arguments)),
    u(arguments)
  );
};
f2.prototype.branchLocal = function(t2) {
  return this._runTask(as(), u(arguments));
};
f2.prototype.raw = function(t2) {
  const e = !Array.isArray(t2), n = [].slice.call(e ? arguments : t2, 0);
  for (let s = 0; s < n.length && e; s++)
    if (!st(n[s])) {
      n.splice(s, n.length - s);
      break;
    }
  n.push(...h2(arguments, 0, true));
  var r2 = u(arguments);
  return n.length ? this._runTask(g(n, this._trimmed), r2) : this._runTask(
    b2("Raw: must supply one or more command to execute"),
    r2
  );
};
f2.prototype.submoduleAdd = function(t2, e, n) {
  return this._runTask(As(t2, e), u(arguments));
};
f2.prototype.submoduleUpdate = function(t2, e) {
  return this._runTask(
    Ns(h2(arguments, true)),
    u(arguments)
  );
};
f2.prototype.submoduleInit = function(t2, e) {
  return this._runTask(
    xs(h2(arguments, true)),
    u(arguments)
  );
};
f2.prototype.subModule = function(t2, e) {
  return this._runTask(
    X2(h2(arguments)),
    u(arguments)
  );
};
f2.prototype.listRemote = function() {
  return this._runTask(
    Ss(h2(arguments)),
    u(arguments)
  );
};
f2.prototype.addRemote = function(t2, e, n) {
  return this._runTask(
    vs(t2, e, h2(arguments)),
    u(arguments)
  );
};
f2.prototype.removeRemote = function(t2, e) {
  return this._runTask(Os(t2), u(arguments));
};
f2.prototype.getRemotes = function(t2, e) {
  return this._runTask(Es(t2 === true), u(arguments));
};
f2.prototype.remote = function(t2, e) {
  return this._runTask(
    Rs(h2(arguments)),
    u(arguments)
  );
};
f2.prototype.tag = function(t2, e) {
  const n = h2(arguments);
  return n[0] !== "tag" && n.unshift("tag"), this._runTask(g(n), u(arguments));
};
f2.prototype.updateServerInfo = function(t2) {
  return this._runTask(
    g(["update-server-info"]),
    u(arguments)
  );
};
f2.prototype.pushTags = function(t2, e) {
  const n = Mr(
    { remote: d(t2, m) },
    h2(arguments)
  );
  return this._runTask(n, u(arguments));
};
f2.prototype.rm = function(t2) {
  return this._runTask(
    g(["rm", "-f", ...v(t2)]),
    u(arguments)
  );
};
f2.prototype.rmKeepLocal = function(t2) {
  return this._runTask(
    g(["rm", "--cached", ...v(t2)]),
    u(arguments)
  );
};
f2.prototype.catFile = function(t2, e) {
  return this._catFile("utf-8", arguments);
};
f2.prototype.binaryCatFile = function() {
  return this._catFile("buffer", arguments);
};
f2.prototype._catFile = function(t2, e) {
  var n = u(e), r2 = ["cat-file"], s = e[0];
  if (typeof s == "string")
    return this._runTask(
      b2("Git.catFile: options must be supplied as an array of strings"),
      n
    );
  Array.isArray(s) && r2.push.apply(r2, s);
  const o2 = t2 === "buffer" ? Gt(r2) : g(r2);
  return this._runTask(o2, n);
};
f2.prototype.diff = function(t2, e) {
  const n = m(t2) ? b2(
    "git.diff: supplying options as a single string is no longer supported, switch to an array of strings"
  ) : g(["diff", ...h2(arguments)]);
  return this._runTask(n, u(arguments));
};
f2.prototype.diffSummary = function() {
  return this._runTask(
    fr(h2(arguments, 1)),
    u(arguments)
  );
};
f2.prototype.applyPatch = function(t2) {
  const e = G2(t2) ? Yr(v(t2), h2([].slice.call(arguments, 1))) : b2(
    "git.applyPatch requires one or more string patches as the first argument"
  );
  return this._runTask(e, u(arguments));
};
f2.prototype.revparse = function() {
  const t2 = ["rev-parse", ...h2(arguments, true)];
  return this._runTask(
    g(t2, true),
    u(arguments)
  );
};
f2.prototype.clean = function(t2, e, n) {
  const r2 = un(t2), s = r2 && t2.join("") || d(t2, m) || "", o2 = h2([].slice.call(arguments, r2 ? 1 : 0));
  return this._runTask(
    on2(s, o2),
    u(arguments)
  );
};
f2.prototype.exec = function(t2) {
  const e = {
    commands: [],
    format: "utf-8",
    parser() {
      typeof t2 == "function" && t2();
    }
  };
  return this._runTask(e);
};
f2.prototype.checkIgnore = function(t2, e) {
  return this._runTask(
    fs(v(d(t2, G2, []))),
    u(arguments)
  );
};
f2.prototype.checkIsRepo = function(t2, e) {
  return this._runTask(
    We(d(t2, m)),
    u(arguments)
  );
};
function Is(t2) {
  return t2 ? [{
    type: "spawn.before",
    action(r2, s) {
      t2.aborted && s.kill(new A2(void 0, "abort", "Abort already signaled"));
    }
  }, {
    type: "spawn.after",
    action(r2, s) {
      function o2() {
        s.kill(new A2(void 0, "abort", "Abort signal received"));
      }
      t2.addEventListener("abort", o2), s.spawned.on("close", () => t2.removeEventListener("abort", o2));
    }
  }] : void 0;
}
var Us = $2("", "plugin:allowEnvironment");
function Fs(t2, e = false) {
  const n = new Set(t2.map((r2) => r2.toLowerCase().trim()));
  return {
    type: "spawn.options",
    action(r2, s) {
      const o2 = { ...r2.env ?? process.env }, i = new Set(
        Object.keys(s.env).map((a) => a.toLowerCase().trim())
      );
      for (const a of Object.keys(o2)) {
        const c3 = a.toLowerCase().trim();
        if (!(!Gs(c3) || n.has(c3))) {
          if (i.has(c3))
            throw new A2(
              void 0,
              "allowEnvironment",
              `Use of "${a}" is blocked by the environment guard - add it to the allowEnvironment option to permit it`
            );
          Us("removing ambient guarded environment variable %s", a), delete o2[a];
        }
      }
      return {
        ...r2,
        env: {
          ...o2,
          GIT_TEST_DISALLOW_ABBREVIATED_OPTIONS: String(!e)
        }
      };
    }
  };
}
function Gs(t2) {
  const e = t2.toLowerCase().trim();
  return e.startsWith("git_") || _(e);
}
function zs(t2 = {}) {
  return {
    type: "spawn.args",
    action(e, { env: n }) {
      for (const r2 of oe(e, n))
        if (t2[r2.category] !== true)
          throw new A2(void 0, "unsafe", r2.message);
      return e;
    }
  };
}
function qs(t2) {
  const e = U(t2, "-c");
  return {
    type: "spawn.args",
    action(n) {
      return [...e, ...n];
    }
  };
}
var $t = (0, import_promise_deferred.deferred)().promise;
function Ws({
  onClose: t2 = true,
  onExit: e = 50
} = {}) {
  function n() {
    let s = -1;
    const o2 = {
      close: (0, import_promise_deferred.deferred)(),
      closeTimeout: (0, import_promise_deferred.deferred)(),
      exit: (0, import_promise_deferred.deferred)(),
      exitTimeout: (0, import_promise_deferred.deferred)()
    }, i = Promise.race([
      t2 === false ? $t : o2.closeTimeout.promise,
      e === false ? $t : o2.exitTimeout.promise
    ]);
    return r2(t2, o2.close, o2.closeTimeout), r2(e, o2.exit, o2.exitTimeout), {
      close(a) {
        s = a, o2.close.done();
      },
      exit(a) {
        s = a, o2.exit.done();
      },
      get exitCode() {
        return s;
      },
      result: i
    };
  }
  function r2(s, o2, i) {
    s !== false && (s === true ? o2.promise : o2.promise.then(() => wt(s))).then(i.done);
  }
  return {
    type: "spawn.after",
    async action(s, { spawned: o2, close: i }) {
      const a = n();
      let c3 = true, y2 = () => {
        c3 = false;
      };
      o2.stdout?.on("data", y2), o2.stderr?.on("data", y2), o2.on("error", y2), o2.on("close", (w2) => a.close(w2)), o2.on("exit", (w2) => a.exit(w2));
      try {
        await a.result, c3 && await wt(50), i(a.exitCode);
      } catch (w2) {
        i(a.exitCode, w2);
      }
    }
  };
}
var we = $2("", "plugin:binary");
var Hs = "Invalid value supplied for custom binary, requires a single string or an array containing either one or two strings";
var Ks = "Invalid value supplied for custom binary, restricted characters must be removed or supply the unsafe.allowUnsafeCustomBinary option";
function Vs(t2) {
  return !t2 || !/^([a-z]:)?([a-z0-9/.\\_~-]+)$/i.test(t2);
}
function Pt(t2, e) {
  if (t2.length < 1 || t2.length > 2)
    throw new A2(void 0, "binary", Hs);
  if (t2.some(Vs))
    if (e)
      we("permitted unsafe binary %o", t2);
    else
      throw new A2(void 0, "binary", Ks);
  const [r2, s] = t2;
  return {
    binary: r2,
    prefix: s
  };
}
function Xs(t2, e = ["git"], n = false) {
  let r2 = Pt(v(e), n);
  t2.on("binary", (s) => {
    r2 = Pt(v(s), n), we.info("reconfiguring %o", r2);
  }), t2.append("spawn.binary", () => r2.binary), t2.append("spawn.args", (s) => r2.prefix ? [r2.prefix, ...s] : s);
}
var be = {
  DISALLOWED_ABBREVIATED: {
    text: "disallowed abbreviated or ambiguous option",
    solution: "Unambiguous abbreviated options blocked with unsafe.allowAbbreviatedOptions setting: {message}"
  },
  UNKNOWN: {
    text: "~ unknown ~",
    solution: void 0
  }
};
function Ys(t2) {
  if (!t2)
    return "UNKNOWN";
  for (const [e, { text: n }] of Object.entries(be))
    if (t2.startsWith(`fatal: ${n}`))
      return e;
  return "UNKNOWN";
}
var Qs = class extends O2 {
  constructor(e = "") {
    const n = Ys(e);
    super(void 0, be[n].solution?.replace("{message}", e) ?? e), this.reason = n;
  }
};
function Js(t2) {
  return !!(t2.exitCode && t2.stdErr.length);
}
function Zs(t2) {
  return Buffer.concat([...t2.stdOut, ...t2.stdErr]);
}
function to(t2 = false, e = Js, n = Zs) {
  return (r2, s) => !t2 && r2 || !e(s) ? r2 : n(s);
}
function eo(t2, e) {
  return t2 === 128 && e.startsWith("fatal:") ? new Qs(e) : new O2(void 0, e);
}
function Mt(t2) {
  return {
    type: "task.error",
    action(e, n) {
      const r2 = t2(e.error, {
        stdErr: n.stdErr,
        stdOut: n.stdOut,
        exitCode: n.exitCode
      });
      return Buffer.isBuffer(r2) ? {
        error: eo(n.exitCode, r2.toString("utf-8"))
      } : {
        error: r2
      };
    }
  };
}
var nt = $2("", "plugin:input");
function no(t2) {
  return {
    type: "spawn.after",
    action(e, { commands: n, input: r2, spawned: { stdin: s } }) {
      if (!s)
        return;
      const o2 = t2?.([...n]) ?? r2;
      if (!o2)
        return nt("generated zero length content, not writing to stdin");
      nt("writing %s bytes to stdin", Le(o2)), s.on("error", (i) => {
        i.code !== "EPIPE" && nt("[ERROR] stdin error %o", i);
      }), s.end(o2);
    }
  };
}
var ro = class {
  constructor() {
    this.plugins = /* @__PURE__ */ new Set(), this.events = new Ce();
  }
  on(e, n) {
    this.events.on(e, n);
  }
  reconfigure(e, n) {
    this.events.emit(e, n);
  }
  append(e, n) {
    const r2 = S2(this.plugins, { type: e, action: n });
    return () => this.plugins.delete(r2);
  }
  add(e) {
    const n = [];
    return v(e).forEach(
      (r2) => {
        r2 && this.plugins.add(S2(n, r2));
      }
    ), () => {
      n.forEach((r2) => {
        this.plugins.delete(r2);
      });
    };
  }
  exec(e, n, r2) {
    let s = n;
    const o2 = Object.freeze(Object.create(r2));
    for (const i of this.plugins)
      i.type === e && (s = i.action(s, o2));
    return s;
  }
};
function so(t2) {
  const e = "--progress", n = ["checkout", "clone", "fetch", "pull", "push"];
  return [{
    type: "spawn.args",
    action(o2, i) {
      return n.includes(i.method) ? De(o2, e) : o2;
    }
  }, {
    type: "spawn.after",
    action(o2, i) {
      i.commands.includes(e) && i.spawned.stderr?.on("data", (a) => {
        const c3 = /^([\s\S]+?):\s*(\d+)% \((\d+)\/(\d+)\)/.exec(a.toString("utf8"));
        c3 && t2({
          method: i.method,
          stage: oo(c3[1]),
          progress: p(c3[2]),
          processed: p(c3[3]),
          total: p(c3[4])
        });
      });
    }
  }];
}
function oo(t2) {
  return String(t2.toLowerCase().split(" ", 1)) || "unknown";
}
function io(t2) {
  const e = je(t2, ["uid", "gid"]);
  return {
    type: "spawn.options",
    action(n) {
      return { ...e, ...n };
    }
  };
}
function ao() {
  return {
    type: "spawn.args",
    action(t2) {
      const e = [];
      let n;
      function r2(s) {
        (n = n || []).push(...s);
      }
      for (let s = 0; s < t2.length; s++) {
        const o2 = t2[s];
        if (r(o2)) {
          r2(o(o2));
          continue;
        }
        if (o2 === "--") {
          r2(
            t2.slice(s + 1).flatMap((i) => r(i) && o(i) || i)
          );
          break;
        }
        e.push(o2);
      }
      return n ? [...e, "--", ...n.map(String)] : e;
    }
  };
}
function uo({
  block: t2,
  stdErr: e = true,
  stdOut: n = true
}) {
  if (t2 > 0)
    return {
      type: "spawn.after",
      action(r2, s) {
        let o2;
        function i() {
          o2 && clearTimeout(o2), o2 = setTimeout(c3, t2);
        }
        function a() {
          s.spawned.stdout?.off("data", i), s.spawned.stderr?.off("data", i), s.spawned.off("exit", a), s.spawned.off("close", a), o2 && clearTimeout(o2);
        }
        function c3() {
          a(), s.kill(new A2(void 0, "timeout", "block timeout reached"));
        }
        n && s.spawned.stdout?.on("data", i), e && s.spawned.stderr?.on("data", i), s.spawned.on("exit", a), s.spawned.on("close", a), i();
      }
    };
}
var wo = (t2, e) => {
  const n = new ro(), r2 = Ge(
    t2 && (typeof t2 == "string" ? { baseDir: t2 } : t2) || {},
    e
  );
  if (!Lt(r2.baseDir))
    throw new Ae(
      r2,
      "Cannot use simple-git on a directory that does not exist"
    );
  return Array.isArray(r2.config) && n.add(qs(r2.config)), n.add(zs(r2.unsafe)), n.add(Ws(r2.completion)), r2.abort && n.add(Is(r2.abort)), r2.progress && n.add(so(r2.progress)), r2.timeout && n.add(uo(r2.timeout)), r2.spawnOptions && n.add(io(r2.spawnOptions)), n.add(ao()), n.add(no(r2.input)), n.add(Mt(to(true))), r2.errors && n.add(Mt(r2.errors)), Xs(n, r2.binary, r2.unsafe?.allowUnsafeCustomBinary), n.add(
    Fs(r2.allowEnvironment ?? [], r2.unsafe?.allowAbbreviatedOptions)
  ), new f2(r2, n);
};

// src/pipeline/default-branch.ts
async function fetchDefaultBranch(repoDir, branch, log) {
  const git = wo(repoDir);
  const remotes = await git.getRemotes();
  if (!remotes.some((r2) => r2.name === "origin")) return branch;
  const remoteRef = `refs/remotes/origin/${branch}`;
  try {
    await gitRun(repoDir, ["fetch", "--quiet", "--no-tags", "origin", `+refs/heads/${branch}:${remoteRef}`]);
    return remoteRef;
  } catch (err) {
    log?.(`could not fetch ${branch} from origin (${errorMessage(err).trim()}); using the last fetched state`);
  }
  const known = await git.raw(["rev-parse", "--verify", "--quiet", remoteRef]).catch(() => "");
  return known.trim() ? remoteRef : branch;
}

// src/pipeline/crew-source.ts
async function loadDefaultCrew(repoDir, branch, env, log) {
  return loadCrewAt(repoDir, await fetchDefaultBranch(repoDir, branch, log), env);
}
async function loadCrewAt(repoDir, ref, env) {
  return { ...await loadCrew(await snapshotFromGit(repoDir, ref), env), ref };
}

// src/approvals/resolve-pull.ts
var DIFF_BUDGET = 6e3;
async function resolvePull(s, crew2, p2, closer) {
  const id = idFromBranch(p2.headRef);
  if (!id || p2.state !== "closed") return handled();
  const foreign = notOwnApprovalPull(p2, await gitcrewLogins(s));
  if (foreign) {
    s.log(`approval #${p2.number} ignored: not gitcrew's own approval pull request (${foreign})`);
    return handled();
  }
  if (!p2.merged || !p2.mergeSha) return resolveRejected(s, crew2, p2, id, closer);
  return resolveMerged(s, crew2, p2, p2.mergeSha, id, closer);
}
async function resolved(s, p2, replies, jobs = []) {
  await s.github.addLabels?.(repoOfPull(p2), p2.number, [RESOLVED_LABEL]).catch((err) => s.log(`could not label #${p2.number}: ${errorMessage(err)}`));
  return handled(jobs, replies);
}
async function resolveRejected(s, crew2, p2, id, closer) {
  const marker = parseApprovalMarker(p2.body);
  let req;
  if (p2.headSha && await ensureCommit(s.repoDir, p2.headSha, [p2.headRef])) {
    const text2 = await showFile(s.repoDir, p2.headSha, approvalPath(id));
    req = text2 ? parseRequest(text2, id) : void 0;
  }
  const agent = req?.agent || marker?.agent || "the agent";
  const thread = req?.thread || marker?.thread || p2.number;
  const what = req ? describeRequest(req) : "the request";
  const by = closer ? ` by @${closer}` : "";
  const body = `\u274C Approval request #${p2.number} (${what} for @${agent}) was closed${by} without merging: it is **rejected**, and @${agent} does not go ahead with it.`;
  const replies = await claimReply(s, repoOfPull(p2), thread, `approval:${p2.repo.fullName}#${p2.number}:rejected`, body);
  await decided(s, p2, "rejected", closer);
  if (req && p2.headSha && await madeByGitcrew(s, crew2, p2.headSha, req.agent)) {
    await pushRef(s.repoDir, p2.headSha, `${REJECTED_REF_PREFIX}${id}`).catch((err) => s.log(`could not record rejection of ${id}: ${errorMessage(err)}`));
  }
  return resolved(s, p2, replies);
}
async function decided(s, p2, decision, by) {
  await s.recordDecision?.({ repo: p2.repo.fullName, pull: p2.number, decision, ...by ? { by } : {} });
}
async function madeByGitcrew(s, crew2, sha, agentName) {
  const agent = crew2.agents.find((a) => a.name === agentName);
  const made = await commitIdentity(s.repoDir, sha);
  const ok = !!agent && !!made && made.parents === 1 && [made.author, made.committer].every((who) => who.name === agent.git.name && who.email === agent.git.email);
  if (!ok) s.log(`no rejected ref for ${sha.slice(0, 12)}: not the request commit gitcrew made for @${agentName}`);
  return ok;
}
async function resolveMerged(s, crew2, p2, mergeSha, id, closer) {
  const rid = repoOfPull(p2);
  if (!await ensureCommit(s.repoDir, mergeSha, [p2.baseRef, p2.repo.defaultBranch])) {
    throw new Error(`approval #${p2.number}: merge commit ${mergeSha} is not reachable from origin`);
  }
  const marker = parseApprovalMarker(p2.body);
  const parent = await mergeBase(s.repoDir, mergeSha, approvalPath(id));
  const text2 = await showFile(s.repoDir, mergeSha, approvalPath(id));
  const req = text2 ? parseRequest(text2, id) : void 0;
  const agentName = (req?.agent || marker?.agent || "").toLowerCase();
  const thread = req?.thread || marker?.thread || p2.number;
  const paths = await changedPaths(s.repoDir, parent, mergeSha);
  const defPaths = paths.filter((f3) => f3.startsWith(".gitcrew/") && f3 !== approvalPath(id));
  const asked = await originalRequestOf(s, p2, parent, id);
  const before = await crewAt(s, parent);
  if (!before.crew) {
    const body2 = `\u26A0\uFE0F Approval request #${p2.number} was merged, but it does not count as an approval: the crew on ${p2.repo.defaultBranch} before the merge (${parent.slice(0, 12)}) does not load (${before.why}), so gitcrew cannot tell who may approve. @${agentName || "the agent"} does not go ahead. Fix \`.gitcrew/\`, then an approver can open the same change again and merge it.`;
    await recordOutcome(s, id, mergeSha, { outcome: "not-counted", by: p2.mergedBy?.login ?? closer ?? "", why: `the crew before the merge does not load (${before.why})` });
    await decided(s, p2, "not-counted", p2.mergedBy?.login ?? closer);
    return resolved(s, p2, await claimReply(s, rid, thread, `approval:${p2.repo.fullName}#${p2.number}:not-counted`, body2));
  }
  const judge = before.crew;
  const after = defPaths.length > 0 ? (await loadDefaultCrew(s.repoDir, p2.repo.defaultBranch, s.env, s.log).catch(() => void 0))?.crew ?? crew2 : crew2;
  const agent = after.agents.find((a) => a.name === agentName);
  const merger = p2.mergedBy ?? { login: closer ?? "" };
  const ctx = {
    // Every name gitcrew recorded as the requester counts, not only the one in the merged (editable) file.
    requester: [asked?.requested_by, marker?.by, req?.requested_by].filter((r2) => !!r2),
    agent: agentName,
    opener: p2.author,
    paths,
    ...judge.config.approvers.codeowners ? { codeowners: await readCodeowners(s.repoDir, parent) } : {}
  };
  const verdict = await judgeApprover(s, judge, rid, merger, ctx);
  await recordOutcome(s, id, mergeSha, { outcome: verdict.ok ? "approved" : "not-counted", by: merger.login, why: verdict.why });
  await decided(s, p2, verdict.ok ? "approved" : "not-counted", merger.login);
  if (!verdict.ok) {
    const body2 = `\u26A0\uFE0F Approval request #${p2.number} was merged by @${merger.login || "someone"}, but that does not count as an approval: ${verdict.why}. Only ${whoCanApprove(judge.config)} can approve; @${agentName || "the agent"} does not go ahead. A maintainer can revert the merge, or an approver can open the same change again and merge it.`;
    return resolved(s, p2, await claimReply(s, rid, thread, `approval:${p2.repo.fullName}#${p2.number}:not-counted`, body2));
  }
  const key2 = `approval:${p2.repo.fullName}#${p2.number}:approved`;
  if (!agent) {
    const body2 = `\u2705 @${merger.login} approved #${p2.number}, but no agent "${agentName}" is in the crew any more: nothing to continue.`;
    return resolved(s, p2, await claimReply(s, rid, thread, key2, body2));
  }
  const preface = await approvedPreface(s, { p: p2, id, parent, mergeSha, req, asked, defPaths, merger: merger.login, agent, why: verdict.why });
  const summary2 = req ? `approved ${describeRequest(req)} in #${p2.number}; continue.` : `approved #${p2.number}; continue.`;
  const job2 = await followUp(s, { crew: after, repo: p2.repo, thread, agent, actor: merger, text: summary2, preface, note: `approved by @${merger.login} in #${p2.number}` });
  const approvedWhat = req ? describeRequest(req) : "the merged change";
  if (typeof job2 === "string") {
    const body2 = `\u2705 @${merger.login} approved #${p2.number} (${approvedWhat}), but @${agent.name} cannot continue here: ${job2}.`;
    return resolved(s, p2, await claimReply(s, rid, thread, key2, body2));
  }
  const body = `\u2705 @${merger.login} approved #${p2.number}: ${approvedWhat}. @${agent.name} continues here.`;
  const claimed = await claimFollowUp(s, { repo: rid, issue: thread, key: key2, body, job: job2, pull: p2.number });
  if ("busy" in claimed) return handled();
  if ("settled" in claimed) return resolved(s, p2, []);
  return handled([claimed.queue], claimed.reply ? [claimed.reply] : []);
}
async function approvedPreface(s, m2) {
  const { p: p2, req, asked } = m2;
  const defDiff = clip(await diff(s.repoDir, m2.parent, m2.mergeSha, m2.defPaths), DIFF_BUDGET);
  const lines = [
    `Approved: @${m2.merger} merged approval request #${p2.number} (${p2.url}), approving what you (@${m2.agent.name}) asked for, as merged (${m2.why}).`
  ];
  if (req) {
    lines.push("", "What was approved (read from the merge commit, which is what counts):", `- kind: ${req.kind}`, `- what: ${inline(req.what)}`);
    if (req.reason) lines.push(`- reason given: ${inline(req.reason)}`);
    if (asked && (asked.what !== req.what || asked.kind !== req.kind)) {
      lines.push(`- note: you asked for ${asked.kind} "${inline(asked.what)}"; the approver changed it before merging. Only what is listed above is approved.`);
    }
  } else {
    lines.push("", `The request file ${approvalPath(m2.id)} was not in what was merged; only the changes below are approved.`);
  }
  if (defDiff.trim()) lines.push("", "The merge changed the crew definition:", "```diff", defDiff.trimEnd(), "```");
  lines.push("", "Continue the work where you left off, using only what was approved.");
  return lines.join("\n");
}
async function readCodeowners(repoDir, commit) {
  for (const path of [".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS"]) {
    const text2 = await showFile(repoDir, commit, path);
    if (text2 !== void 0) return text2;
  }
  return void 0;
}
async function mergeBase(repoDir, mergeSha, requestPath) {
  const first = await firstParent(repoDir, mergeSha) ?? mergeSha;
  if (await showFile(repoDir, mergeSha, requestPath) === void 0) return first;
  let cur = mergeSha;
  for (let i = 0; i < 100; i++) {
    const p2 = await firstParent(repoDir, cur);
    if (!p2) break;
    if (await showFile(repoDir, p2, requestPath) === void 0) return p2;
    cur = p2;
  }
  return first;
}
async function crewAt(s, commit) {
  const r2 = await loadCrew(await snapshotFromGit(s.repoDir, commit), s.env);
  const first = r2.errors[0];
  return { crew: r2.crew, why: first ? `${first.file}:${first.line}: ${first.message}${r2.errors.length > 1 ? ` and ${r2.errors.length - 1} more` : ""}` : "no crew" };
}
async function originalRequestOf(s, p2, parent, id) {
  const haveHead = p2.headSha ? await ensureCommit(s.repoDir, p2.headSha, [p2.headRef]) : false;
  return haveHead ? await originalRequest(s.repoDir, parent, p2.headSha, id).catch(() => void 0) : void 0;
}
async function originalRequest(repoDir, base, head, id) {
  const [first] = await commitsBetween(repoDir, base, head);
  if (!first) return void 0;
  const text2 = await showFile(repoDir, first, approvalPath(id));
  return text2 ? parseRequest(text2, id) : void 0;
}

// src/approvals/review.ts
async function handleReview(s, t2, crew2) {
  const thread = t2.thread;
  const pr2 = thread?.pr;
  if (!thread || !pr2 || t2.reviewState !== "approved") return notHandled();
  const rid = repoId(t2);
  if (pr2.fork) {
    const pending = (await pendingRefusals(s, rid, t2.repo.fullName, thread.number, t2.comment?.id)).filter((m2) => m2.sha !== "-" && m2.sha === t2.sha);
    if (pending.length === 0) return await claimedVia(s, rid, thread.number, approvingEvent(t2)) ? handled() : notHandled();
    const last = pending[pending.length - 1];
    const verdict2 = await judgeApprover(s, crew2, rid, t2.actor, { requester: last.actor });
    if (!verdict2.ok) return notHandled();
    const group = pending.filter((m2) => m2.key === last.key);
    return runRefused(s, crew2, t2, group, t2.actor.login, " (approving review)");
  }
  const prefix = `${crew2.config.branch_prefix}/`;
  if (!pr2.headRef.startsWith(prefix)) return notHandled();
  const agentName = pr2.headRef.slice(prefix.length).split("/")[0] ?? "";
  const agent = crew2.agents.find((a) => a.name === agentName);
  if (!agent || agent.gated.length === 0) return notHandled();
  const requester = await whoAskedForWork(s, rid, { headRef: pr2.headRef, body: thread.body, prefix: `${prefix}${agent.name}/` }, agent.name);
  const verdict = await judgeApprover(s, crew2, rid, t2.actor, { agent: agent.name, opener: thread.author, requester });
  if (!verdict.ok) return notHandled();
  const sha = t2.sha || pr2.headSha;
  const preface = [
    `Approved: @${t2.actor.login} approved your pull request #${thread.number} in a review, at commit ${sha.slice(0, 12)} (${verdict.why}).`,
    `Your definition gates these steps on that approval: ${agent.gated.join(", ")}. You may take them now, for exactly this commit; new commits need a new approval.`,
    t2.text.trim() ? `The review said:
${t2.text.trim()}` : ""
  ].filter(Boolean).join("\n");
  const sessions = await linkedSessions(s, rid, thread.number, agent.name);
  const job2 = await followUp(s, {
    crew: crew2,
    repo: t2.repo,
    thread: thread.number,
    agent,
    actor: t2.actor,
    text: `approved #${thread.number} at ${sha.slice(0, 7)}; go ahead.`,
    preface,
    note: `approving review by @${t2.actor.login}`,
    sessions
  });
  if (typeof job2 === "string") return notHandled();
  const key2 = `review:${t2.repo.fullName}#${thread.number}:${t2.comment?.id ?? sha}`;
  const body = `\u2705 @${t2.actor.login} approved this at \`${sha.slice(0, 7)}\`: @${agent.name} goes ahead with ${agent.gated.join(", ")}.`;
  const claimed = await claimFollowUp(s, { repo: rid, issue: thread.number, key: key2, body, job: job2, via: approvingEvent(t2) });
  if (!("queue" in claimed)) return handled();
  return handled([claimed.queue], claimed.reply ? [claimed.reply] : []);
}
async function whoAskedForWork(s, rid, pr2, agent) {
  const threads = /* @__PURE__ */ new Set();
  const fromBranch = pr2.headRef.startsWith(pr2.prefix) ? /^(\d+)$/.exec(pr2.headRef.slice(pr2.prefix.length))?.[1] : void 0;
  if (fromBranch) threads.add(Number(fromBranch));
  const closes = /\b(?:close[sd]?|fix(?:e[sd])?|resolve[sd]?)\s+#(\d+)\b/i.exec(pr2.body)?.[1];
  if (closes) threads.add(Number(closes));
  const out = [];
  for (const n of threads) {
    const comments = await botComments(s, rid, n).catch(() => []);
    const first = comments.map((c3) => ({ id: c3.id, origin: parseOrigin(c3.body) })).filter((c3) => c3.origin?.agent === agent && c3.origin.by).sort((a, b3) => a.id - b3.id)[0];
    if (first?.origin?.by) out.push(first.origin.by);
  }
  return out;
}
async function linkedSessions(s, rid, pr2, agent) {
  const own = readSessions((await botComments(s, rid, pr2)).map((c3) => c3.body));
  if (own[agent]) return void 0;
  const body = pullView(await s.github.getPullRequest(rid, pr2)).body;
  const linked = /\b(?:close[sd]?|fix(?:e[sd])?|resolve[sd]?)\s+#(\d+)\b/i.exec(body)?.[1];
  if (!linked) return void 0;
  const theirs = readSessions((await botComments(s, rid, Number(linked))).map((c3) => c3.body));
  return theirs[agent] ? { ...own, [agent]: theirs[agent] } : void 0;
}

// src/approvals/definition-edit.ts
var import_yaml = __toESM(require_dist(), 1);
var SECRET_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;
var PERMISSION_NAME = /^[a-z][a-z_-]{0,63}$/;
var RANK = { none: 0, read: 1, write: 2 };
function additionOf(kind, what, agent) {
  const w2 = what.trim();
  if (kind === "secret") {
    if (!SECRET_NAME.test(w2)) return { why: `"${clipText(w2)}" is not a secret name (letters, digits and _; never a value)` };
    const reserved = reservedSecretReason(w2);
    if (reserved) return { why: reserved };
    if (agent.secrets.includes(w2)) return { why: `@${agent.name} already declares the secret ${w2}` };
    return { add: { kind: "secret", name: w2 } };
  }
  if (kind === "permission") {
    const m2 = /^([a-z][a-z_-]*)\s*[:=\s]\s*"?(read|write)"?$/.exec(w2);
    if (!m2 || !PERMISSION_NAME.test(m2[1] ?? "")) return { why: `"${clipText(w2)}" is not a permission as \`name: read|write\` (e.g. \`actions: write\`)` };
    const name = m2[1];
    const level = m2[2];
    if ((RANK[agent.permissions[name] ?? "none"] ?? 0) >= (RANK[level] ?? 0)) return { why: `@${agent.name} already has ${name}: ${agent.permissions[name]}` };
    return { add: { kind: "permission", name, level } };
  }
  return { why: `a ${kind} request does not change the agent's definition` };
}
function editDefinition(file, text2, add, agent) {
  return file.endsWith(".cue") ? editCue(text2, add, agent) : editYaml(text2, add, agent);
}
function editYaml(text2, add, agent) {
  const doc = (0, import_yaml.parseDocument)(text2);
  if (doc.errors.length > 0 || !(0, import_yaml.isMap)(doc.contents)) return { ok: false, why: "the file is not a YAML mapping" };
  if (add.kind === "secret") {
    const list2 = doc.get("secrets", true);
    if (list2 === void 0) doc.set("secrets", doc.createNode([add.name], { flow: true }));
    else if ((0, import_yaml.isSeq)(list2)) list2.add(doc.createNode(add.name));
    else return { ok: false, why: "`secrets` is not a list" };
  } else {
    const perms = doc.get("permissions", true);
    if (perms === void 0) doc.set("permissions", { ...agent.permissions, [add.name]: add.level });
    else if ((0, import_yaml.isMap)(perms)) perms.set(add.name, add.level);
    else return { ok: false, why: "`permissions` is not a mapping" };
  }
  return { ok: true, text: doc.toString({ lineWidth: 0 }) };
}
function fieldLines(lines, name) {
  return lines.flatMap((l3, i) => new RegExp(`^"?${name}"?\\s*:`).test(l3) ? [i] : []);
}
function mentionedOutsideTop(lines, name, top) {
  return lines.some((l3, i) => !top.includes(i) && new RegExp(`\\b${name}\\b`).test(l3.replace(/\/\/.*$/, "")));
}
var STRING = /^"(?:[^"\\]|\\.)*"$/;
var PERM_LINE = /^(\s+)"?([a-z][a-z_-]*)"?\s*:\s*"(read|write|none)"\s*,?\s*(\/\/.*)?$/;
function editCue(text2, add, agent) {
  const lines = text2.split("\n");
  const field = add.kind === "secret" ? "secrets" : "permissions";
  const top = fieldLines(lines, field);
  const unsafe = { ok: false, why: `\`${field}\` in agent.cue is not in a form gitcrew edits (a one-line list, or a block of \`name: "level"\` lines)` };
  if (top.length > 1 || mentionedOutsideTop(lines, field, top)) return unsafe;
  const at2 = top[0];
  if (add.kind === "secret") {
    if (at2 === void 0) return { ok: true, text: appendField(text2, `secrets: [${JSON.stringify(add.name)}]`) };
    const m2 = /^("?secrets"?\s*:\s*)\[([^\]]*)\](\s*(?:\/\/.*)?)$/.exec(lines[at2] ?? "");
    if (!m2) return unsafe;
    const items = (m2[2] ?? "").split(",").map((x3) => x3.trim()).filter(Boolean);
    if (!items.every((x3) => STRING.test(x3))) return unsafe;
    lines[at2] = `${m2[1]}[${[...items, JSON.stringify(add.name)].join(", ")}]${m2[3] ?? ""}`;
    return { ok: true, text: lines.join("\n") };
  }
  if (at2 === void 0) {
    const all = { ...agent.permissions, [add.name]: add.level };
    const body = Object.entries(all).map(([k2, v2]) => `	${k2}: ${JSON.stringify(v2)}`);
    return { ok: true, text: appendField(text2, ["permissions: {", ...body, "}"].join("\n")) };
  }
  if (!/^"?permissions"?\s*:\s*\{\s*(\/\/.*)?$/.test(lines[at2] ?? "")) return unsafe;
  const end = lines.findIndex((l3, i) => i > at2 && /^\}\s*(\/\/.*)?$/.test(l3));
  if (end < 0) return unsafe;
  let indent = "	";
  for (let i = at2 + 1; i < end; i++) {
    const l3 = lines[i] ?? "";
    if (!l3.trim() || /^\s*\/\//.test(l3)) continue;
    const m2 = PERM_LINE.exec(l3);
    if (!m2) return unsafe;
    indent = m2[1] ?? indent;
    if (m2[2] === add.name) {
      lines[i] = l3.replace(/"(read|write|none)"/, JSON.stringify(add.level));
      return { ok: true, text: lines.join("\n") };
    }
  }
  lines.splice(end, 0, `${indent}${add.name}: ${JSON.stringify(add.level)}`);
  return { ok: true, text: lines.join("\n") };
}
function appendField(text2, field) {
  return `${text2.replace(/\s*$/, "")}
${field}
`;
}
function clipText(s) {
  return s.length > 60 ? `${s.slice(0, 59)}\u2026` : s;
}

// src/approvals/definition-change.ts
async function definitionChange(base, agentName, kind, what, env) {
  if (kind === "package") {
    return {
      edited: false,
      said: "A package is not part of an agent's definition: merging approves it, and a maintainer then adds it to the agent's image (`image` in its definition) and rebuilds that image. Until then the agent does not have it."
    };
  }
  if (kind !== "secret" && kind !== "permission") return { edited: false, said: "" };
  const manual = (why) => ({
    edited: false,
    said: `The agent's definition is **not** edited by this pull request (${why}): merging records the approval only, and a maintainer has to add ${kind === "secret" ? `\`${what.trim()}\` to its \`secrets\`` : `\`${what.trim()}\` to its \`permissions\``} for it to take effect.`
  });
  if (!base.crew) return manual(`the crew on the default branch does not load: ${base.why ?? "unknown error"}`);
  const agent = base.crew.agents.find((a) => a.name === agentName);
  if (!agent) return manual(`no agent "${agentName}" on the default branch`);
  const found = additionOf(kind, what, agent);
  if ("why" in found) return manual(found.why);
  const text2 = base.snapshot.entries.get(agent.file)?.content?.toString("utf8");
  if (text2 === void 0) return manual(`${agent.file} could not be read`);
  const edit = editDefinition(agent.file, text2, found.add, agent);
  if (!edit.ok) return manual(edit.why);
  const problem = await checkEdit(base.snapshot, agent, found.add, edit.text, env);
  if (problem) return manual(`the edited ${agent.file} ${problem}`);
  const effect = found.add.kind === "secret" ? `declares the secret \`${found.add.name}\` for @${agent.name} (its value comes from the runner's environment or the workflow's secrets, never from the repo)` : `gives @${agent.name}'s GitHub token \`${found.add.name}: ${found.add.level}\``;
  return { edited: true, file: agent.file, text: edit.text, said: `This pull request also edits \`${agent.file}\`: merging it ${effect}. The follow-up run has it.` };
}
async function checkEdit(snap, before, add, text2, env) {
  const entries = new Map(snap.entries);
  const content = Buffer.from(text2, "utf8");
  entries.set(before.file, { path: before.file, size: content.length, content });
  const r2 = await loadCrew({ origin: `${snap.origin} with the approval's edit`, version: `${snap.version}+approval`, entries }, env);
  const first = r2.errors[0];
  if (!r2.crew) return `does not load (${first ? `${first.file}:${first.line}: ${first.message}` : "no crew"})`;
  const after = r2.crew.agents.find((a) => a.name === before.name);
  if (!after) return "loses the agent";
  const expected = add.kind === "secret" ? same([...before.secrets, add.name], after.secrets) && samePermissions(before.permissions, after.permissions) : same(before.secrets, after.secrets) && samePermissions({ ...before.permissions, [add.name]: add.level }, after.permissions);
  return expected ? void 0 : "does not give exactly what was asked";
}
function same(a, b3) {
  return a.length === b3.length && [...a].sort().join("\0") === [...b3].sort().join("\0");
}
function samePermissions(a, b3) {
  const keys = /* @__PURE__ */ new Set([...Object.keys(a), ...Object.keys(b3)]);
  return [...keys].every((k2) => (a[k2] ?? "none") === (b3[k2] ?? "none"));
}

// src/approvals/gated-actions.ts
function gatedActionOf(what, gated) {
  const first = (what.trim().split(/[\s:]+/)[0] ?? "").toLowerCase();
  return first ? gated.find((g2) => g2.toLowerCase() === first) : void 0;
}
function refusedActionReply(agent, what, gated, crewError) {
  const asked = what.trim().split("\n")[0]?.slice(0, 80) || "(nothing)";
  if (crewError) {
    return `\u26A0\uFE0F @${agent} asked for approval of the action \`${asked.replace(/`/g, "'")}\`, but the crew on the default branch does not load (${crewError}), so gitcrew cannot tell which actions are gated: no approval request was opened. Fix \`.gitcrew/\`, then ask again.`;
  }
  const allowed = gated.length ? `The crew's gated actions are ${gated.map((g2) => `\`${g2}\``).join(", ")}: ask for one of them with \`gitcrew-request-approval --kind action --what ${gated[0]} --reason "\u2026"\`.` : "This crew gates no actions (`gated_actions` in `.gitcrew/crew.cue` is empty).";
  return [
    `\u26A0\uFE0F @${agent} asked for approval of the action \`${asked.replace(/`/g, "'")}\`, but that is not one of the crew's gated actions, so no approval request was opened.`,
    allowed,
    "A step that is not gated needs no approval; a new gated action is added to `gated_actions` in `.gitcrew/crew.cue` by a maintainer."
  ].join("\n\n");
}

// src/approvals/open-requests.ts
var REQUEST_TEXT = 8e3;
var MAX_REQUESTS_PER_RUN = 5;
async function openApprovalRequests(s, job2, result) {
  if (result.approvals.length === 0) return [];
  const t2 = job2.trigger;
  const rid = repoId(t2);
  const ref = await fetchDefaultBranch(s.repoDir, t2.repo.defaultBranch, s.log);
  const base = await revParse(s.repoDir, ref);
  if (!base) throw new Error(`cannot open approval requests: ${t2.repo.defaultBranch} is not in ${s.repoDir}`);
  const crewAtBase = await baseCrew(s, base);
  const out = [];
  const over = result.approvals.length - MAX_REQUESTS_PER_RUN;
  if (over > 0) {
    s.log(`approval requests of run ${result.run}: ${result.approvals.length} asked, the first ${MAX_REQUESTS_PER_RUN} opened`);
    if (t2.thread)
      await claimReply(s, rid, t2.thread.number, `approval-cap:${t2.repo.fullName}:${result.run}`, `@${job2.agent.name} asked for ${result.approvals.length} approvals in one run; gitcrew opens at most ${MAX_REQUESTS_PER_RUN} per run, so the other ${over} were not opened.`);
  }
  for (const [i, asked] of result.approvals.slice(0, MAX_REQUESTS_PER_RUN).entries()) {
    const a = { kind: asked.kind, what: clip(asked.what.trim(), REQUEST_TEXT), reason: clip(asked.reason.trim(), REQUEST_TEXT) };
    const id = approvalId(job2.agent.name, result.run, i, a.kind, a.what);
    if (a.kind === "action") {
      const gated = crewAtBase.crew?.config.gated_actions ?? [];
      if (!gatedActionOf(a.what, gated)) {
        s.log(`approval request ${id} refused: "${a.what.slice(0, 80)}" is not a gated action`);
        if (t2.thread) await claimReply(s, rid, t2.thread.number, `approval-refused:${t2.repo.fullName}:${id}`, refusedActionReply(job2.agent.name, neutralizeAgentText(a.what), gated, crewAtBase.crew ? void 0 : crewAtBase.why));
        continue;
      }
    }
    const reserved = a.kind === "secret" ? reservedSecretReason(a.what) : void 0;
    if (reserved) {
      s.log(`approval request ${id} refused: ${reserved}`);
      if (t2.thread) await claimReply(s, rid, t2.thread.number, `approval-refused:${t2.repo.fullName}:${id}`, `@${job2.agent.name} asked for a secret gitcrew does not give to agents: ${reserved}. No approval request was opened.`);
      continue;
    }
    const req = {
      id,
      kind: a.kind,
      what: a.what,
      reason: a.reason,
      agent: job2.agent.name,
      requested_by: t2.actor.login,
      run: result.run,
      repo: t2.repo.fullName,
      thread: t2.thread?.number ?? 0,
      ...t2.thread?.url ? { thread_url: t2.thread.url } : {},
      requested_at: result.finishedAt || (/* @__PURE__ */ new Date()).toISOString()
    };
    const files = { [approvalPath(id)]: renderRequest(req) };
    if (a.kind === "instructions" && a.what.trim()) {
      const path = `${job2.agent.dir}/instructions.md`;
      const current = await showFile(s.repoDir, base, path) ?? "";
      files[path] = `${current.trimEnd()}

${a.what.trim()}
`;
    }
    const change = await definitionChange(crewAtBase, job2.agent.name, a.kind, a.what, s.env);
    if (change.edited) files[change.file] = change.text;
    const what = neutralizeAgentText(describeRequest(req));
    const branch = approvalBranch(id);
    await pushFiles(s.repoDir, { base, branch, files, message: `Approval request: @${job2.agent.name} asks for ${what}`, identity: job2.agent.git });
    const where = t2.thread ? ` in #${t2.thread.number}` : "";
    const body = [
      `@${job2.agent.name} asks for **${what}**${where} (run ${result.run}, started by @${t2.actor.login}).`,
      "",
      `- kind: \`${a.kind}\``,
      // The agent's words, neutralised: they can never write a gitcrew marker (agent-text.ts).
      `- what: ${neutralizeAgentText(a.what) || "(not given)"}`,
      `- why: ${neutralizeAgentText(a.reason) || "(not given)"}`,
      "",
      ...change.said ? [change.said, ""] : [],
      `**Merge** this pull request to approve, **close** it to reject. What is merged is what is approved: edit \`${approvalPath(id)}\`${change.edited ? ` and \`${change.file}\`` : ""} first to approve less.`,
      "Only the approvers named in `.gitcrew/crew.cue` count; the requester, the agent and bots never do.",
      "",
      approvalMarker({ id, agent: job2.agent.name, thread: t2.thread?.number ?? 0, by: t2.actor.login })
    ].join("\n");
    const title = `Approval: @${job2.agent.name} asks for ${what.replace(/\s+/g, " ")}`;
    const pr2 = await s.github.openOrUpdatePullRequest(rid, { head: branch, title: title.length > 200 ? `${title.slice(0, 199)}\u2026` : title, body });
    await s.github.addLabels?.(rid, pr2.number, [APPROVAL_LABEL]);
    out.push({ number: pr2.number, url: pr2.url, kind: a.kind, reason: a.reason });
  }
  return out;
}
async function baseCrew(s, base) {
  const snapshot = await snapshotFromGit(s.repoDir, base);
  const r2 = await loadCrew(snapshot, s.env);
  const first = r2.errors[0];
  return { snapshot, crew: r2.crew, ...first ? { why: `${first.file}:${first.line}: ${first.message}` } : {} };
}

// src/approvals/reconcile.ts
async function reconcileApprovals(s, crew2, repo) {
  const rid = repo ?? await repoFromOrigin(s.repoDir);
  if (!rid || !s.github.listPullRequests) return [];
  const closed = await s.github.listPullRequests(rid, { state: "closed", max: 300 });
  const jobs = [];
  for (const p2 of closed) {
    if (!isApprovalPull(p2) || p2.labels.includes(RESOLVED_LABEL)) continue;
    try {
      const view = pullView(await s.github.getPullRequest(rid, p2.number));
      jobs.push(...(await resolvePull(s, crew2, view)).jobs);
    } catch (err) {
      s.log(`reconcile: approval #${p2.number}: ${errorMessage(err)}`);
    }
  }
  return jobs;
}

// src/approvals/index.ts
async function handleApprovalEvent(s, t2, crew2, plan2) {
  const pr2 = t2.thread?.pr;
  if (t2.event === "pull_request" && pr2 && !pr2.fork && idFromBranch(pr2.headRef) && t2.thread) {
    if (t2.action !== "closed") return handled();
    const view = pullView(await s.github.getPullRequest(repoId(t2), t2.thread.number));
    if (view.labels.includes(APPROVAL_LABEL)) return resolvePull(s, crew2, view, t2.actor.login);
    return notHandled();
  }
  if (t2.event === "pull_request_review") {
    const r2 = await handleReview(s, t2, crew2);
    if (r2.handled) return r2;
  }
  const approve = plan2.commands.find((c3) => c3.name === "approve");
  if (approve?.allowed && t2.thread) return handleApproveCommand(s, t2, crew2, approve.args);
  return notHandled();
}

// src/pipeline/git-remote.ts
async function hasOrigin(repoDir) {
  return (await wo(repoDir).getRemotes()).some((r2) => r2.name === "origin");
}
var askedAhead = /* @__PURE__ */ new Map();
function fetchBranchOnce(repoDir, branch) {
  const key2 = `${repoDir}\0${branch}`;
  const asked = askedAhead.get(key2);
  askedAhead.delete(key2);
  return asked ?? fetchBranch(repoDir, branch);
}
async function fetchBranch(repoDir, branch) {
  if (!await hasOrigin(repoDir)) return;
  const git = wo(repoDir);
  const remote = await gitRun(repoDir, ["ls-remote", "--heads", "origin", `refs/heads/${branch}`]).catch(() => "");
  if (!remote.trim()) return;
  const current = (await git.raw(["symbolic-ref", "--quiet", "--short", "HEAD"]).catch(() => "")).trim();
  const target = current === branch ? `refs/remotes/origin/${branch}` : `refs/heads/${branch}`;
  await gitRun(repoDir, ["fetch", "--quiet", "--no-tags", "origin", `+refs/heads/${branch}:${target}`]);
}
async function fetchHeadBranch(repoDir, headRef) {
  if (!await hasOrigin(repoDir)) return headRef;
  const target = `refs/gitcrew/heads/${headRef}`;
  try {
    await gitRun(repoDir, ["fetch", "--quiet", "--no-tags", "origin", `+refs/heads/${headRef}:${target}`]);
  } catch (err) {
    throw new GitcrewError(`cannot fetch the pull request's branch ${headRef} from origin: ${errorMessage(err).trim()}`, EXIT.failed, "check that the branch still exists; comment again once it is pushed");
  }
  return target;
}
async function fetchForRun(repoDir, planned, pr2) {
  await fetchBranchOnce(repoDir, planned.branch);
  if (planned.pinnedHead) await fetchPinnedHead(repoDir, planned.pinnedHead);
  const someonesPr = pr2 && !pr2.fork && planned.ref === pr2.headRef && planned.ref !== planned.branch;
  return someonesPr ? fetchHeadBranch(repoDir, pr2.headRef) : planned.ref;
}
async function pushBranch(repoDir, branch) {
  if (!await hasOrigin(repoDir)) return;
  try {
    await gitRun(repoDir, ["push", "--quiet", "origin", `refs/heads/${branch}:refs/heads/${branch}`]);
  } catch (err) {
    throw new GitcrewError(
      `could not push ${branch} to origin: ${errorMessage(err).trim()}`,
      EXIT.failed,
      "give the workflow `contents: write` permission (or the app Contents write), and check that branch protection allows gitcrew/* branches"
    );
  }
}
async function fetchPinnedHead(repoDir, pin) {
  const git = wo(repoDir);
  const ref = `refs/pull/${pin.pull}/head`;
  const now = (await git.raw(["ls-remote", "origin", ref]).catch(() => "")).split(/\s+/)[0] ?? "";
  if (!now) throw new GitcrewError(`cannot find ${ref} on origin to check out the approved head ${pin.sha.slice(0, 7)}`, EXIT.failed, "check that the pull request still exists");
  if (now !== pin.sha) {
    throw new GitcrewError(
      `pull request #${pin.pull} moved from the approved head ${pin.sha.slice(0, 7)} to ${now.slice(0, 7)}: a new push needs a new approval, so its code does not run`,
      EXIT.failed,
      `review the new commits and comment /approve again to run on ${now.slice(0, 7)}`
    );
  }
  await gitRun(repoDir, ["fetch", "--quiet", "--no-tags", "origin", `+${ref}:refs/gitcrew/pull/${pin.pull}/head`]);
}

// src/pipeline/pushed-workflows.ts
var SAFE = /^(refs\/[^\s\0]+|[0-9a-f]{40,64})$/;
async function workflowDiff(repoDir, from, to2) {
  if (!SAFE.test(from) || !SAFE.test(to2)) return void 0;
  const out = await gitRun(repoDir, ["diff-tree", "-r", "-z", "--no-renames", "--name-only", from, to2]).catch(() => void 0);
  if (out === void 0) return void 0;
  return out.split("\0").filter((p2) => p2 && workflowPath(p2));
}
async function onOrigin(repoDir, branches) {
  const out = await gitRun(repoDir, ["ls-remote", "--heads", "origin", ...branches.map((b3) => `refs/heads/${b3}`)]).catch(() => "");
  return out.split("\n").map((l3) => l3.split("	")[0] ?? "").filter((id) => /^[0-9a-f]{40,64}$/.test(id));
}
async function newWorkflows(repoDir, o2) {
  const againstDefault = await workflowDiff(repoDir, `refs/remotes/origin/${o2.defaultBranch}`, o2.commit);
  if (againstDefault?.length === 0) return [];
  if (o2.prHead && (await workflowDiff(repoDir, `refs/gitcrew/heads/${o2.prHead}`, o2.commit))?.length === 0) return [];
  if (!(await gitRun(repoDir, ["remote"]).catch(() => "")).split("\n").includes("origin")) return [];
  for (const id of await onOrigin(repoDir, [o2.branch, o2.defaultBranch])) {
    if ((await workflowDiff(repoDir, id, o2.commit))?.length === 0) return [];
  }
  return againstDefault?.length ? againstDefault : [".github/workflows"];
}
async function workflowsHeldBack(repoDir, agent, result, defaultBranch, pr2) {
  if (agent.permissions.workflows === "write" || !result.branch || !result.commit) return void 0;
  const paths = await newWorkflows(repoDir, { commit: result.commit, branch: result.branch, defaultBranch, prHead: pr2 && !pr2.fork ? pr2.headRef : void 0 });
  return paths.length ? workflowsNotPushed(agent, result.branch, paths) : void 0;
}
function workflowsNotPushed(agent, branch, paths) {
  const listed = paths.slice(0, 10).map((p2) => `\`${oneLine(p2).replace(/`/g, "'")}\``).join(", ") + (paths.length > 10 ? ` and ${paths.length - 10} more` : "");
  return {
    message: `${agent.name}'s branch ${branch} was not pushed and no pull request was opened: it would bring workflow changes the default branch does not have (${listed}), from the commit the run started on; workflows run with the repository's secrets, and ${agent.name}'s permissions give no \`workflows: write\``,
    hint: `review the workflow changes; a maintainer can bring them to the default branch first, or give ${agent.name} \`permissions: workflows: write\` in its definition`
  };
}

// src/pipeline/failure-answers.ts
var DETAIL_CHARS = 300;
function detailOf(err) {
  const line = errorMessage(err).split("\n").find((l3) => l3.trim()) ?? "unknown error";
  const flat = line.replace(/\s+/g, " ").trim();
  return flat.length > DETAIL_CHARS ? `${flat.slice(0, DETAIL_CHARS - 1)}\u2026` : flat;
}
function atUtc(ms2) {
  return `${new Date(ms2).toISOString().slice(11, 19)} UTC`;
}
function planningFailure(caught, retryAt) {
  const err = caught instanceof EnvironmentError && caught.cause instanceof GitHubError ? caught.cause : caught;
  const again = retryAt !== void 0 ? `nothing to do: gitcrew tries again at ${atUtc(retryAt)}` : void 0;
  if (err instanceof GitHubError) {
    return {
      message: `gitcrew could not read what it needs from GitHub to start the run (GitHub answered ${err.status}${err.status >= 500 ? ", a GitHub outage" : ""})`,
      hint: again ?? (err.status >= 500 || err.status === 429 ? "comment again in a few minutes, once GitHub answers" : `${err.hint ?? "check gitcrew's GitHub token or App permissions"}; then comment again`)
    };
  }
  if (err instanceof CrewBroken) return { message: err.message, hint: again ?? err.hint };
  if (err instanceof QueueFailed) return { message: err.message, hint: again ?? "comment again; if it keeps failing, the server's administrator finds the store's error in its log" };
  return {
    message: `gitcrew could not plan this request: ${detailOf(err)}`,
    hint: again ?? (err instanceof GitcrewError && err.hint && !(err instanceof EnvironmentError) ? err.hint : "comment again; if it keeps failing, the server's log says more")
  };
}
var CrewBroken = class extends EnvironmentError {
  constructor(branch, problem) {
    super(`the crew on ${branch} does not load (${problem.length > DETAIL_CHARS ? `${problem.slice(0, DETAIL_CHARS - 1)}\u2026` : problem}); no agent can run until it is fixed`, `run \`npx gitcrew validate\` on ${branch}, fix what it reports, push, then comment again`);
  }
};
var QueueFailed = class extends EnvironmentError {
  constructor(err) {
    super(`gitcrew could not queue the run: its database failed (${detailOf(err)})`);
  }
};
function runFailure(err, retry2) {
  const base = err instanceof GitcrewError ? { message: detailOf(err), hint: err.hint } : { message: detailOf(err) };
  const saysRetry = base.hint !== void 0 && RETRY_WORDS.test(base.hint);
  if (retry2) return { message: base.message, hint: saysRetry ? base.hint : `nothing to do: gitcrew tries again shortly (attempt ${retry2.attempt} of ${retry2.of}), in a new comment` };
  return { message: base.message, hint: base.hint && !saysRetry ? base.hint : "comment again to start a new run; if it keeps failing, the server's log says more" };
}
var CANCELLED_BEFORE_START = { message: "cancelled before it started", hint: "comment again to start a new run" };
function lostRunFailure(attempt, of) {
  const message = `the server running this run (attempt ${attempt}) stopped answering, so the run was lost`;
  if (of !== void 0) return { message, hint: `nothing to do: gitcrew tries again shortly (attempt ${attempt + 1} of ${of}), in a new comment` };
  return { message: `${message}; no attempt is left`, hint: "comment again to start a new run; if it keeps happening, the servers' logs say why they stopped" };
}
var RETRY_WORDS = /tried again|tries again|queues the run again/;
function failedRunBody(origin, failure, status = "failed", runUrl) {
  return renderFinal({ agent: origin.agent, status, runUrl, error: failure }, originMarker(origin))[0] ?? "";
}
function couldNotStartBody(agents, failure) {
  const names2 = agents.map((a) => `**${a}**`).join(", ");
  const said = (text2) => neutralizeAgentText(text2);
  return [`\u274C ${names2} could not start: ${said(failure.message)}.`, failure.hint ? `**What to do:** ${said(failure.hint)}.` : ""].filter(Boolean).join("\n\n");
}
async function rewriteComment(client, repo, issue, ref, body) {
  if (ref) {
    try {
      return await client.updateComment(repo, ref.id, body);
    } catch (err) {
      if (!(err instanceof GitHubError && (err.status === 404 || err.status === 403))) throw err;
    }
  }
  return client.createComment(repo, issue, body);
}

// src/pipeline/seen-target.ts
function seenTarget(t2) {
  const thread = t2.thread;
  return t2.comment?.kind === "issue" ? { commentId: t2.comment.id } : t2.comment?.kind === "review_comment" ? { reviewCommentId: t2.comment.id } : thread && !t2.comment && t2.event === "issues" ? { issueNumber: thread.number } : void 0;
}

// src/pipeline/execute.ts
var CONCLUSION = {
  succeeded: "success",
  failed: "failure",
  timed_out: "timed_out",
  cancelled: "cancelled",
  budget_exceeded: "failure",
  disk_exceeded: "failure",
  awaiting_approval: "action_required"
};
async function executeJob(s, job2, opts = {}) {
  const { trigger: t2, agent } = job2;
  const repo = repoId(t2);
  const thread = t2.thread;
  const runId = opts.runId ?? job2.followUp?.runId ?? newRunId();
  const planned = withRunBranch(job2.planned, runId);
  const started = Date.now();
  const report = { job: job2, runId, status: "failed", approvals: [], comments: [] };
  const warn = (message) => s.log(`warning: ${message}`);
  const github = s.clientFor ? await s.clientFor(agent) : s.github;
  const seen = seenTarget(t2);
  const reacted = seen && !job2.early?.seen ? github.react(repo, seen, "eyes").catch((e) => warn(`no \u{1F440} reaction: ${errorMessage(e)}`)) : void 0;
  const trackingOptions = thread ? trackingOptionsFor(s, job2, runId, github, warn) : void 0;
  const early = job2.early?.tracking;
  const tracking = trackingOptions ? (opts.commentSettled ?? Promise.resolve()).then(() => early ? TrackingComment.adopt(trackingOptions, early) : TrackingComment.start(trackingOptions)) : Promise.resolve(void 0);
  const halt = new AbortController();
  let trackingFailed;
  tracking.catch((error) => {
    trackingFailed = { error };
    halt.abort(error);
  });
  const onStop = () => halt.abort(opts.signal?.reason);
  opts.signal?.addEventListener("abort", onStop, { once: true });
  if (opts.signal?.aborted) onStop();
  const headSha = thread?.pr?.headSha;
  const checkRun = headSha ? s.github.createCheckRun(repo, { name: `gitcrew / ${agent.name}`, headSha, status: "in_progress", externalId: runId, detailsUrl: s.runUrl }).catch((e) => void warn(`no check run: ${errorMessage(e)}`)) : void 0;
  let result;
  try {
    throwIfStopped(opts.signal);
    const missing = planned.container.secrets.filter((name) => !s.env[name]);
    if (missing.length) {
      throw new GitcrewError(
        `secret${missing.length > 1 ? "s" : ""} ${missing.join(", ")} declared by ${agent.name} ${missing.length > 1 ? "are" : "is"} not set on the runner`,
        1,
        `add ${missing.map((m2) => `${m2}: \${{ secrets.${m2} }}`).join(", ")} to the workflow's env (or the server's environment), or remove it from the agent's secrets`
      );
    }
    const pr2 = thread?.pr;
    const insideToken = planned.container.network === "gateway" && s.githubFor ? s.githubFor(agent).catch((e) => void warn(`no GitHub inside the run: ${errorMessage(e)}`)) : void 0;
    const start = fetchForRun(s.repoDir, planned, pr2);
    start.catch(() => void 0);
    const observer = {
      onEvent(ev) {
        if (ev.type === "status") void tracking.then((c3) => c3?.progress(ev.text), () => void 0);
        opts.observer?.onEvent(ev);
      }
    };
    throwIfStopped(opts.signal);
    if (trackingFailed) throw trackingFailed.error;
    const inside = await insideToken;
    result = await s.runner.run({ planned, startRef: start, agent, repoDir: s.repoDir, repo: t2.repo.fullName, runId, signal: halt.signal, observer, ...inside ? { github: inside } : {} });
    await tracking;
    report.result = result;
    report.status = result.status;
    if (result.status !== "succeeded" && result.reason) report.error = { message: result.reason, hint: hintFor(result) };
    const foreign = agent.permissions.contents === "write" ? await workflowsHeldBack(s.repoDir, agent, result, t2.repo.defaultBranch, pr2) : void 0;
    if (foreign) report.error ??= foreign;
    if (result.held?.length) report.error ??= heldBack(agent.name, result.held);
    const stop = opts.signal?.aborted ? opts.signal.reason : void 0;
    if (result.status === "cancelled" && stop instanceof GitcrewError) {
      const said = result.notStarted && beforeStartOf(stop) || stop;
      report.error = { message: said.message, hint: said.hint };
    }
    const withheld = result.branch && result.commit ? withheldBy(agent, thread?.pr?.headRef === result.branch) ?? foreign : void 0;
    if (withheld) report.error ??= withheld;
    else if (result.branch && result.commit) {
      await pushBranch(s.repoDir, result.branch);
      const ownPr = thread?.pr && thread.pr.headRef === result.branch ? thread : void 0;
      if (ownPr) report.pullRequest = { number: ownPr.number, url: ownPr.url, created: false };
      else if (result.status === "succeeded" && agent.permissions.pull_requests === "write") {
        report.pullRequest = await github.openOrUpdatePullRequest(repo, {
          head: result.branch,
          // Work on someone's PR is proposed to that PR's branch, not to the default branch.
          base: await start !== planned.ref ? pr2?.headRef : void 0,
          title: `${agent.name}: ${thread ? thread.title : firstLine(planned.prompt)}`,
          body: prBody(job2, result, s.runUrl),
          closes: thread?.kind === "issue" ? thread.number : void 0
        });
      }
    }
    if (result.approvals.length) {
      report.approvals = await openApprovalRequests(s, job2, result);
      if (report.approvals.length && result.status === "succeeded") report.status = "awaiting_approval";
    }
  } catch (err) {
    if (trackingFailed) {
      opts.signal?.removeEventListener("abort", onStop);
      await reacted;
      await settleCheckRun(s, repo, await checkRun ?? void 0, agent.name, errorMessage(trackingFailed.error));
      throw trackingFailed.error;
    }
    report.status = err instanceof StoppedBeforeStart ? "cancelled" : "failed";
    report.infrastructure = err instanceof EnvironmentError;
    report.error = { message: errorMessage(err), hint: err instanceof GitcrewError ? err.hint : void 0 };
    const a = opts.attempt;
    if (report.infrastructure && a) report.error = runFailure(err, a.n < a.of ? { attempt: a.n + 1, of: a.of } : void 0);
  }
  const summary2 = {
    agent: agent.name,
    status: report.status,
    answer: result?.answer,
    changedFiles: result?.changedFiles,
    branch: result?.branch ? { name: result.branch, url: branchUrl(s, t2.repo.fullName, result.branch) } : void 0,
    pullRequest: report.pullRequest,
    durationMs: Date.now() - started,
    usage: result?.usage,
    gateway: result?.gateway,
    sessionId: result?.sessionId,
    approvals: report.approvals,
    error: report.error
  };
  opts.signal?.removeEventListener("abort", onStop);
  const check = await checkRun;
  if (check) report.checkRunId = check.id;
  await reacted;
  const comment = await tracking.catch(async (err) => {
    await settleCheckRun(s, repo, check ?? void 0, agent.name, errorMessage(err));
    throw err;
  });
  if (comment) {
    const done = comment;
    const refs = await done.finish(summary2).catch((e) => {
      if (s.answerLater) s.answerLater(`the final comment of run ${runId}`, e, { repo: t2.repo.fullName, issue: t2.thread?.number ?? 0, edit: done.comment.id, bodies: done.finalBodies(summary2), permissions: agent.permissions });
      else warn(`could not finish the tracking comment: ${errorMessage(e)}`);
      return [];
    });
    report.comments = refs.map((r2) => r2.url);
  }
  if (report.checkRunId !== void 0) {
    await s.github.updateCheckRun(repo, report.checkRunId, {
      status: "completed",
      conclusion: CONCLUSION[report.status],
      output: { title: `${agent.name}: ${report.status.replace("_", " ")}`, summary: (report.error ? report.error.message : result?.answer ?? "").slice(0, 6e4) || "done" }
    }).catch((e) => warn(`could not complete the check run: ${errorMessage(e)}`));
  }
  return report;
}
async function settleCheckRun(s, repo, check, agent, why) {
  if (!check) return;
  await s.github.updateCheckRun(repo, check.id, { status: "completed", conclusion: "failure", output: { title: `${agent}: failed`, summary: `the tracking comment could not be written: ${why}`.slice(0, 6e4) } }).catch(() => void 0);
}
function trackingOptionsFor(s, job2, runId, github, warn) {
  const t2 = job2.trigger;
  return {
    client: github,
    repo: repoId(t2),
    issueNumber: t2.thread?.number ?? 0,
    // `by`: who asked, so that their own approving review of this work does not count (approvals/review.ts).
    origin: { agent: job2.agent.name, runId, depth: (t2.origin?.depth ?? -1) + 1, by: t2.actor.login },
    runUrl: s.runUrl,
    minIntervalMs: s.progressIntervalMs,
    onError: warn
  };
}
function withheldBy(agent, onOwnPr) {
  if (agent.permissions.contents === "write") return void 0;
  return {
    message: `${agent.name}'s commits were not pushed${onOwnPr ? "" : " and no pull request was opened"}: its permissions give \`contents: ${agent.permissions.contents ?? "none"}\``,
    hint: `give ${agent.name} \`permissions: contents: write\` in its definition if it should push its work`
  };
}
function heldBack(agent, held) {
  const listed = held.slice(0, 10).map((p2) => `\`${oneLine(p2).replace(/`/g, "'")}\``).join(", ") + (held.length > 10 ? ` and ${held.length - 10} more` : "");
  return {
    message: `${agent}'s changes to ${listed} were not committed: workflows run with the repository's secrets, and its permissions give no \`workflows: write\``,
    hint: `give ${agent} \`permissions: workflows: write\` in its definition if it should change workflows (its pushes then start them), or make the change yourself`
  };
}
function withRunBranch(planned, runId) {
  if (!planned.branch.includes("{run}")) return planned;
  const branch = planned.branch.replaceAll("{run}", runId);
  return JSON.parse(JSON.stringify(planned).replaceAll(planned.branch, branch));
}
var StoppedBeforeStart = class extends GitcrewError {
};
function beforeStartOf(reason) {
  return reason instanceof GitcrewError && "beforeStart" in reason && typeof reason.beforeStart === "function" ? reason.beforeStart() : void 0;
}
function throwIfStopped(signal) {
  if (!signal?.aborted) return;
  const reason = signal.reason;
  const own = beforeStartOf(reason);
  throw new StoppedBeforeStart(
    own?.message ?? `the run was stopped before the agent's container started${reason instanceof Error ? ` (${reason.message})` : ""}`,
    1,
    own?.hint ?? "comment again to start a new run"
  );
}
function hintFor(r2) {
  if (r2.status === "timed_out") return "raise `limits.timeout` for this agent (within the crew's ceiling), or ask for a smaller step";
  if (r2.status === "cancelled") return "comment again to start a new run";
  if (r2.status === "budget_exceeded") return "raise the cap named above (limits.budget in agent.cue, budgets in crew.cue), then comment again";
  if (r2.status === "disk_exceeded") return "raise `limits.disk` for this agent (within crew.cue's `ceilings.disk`), or ask for work that writes less, then comment again";
  return "read the agent's log in the workflow run; comment again to retry";
}
function branchUrl(s, fullName, branch) {
  return `${(s.serverUrl ?? "https://github.com").replace(/\/$/, "")}/${fullName}/tree/${branch.split("/").map(encodeURIComponent).join("/")}`;
}
function firstLine(text2) {
  const line = text2.trim().split("\n")[0] ?? "";
  return line.length > 60 ? `${line.slice(0, 57)}...` : line;
}
function prBody(job2, r2, runUrl) {
  const t2 = job2.trigger;
  const from = t2.thread ? `Requested by @${t2.actor.login} in #${t2.thread.number}.` : `Started by ${t2.event}.`;
  const answer = neutralizeAgentText(r2.answer).trim();
  const clipped = answer.length > 2e4 ? `${answer.slice(0, 2e4)}

[\u2026 answer cut]` : answer;
  return [from, clipped, runUrl ? `[Workflow run](${runUrl})` : ""].filter(Boolean).join("\n\n");
}

// src/server/run-id.ts
function runnerRunId(id, attempt) {
  const safe = id.replace(/[^A-Za-z0-9._-]+/g, "_").slice(0, 180);
  return attempt > 1 ? `${safe}.attempt${attempt}` : safe;
}

// src/server/queue-comments.ts
var editors = /* @__PURE__ */ new Map();
var watching = 0;
function watchQueuedComments(s, ids, jobs) {
  if (watching === 0) return;
  jobs.forEach((job2, i) => {
    const ref = job2.early?.tracking;
    const id = ids[i];
    if (!ref || !id || !job2.trigger.thread) return;
    const write2 = async (body) => {
      const github = s.clientFor ? await s.clientFor(job2.agent) : s.github;
      const opts = trackingOptionsFor(s, job2, runnerRunId(id, 1), github, (m2) => s.log(`warning: ${m2}`));
      try {
        await github.updateComment(opts.repo, ref.id, body(opts));
        return true;
      } catch (err) {
        if (err instanceof GitHubError && err.status === 404) return false;
        throw err;
      }
    };
    const edit = (status) => write2((o2) => renderWorking(o2.origin.agent, originMarker(o2.origin), o2.runUrl, status));
    const cancelled = () => write2((o2) => renderFinal({ agent: o2.origin.agent, status: "cancelled", runUrl: o2.runUrl, error: CANCELLED_BEFORE_START }, originMarker(o2.origin))[0] ?? "");
    editors.set(id, { edit, cancelled, at: Date.now() });
  });
}
var QueueComments = class {
  constructor(store, options) {
    this.store = store;
    this.o = {
      everyMs: 2e3,
      throttleMs: 5e3,
      maxEditsPerTick: 2,
      exactUpTo: 20,
      leaseMs: 3e4,
      now: Date.now,
      log: () => void 0,
      ...options
    };
  }
  timer;
  running;
  started = false;
  stopped = false;
  ticks = 0;
  o;
  start() {
    if (this.started) return;
    this.started = true;
    watching++;
    const next = () => {
      if (this.stopped) return;
      this.timer = setTimeout(() => {
        this.running = this.tick().catch((err) => this.o.log(`queue comments: ${errorMessage(err)}`)).finally(next);
      }, this.o.everyMs);
      this.timer.unref?.();
    };
    next();
  }
  async stop() {
    if (this.stopped || !this.started) return;
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
    if (--watching === 0) editors.clear();
  }
  /** One look at the queue: edit the comments of this process whose text changed, nearest the head first. */
  async tick() {
    if (editors.size === 0) return;
    const now = this.o.now();
    const free = this.o.freeSlots?.();
    const view = await this.store.queue({ now, limit: VIEW_LIMIT, ...free !== void 0 ? { freeSlots: free } : {}, ...this.o.repoLimit ? { repoLimit: this.o.repoLimit } : {} });
    const states = await this.store.queueEdits.states();
    let edits = 0;
    for (const entry of view.entries) {
      if (edits >= this.o.maxEditsPerTick) break;
      const editor = editors.get(entry.id);
      if (!editor || entry.attempt > 1 || entry.reason.kind === "next") continue;
      const text2 = queueStatus(entry, this.o.exactUpTo);
      const state = states.get(entry.id);
      if (state?.text === text2 || (state?.editingUntil ?? 0) >= now) continue;
      if ((state?.editedAt ?? entry.createdAt) + this.o.throttleMs > now) continue;
      if (!await this.store.queueEdits.take(entry.id, text2, this.o.owner, now, this.o.throttleMs, this.o.leaseMs)) continue;
      edits++;
      let written;
      try {
        if (await editor.edit(text2)) written = text2;
        else editors.delete(entry.id);
      } catch (err) {
        this.o.log(`queue comments: run ${entry.id}: could not show its place in the queue: ${errorMessage(err)}`);
      } finally {
        await this.store.queueEdits.done(entry.id, this.o.owner, written, this.o.now());
      }
    }
    if (++this.ticks % SWEEP_EVERY === 0) await this.sweep(new Set(view.entries.map((e) => e.id)));
  }
  /**
   * Forget comments of runs that left the queue (a run not stored yet is
   * being planned: kept a while); one cancelled before any claim is
   * finished here, since no run will.
   */
  async sweep(inView) {
    const now = this.o.now();
    await this.store.queueEdits.sweep(now);
    for (const [id, entry] of editors) {
      if (inView.has(id)) continue;
      const run = await this.store.getRun(id);
      if (run ? run.status === "queued" : now - entry.at <= UNSTORED_MS) continue;
      editors.delete(id);
      if (run?.status === "cancelled" && run.claimedAt === void 0) {
        await entry.cancelled().catch((err) => this.o.log(`queue comments: run ${id}: could not say it was cancelled: ${errorMessage(err)}`));
      }
    }
  }
  /** A run was claimed: wait for an edit of its comment in flight (any instance's), so the run's own edits come after it. */
  async beforeRun(run) {
    editors.delete(run.id);
    for (; ; ) {
      const until = await this.store.queueEdits.settle(run.id, this.o.now());
      if (until === 0) return;
      await new Promise((resolve4) => setTimeout(resolve4, Math.min(SETTLE_POLL_MS, Math.max(1, until - this.o.now() + 1))));
    }
  }
};
var VIEW_LIMIT = 1e3;
var SWEEP_EVERY = 5;
var UNSTORED_MS = 10 * 6e4;
var SETTLE_POLL_MS = 50;
function queueStatus(entry, exactUpTo = 20) {
  if (entry.position > exactUpTo) return `queued: behind ${exactUpTo}+ runs`;
  return `queued: ${ordinal(entry.position)} in line, ${waitingFor(entry.reason, `\`@${entry.agent}\``)}`;
}
function waitingFor(reason, agent) {
  switch (reason.kind) {
    case "retry":
      return `attempt ${reason.attempt} not before ${new Date(reason.notBefore).toISOString().slice(11, 19)} UTC`;
    case "thread":
      return `behind ${runs(reason.ahead)} in this thread`;
    case "agent":
      return `behind ${runs(reason.ahead)} of ${agent} (${reason.limit} at a time)`;
    case "repo":
      return `behind ${runs(reason.ahead)} of ${reason.repo} (${reason.limit} at a time)`;
    case "capacity":
      return "waiting for a free runner";
    case "next":
      return "next to start";
  }
}
var runs = (n) => `${n} run${n === 1 ? "" : "s"}`;
function ordinal(n) {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? "th" : { 1: "st", 2: "nd", 3: "rd" }[n % 10] ?? "th";
  return `${n}${suffix}`;
}

// src/server/api.ts
function summary(run) {
  const { plan: _plan, outcome: _outcome, ...rest } = run;
  return rest;
}
function sameToken(given, expected) {
  const a = createHash2("sha256").update(given).digest();
  const b3 = createHash2("sha256").update(expected).digest();
  return timingSafeEqual(a, b3);
}
var fail = (status, error) => ({ status, body: { error } });
async function handleApi(method, url, authorization, deps) {
  if (!hasApiToken(authorization, deps.token)) return fail(401, WRONG_TOKEN);
  return routeApi(method, url, deps);
}
var WRONG_TOKEN = "missing or wrong API token: use the token in the server file (gitcrew serve prints where) or GITCREW_API_TOKEN";
function hasApiToken(authorization, expected) {
  const token = /^Bearer (.+)$/.exec(authorization ?? "")?.[1];
  return token !== void 0 && sameToken(token, expected);
}
async function routeApi(method, url, deps) {
  const parts = url.pathname.split("/").filter(Boolean).map(decodeURIComponent);
  const [, resource, id, action] = parts;
  if (resource === "queue" && !id) return queue(method, url, deps);
  if (resource !== "runs") return fail(404, `no API route ${url.pathname}`);
  if (!id) {
    if (method !== "GET") return fail(405, "use GET /api/runs");
    const status = url.searchParams.get("status") ?? void 0;
    if (status && !RUN_STATUSES.includes(status)) return fail(400, `unknown status "${status}"; one of ${RUN_STATUSES.join(", ")}`);
    const repo = url.searchParams.get("repo") ?? void 0;
    if (repo !== void 0 && repoNameProblem(repo) !== void 0) return fail(400, `repo must be OWNER/NAME, got "${repo.slice(0, 200)}"`);
    const limit = Math.min(Number(url.searchParams.get("limit") ?? "50") || 50, 1e3);
    const runs2 = await deps.store.listRuns({ status, limit, threadKey: url.searchParams.get("thread") ?? void 0, repo });
    return { status: 200, body: { runs: runs2.map(summary) } };
  }
  const run = await deps.store.getRun(id);
  if (!run) return fail(404, `no run "${id}"`);
  if (!action && method === "GET") return { status: 200, body: { run: summary(run) } };
  if (action === "logs" && method === "GET") {
    const after = Number(url.searchParams.get("after") ?? "0") || 0;
    return { status: 200, body: { run: summary(run), chunks: await deps.store.readLog(id, after) } };
  }
  if (action === "cancel" && method === "POST") {
    const updated = await deps.store.requestCancel(id, deps.now());
    deps.wake();
    if (updated?.status === "cancelled" && updated.claimedAt === void 0) await deps.cancelledQueued?.(updated).catch(() => void 0);
    return { status: 202, body: { run: updated ? summary(updated) : summary(run) } };
  }
  if (action === "retry" && method === "POST") return retry(run, deps);
  return fail(405, `unsupported ${method} ${url.pathname}`);
}
async function retry(run, deps) {
  if (run.status === "queued" || run.status === "running") return fail(409, `run ${run.id} is ${run.status}; retry it once it has finished`);
  const base = run.id.replace(/~retry\d+$/, "");
  const retries = await deps.store.listRuns({ threadKey: run.threadKey, limit: 1e3 });
  const n = retries.filter((r2) => r2.id.startsWith(`${base}~retry`)).length + 1;
  const again = await deps.store.enqueue(`${base}~retry${n}`, run.deliveryId, { repo: run.repo, agent: run.agent, threadKey: run.threadKey, agentLimit: run.agentLimit, plan: run.plan, maxAttempts: run.maxAttempts }, deps.now());
  deps.wake();
  return { status: 202, body: { run: summary(again), retryOf: run.id } };
}
async function queue(method, url, deps) {
  if (method !== "GET") return fail(405, "use GET /api/queue");
  const unknown = [...url.searchParams.keys()].find((k2) => k2 !== "limit");
  if (unknown !== void 0) return fail(400, `unknown parameter "${unknown.slice(0, 40)}"; GET /api/queue takes limit`);
  const raw = url.searchParams.get("limit");
  if (raw !== null && !/^[0-9]{1,4}$/.test(raw)) return fail(400, "limit must be a whole number from 1 to 1000");
  const limit = raw === null ? 100 : Number(raw);
  if (limit < 1 || limit > 1e3) return fail(400, "limit must be a whole number from 1 to 1000");
  const free = deps.freeSlots?.();
  const view = await deps.store.queue({ now: deps.now(), limit, ...free !== void 0 ? { freeSlots: free } : {}, ...deps.repoLimit ? { repoLimit: deps.repoLimit } : {} });
  return {
    status: 200,
    body: { queued: view.queued, running: view.running, queue: view.entries.map((e) => ({ ...e, waiting: waitingFor(e.reason, `@${e.agent}`) })) }
  };
}

// src/server/body.ts
import { createHmac, timingSafeEqual as timingSafeEqual2 } from "node:crypto";
var ByteBudget = class {
  constructor(limit) {
    this.limit = limit;
  }
  used = 0;
  get inUse() {
    return this.used;
  }
  /** A holder for one request: takes bytes as they arrive, gives all of them back once. */
  hold() {
    let held = 0;
    return {
      take: (n) => {
        if (this.used + n > this.limit) return false;
        this.used += n;
        held += n;
        return true;
      },
      release: () => {
        this.used -= held;
        held = 0;
      }
    };
  }
};
var SIGNATURE = /^sha256=([0-9a-f]{64})$/i;
function parseSignature(header2) {
  const m2 = SIGNATURE.exec(header2.trim());
  return m2 ? Buffer.from(m2[1] ?? "", "hex") : void 0;
}
function readSignedBody(req, o2) {
  return new Promise((resolve4) => {
    const hmac = createHmac("sha256", o2.secret);
    const chunks = [];
    let size = 0;
    let settled = false;
    const finish = (body) => {
      if (settled) return;
      settled = true;
      req.off("data", onData);
      if (!body.ok) chunks.length = 0;
      resolve4(body);
    };
    const onData = (chunk) => {
      size += chunk.length;
      if (size > o2.maxBytes) return req.pause(), finish({ ok: false, reason: "too-large" });
      if (!o2.take(chunk.length)) return req.pause(), finish({ ok: false, reason: "busy" });
      hmac.update(chunk);
      chunks.push(chunk);
    };
    const end = () => {
      if (settled) return;
      const digest = hmac.digest();
      if (digest.length !== o2.expected.length || !timingSafeEqual2(digest, o2.expected)) return finish({ ok: false, reason: "bad-signature" });
      const text2 = (chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size)).toString("utf8");
      finish({ ok: true, text: text2, key: digest.toString("hex") });
    };
    req.on("data", onData);
    req.on("end", end);
    req.on("aborted", () => finish({ ok: false, reason: "aborted" }));
    req.on("error", () => finish({ ok: false, reason: "aborted" }));
    req.on("close", () => req.complete ? end() : finish({ ok: false, reason: "aborted" }));
  });
}

// src/server/metrics.ts
var MAX_MODEL_LABELS = 32;
var MAX_REPO_LABELS = 1e3;
function labelText(labels) {
  const parts = Object.entries(labels).map(([k2, v2]) => `${k2}="${v2.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`);
  return parts.length ? `{${parts.join(",")}}` : "";
}
var Histogram = class {
  constructor(name, help, buckets) {
    this.name = name;
    this.help = help;
    this.buckets = buckets;
  }
  series = /* @__PURE__ */ new Map();
  observe(value, labels = {}) {
    const key2 = labelText(labels);
    let s = this.series.get(key2);
    if (!s) this.series.set(key2, s = { labels, counts: this.buckets.map(() => 0), sum: 0, count: 0 });
    this.buckets.forEach((le2, i) => {
      if (value <= le2) s.counts[i] = (s.counts[i] ?? 0) + 1;
    });
    s.sum += value;
    s.count += 1;
  }
  render() {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`];
    for (const s of this.series.values()) {
      this.buckets.forEach((le2, i) => lines.push(`${this.name}_bucket${labelText({ ...s.labels, le: String(le2) })} ${s.counts[i] ?? 0}`));
      lines.push(`${this.name}_bucket${labelText({ ...s.labels, le: "+Inf" })} ${s.count}`);
      lines.push(`${this.name}_sum${labelText(s.labels)} ${s.sum}`, `${this.name}_count${labelText(s.labels)} ${s.count}`);
    }
    return lines;
  }
};
var Counter = class {
  constructor(name, help) {
    this.name = name;
    this.help = help;
  }
  values = /* @__PURE__ */ new Map();
  inc(labels = {}, by = 1) {
    const key2 = labelText(labels);
    this.values.set(key2, (this.values.get(key2) ?? 0) + by);
  }
  render() {
    return [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} counter`, ...[...this.values].map(([k2, v2]) => `${this.name}${k2} ${v2}`)];
  }
};
function gauge(name, help, values) {
  return [`# HELP ${name} ${help}`, `# TYPE ${name} gauge`, ...values.map(([labels, v2]) => `${name}${labelText(labels)} ${v2}`)];
}
function repoGauges(counts, metrics) {
  const values = /* @__PURE__ */ new Map();
  for (const c3 of counts) {
    const repo = metrics.repoLabel(c3.repo);
    for (const [status, n] of [["queued", c3.queued], ["running", c3.running]]) {
      const key2 = `${repo}\0${status}`;
      values.set(key2, [{ repo, status }, (values.get(key2)?.[1] ?? 0) + n]);
    }
  }
  return gauge("gitcrew_repo_runs", "Queued and running runs in the store, by repository (those with any).", [...values.values()]);
}
var Metrics = class {
  webhooks = new Counter("gitcrew_webhooks_total", "Webhook requests by HTTP status.");
  webhookSeconds = new Histogram("gitcrew_webhook_duration_seconds", "Time from request to response for POST /webhooks.", [
    1e-3,
    25e-4,
    5e-3,
    0.01,
    0.025,
    0.05,
    0.1,
    0.25,
    0.5,
    1
  ]);
  runSeconds = new Histogram("gitcrew_run_duration_seconds", "Run time from claim to outcome, by status.", [
    1,
    5,
    15,
    30,
    60,
    120,
    300,
    600,
    1800,
    3600
  ]);
  runsFinished = new Counter("gitcrew_runs_finished_total", "Runs this instance finished, by repository and status.");
  modelTokens = new Counter("gitcrew_model_tokens_total", "Model tokens of finished runs, by agent, model and kind (input, output, cache_read, cache_write).");
  modelCost = new Counter("gitcrew_model_cost_usd_total", "USD of finished runs on models with a known price, by agent and model.");
  /** Deliveries whose planning failed for good: the only sign of a schedule's (it has no thread to answer in). */
  deliveriesFailed = new Counter("gitcrew_deliveries_failed_total", "Deliveries whose planning failed for good (no try left), by event; a schedule's has no thread, so this and the log are where it shows.");
  /** Model names come from agents' requests: past this many, further names count as "other" (bounded series). */
  models = /* @__PURE__ */ new Set();
  repos = /* @__PURE__ */ new Set();
  /** A run's outcome: the duration histogram by status only (buckets per repository would be too many series), the counter by repository too. */
  recordRunFinished(repo, status, seconds) {
    this.runSeconds.observe(seconds, { status });
    this.runsFinished.inc({ repo: this.repoLabel(repo), status });
  }
  /** The label of a repository (lower case: GitHub's names are case-insensitive), bounded like model names. */
  repoLabel(repo) {
    const key2 = repo.toLowerCase();
    if (this.repos.has(key2)) return key2;
    if (this.repos.size >= MAX_REPO_LABELS) return "other";
    this.repos.add(key2);
    return key2;
  }
  /** A delivery planned for the last time without success. Event names are GitHub's (verified deliveries) or `schedule`: a bounded set. */
  recordDeliveryFailed(event) {
    this.deliveriesFailed.inc({ event: /^[a-z_]{1,40}$/.test(event) ? event : "other" });
  }
  /** A finished run's model usage (from the gateway's report). */
  recordModelUsage(agent, cost) {
    for (const m2 of cost.byModel) {
      const model = this.modelLabel(m2.model);
      for (const [kind, n] of [["input", m2.tokens.input], ["output", m2.tokens.output], ["cache_read", m2.tokens.cacheRead], ["cache_write", m2.tokens.cacheWrite]]) {
        if (n > 0) this.modelTokens.inc({ agent, model, kind }, n);
      }
      if (m2.costUsd !== null) this.modelCost.inc({ agent, model }, m2.costUsd);
    }
  }
  modelLabel(model) {
    if (this.models.has(model)) return model;
    if (this.models.size >= MAX_MODEL_LABELS) return "other";
    this.models.add(model);
    return model;
  }
  render(extra) {
    return [...this.webhooks.render(), ...this.webhookSeconds.render(), ...this.runSeconds.render(), ...this.runsFinished.render(), ...this.modelTokens.render(), ...this.modelCost.render(), ...this.deliveriesFailed.render(), ...extra].join("\n") + "\n";
  }
};

// src/server/settings.ts
import { readFileSync } from "node:fs";
import { hostname } from "node:os";
import { randomBytes as randomBytes3 } from "node:crypto";
var ENV_NAMES = {
  repo: "GITCREW_REPO",
  repos: "GITCREW_REPOS",
  "repo-concurrency": "GITCREW_REPO_CONCURRENCY",
  "checkout-budget": "GITCREW_CHECKOUT_BUDGET",
  "webhook-secret": "GITCREW_WEBHOOK_SECRET",
  "webhook-secret-file": "GITCREW_WEBHOOK_SECRET_FILE",
  store: "GITCREW_STORE",
  host: "GITCREW_HOST",
  port: "GITCREW_PORT",
  concurrency: "GITCREW_CONCURRENCY",
  "api-token": "GITCREW_API_TOKEN",
  "api-token-file": "GITCREW_API_TOKEN_FILE",
  grace: "GITCREW_SHUTDOWN_GRACE",
  lease: "GITCREW_LEASE_SECONDS",
  instance: "GITCREW_INSTANCE",
  "github-token": "GITHUB_TOKEN",
  "github-token-file": "GITHUB_TOKEN_FILE",
  "app-id": "GITHUB_APP_ID",
  "private-key-file": "GITHUB_APP_PRIVATE_KEY_FILE",
  "github-api-url": "GITHUB_API_URL",
  "crew-refresh": "GITCREW_CREW_REFRESH",
  "retain-days": "GITCREW_RETAIN_DAYS",
  "max-body": "GITCREW_MAX_BODY",
  "oauth-client-id": "GITCREW_OAUTH_CLIENT_ID",
  "oauth-client-secret": "GITCREW_OAUTH_CLIENT_SECRET",
  "oauth-client-secret-file": "GITCREW_OAUTH_CLIENT_SECRET_FILE",
  "public-url": "GITCREW_PUBLIC_URL",
  "github-web-url": "GITCREW_GITHUB_WEB_URL"
};
var DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
var MIN_RETAIN_DAYS = 3;
var DEFAULT_CHECKOUT_BUDGET_BYTES = 10 * 1024 ** 3;
function readSettings(flags, env, usage2) {
  const get = (flag) => flags[flag] ?? (env[ENV_NAMES[flag]] || void 0);
  const int = (flag, fallback, min, max) => {
    const raw = get(flag);
    if (raw === void 0) return fallback;
    const n = Number(raw);
    if (!/^[0-9]+$/.test(raw) || n < min || n > max) {
      throw new UsageError(`--${flag} (${ENV_NAMES[flag]}) expects a whole number from ${min} to ${max}, got "${raw}"`, usage2);
    }
    return n;
  };
  const warnings = [];
  const secret = (flag) => {
    const fileFlag = `${flag}-file`;
    const file = get(fileFlag);
    const direct = get(flag);
    if (file !== void 0 && direct !== void 0) {
      throw new UsageError(`give --${flag} (${ENV_NAMES[flag]}) or --${fileFlag} (${ENV_NAMES[fileFlag]}), not both`, usage2);
    }
    if (flags[flag] !== void 0) {
      warnings.push(`--${flag} is visible to every local user in \`ps\` and in shell history: prefer ${ENV_NAMES[flag]} or --${fileFlag}`);
    }
    return file === void 0 ? direct : readSecretFile(fileFlag, file, usage2);
  };
  if (flags.store !== void 0 && /^[a-z]+:\/\/[^/@]*:[^/@]*@/i.test(flags.store)) {
    warnings.push("--store holds a password, visible to every local user in `ps`: prefer GITCREW_STORE");
  }
  const webhookSecret = secret("webhook-secret");
  if (!webhookSecret) {
    throw new UsageError(`--webhook-secret-file (or GITCREW_WEBHOOK_SECRET_FILE, GITCREW_WEBHOOK_SECRET) is required: the secret configured on GitHub's webhook`, usage2);
  }
  const apiToken = secret("api-token");
  const githubToken = secret("github-token");
  const github = readGitHub(get, githubToken, usage2);
  const { repo, repos } = readRepos(get, Boolean(github.appId), usage2);
  const concurrency = int("concurrency", 4, 1, 1e3);
  const repoConcurrency = get("repo-concurrency") === void 0 ? void 0 : int("repo-concurrency", 1, 1, 1e3);
  const signIn = readSignIn(get, secret("oauth-client-secret"), usage2);
  return {
    ...repo ? { repo } : {},
    ...repos ? { repos } : {},
    ...repoConcurrency ? { repoConcurrency } : {},
    checkoutBudgetBytes: checkoutBudget(get("checkout-budget"), usage2),
    webhookSecret,
    store: get("store"),
    host: get("host") ?? "127.0.0.1",
    port: int("port", 3e3, 0, 65535),
    concurrency,
    apiToken: apiToken ?? randomBytes3(24).toString("base64url"),
    graceSeconds: int("grace", 30, 0, 86400),
    leaseSeconds: int("lease", 30, 1, 3600),
    instance: get("instance") ?? `${hostname()}:${process.pid}`,
    github,
    crewRefreshSeconds: int("crew-refresh", 60, 5, 86400),
    retainDays: retainDays(int("retain-days", 30, 0, 36500), usage2),
    maxBodyBytes: byteSize("max-body", get("max-body"), DEFAULT_MAX_BODY_BYTES, usage2),
    ...signIn,
    warnings
  };
}
function readSignIn(get, clientSecret, usage2) {
  const clientId = get("oauth-client-id");
  if (clientId && !clientSecret) throw new UsageError("--oauth-client-id needs --oauth-client-secret-file (or GITCREW_OAUTH_CLIENT_SECRET_FILE, GITCREW_OAUTH_CLIENT_SECRET)", usage2);
  if (clientSecret && !clientId) throw new UsageError("--oauth-client-secret-file needs --oauth-client-id (or GITCREW_OAUTH_CLIENT_ID)", usage2);
  if (clientId !== void 0 && !/^[A-Za-z0-9._-]{1,100}$/.test(clientId)) throw new UsageError(`--oauth-client-id must be the client id GitHub shows (letters, digits, . _ -), got "${clientId.slice(0, 100)}"`, usage2);
  const publicUrl = get("public-url");
  const origin = (flag, raw) => {
    let u2;
    try {
      u2 = new URL(raw);
    } catch {
      u2 = void 0;
    }
    if (!u2 || !/^https?:$/.test(u2.protocol) || u2.username || u2.password || u2.search || u2.hash || u2.pathname !== "/" && flag === "public-url") {
      throw new UsageError(`--${flag} (${ENV_NAMES[flag]}) must be an http(s) URL${flag === "public-url" ? " without a path, such as https://crew.example.com" : ""}, got "${raw.slice(0, 200)}"`, usage2);
    }
    return u2.toString().replace(/\/+$/, "");
  };
  return {
    ...clientId && clientSecret ? { oauth: { clientId, clientSecret } } : {},
    ...publicUrl !== void 0 ? { publicUrl: origin("public-url", publicUrl) } : {},
    githubWebUrl: origin("github-web-url", get("github-web-url") ?? "https://github.com")
  };
}
function readSecretFile(flag, path, usage2) {
  let text2;
  try {
    text2 = readFileSync(path, "utf8");
  } catch (err) {
    throw new UsageError(`--${flag} ${path}: cannot read it (${err.code ?? "error"})`, usage2);
  }
  const value = text2.replace(/\r?\n$/, "");
  if (!value) throw new UsageError(`--${flag} ${path}: the file is empty`, usage2);
  return value;
}
var UNITS = { "": 1, k: 1024, kb: 1024, kib: 1024, m: 1024 ** 2, mb: 1024 ** 2, mib: 1024 ** 2 };
function byteSize(flag, raw, fallback, usage2) {
  if (raw === void 0) return fallback;
  const m2 = /^([0-9]+)\s*([a-z]*)$/i.exec(raw.trim());
  const unit = m2 ? UNITS[(m2[2] ?? "").toLowerCase()] : void 0;
  const n = m2 && unit ? Number(m2[1]) * unit : NaN;
  if (!(n >= 1024 && n <= 25 * 1024 ** 2)) {
    throw new UsageError(`--${flag} (${ENV_NAMES[flag]}) expects a size from 1k to 25m (GitHub's own cap), such as 1m or 512k, got "${raw}"`, usage2);
  }
  return n;
}
function retainDays(days, usage2) {
  if (days > 0 && days < MIN_RETAIN_DAYS) {
    throw new UsageError(
      `--retain-days (GITCREW_RETAIN_DAYS) must be 0 (keep everything) or at least ${MIN_RETAIN_DAYS}, got ${days}: GitHub redelivers deliveries up to 3 days old, and a delivery forgotten sooner would run again`,
      usage2
    );
  }
  return days;
}
function readGitHub(get, token, usage2) {
  const appId = get("app-id");
  const privateKeyFile = get("private-key-file");
  const apiUrl = get("github-api-url");
  if (appId && !privateKeyFile) throw new UsageError("--app-id needs --private-key-file (or GITHUB_APP_PRIVATE_KEY_FILE)", usage2);
  if (privateKeyFile && !appId) throw new UsageError("--private-key-file needs --app-id (or GITHUB_APP_ID)", usage2);
  if (apiUrl && !/^https?:\/\//.test(apiUrl)) throw new UsageError(`--github-api-url must be an http(s) URL, got "${apiUrl}"`, usage2);
  return { ...token ? { token } : {}, ...appId ? { appId, privateKeyFile } : {}, ...apiUrl ? { apiUrl: apiUrl.replace(/\/+$/, "") } : {} };
}
function readRepos(get, app, usage2) {
  const repo = get("repo");
  const raw = get("repos");
  if (repo && raw !== void 0) throw new UsageError("give --repo (GITCREW_REPO, one repository) or --repos (GITCREW_REPOS, patterns), not both", usage2);
  if (repo) return { repo };
  if (raw === void 0) {
    if (app) return {};
    throw new UsageError("--repo OWNER/NAME|PATH or --repos PATTERNS is required (or GITCREW_REPO, GITCREW_REPOS); with --app-id and neither, every repository of the App's installations is served", usage2);
  }
  try {
    return { repos: parseRepoList(raw) };
  } catch (err) {
    throw new UsageError(`${err.message} (GITCREW_REPOS)`, usage2);
  }
}
var BIG_UNITS = { ...UNITS, g: 1024 ** 3, gb: 1024 ** 3, gib: 1024 ** 3, t: 1024 ** 4, tb: 1024 ** 4, tib: 1024 ** 4 };
function checkoutBudget(raw, usage2) {
  if (raw === void 0) return DEFAULT_CHECKOUT_BUDGET_BYTES;
  const m2 = /^([0-9]+)\s*([a-z]*)$/i.exec(raw.trim());
  const unit = m2 ? BIG_UNITS[(m2[2] ?? "").toLowerCase()] : void 0;
  const n = m2 && unit ? Number(m2[1]) * unit : NaN;
  if (!(n >= 100 * 1024 ** 2)) throw new UsageError(`--checkout-budget (GITCREW_CHECKOUT_BUDGET) expects a size of at least 100m, such as 10g or 500m, got "${raw}"`, usage2);
  return n;
}

// src/server/webhook.ts
function header(headers, name) {
  const v2 = headers[name];
  return Array.isArray(v2) ? v2[0] : v2;
}
var fail2 = (status, error) => ({ status, body: { error } });
function checkWebhookHeaders(headers, maxBytes = DEFAULT_MAX_BODY_BYTES) {
  const type = header(headers, "content-type") ?? "";
  if (!/^application\/json\s*(;|$)/i.test(type)) {
    return fail2(415, `Content-Type must be application/json, got "${type || "(none)"}"; set the webhook's content type to application/json`);
  }
  const length = Number(header(headers, "content-length") ?? "0");
  if (length > maxBytes) return fail2(413, `payload of ${length} bytes is above the ${maxBytes}-byte limit (gitcrew serve --max-body)`);
  const missing = ["x-github-event", "x-github-delivery"].filter((h3) => !header(headers, h3));
  if (missing.length) return fail2(400, `missing header ${missing.join(", ")}`);
  const signature = header(headers, "x-hub-signature-256");
  if (!signature) return fail2(401, "missing X-Hub-Signature-256: configure the webhook secret on GitHub");
  if (!parseSignature(signature)) return fail2(401, "X-Hub-Signature-256 is not sha256= and 64 hex digits");
  return void 0;
}
var BAD_SIGNATURE = fail2(401, "signature does not match: check that the webhook secret (GITCREW_WEBHOOK_SECRET_FILE) is the secret configured on GitHub");
async function acceptWebhook(headers, body, key2, deps) {
  const id = header(headers, "x-github-delivery") ?? "";
  const event = header(headers, "x-github-event") ?? "";
  let repo;
  try {
    const parsed = JSON.parse(body);
    if (parsed === null || typeof parsed !== "object") return fail2(400, "payload is not a JSON object");
    const name = parsed.repository?.full_name;
    if (typeof name === "string" && !repoNameProblem(name)) repo = name;
  } catch {
    return fail2(400, "payload is not valid JSON");
  }
  const fresh = await deps.record({ id, event, payload: body, receivedAt: deps.now(), bodyKey: key2, ...repo ? { repo } : {} });
  return { status: 202, body: fresh ? { accepted: id } : { accepted: id, duplicate: true } };
}

// src/server/http.ts
var DEFAULT_MAX_CONNECTIONS = 512;
var defaultInFlightBytes = (maxBodyBytes) => Math.max(32 * 1024 * 1024, 4 * maxBodyBytes);
function send(res, reply, close = false) {
  const text2 = JSON.stringify(reply.body) + "\n";
  res.writeHead(reply.status, { ...reply.headers, "content-type": "application/json", "content-length": Buffer.byteLength(text2), ...close ? { connection: "close" } : {} });
  res.end(text2);
}
function createHttpServer(deps) {
  const maxBytes = deps.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const budget = new ByteBudget(deps.maxInFlightBytes ?? defaultInFlightBytes(maxBytes));
  async function webhook(req, res) {
    const started = performance.now();
    const done = (reply, close = false) => {
      send(res, reply, close);
      deps.metrics.webhooks.inc({ status: String(reply.status) });
      deps.metrics.webhookSeconds.observe((performance.now() - started) / 1e3);
    };
    const early = checkWebhookHeaders(req.headers, maxBytes);
    if (early) return done(early, true);
    const held = budget.hold();
    try {
      const body = await readSignedBody(req, {
        secret: deps.webhookSecret,
        expected: parseSignature(header(req.headers, "x-hub-signature-256") ?? "") ?? Buffer.alloc(0),
        maxBytes,
        take: held.take
      });
      if (!body.ok) {
        held.release();
        if (body.reason === "too-large") return done(fail2(413, `payload above the ${maxBytes}-byte limit (gitcrew serve --max-body)`), true);
        if (body.reason === "busy") return done({ ...fail2(503, "too many webhook bytes in flight; retry shortly"), headers: { "retry-after": "1" } }, true);
        if (body.reason === "bad-signature") return done(BAD_SIGNATURE);
        return void req.destroy();
      }
      const reply = await acceptWebhook(req.headers, body.text, body.key, { record: (delivery) => deps.record ? deps.record(delivery) : deps.store.recordDelivery(delivery), now: deps.now });
      done(reply);
      if (reply.status === 202 && !reply.body.duplicate) deps.onDelivery();
    } finally {
      held.release();
    }
  }
  async function metrics() {
    const counts = await deps.store.countByStatus();
    return deps.metrics.render([
      ...gauge("gitcrew_queue_depth", "Runs waiting to be claimed.", [[{}, counts.queued]]),
      ...gauge("gitcrew_deliveries_pending", "Stored deliveries not yet planned.", [[{}, await deps.store.pendingDeliveries()]]),
      ...gauge("gitcrew_runs", "Runs in the store by status.", Object.entries(counts).map(([status, n]) => [{ status }, n])),
      ...repoGauges(await deps.store.countByRepo(), deps.metrics),
      ...gauge("gitcrew_webhook_body_bytes_in_flight", "Webhook body bytes being read and verified now, all requests together (bounded by the in-flight budget).", [[{}, budget.inUse]]),
      ...gauge("gitcrew_ready", "1 when /readyz answers 200 (a usable crew, the Docker engine answering), else 0.", [[{}, deps.readiness().ready ? 1 : 0]])
    ]);
  }
  async function route2(req, res) {
    const url = new URL(req.url ?? "/", "http://localhost");
    const method = req.method ?? "GET";
    if (url.pathname === "/webhooks") {
      if (method !== "POST") return send(res, { status: 405, body: { error: "use POST /webhooks" } });
      return webhook(req, res);
    }
    if (deps.dashboard?.owns(url.pathname)) return deps.dashboard.handle(req, res);
    if (url.pathname.startsWith("/api/")) return send(res, await handleApi(method, url, req.headers.authorization, { store: deps.store, token: deps.apiToken, now: deps.now, wake: deps.wake, freeSlots: deps.freeSlots, repoLimit: deps.repoLimit }));
    if (method !== "GET") return send(res, { status: 405, body: { error: `use GET ${url.pathname}` } });
    if (url.pathname === "/healthz") return send(res, { status: 200, body: { ok: true } });
    if (url.pathname === "/readyz") {
      const ready = deps.readiness(url.searchParams.get("repo") ?? void 0);
      const body = ready.ready ? { ready: true } : { ready: false, reason: ready.reason ?? "not ready" };
      if (ready.repos) body.repos = ready.repos;
      if (ready.ready && ready.reason) body.reason = ready.reason;
      return send(res, { status: ready.ready ? 200 : 503, body });
    }
    if (url.pathname === "/metrics") {
      const text2 = await metrics();
      res.writeHead(200, { "content-type": "text/plain; version=0.0.4" });
      return void res.end(text2);
    }
    send(res, { status: 404, body: { error: `no route ${url.pathname}; try POST /webhooks, GET /healthz, /readyz, /metrics` } });
  }
  const server = createServer({ connectionsCheckingInterval: 1e3 }, (req, res) => {
    route2(req, res).catch((err) => {
      deps.log(`http: ${req.method ?? ""} ${req.url ?? ""}: ${errorMessage(err)}`);
      if (!res.headersSent) send(res, { status: 503, body: { error: `store unavailable: ${errorMessage(err)}` } });
      else res.destroy();
    });
  });
  server.headersTimeout = deps.headersTimeoutMs ?? 1e4;
  server.requestTimeout = deps.requestTimeoutMs ?? 6e4;
  server.maxConnections = deps.maxConnections ?? DEFAULT_MAX_CONNECTIONS;
  return server;
}

// src/server/dashboard/access.ts
var RANK2 = { none: 0, read: 1, triage: 2, write: 3, maintain: 4, admin: 5 };
var mayRead = (role) => RANK2[role] >= RANK2.read;
var mayWrite = (role) => RANK2[role] >= RANK2.write;
var ACCESS_TTL_MS = 6e4;
var MAX_ENTRIES = 1e4;
var RepoAccess = class {
  constructor(lookup, now, log = () => void 0, ttlMs = ACCESS_TTL_MS) {
    this.lookup = lookup;
    this.now = now;
    this.log = log;
    this.ttlMs = ttlMs;
  }
  cache = /* @__PURE__ */ new Map();
  inFlight = /* @__PURE__ */ new Map();
  /** The last failed lookup, for /api/health. */
  lastError;
  async role(login, repo) {
    const key2 = `${login.toLowerCase()}|${repo.toLowerCase()}`;
    const hit = this.cache.get(key2);
    if (hit && hit.until > this.now()) return hit.role;
    const pending = this.inFlight.get(key2);
    if (pending) return pending;
    const asked = this.ask(key2, login, repo).finally(() => this.inFlight.delete(key2));
    this.inFlight.set(key2, asked);
    return asked;
  }
  async ask(key2, login, repo) {
    try {
      const role = await this.lookup(login, repo);
      if (this.cache.size >= MAX_ENTRIES) this.evict();
      this.cache.set(key2, { role, until: this.now() + this.ttlMs });
      this.lastError = void 0;
      return role;
    } catch (err) {
      this.lastError = { at: this.now(), message: errorMessage(err) };
      this.log(`dashboard: ${login}'s permission on ${repo}: ${errorMessage(err)}`);
      return "none";
    }
  }
  evict() {
    const now = this.now();
    for (const [k2, v2] of this.cache) if (v2.until <= now) this.cache.delete(k2);
    if (this.cache.size >= MAX_ENTRIES) this.cache.clear();
  }
};
var ROLES = new Set(Object.keys(RANK2));
function githubRoleLookup(apiUrl, token) {
  return async (login, repo) => {
    const [owner = "", name = ""] = repo.split("/");
    const res = await fetch(`${apiUrl}/repos/${encodeURIComponent(owner)}/${encodeURIComponent(name)}/collaborators/${encodeURIComponent(login)}/permission`, {
      headers: { accept: "application/vnd.github+json", authorization: `Bearer ${await token(repo)}`, "x-github-api-version": "2022-11-28" },
      signal: AbortSignal.timeout(1e4)
    });
    if (res.status === 404 || res.status === 403) return await res.body?.cancel(), "none";
    if (!res.ok) throw new Error(`GET /repos/${owner}/${name}/collaborators/${login}/permission answered ${res.status}`);
    const body = await res.json();
    const role = typeof body.role_name === "string" && ROLES.has(body.role_name) ? body.role_name : body.permission;
    return typeof role === "string" && ROLES.has(role) ? role : "none";
  };
}

// src/server/dashboard/csrf.ts
import { timingSafeEqual as timingSafeEqual3 } from "node:crypto";
function ownOrigins(publicUrl, host) {
  if (publicUrl) return [new URL(publicUrl).origin];
  return host ? [`http://${host}`, `https://${host}`] : [];
}
function csrfProblem(headers, csrf, origins) {
  const given = headers["x-gitcrew-csrf"];
  if (typeof given !== "string" || !sameText(given, csrf)) return "missing or wrong x-gitcrew-csrf header: reload the page";
  const origin = headers.origin;
  if (typeof origin !== "string" || !origins.includes(origin)) return "this change must come from the dashboard's own page (Origin)";
  return void 0;
}
function sameText(a, b3) {
  const x3 = Buffer.from(a);
  const y2 = Buffer.from(b3);
  return x3.length === y2.length && timingSafeEqual3(x3, y2);
}

// src/server/dashboard/oauth.ts
import { randomBytes as randomBytes4, timingSafeEqual as timingSafeEqual4 } from "node:crypto";

// src/server/dashboard/cookies.ts
var SESSION_COOKIE = "gitcrew_session";
var OAUTH_COOKIE = "gitcrew_oauth";
var SESSION_SECONDS = 8 * 3600;
var OAUTH_SECONDS = 600;
var VALUE = /^[A-Za-z0-9_.-]{1,1200}$/;
function readCookie(header2, name) {
  if (!header2 || header2.length > 8192) return void 0;
  for (const part of header2.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
    const value = part.slice(eq + 1).trim();
    return VALUE.test(value) ? value : void 0;
  }
  return void 0;
}
function setCookie(name, value, o2) {
  return `${name}=${value}; Path=${o2.path}; Max-Age=${o2.maxAge}; HttpOnly; SameSite=Lax${o2.secure ? "; Secure" : ""}`;
}
function clearCookie(name, o2) {
  return setCookie(name, "", { ...o2, maxAge: 0 });
}

// src/server/dashboard/next-path.ts
var MAX_NEXT = 512;
var PROBE = "http://gitcrew.invalid";
function safeNext(raw) {
  if (raw === null || raw === void 0 || raw === "") return "/";
  if (raw.length > MAX_NEXT || !raw.startsWith("/") || raw.startsWith("//") || raw.includes("\\")) return void 0;
  if (/[\u0000-\u0020\u007f-\u009f]/.test(raw)) return void 0;
  try {
    return new URL(raw, PROBE).origin === PROBE ? raw : void 0;
  } catch {
    return void 0;
  }
}

// src/server/dashboard/respond.ts
var CSP = "default-src 'self'; img-src 'self' data: https://avatars.githubusercontent.com; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
var SECURITY_HEADERS = {
  "content-security-policy": CSP,
  "x-content-type-options": "nosniff",
  "referrer-policy": "same-origin"
};
var NO_STORE = { "cache-control": "no-store" };
function json(status, body, headers = {}) {
  return { status, headers: { ...NO_STORE, "content-type": "application/json", ...headers }, body: JSON.stringify(body) + "\n" };
}
function fail3(status, error) {
  return json(status, { error });
}
var escapeHtml = (text2) => text2.replace(/[&<>"']/g, (c3) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c3]);
function page(status, title, text2, headers = {}) {
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)} \xB7 gitcrew</title></head>
<body><h1>${escapeHtml(title)}</h1><p>${escapeHtml(text2)}</p><p><a href="/">Back to the dashboard</a></p></body></html>
`;
  return { status, headers: { ...NO_STORE, "content-type": "text/html; charset=utf-8", ...headers }, body: html };
}
function redirect(location, cookies = []) {
  return { status: 302, headers: { ...NO_STORE, location, ...cookies.length ? { "set-cookie": cookies } : {} } };
}
function write(res, answer, headOnly = false) {
  const body = answer.body ?? "";
  res.writeHead(answer.status, { ...SECURITY_HEADERS, ...answer.headers, "content-length": Buffer.byteLength(body) });
  res.end(headOnly ? void 0 : body);
}

// src/server/dashboard/oauth.ts
var MAX_GITHUB_REPLY = 64 * 1024;
var GITHUB_TIMEOUT_MS = 1e4;
var OAuth = class {
  constructor(o2, sessions, secure, log) {
    this.o = o2;
    this.sessions = sessions;
    this.secure = secure;
    this.log = log;
  }
  get redirectUri() {
    return `${this.o.publicUrl}/auth/callback`;
  }
  login(url) {
    const next = safeNext(url.searchParams.get("next"));
    if (next === void 0) return page(400, "Sign-in refused", "The page to return to must be a path on this server.");
    const state = randomBytes4(32).toString("base64url");
    const authorize2 = new URL(`${this.o.webUrl}/login/oauth/authorize`);
    authorize2.search = new URLSearchParams({ client_id: this.o.clientId, redirect_uri: this.redirectUri, state, allow_signup: "false" }).toString();
    const bound = `${state}.${Buffer.from(next).toString("base64url")}`;
    return redirect(authorize2.toString(), [setCookie(OAUTH_COOKIE, bound, { path: "/auth", maxAge: OAUTH_SECONDS, secure: this.secure })]);
  }
  async callback(url, cookieHeader) {
    const clear = clearCookie(OAUTH_COOKIE, { path: "/auth", secure: this.secure });
    const refuse = (status, text2) => page(status, "Sign-in failed", text2, { "set-cookie": [clear] });
    const bound = readCookie(cookieHeader, OAUTH_COOKIE);
    const [expected = "", nextCoded = ""] = (bound ?? "").split(".");
    const state = url.searchParams.get("state") ?? "";
    const code = url.searchParams.get("code") ?? "";
    if (!bound || !expected || !sameText2(state, expected)) {
      return refuse(400, "The sign-in did not start here, or took too long (its state does not match). Sign in again from the dashboard.");
    }
    if (url.searchParams.get("error")) return refuse(403, "GitHub did not sign you in (access was denied).");
    if (!/^[A-Za-z0-9_-]{1,200}$/.test(code)) return refuse(400, "GitHub's answer has no usable code. Sign in again.");
    const next = safeNext(Buffer.from(nextCoded, "base64url").toString("utf8")) ?? "/";
    let user;
    try {
      user = await this.whoIs(await this.exchange(code));
    } catch (err) {
      this.log(`dashboard: sign-in failed: ${errorMessage(err)}`);
      return refuse(502, "GitHub did not confirm the sign-in. Try again; if it keeps failing, the server's OAuth client id and secret may be wrong.");
    }
    const session = await this.sessions.start(user);
    return redirect(next, [clear, session]);
  }
  /** The code for the person's token (used once, for GET /user, then dropped). */
  async exchange(code) {
    const res = await fetch(`${this.o.webUrl}/login/oauth/access_token`, {
      method: "POST",
      headers: { accept: "application/json", "content-type": "application/json" },
      body: JSON.stringify({ client_id: this.o.clientId, client_secret: this.o.clientSecret, code, redirect_uri: this.redirectUri }),
      signal: AbortSignal.timeout(GITHUB_TIMEOUT_MS)
    });
    const body = await boundedJson(res);
    if (!res.ok || typeof body.access_token !== "string" || !body.access_token) {
      throw new Error(`POST /login/oauth/access_token answered ${res.status}${typeof body.error === "string" ? ` (${body.error.slice(0, 60)})` : ""}`);
    }
    return body.access_token;
  }
  async whoIs(token) {
    const res = await fetch(`${this.o.apiUrl}/user`, {
      headers: { accept: "application/vnd.github+json", authorization: `Bearer ${token}`, "x-github-api-version": "2022-11-28" },
      signal: AbortSignal.timeout(GITHUB_TIMEOUT_MS)
    });
    const body = await boundedJson(res);
    if (!res.ok || typeof body.login !== "string" || typeof body.id !== "number") throw new Error(`GET /user answered ${res.status}`);
    return { login: body.login, id: body.id, ...typeof body.avatar_url === "string" ? { avatarUrl: body.avatar_url } : {} };
  }
};
async function boundedJson(res) {
  const text2 = await res.text();
  if (text2.length > MAX_GITHUB_REPLY) throw new Error(`an answer of ${text2.length} characters from GitHub`);
  try {
    return JSON.parse(text2);
  } catch {
    return {};
  }
}
function sameText2(a, b3) {
  const x3 = Buffer.from(a);
  const y2 = Buffer.from(b3);
  return x3.length === y2.length && timingSafeEqual4(x3, y2);
}

// src/server/dashboard/principal.ts
var LOOKUPS_AT_ONCE = 8;
var Gate = class {
  constructor(access) {
    this.access = access;
  }
  async canRead(p2, repo) {
    if (p2.kind === "token") return true;
    if (repoNameProblem(repo) !== void 0) return false;
    return this.access !== void 0 && mayRead(await this.access.role(p2.session.login, repo));
  }
  async canWrite(p2, repo) {
    if (p2.kind === "token") return true;
    if (repoNameProblem(repo) !== void 0) return false;
    return this.access !== void 0 && mayWrite(await this.access.role(p2.session.login, repo));
  }
  /** The repositories among `repos` that `p` may read (all of them for the token). */
  async readable(p2, repos) {
    if (p2.kind === "token") return repos;
    const out = [];
    for (let i = 0; i < repos.length; i += LOOKUPS_AT_ONCE) {
      const part = repos.slice(i, i + LOOKUPS_AT_ONCE);
      const ok = await Promise.all(part.map((r2) => this.canRead(p2, r2)));
      part.forEach((r2, j3) => ok[j3] && out.push(r2));
    }
    return out;
  }
};

// src/server/dashboard/run-view.ts
var obj = (v2) => typeof v2 === "object" && v2 !== null && !Array.isArray(v2) ? v2 : void 0;
var text = (v2) => typeof v2 === "string" ? v2 : void 0;
function job(run) {
  const plan2 = obj(run.plan);
  return { trigger: obj(plan2?.trigger), planned: obj(plan2?.planned), note: text(plan2?.note) };
}
function runRow(run) {
  const { trigger, planned } = job(run);
  const actor = text(obj(trigger?.actor)?.login) ?? "";
  const event = text(trigger?.kind) ?? text(trigger?.event) ?? "";
  const url = text(obj(trigger?.comment)?.url) ?? text(obj(trigger?.thread)?.url);
  const branch = run.outcome?.branch ?? text(planned?.branch);
  const pr2 = run.outcome?.pullRequest;
  const began = run.startedAt ?? run.claimedAt;
  return {
    ...summary(run),
    trigger: { actor, event, ...url && /^https?:\/\//.test(url) ? { url } : {} },
    ...branch ? { branch } : {},
    ...pr2 ? { pullRequest: { number: pr2.number, url: pr2.url } } : {},
    ...began !== void 0 && run.finishedAt !== void 0 ? { durationMs: Math.max(0, run.finishedAt - began) } : {}
  };
}
function runDetail(run) {
  const { trigger, planned, note } = job(run);
  const o2 = run.outcome;
  const entry = planned ? { agent: planned.agent, reason: planned.reason, prompt: planned.prompt, container: planned.container, branch: planned.branch, ref: planned.ref, untrusted: planned.untrusted } : void 0;
  return {
    run: runRow(run),
    plan: trigger || entry ? { trigger: trigger ?? null, runs: entry ? [entry] : [], ...note ? { note } : {} } : null,
    prompt: text(planned?.prompt) ?? null,
    container: obj(planned?.container) ?? null,
    // What the run left (stored when it finished; absent for runs finished before the store kept it).
    ...o2?.answer !== void 0 ? { answer: o2.answer } : {},
    ...o2?.changedFiles ? { changedFiles: o2.changedFilesMore ? [...o2.changedFiles, `+${o2.changedFilesMore} more`] : o2.changedFiles } : {},
    ...o2?.changedFilesMore ? { changedFilesMore: o2.changedFilesMore } : {},
    approvals: []
  };
}

// src/server/dashboard/routes.ts
var PARAMS = {
  session: [],
  runs: ["agent", "status", "thread", "repo", "before", "limit"],
  run: [],
  logs: ["after"],
  stream: ["after"],
  cancel: [],
  retry: [],
  queue: ["limit"],
  approvals: ["state"],
  crew: ["repo"],
  health: []
};
var NO_ACCESS = "you do not have access to this repository's runs";
async function routeDashboardApi(method, url, parts, who, d2) {
  const [resource, id, action, ...rest] = parts;
  const name = resource === "runs" && id !== void 0 ? action ?? "run" : resource ?? "";
  const allowed = PARAMS[name];
  if (!allowed || rest.length) return fail3(404, `no API route ${url.pathname.slice(0, 200)}`);
  const unknown = [...url.searchParams.keys()].find((k2) => !allowed.includes(k2));
  if (unknown !== void 0) return fail3(400, `unknown parameter "${unknown.slice(0, 40)}"${allowed.length ? `; this route takes ${allowed.join(", ")}` : "; this route takes none"}`);
  const post = name === "cancel" || name === "retry";
  if (method !== (post ? "POST" : "GET")) return fail3(405, `use ${post ? "POST" : "GET"} ${url.pathname.slice(0, 200)}`);
  if (name === "session") {
    if (who.kind !== "session") return fail3(400, "GET /api/session is for the signed-in page; the API token has no session");
    return json(200, { login: who.session.login, avatarUrl: who.session.avatarUrl ?? null, csrf: who.session.csrf, ...d2.webUrl ? { webUrl: d2.webUrl } : {} });
  }
  if (name === "runs") return list(url, who, d2);
  if (name === "queue") return queue2(url, who, d2);
  if (name === "approvals") return approvals(url, who, d2);
  if (name === "crew") return crew(url, who, d2);
  if (name === "health") return health(who, d2);
  const run = await d2.store.getRun(id);
  if (!run) return fail3(404, `no run "${id.slice(0, 200)}"`);
  if (!await d2.gate.canRead(who, run.repo)) return fail3(403, NO_ACCESS);
  if (name === "run") {
    const approvals2 = await withPullDecisions(await runApprovals(d2.store, run, await d2.providers.crews?.() ?? []), d2.providers.pullState);
    return json(200, { ...runDetail(run), approvals: approvals2, canAct: await d2.gate.canWrite(who, run.repo) });
  }
  if (name === "stream") {
    const after = afterParam(url.searchParams.get("after") ?? d2.lastEventId ?? null);
    if (after === void 0) return fail3(400, "after must be a log sequence number");
    return { stream: { runId: run.id, repo: run.repo, after } };
  }
  if (name === "logs") return legacy(method, url, d2);
  if (!await d2.gate.canWrite(who, run.repo)) return fail3(403, `only people with write access to ${run.repo} may ${name} its runs`);
  return legacy(method, url, d2);
}
function afterParam(raw) {
  if (raw === null || raw === "") return 0;
  return /^[0-9]{1,15}$/.test(raw) ? Number(raw) : void 0;
}
async function legacy(method, url, d2) {
  const reply = await routeApi(method, url, d2.api);
  return json(reply.status, reply.body, reply.headers ?? {});
}
var CURSOR = /^([0-9]{1,16})\.([A-Za-z0-9_-]{1,700})$/;
var AGENT = /^[A-Za-z0-9._-]{1,100}$/;
function encodeCursor(c3) {
  return `${c3.createdAt}.${Buffer.from(c3.id).toString("base64url")}`;
}
function decodeCursor(raw) {
  const m2 = CURSOR.exec(raw);
  return m2 ? { createdAt: Number(m2[1]), id: Buffer.from(m2[2], "base64url").toString("utf8") } : void 0;
}
async function list(url, who, d2) {
  const q3 = url.searchParams;
  const status = q3.get("status") || void 0;
  if (status && !RUN_STATUSES.includes(status)) return fail3(400, `unknown status "${status.slice(0, 40)}"; one of ${RUN_STATUSES.join(", ")}`);
  const repo = q3.get("repo") || void 0;
  if (repo !== void 0 && repoNameProblem(repo) !== void 0) return fail3(400, `repo must be OWNER/NAME, got "${repo.slice(0, 200)}"`);
  const agent = q3.get("agent") || void 0;
  if (agent !== void 0 && !AGENT.test(agent)) return fail3(400, "agent must be an agent's name");
  const thread = q3.get("thread") || void 0;
  if (thread !== void 0 && thread.length > 300) return fail3(400, "thread is too long");
  const rawBefore = q3.get("before");
  const before = rawBefore ? decodeCursor(rawBefore) : void 0;
  if (rawBefore && !before) return fail3(400, "before must be the `next` of a previous page");
  const rawLimit = q3.get("limit");
  let limit;
  if (who.kind === "token") {
    limit = Math.min(Number(rawLimit ?? "50") || 50, 1e3);
  } else {
    limit = rawLimit === null ? 50 : /^[0-9]{1,3}$/.test(rawLimit) ? Number(rawLimit) : 0;
    if (limit < 1 || limit > 200) return fail3(400, "limit must be a whole number from 1 to 200");
  }
  if (who.kind === "token" && !before && !agent) {
    const runs2 = await d2.store.listRuns({ status, limit, threadKey: thread, repo });
    const last = runs2.length === limit ? runs2[runs2.length - 1] : void 0;
    return json(200, { runs: runs2.map(runRow), ...last ? { next: encodeCursor(last) } : {} });
  }
  let repos;
  if (who.kind === "session") {
    if (repo) {
      if (!await d2.gate.canRead(who, repo)) return fail3(403, NO_ACCESS);
    } else repos = await d2.gate.readable(who, await d2.store.runRepos());
  }
  const page2 = await d2.store.runsPage({ agent, status, threadKey: thread, repo, repos, before, limit });
  return json(200, { runs: page2.runs.map(runRow), ...page2.next ? { next: encodeCursor(page2.next) } : {} });
}
async function queue2(url, who, d2) {
  const reply = await routeApi("GET", url, d2.api);
  if (who.kind === "token" || reply.status !== 200) return json(reply.status, reply.body);
  const body = reply.body;
  const readable = new Set((await d2.gate.readable(who, [...new Set(body.queue.map((e) => e.repo))])).map((r2) => r2.toLowerCase()));
  const mine = body.queue.filter((e) => readable.has(e.repo.toLowerCase()));
  const { running: _running, ...rest } = body;
  return json(200, { ...rest, queued: mine.length, queue: mine });
}
async function approvals(url, who, d2) {
  const state = url.searchParams.get("state") ?? "open";
  if (state !== "open" && state !== "all") return fail3(400, 'state must be "open" or "all"');
  const stored = await d2.providers.approvals?.(state) ?? await storedApprovals(d2.store, "all", await d2.providers.crews?.() ?? []);
  const readable = new Set((await d2.gate.readable(who, [...new Set(stored.map((a) => a.repo))])).map((r2) => r2.toLowerCase()));
  const all = await withPullDecisions(stored.filter((a) => readable.has(a.repo.toLowerCase())), d2.providers.pullState);
  return json(200, { approvals: state === "all" ? all : all.filter(isOpen) });
}
async function crew(url, who, d2) {
  const repo = url.searchParams.get("repo") ?? void 0;
  if (repo !== void 0 && repoNameProblem(repo) !== void 0) return fail3(400, `repo must be OWNER/NAME, got "${repo.slice(0, 200)}"`);
  const crews = await d2.providers.crews?.() ?? [];
  if (repo !== void 0) {
    if (!await d2.gate.canRead(who, repo)) return fail3(403, NO_ACCESS);
    const one = crews.find((c3) => c3.repo.toLowerCase() === repo.toLowerCase());
    return one ? json(200, one) : fail3(404, `no crew loaded for ${repo}`);
  }
  const readable = new Set((await d2.gate.readable(who, crews.map((c3) => c3.repo))).map((r2) => r2.toLowerCase()));
  return json(200, { repos: crews.filter((c3) => readable.has(c3.repo.toLowerCase())) });
}
var INSTANCES_WINDOW_MS = 24 * 36e5;
async function health(who, d2) {
  if (who.kind === "session") {
    const served = [.../* @__PURE__ */ new Set([...(await d2.providers.crews?.() ?? []).map((c3) => c3.repo), ...await d2.store.runRepos()])];
    if (!(await d2.gate.readable(who, served)).length) return fail3(403, "you need read access to a repository this server serves");
  }
  const store = await d2.store.countByStatus().then(
    () => ({ ok: true, kind: d2.store.kind }),
    () => ({ ok: false, kind: d2.store.kind, error: "the store does not answer" })
  );
  const docker = d2.providers.docker ? await d2.providers.docker().then(
    (up) => up ? { ok: true } : { ok: false, error: "the Docker engine does not answer" },
    () => ({ ok: false, error: "the Docker engine does not answer" })
  ) : { ok: false, error: "this instance runs no worker" };
  const problem = d2.providers.githubProblem?.();
  const instances = store.ok ? await d2.store.instances.list(d2.now() - INSTANCES_WINDOW_MS).catch(() => []) : [];
  return json(200, { store, docker, github: problem ? { ok: false, error: problem } : { ok: true }, instances });
}

// src/server/dashboard/sessions.ts
import { createHash as createHash3, randomBytes as randomBytes5 } from "node:crypto";
var hashSessionId = (value) => createHash3("sha256").update(value).digest("hex");
var SESSION_VALUE = /^[A-Za-z0-9_-]{43}$/;
var SessionKeeper = class {
  constructor(store, now, secure) {
    this.store = store;
    this.now = now;
    this.secure = secure;
  }
  /** A new session for `user`: its cookie (the only place the value ever is). */
  async start(user) {
    const value = randomBytes5(32).toString("base64url");
    const now = this.now();
    await this.store.sessions.prune(now).catch(() => 0);
    await this.store.sessions.create(hashSessionId(value), {
      login: user.login,
      userId: user.id,
      ...user.avatarUrl ? { avatarUrl: user.avatarUrl } : {},
      csrf: randomBytes5(24).toString("base64url"),
      createdAt: now,
      expiresAt: now + SESSION_SECONDS * 1e3
    });
    return setCookie(SESSION_COOKIE, value, { path: "/", maxAge: SESSION_SECONDS, secure: this.secure });
  }
  /** The session a request's cookie names, when it is one of ours and has not expired. */
  async resolve(cookieHeader) {
    const value = readCookie(cookieHeader, SESSION_COOKIE);
    if (!value || !SESSION_VALUE.test(value)) return void 0;
    const idHash = hashSessionId(value);
    const session = await this.store.sessions.get(idHash, this.now());
    return session ? { idHash, session } : void 0;
  }
  hasCookie(cookieHeader) {
    return /(?:^|;)\s*gitcrew_session=/.test(cookieHeader ?? "");
  }
  async end(idHash) {
    await this.store.sessions.remove(idHash);
    return this.clear();
  }
  clear() {
    return clearCookie(SESSION_COOKIE, { path: "/", secure: this.secure });
  }
};

// src/server/dashboard/static.ts
import { existsSync, readFileSync as readFileSync2 } from "node:fs";
import { join as join2 } from "node:path";
import { fileURLToPath } from "node:url";
var ASSET_NAME = /^[A-Za-z0-9._-]{1,200}$/;
var TYPES = {
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".map": "application/json"
};
function defaultDashboardDir() {
  const candidates = ["./dashboard/", "../dashboard/", "../../../dist/dashboard/"].map((rel) => fileURLToPath(new URL(rel, import.meta.url)));
  return candidates.find((dir) => existsSync(join2(dir, "index.html"))) ?? candidates[0];
}
var StaticFiles = class {
  constructor(dir) {
    this.dir = dir;
  }
  files = /* @__PURE__ */ new Map();
  index() {
    const html = this.read("index.html");
    if (!html) return page(503, "Dashboard not built", "This gitcrew has no built dashboard (dist/dashboard/index.html): run npm run build.");
    return { status: 200, headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-cache" }, body: html };
  }
  asset(name) {
    const type = TYPES[/\.[a-z0-9]+$/.exec(name)?.[0] ?? ""];
    const body = ASSET_NAME.test(name) && !name.startsWith(".") && type ? this.read(join2("assets", name)) : void 0;
    if (!body || !type) return page(404, "Not found", "No such file.");
    return { status: 200, headers: { "content-type": type, "cache-control": "public, max-age=31536000, immutable" }, body };
  }
  read(rel) {
    if (!this.files.has(rel)) {
      let content = null;
      try {
        content = readFileSync2(join2(this.dir, rel));
      } catch {
        content = null;
      }
      if (content) this.files.set(rel, content);
      return content ?? void 0;
    }
    return this.files.get(rel) ?? void 0;
  }
};

// src/server/dashboard/stream.ts
async function streamRun(req, res, o2) {
  res.writeHead(200, {
    ...SECURITY_HEADERS,
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-store",
    "x-accel-buffering": "no"
  });
  let closed = false;
  let wake;
  const onClose = () => (closed = true, wake?.());
  req.on("close", onClose);
  res.on("close", onClose);
  const send2 = async (chunk) => {
    if (closed) return;
    if (!res.write(chunk)) await new Promise((resolve4) => (res.once("drain", resolve4), res.once("close", resolve4)));
  };
  const pollMs = o2.pollMs ?? 250;
  const keepAliveMs = o2.keepAliveMs ?? 15e3;
  let seq = o2.after;
  let shown = "";
  let quietSince = Date.now();
  let checkedAt = Date.now();
  await send2("retry: 2000\n\n");
  try {
    while (!closed) {
      if (o2.stillAllowed && Date.now() - checkedAt >= (o2.recheckMs ?? 3e4)) {
        checkedAt = Date.now();
        if (!await o2.stillAllowed()) {
          await send2(`event: denied
data: ${JSON.stringify({ error: "your session ended or lost access to this repository" })}

`);
          break;
        }
      }
      const run = await o2.store.getRun(o2.runId);
      if (!run) break;
      const chunks = await o2.store.readLog(o2.runId, seq);
      for (const c3 of chunks) {
        await send2(`id: ${c3.seq}
event: log
data: ${JSON.stringify({ seq: c3.seq, text: c3.text })}

`);
        seq = c3.seq;
      }
      const state = `${run.status}|${run.startedAt ?? ""}|${run.finishedAt ?? ""}|${run.cancelRequested}`;
      if (state !== shown) {
        shown = state;
        await send2(`event: status
data: ${JSON.stringify(runRow(run))}

`);
      }
      if (FINAL_STATUSES.includes(run.status)) {
        await send2(`event: end
data: ${JSON.stringify({ status: run.status })}

`);
        break;
      }
      if (chunks.length) quietSince = Date.now();
      else if (Date.now() - quietSince >= keepAliveMs) await send2(": still here\n\n"), quietSince = Date.now();
      await new Promise((resolve4) => {
        wake = resolve4;
        setTimeout(resolve4, pollMs).unref();
      });
    }
  } finally {
    req.off("close", onClose);
    if (!res.writableEnded) res.end();
  }
}

// src/server/dashboard/index.ts
var MAX_QUERY = 2048;
var Dashboard = class {
  constructor(o2) {
    this.o = o2;
    this.files = new StaticFiles(o2.dir ?? defaultDashboardDir());
    this.sessions = new SessionKeeper(o2.store, o2.now, Boolean(o2.publicUrl?.startsWith("https:")));
    this.access = o2.roles ? new RepoAccess(o2.roles, o2.now, o2.log, o2.accessTtlMs) : void 0;
    this.gate = new Gate(this.access);
  }
  files;
  sessions;
  access;
  gate;
  listenUrl = "";
  oauthFlow;
  /** The address the server listens on, the public URL's stand-in when none is given. */
  listening(url) {
    this.listenUrl = url;
  }
  get publicUrl() {
    return (this.o.publicUrl ?? this.listenUrl).replace(/\/+$/, "");
  }
  get oauth() {
    if (!this.o.oauth) return void 0;
    this.oauthFlow ??= new OAuth({ ...this.o.oauth, publicUrl: this.publicUrl }, this.sessions, this.publicUrl.startsWith("https:"), this.o.log);
    return this.oauthFlow;
  }
  /** Whether the dashboard answers this path (everything else stays with http.ts). */
  owns(pathname) {
    return pathname === "/" || pathname.startsWith("/ui/") || pathname.startsWith("/assets/") || pathname.startsWith("/auth/") || pathname.startsWith("/api/");
  }
  async handle(req, res) {
    const raw = req.url ?? "/";
    const method = req.method ?? "GET";
    const query2 = raw.indexOf("?");
    if (query2 >= 0 && raw.length - query2 - 1 > MAX_QUERY) {
      return write(res, raw.startsWith("/api/") ? fail3(414, `query string above ${MAX_QUERY} bytes`) : page(414, "Request too long", `The address is longer than ${MAX_QUERY} bytes.`));
    }
    const url = new URL(raw, "http://localhost");
    const head = method === "HEAD";
    if (url.pathname.startsWith("/api/")) return this.api(req, res, url, method);
    if (url.pathname.startsWith("/auth/")) return write(res, await this.auth(req, url, method));
    if (method !== "GET" && !head) return write(res, page(405, "Method not allowed", `Use GET ${url.pathname}.`, { allow: "GET, HEAD" }));
    if (url.pathname.startsWith("/assets/")) return write(res, this.files.asset(url.pathname.slice(8)), head);
    return write(res, this.files.index(), head);
  }
  async auth(req, url, method) {
    const oauth = this.oauth;
    if (url.pathname === "/auth/logout") {
      if (method !== "POST") return page(405, "Method not allowed", "Sign out with POST /auth/logout.", { allow: "POST" });
      const active = await this.sessions.resolve(req.headers.cookie);
      if (!active) return json(200, { signedOut: true }, { "set-cookie": this.sessions.clear() });
      const problem = csrfProblem(req.headers, active.session.csrf, ownOrigins(this.o.publicUrl, req.headers.host));
      if (problem) return fail3(403, problem);
      return json(200, { signedOut: true }, { "set-cookie": await this.sessions.end(active.idHash) });
    }
    if (url.pathname !== "/auth/login" && url.pathname !== "/auth/callback") return page(404, "Not found", "No such page.");
    if (method !== "GET") return page(405, "Method not allowed", `Use GET ${url.pathname}.`, { allow: "GET" });
    if (!oauth) return page(503, "Sign-in is not configured", "Start gitcrew serve with --oauth-client-id and --oauth-client-secret-file to sign in with GitHub.");
    return url.pathname === "/auth/login" ? oauth.login(url) : oauth.callback(url, req.headers.cookie);
  }
  async api(req, res, url, method) {
    let parts;
    try {
      parts = url.pathname.split("/").filter(Boolean).slice(1).map(decodeURIComponent);
    } catch {
      return write(res, fail3(400, "the path is not valid percent-encoding"));
    }
    const who = await this.principal(req);
    if ("status" in who) return write(res, who);
    if (who.kind === "session" && method !== "GET" && method !== "HEAD") {
      const problem = csrfProblem(req.headers, who.session.csrf, ownOrigins(this.o.publicUrl, req.headers.host));
      if (problem) return write(res, fail3(403, problem));
    }
    const lastId = req.headers["last-event-id"];
    const routed = await routeDashboardApi(method, url, parts, who, {
      store: this.o.store,
      api: this.o.api,
      gate: this.gate,
      now: this.o.now,
      providers: this.providers,
      ...this.o.oauth ? { webUrl: this.o.oauth.webUrl } : {},
      ...typeof lastId === "string" ? { lastEventId: lastId } : {}
    });
    if ("stream" in routed) {
      const { runId, after, repo } = routed.stream;
      const stillAllowed = who.kind === "session" ? async () => await this.o.store.sessions.get(who.idHash, this.o.now()) !== void 0 && this.gate.canRead(who, repo) : void 0;
      return streamRun(req, res, { store: this.o.store, runId, after, pollMs: this.o.streamPollMs, ...stillAllowed ? { stillAllowed } : {}, recheckMs: this.o.streamRecheckMs });
    }
    write(res, routed);
  }
  get providers() {
    const p2 = this.o.providers ?? {};
    return { ...p2, githubProblem: () => p2.githubProblem?.() ?? this.recentGitHubProblem() };
  }
  recentGitHubProblem() {
    const e = this.access?.lastError;
    return e && this.o.now() - e.at < 5 * 6e4 ? "a permission lookup on GitHub failed; see the server's log" : void 0;
  }
  /** The API token (a wrong one is refused, never tried as a session), else the session cookie. */
  async principal(req) {
    if (req.headers.authorization !== void 0) {
      return hasApiToken(req.headers.authorization, this.o.apiToken) ? { kind: "token" } : fail3(401, WRONG_TOKEN);
    }
    const active = await this.sessions.resolve(req.headers.cookie);
    if (active) return { kind: "session", ...active };
    const signIn = this.o.oauth !== void 0;
    const why = this.sessions.hasCookie(req.headers.cookie) ? "your session has expired or is not valid: sign in again" : signIn ? "sign in with GitHub, or use the API token" : "sign-in is not configured on this server: use the API token";
    return json(401, { error: why, signIn }, this.sessions.hasCookie(req.headers.cookie) ? { "set-cookie": this.sessions.clear() } : {});
  }
};

// src/server/pipeline.ts
var DELIVERY_ATTEMPTS = 5;
function plannedAgain(err, attempts) {
  return err instanceof EnvironmentError && attempts < DELIVERY_ATTEMPTS;
}

// src/server/worker.ts
var Worker2 = class {
  constructor(store, handler, executor, options) {
    this.store = store;
    this.handler = handler;
    this.executor = executor;
    this.options = options;
    this.now = options.now ?? Date.now;
    this.log = options.log ?? (() => void 0);
  }
  active = /* @__PURE__ */ new Map();
  stopping = false;
  /** Each loop's idle wait and its wake count: a stored delivery wakes the planner, a queued run the claimer. */
  lanes = { plan: new Lane(), claim: new Lane() };
  loops = [];
  now;
  log;
  start() {
    this.unsubscribe = this.store.subscribe?.((kind) => this.wake(kind));
    this.started = true;
    this.loops = [this.loop(() => this.planStep(), this.lanes.plan), this.loop(() => this.claimOne(), this.lanes.claim), this.tick(this.options.leaseMs / 3, () => this.keepAlive())];
    if (this.options.retainMs) this.loops.push(this.tick(this.options.pruneEveryMs ?? HOUR, () => this.pruneOld()));
  }
  /** A delivery was stored or a run ended: look for work now rather than at the next poll. */
  wake(kind = "any") {
    if (kind !== "run") this.lanes.plan.wake();
    if (kind !== "delivery") this.lanes.claim.wake();
  }
  /**
   * Store a delivery this instance received (the webhook's durable write).
   * While the planner is idle, the delivery is stored leased to this instance
   * and handed to the planner as it is: planned at once, with no claim and no
   * wake through the store on the way to 👀. Otherwise it is stored for any
   * instance's planner, which the store wakes.
   */
  receive(d2) {
    if (!this.started || this.stopping || this.planning || this.handoff) return this.store.recordDelivery(d2);
    const stored = this.store.recordDelivery(d2, { owner: this.options.owner, until: this.now() + this.options.leaseMs });
    this.handoff = stored.then(
      (fresh) => fresh ? { ...d2, repo: d2.repo ?? repoOfPayload(d2.payload) ?? UNKNOWN_REPO, state: "pending", attempts: 1 } : void 0,
      () => void 0
    );
    this.wake("delivery");
    return stored;
  }
  started = false;
  /** The planner is in a step (a received delivery is then stored for whoever plans next). */
  planning = false;
  /** A received delivery leased to this instance, for the planner's next step. */
  handoff;
  get running() {
    return this.active.size;
  }
  /**
   * Stop claiming, let runs finish for `graceMs`, then abort and requeue the
   * rest. Every wait is cancelled when it is over (an idle instance exits at
   * once), and `hurry()` cuts both waits short.
   */
  async stop(graceMs) {
    this.stopping = true;
    this.unsubscribe?.();
    this.unsubscribe = void 0;
    this.wake();
    const all = () => Promise.all([...this.active.values()].map((a) => a.done));
    if (this.active.size) await this.waitAtMost(all(), graceMs);
    for (const a of this.active.values()) this.abort(a, "shutdown");
    if (this.active.size) await this.waitAtMost(all(), Math.min(1e4, this.options.leaseMs));
    for (const a of this.active.values()) await this.store.release(a.run.id, this.options.owner).catch(() => void 0);
    this.ticking = false;
    this.wakeSleepers();
    await Promise.all(this.loops);
    const left = await this.handoff;
    this.handoff = void 0;
    if (left) await this.store.failDelivery(left.id, "not planned yet: the instance that received it stopped", this.now()).catch(() => void 0);
  }
  /** A second signal during `stop`: stop waiting for runs, abort and requeue them now. */
  hurry() {
    this.hurried = true;
    for (const a of this.active.values()) this.abort(a, "shutdown");
    this.wakeSleepers();
  }
  unsubscribe;
  hurried = false;
  ticking = true;
  sleepers = /* @__PURE__ */ new Set();
  wakeSleepers() {
    for (const wake of this.sleepers) wake();
    this.sleepers.clear();
  }
  /** `p`, or `ms` (or `hurry()`) if sooner; the timer is cleared either way so it keeps no process alive. */
  waitAtMost(p2, ms2, hurriable = true) {
    if (hurriable && this.hurried) return Promise.resolve();
    return new Promise((resolve4) => {
      const done = () => (clearTimeout(timer), this.sleepers.delete(done), resolve4());
      const timer = setTimeout(done, ms2);
      this.sleepers.add(done);
      void p2.then(done, done);
    });
  }
  async loop(step, lane) {
    while (!this.stopping) {
      let busy = false;
      const wakesBefore = lane.wakes;
      try {
        busy = await step();
      } catch (err) {
        this.log(`worker: ${errorMessage(err)}`);
      }
      if (!busy && !this.stopping && lane.wakes === wakesBefore) await lane.idle(this.options.pollMs);
      else await new Promise((resolve4) => setImmediate(resolve4));
    }
  }
  async planStep() {
    this.planning = true;
    try {
      return await this.planOne();
    } finally {
      this.planning = false;
    }
  }
  /** The delivery this instance received and leased to itself, else one claimed from the store. */
  async nextDelivery() {
    const handed = this.handoff;
    this.handoff = void 0;
    return await handed ?? this.store.claimDelivery(this.options.owner, this.now(), this.options.leaseMs);
  }
  async tick(everyMs, step) {
    while (this.ticking) {
      await this.waitAtMost(new Promise(() => void 0), everyMs, false);
      if (!this.ticking) return;
      await step().catch((err) => this.log(`worker: ${errorMessage(err)}`));
    }
  }
  async planOne() {
    const delivery = await this.nextDelivery();
    if (!delivery) return false;
    let plan2;
    try {
      plan2 = await this.handler.plan(delivery);
      for (const thread of plan2.cancelThreads ?? []) {
        for (const run of await this.store.cancelThread(thread, this.now())) {
          this.log(`run ${run.id}: cancel requested by delivery ${delivery.id}`);
          if (run.status === "cancelled" && run.claimedAt === void 0) await this.executor.notRun?.(run, "cancelled").catch((err) => this.log(`run ${run.id}: ${errorMessage(err)}`));
        }
      }
      const runs2 = plan2.runs.map((r2) => ({ ...r2, agentLimit: r2.agentLimit ?? 1 }));
      const stored = await this.store.completeDelivery(delivery.id, runs2, this.now()).catch((err) => Promise.reject(new QueueFailed(err)));
      this.log(`delivery ${delivery.id} (${delivery.event}): ${stored.length ? `queued ${stored.map((r2) => r2.id).join(", ")}` : plan2.ignored ?? "no runs"}`);
    } catch (err) {
      const temporary = plannedAgain(err, delivery.attempts);
      const retryAt = temporary ? this.now() + backoffMs(delivery.attempts, this.options.retryBaseMs) : void 0;
      try {
        await this.store.failDelivery(delivery.id, errorMessage(err), retryAt);
        this.log(`delivery ${delivery.id}: planning failed${temporary ? ", will retry" : ""}: ${errorMessage(err)}`);
        if (!temporary) this.options.metrics?.recordDeliveryFailed(delivery.event);
      } finally {
        if (plan2?.runs.length) await this.handler.notQueued?.(delivery, plan2, err, temporary).catch((e) => this.log(`delivery ${delivery.id}: ${errorMessage(e)}`));
      }
    }
    return true;
  }
  async claimOne() {
    if (this.stopping) return false;
    if (this.active.size >= this.options.concurrency) return false;
    if (this.executor.available && !await this.executor.available()) return false;
    const run = await this.store.claimRun({ owner: this.options.owner, now: this.now(), leaseMs: this.options.leaseMs, ownerLimit: this.options.concurrency, repoLimit: this.options.repoLimit });
    if (!run) return false;
    const controller = new AbortController();
    const entry = { run, controller, done: Promise.resolve() };
    this.active.set(run.id, entry);
    entry.done = this.execute(entry).catch((err) => this.log(`run ${run.id}: ${errorMessage(err)}`)).finally(() => {
      this.active.delete(run.id);
      this.wake("run");
    });
    return true;
  }
  abort(a, reason) {
    if (a.reason) return;
    a.reason = reason;
    const words = STOPPED_WORDS[reason];
    a.controller.abort(words ? new GitcrewError(words.message, 1, words.hint) : new Error(reason));
  }
  async keepAlive() {
    const ids = [...this.active.keys()];
    const lost = await this.store.heartbeat(this.options.owner, ids, this.now(), this.options.leaseMs);
    for (const id of lost) {
      const a = this.active.get(id);
      if (a) this.log(`run ${id}: lease lost, stopping it`), this.abort(a, "lease-lost");
    }
    for (const id of await this.store.cancelRequested(ids)) {
      const a = this.active.get(id);
      if (a) this.abort(a, "cancel");
    }
    if (!this.stopping) {
      const r2 = await this.store.reapExpired(this.now());
      for (const id of [...r2.requeued, ...r2.retried, ...r2.failed]) this.log(`run ${id}: its instance stopped renewing the lease; ${r2.failed.includes(id) ? "failed" : "requeued"}`);
      for (const id of [...r2.retried, ...r2.failed]) {
        const run = this.executor.notRun && await this.store.getRun(id);
        if (run) await this.executor.notRun?.(run, "lost").catch((err) => this.log(`run ${id}: ${errorMessage(err)}`));
      }
    }
  }
  /** Retention, by one instance per period: the store's `once` key names the period. */
  async pruneOld() {
    const retainMs = this.options.retainMs;
    if (!retainMs) return;
    const now = this.now();
    const every = this.options.pruneEveryMs ?? HOUR;
    if (!await this.store.once(`prune:${Math.floor(now / every)}`, this.options.owner, now)) return;
    const gone = await this.store.prune(now - retainMs, now);
    if (Object.values(gone).every((n) => n === 0)) return;
    const days = +(retainMs / DAY).toFixed(2);
    this.log(`retention: forgot what finished over ${days} day(s) ago: ${gone.deliveries} deliveries, ${gone.runs} runs, ${gone.logs} log chunks, ${gone.onceKeys} once keys, ${gone.spendRows} budget rows, ${gone.repoTurns} repository turns, ${gone.approvalDecisions} approval decisions, ${gone.answers} answers never written`);
  }
  async execute(a) {
    const { run } = a;
    const owner = this.options.owner;
    const startedAt = this.now();
    let outcome;
    try {
      const commentSettled = this.options.beforeRun?.(run).catch((err) => this.log(`run ${run.id}: ${errorMessage(err)}`));
      outcome = await this.executor.execute(run, {
        ...commentSettled ? { commentSettled } : {},
        signal: a.controller.signal,
        resumeSessionId: await this.store.lastSessionId(run.threadKey),
        started: (info) => this.store.markStarted(run.id, owner, this.now(), info),
        log: (text2) => void this.store.appendLog(run.id, text2, this.now()).catch(() => void 0)
      });
    } catch (err) {
      outcome = { status: "failed", error: errorMessage(err), infrastructure: err instanceof EnvironmentError };
    }
    if (a.reason === "shutdown") {
      await this.store.release(run.id, owner);
      return this.log(`run ${run.id}: stopped by shutdown, back in the queue`);
    }
    if (a.reason === "lease-lost") return;
    if (a.reason === "cancel") outcome = { ...outcome, status: "cancelled", error: "cancelled", infrastructure: false };
    if (outcome.infrastructure && run.attempt < run.maxAttempts) {
      const notBefore = this.now() + backoffMs(run.attempt, this.options.retryBaseMs);
      const why = outcome.error ?? "infrastructure failure";
      await this.store.appendLog(run.id, `gitcrew: attempt ${run.attempt} failed (infrastructure): ${oneLine(why)}; retrying
`, this.now());
      await this.store.retryLater(run.id, owner, `attempt ${run.attempt}: ${why}`, notBefore);
      return this.log(`run ${run.id}: infrastructure failure, retrying in ${notBefore - this.now()} ms: ${outcome.error ?? ""}`);
    }
    const { infrastructure: _ignored, ...record } = outcome;
    await this.store.finishRun(run.id, owner, record, this.now());
    this.options.metrics?.recordRunFinished(run.repo, outcome.status, (this.now() - startedAt) / 1e3);
    if (outcome.cost) this.options.metrics?.recordModelUsage(run.agent, outcome.cost);
    this.log(`run ${run.id}: ${outcome.status}${outcome.error ? `: ${outcome.error}` : ""}`);
  }
};
var Lane = class {
  wakes = 0;
  waiters = /* @__PURE__ */ new Set();
  wake() {
    this.wakes++;
    for (const resolve4 of this.waiters) resolve4();
    this.waiters.clear();
  }
  idle(pollMs) {
    return new Promise((resolve4) => {
      const done = () => (clearTimeout(timer), this.waiters.delete(done), resolve4());
      const timer = setTimeout(done, pollMs);
      this.waiters.add(done);
    });
  }
};
var STOPPED_WORDS = {
  "lease-lost": { message: "this server lost its hold on the run (its lease in the queue expired)", hint: "nothing to do: gitcrew tries again if attempts are left, and says so here" },
  shutdown: { message: "the server running it was stopped", hint: "nothing to do: the run is back in the queue and starts again on a running server" }
};
var HOUR = 36e5;
var DAY = 24 * HOUR;

// src/server/index.ts
async function startServer(o2) {
  const log = o2.log ?? (() => void 0);
  const metrics = new Metrics();
  const freeSlots = () => Math.max(0, o2.concurrency - worker.running);
  const queueComments = new QueueComments(o2.store, { owner: o2.instance, freeSlots, repoLimit: o2.repoLimit, log, ...o2.queueComments || {} });
  const worker = new Worker2(o2.store, o2.pipeline.handler, o2.pipeline.executor, {
    owner: o2.instance,
    concurrency: o2.concurrency,
    ...o2.repoLimit ? { repoLimit: o2.repoLimit } : {},
    leaseMs: o2.leaseMs ?? 3e4,
    pollMs: o2.pollMs ?? 1e3,
    retryBaseMs: o2.retryBaseMs ?? 2e3,
    retainMs: o2.retainMs,
    pruneEveryMs: o2.pruneEveryMs,
    log,
    metrics,
    // Whoever edits a queued run's comment (any instance), its start waits for that edit.
    beforeRun: (run) => queueComments.beforeRun(run)
  });
  let stopping = false;
  const notRun = o2.pipeline.executor.notRun?.bind(o2.pipeline.executor);
  const apiDeps = {
    store: o2.store,
    token: o2.apiToken,
    now: Date.now,
    wake: () => worker.wake(),
    freeSlots: () => o2.worker === false ? void 0 : freeSlots(),
    repoLimit: o2.repoLimit,
    ...notRun ? { cancelledQueued: (run) => notRun(run, "cancelled").catch((err) => log(`run ${run.id}: ${errorMessage(err)}`)) } : {}
  };
  const executor = o2.pipeline.executor;
  const dashboard = new Dashboard({
    store: o2.store,
    api: apiDeps,
    apiToken: o2.apiToken,
    now: Date.now,
    log,
    ...o2.dashboard,
    providers: {
      ...o2.worker !== false && executor.available ? { docker: () => executor.available() } : {},
      ...o2.pipeline.crews ? { crews: async () => o2.pipeline.crews() } : {},
      ...o2.pipeline.pullState ? { pullState: rememberingFinal((repo, n) => o2.pipeline.pullState(repo, n)) } : {},
      ...o2.dashboard?.providers
    }
  });
  const server = createHttpServer({
    dashboard,
    store: o2.store,
    metrics,
    webhookSecret: o2.webhookSecret,
    apiToken: o2.apiToken,
    now: Date.now,
    // This instance's planner takes what it receives at once when it is idle (Worker.receive).
    ...o2.worker === false ? {} : { record: (delivery) => worker.receive(delivery) },
    onDelivery: () => worker.wake("delivery"),
    wake: () => worker.wake(),
    freeSlots: () => o2.worker === false ? void 0 : freeSlots(),
    repoLimit: o2.repoLimit,
    readiness: (repo) => stopping ? { ready: false, reason: "shutting down" } : o2.pipeline.readiness?.(repo) ?? { ready: true },
    maxBodyBytes: o2.maxBodyBytes,
    maxInFlightBytes: o2.maxInFlightBytes,
    maxConnections: o2.maxConnections,
    requestTimeoutMs: o2.requestTimeoutMs,
    headersTimeoutMs: o2.headersTimeoutMs,
    log
  });
  await new Promise((resolve4, reject) => {
    server.once("error", reject);
    server.listen(o2.port, o2.host, () => resolve4());
  });
  const { port } = server.address();
  const host = o2.host.includes(":") ? `[${o2.host}]` : o2.host;
  dashboard.listening(`http://${host}:${port}`);
  let beats = 0;
  const beat = () => void o2.store.instances.beat(o2.instance, Date.now(), worker.running).then(() => beats++ % 360 === 0 ? o2.store.instances.prune(Date.now() - 7 * 24 * 36e5) : 0).catch((err) => log(`health: heartbeat: ${err.message}`));
  beat();
  const heartbeat = setInterval(beat, o2.heartbeatMs ?? 1e4);
  heartbeat.unref();
  if (o2.worker !== false) worker.start();
  if (o2.worker !== false && o2.queueComments !== false) queueComments.start();
  return {
    url: `http://${host}:${port}`,
    port,
    worker,
    async stop(graceMs) {
      stopping = true;
      clearInterval(heartbeat);
      const closed = new Promise((resolve4) => server.close(() => resolve4()));
      server.closeIdleConnections();
      await worker.stop(graceMs);
      await queueComments.stop();
      server.closeAllConnections();
      await closed;
      await o2.pipeline.close?.();
    }
  };
}

// src/server/default-pipeline.ts
import { join as join6 } from "node:path";

// src/pipeline/prepare.ts
async function prepareEvent(s, input, crew2) {
  const normalized = normalize(input.event, input.payload, { deliveryId: input.deliveryId, edits: crewRoutesEdits(crew2.agents) });
  if (!normalized.ok) return { jobs: [], ignored: normalized.ignored, cancelThreads: [], replies: [] };
  const plan2 = await planTrigger(s, normalized.trigger, crew2);
  const t2 = plan2.trigger;
  const approval = await handleApprovalEvent(s, t2, crew2, plan2);
  const replies = [...approval.replies];
  if (approval.handled) return { plan: plan2, jobs: approval.jobs, cancelThreads: [], replies };
  const cancelThreads = [];
  const retried = [];
  for (const c3 of plan2.commands) {
    if (c3.name === "cancel" && c3.allowed && t2.thread) cancelThreads.push(`${t2.repo.fullName}#${t2.thread.number}`);
    if (c3.name === "retry" && c3.allowed && t2.thread) {
      const again = await retryPlan(s, t2, crew2);
      if (again) retried.push(...jobsOf(again, crew2, `retried by @${t2.actor.login}`));
      else replies.push({ issue: t2.thread.number, url: (await s.github.createComment(repoId(t2), t2.thread.number, `@${t2.actor.login} nothing to retry: no earlier request in this thread addresses an agent.`)).url });
    }
    if (!c3.allowed && t2.thread) {
      const ref = await s.github.createComment(repoId(t2), t2.thread.number, `@${t2.actor.login} \`/${c3.name}\` was not applied: ${c3.reason}.`);
      replies.push({ issue: t2.thread.number, url: ref.url });
    }
  }
  replies.push(...await replyToRefusals(s, plan2, crew2));
  const jobs = [...approval.jobs, ...retried, ...jobsOf(plan2, crew2)];
  const ignored = jobs.length || cancelThreads.length ? void 0 : plan2.ignored ?? summarizeSkips(plan2);
  return { plan: plan2, jobs, cancelThreads, replies, ...ignored ? { ignored } : {} };
}
async function retryPlan(s, t2, crew2) {
  const { comments } = await s.github.listComments(repoId(t2), t2.thread?.number ?? 0, { max: HISTORY_COMMENTS });
  const earlier = comments.filter((c3) => c3.id !== t2.comment?.id && c3.authorType !== "Bot" && !parseOrigin(c3.body));
  for (const c3 of earlier.reverse()) {
    const mentions = parseMentions(c3.body);
    if (mentions.length === 0) continue;
    const author = c3.author.toLowerCase() === t2.actor.login.toLowerCase() ? {} : { author: { login: c3.author, type: c3.authorType === "Bot" ? "Bot" : "User" } };
    const again = await planTrigger(s, { ...t2, text: c3.body, mentions, commands: [], ...author }, crew2);
    if (again.runs.length) return again;
  }
  return void 0;
}
function summarizeSkips(p2) {
  if (!p2.skipped.length) return "no agent in the crew";
  return p2.skipped.map((s) => `${s.agent}: ${s.reason}`).join("; ");
}

// src/store/ledger.ts
var StoreLedger = class {
  constructor(store, now = Date.now) {
    this.store = store;
    this.now = now;
  }
  spent(key2) {
    return this.store.spent(key2);
  }
  add(key2, spend) {
    return this.store.addSpend(key2, spend, this.now());
  }
};

// src/server/checkouts.ts
import { existsSync as existsSync3 } from "node:fs";
import { lstat, readdir, rm, rmdir } from "node:fs/promises";
import { join as join4, resolve as resolve3, sep } from "node:path";

// src/server/repo.ts
import { existsSync as existsSync2, mkdirSync as mkdirSync2 } from "node:fs";
import { dirname as dirname2, join as join3, resolve as resolve2 } from "node:path";
function webUrlOf(apiUrl) {
  if (!apiUrl || /^https:\/\/api\.github\.com\/?$/.test(apiUrl)) return "https://github.com";
  return apiUrl.replace(/\/api\/v3\/?$/, "").replace(/\/+$/, "");
}
function isOwnerName(spec) {
  return repoNameProblem(spec) === void 0 && !existsSync2(spec);
}
function authHeader(token) {
  return `AUTHORIZATION: basic ${Buffer.from(`x-access-token:${token}`).toString("base64")}`;
}
async function openCheckout(spec, o2) {
  if (!isOwnerName(spec)) {
    const dir2 = resolve2(o2.cwd, spec);
    if (!existsSync2(dir2)) throw new InputError(`--repo ${spec}: no such folder, and not OWNER/NAME`, "Give OWNER/NAME to clone from GitHub, or the path of a local clone.");
    const git = wo(dir2);
    if (!await git.checkIsRepo().catch(() => false)) throw new InputError(`--repo ${spec}: ${dir2} is not a git repository`);
    const top = (await git.revparse(["--show-toplevel"])).trim();
    return { dir: top, fullName: await fullNameFromOrigin(top) ?? await rememberedRepository(top), managed: false };
  }
  const fullName = spec;
  const dir = join3(gitcrewHome(o2.env), "repos", ...checkoutPath(fullName));
  const token = await o2.token?.();
  await cloneRepository(fullName, dir, { apiUrl: o2.apiUrl, token, log: o2.log });
  const checkout = { dir, fullName, managed: true };
  await refreshCredentials(checkout, o2.apiUrl, token);
  return checkout;
}
function checkoutPath(fullName) {
  const problem = repoNameProblem(fullName);
  if (problem) throw new InputError(`no checkout for ${problem}`);
  const [owner = "", name = ""] = fullName.toLowerCase().split("/");
  return [owner, name];
}
async function cloneRepository(fullName, dir, o2) {
  if (existsSync2(join3(dir, ".git"))) return false;
  const base = webUrlOf(o2.apiUrl);
  const url = `${base}/${fullName}.git`;
  const auth = o2.token ? ["-c", `http.${base}/.extraheader=${authHeader(o2.token)}`] : [];
  mkdirSync2(dirname2(dir), { recursive: true });
  o2.log(`cloning ${url} into ${dir}`);
  try {
    await wo().raw([...auth, "clone", "--quiet", "--no-tags", url, dir]);
  } catch (err) {
    throw new EnvironmentError(`cannot clone ${url}: ${errorMessage(err).trim()}`, "Check --github-token (or the GitHub App's access to the repository) and --github-api-url.");
  }
  return true;
}
async function refreshCredentials(checkout, apiUrl, token) {
  if (!checkout.managed || !token) return;
  const base = webUrlOf(apiUrl);
  await wo(checkout.dir).raw(["config", "--local", `http.${base}/.extraheader`, authHeader(token)]);
}
async function fetchOrigin(dir, log) {
  const git = wo(dir);
  if (!(await git.getRemotes()).some((r2) => r2.name === "origin")) return;
  try {
    await git.raw(["fetch", "--quiet", "--prune", "--no-tags", "origin"]);
  } catch (err) {
    log(`git fetch origin failed (${errorMessage(err).trim()}); working from the last fetched state`);
  }
}
async function defaultBranchOf(dir) {
  const git = wo(dir);
  const head = await git.raw(["symbolic-ref", "--quiet", "--short", "refs/remotes/origin/HEAD"]).catch(() => "");
  if (head.trim()) return head.trim().replace(/^origin\//, "");
  const remote = await git.raw(["ls-remote", "--symref", "origin", "HEAD"]).catch(() => "");
  const m2 = /^ref: refs\/heads\/(\S+)\s+HEAD/m.exec(remote);
  if (m2?.[1]) return m2[1];
  const current = await git.raw(["symbolic-ref", "--quiet", "--short", "HEAD"]).catch(() => "");
  return current.trim() || "main";
}
async function rememberedRepository(dir) {
  const name = (await wo(dir).raw(["config", "--get", "gitcrew.repository"]).catch(() => "")).trim();
  return repoNameProblem(name) === void 0 ? name : void 0;
}
async function rememberRepository(dir, fullName, log) {
  if (repoNameProblem(fullName) !== void 0) return;
  await wo(dir).raw(["config", "gitcrew.repository", fullName]).catch((err) => log(`could not remember ${fullName} in ${dir}'s git config: ${errorMessage(err)}`));
}
async function fullNameFromOrigin(dir) {
  const url = (await wo(dir).raw(["remote", "get-url", "origin"]).catch(() => "")).trim();
  if (!/^[a-z+]+:\/\/|^[^/]+@[^/]+:/.test(url) || url.startsWith("file://")) return void 0;
  const m2 = /[/:]([A-Za-z0-9-]+)\/([A-Za-z0-9._-]+?)(?:\.git)?\/?$/.exec(url.trim());
  return m2 ? `${m2[1]}/${m2[2]}` : void 0;
}

// src/server/checkouts.ts
var CheckoutPool = class {
  constructor(o2) {
    this.o = o2;
    this.root = resolve3(o2.root);
  }
  entries = /* @__PURE__ */ new Map();
  root;
  scanned = false;
  tick = 0;
  /** Where OWNER/NAME's checkout lives; throws for a name that is not OWNER/NAME (it never becomes a path). */
  dirOf(fullName) {
    const dir = resolve3(this.root, ...checkoutPath(fullName));
    if (!dir.startsWith(this.root + sep)) throw new Error(`checkout of ${fullName} would leave ${this.root}`);
    return dir;
  }
  /** Is a clone of it on disk now? */
  has(fullName) {
    return existsSync3(join4(this.dirOf(fullName), ".git"));
  }
  /** The clone (cloned now when absent), with its credentials current; hold it until `release`. */
  async acquire(fullName) {
    const key2 = fullName.toLowerCase();
    const dir = this.dirOf(fullName);
    let entry = this.entries.get(key2);
    if (!entry) {
      entry = { dir, users: 0, lastUsed: 0, bytes: 0, busy: Promise.resolve() };
      this.entries.set(key2, entry);
    }
    const e = entry;
    e.users++;
    e.lastUsed = this.now();
    let cloned = false;
    const step = e.busy.then(async () => {
      const token = await this.o.token(fullName);
      cloned = await cloneRepository(fullName, dir, { apiUrl: this.o.apiUrl, token, log: this.o.log });
      if (cloned || token !== e.token) {
        await refreshCredentials({ dir, managed: true }, this.o.apiUrl, token);
        e.token = token;
      }
      if (cloned) e.bytes = await sizeOf(dir);
    });
    e.busy = step.catch(() => void 0);
    try {
      await step;
    } catch (err) {
      this.let(key2, e);
      throw err;
    }
    if (cloned) await this.enforceBudget(key2).catch((err) => this.o.log(`checkouts: ${errorMessage(err)}`));
    let released = false;
    return {
      dir,
      cloned,
      release: () => {
        if (released) return;
        released = true;
        this.let(key2, e);
      }
    };
  }
  /** Measure again (after a fetch), and keep to the budget. */
  async measured(fullName) {
    const e = this.entries.get(fullName.toLowerCase());
    if (!e || !existsSync3(e.dir)) return;
    e.bytes = await sizeOf(e.dir);
    await this.enforceBudget(fullName.toLowerCase());
  }
  /** Remove the checkout (served no more): now if unused, else when its last user lets it go. The caller logs it. */
  async remove(fullName, why) {
    const key2 = fullName.toLowerCase();
    const dir = this.dirOf(fullName);
    const e = this.entries.get(key2);
    if (e && e.users > 0) {
      e.doomed = why;
      return;
    }
    this.entries.delete(key2);
    await this.removeDir(dir, why, false);
  }
  /** Bytes of the clones this pool knows. */
  get totalBytes() {
    let n = 0;
    for (const e of this.entries.values()) n += e.bytes;
    return n;
  }
  let(key2, e) {
    e.users = Math.max(0, e.users - 1);
    e.lastUsed = this.now();
    if (e.users === 0 && e.doomed && this.entries.get(key2) === e) {
      this.entries.delete(key2);
      void this.removeDir(e.dir, e.doomed, false);
    }
  }
  async removeDir(dir, why, log = true) {
    if (!existsSync3(dir)) return;
    await rm(dir, { recursive: true, force: true });
    await rmdir(resolve3(dir, "..")).catch(() => void 0);
    if (log) this.o.log(`checkouts: removed ${dir} (${why})`);
  }
  /** Least recently used idle clones go until the rest fit; the one just cloned stays. */
  async enforceBudget(keep) {
    if (!this.scanned) await this.scanLeftovers();
    const idle = [...this.entries.entries()].filter(([k2, e]) => k2 !== keep && e.users === 0).sort((a, b3) => a[1].lastUsed - b3[1].lastUsed);
    for (const [key2, e] of idle) {
      if (this.totalBytes <= this.o.budgetBytes) return;
      this.entries.delete(key2);
      await this.removeDir(e.dir, `least recently used; the checkouts passed --checkout-budget of ${mib(this.o.budgetBytes)} MiB`);
    }
  }
  /** Clones a previous process left (once, at the first clone): they count, oldest of all. */
  async scanLeftovers() {
    this.scanned = true;
    for (const owner of await readdir(this.root).catch(() => [])) {
      for (const name of await readdir(join4(this.root, owner)).catch(() => [])) {
        const key2 = `${owner}/${name}`;
        const dir = join4(this.root, owner, name);
        if (this.entries.has(key2) || !existsSync3(join4(dir, ".git"))) continue;
        this.entries.set(key2, { dir, users: 0, lastUsed: -1, bytes: await sizeOf(dir), busy: Promise.resolve() });
      }
    }
  }
  /** A strictly increasing clock, so that order of use decides even within one millisecond. */
  now() {
    const t2 = (this.o.now ?? Date.now)();
    this.tick = Math.max(this.tick + 1e-3, t2);
    return this.tick;
  }
};
var mib = (n) => Math.round(n / 1024 ** 2);
async function sizeOf(dir) {
  let total = 0;
  const stack = [dir];
  while (stack.length) {
    const d2 = stack.pop();
    for (const ent of await readdir(d2, { withFileTypes: true }).catch(() => [])) {
      const p2 = join4(d2, ent.name);
      if (ent.isDirectory()) stack.push(p2);
      else total += (await lstat(p2).catch(() => void 0))?.size ?? 0;
    }
  }
  return total;
}

// src/server/github-access.ts
import { readFileSync as readFileSync3 } from "node:fs";
var REFRESH_BEFORE_MS = 10 * 60 * 1e3;
var NO_INSTALLATION_MS = 10 * 60 * 1e3;
var GitHubAccess = class {
  constructor(settings, log = () => void 0, now = Date.now) {
    this.settings = settings;
    this.log = log;
    this.now = now;
    if (!settings.token && !settings.appId) {
      throw new InputError("gitcrew serve needs GitHub access: --github-token (GITHUB_TOKEN), or --app-id and --private-key-file for a GitHub App");
    }
    if (settings.appId && settings.privateKeyFile) {
      try {
        this.privateKey = readFileSync3(settings.privateKeyFile, "utf8");
      } catch (err) {
        throw new InputError(`cannot read --private-key-file ${settings.privateKeyFile}: ${errorMessage(err)}`);
      }
    }
  }
  privateKey;
  cache = /* @__PURE__ */ new Map();
  /** Repositories the App cannot mint a token for, with why and until when (no retry storm, one log line). */
  refused = /* @__PURE__ */ new Map();
  get apiUrl() {
    return this.settings.apiUrl;
  }
  get isApp() {
    return Boolean(this.settings.appId);
  }
  /** A client for planning in OWNER/NAME (the whole installation), or for one agent's run there (its permissions). */
  async client(repository, permissions) {
    return (await this.entry(repository, permissions)).client;
  }
  async token(repository, permissions) {
    return (await this.entry(repository, permissions)).token;
  }
  /** Forget a repository's tokens (it left the installation, was renamed or deleted). */
  forget(repository) {
    const prefix = `${repository.toLowerCase()}|`;
    for (const key2 of this.cache.keys()) if (key2.startsWith(prefix)) this.cache.delete(key2);
    this.refused.delete(repository.toLowerCase());
  }
  async entry(repository, permissions) {
    const useApp = Boolean(this.settings.appId);
    const repoKey2 = (repository ?? "").toLowerCase();
    const key2 = useApp ? `${repoKey2}|${JSON.stringify(Object.entries(permissions ?? {}).sort())}` : "token";
    const hit = this.cache.get(key2);
    if (hit && hit.expiresAt - REFRESH_BEFORE_MS > this.now()) return hit;
    let token = useApp ? void 0 : this.settings.token;
    let expiresAt = Number.MAX_SAFE_INTEGER;
    let botLogin;
    if (!token) {
      const [owner, repo] = (repository ?? "").split("/");
      if (!owner || !repo) throw new EnvironmentError("a GitHub App needs the repository's OWNER/NAME to find its installation (a --repo clone whose origin is a local path learns it from the first webhook)");
      const refused = this.refused.get(repoKey2);
      if (refused && refused.until > this.now()) throw new NoInstallationError(refused.message);
      try {
        const minted = await installationToken({ appId: this.settings.appId ?? "", privateKey: this.privateKey ?? "", repository: { owner, repo }, permissions, baseUrl: this.settings.apiUrl });
        token = minted.token;
        botLogin = minted.botLogin;
        expiresAt = Date.parse(minted.expiresAt) || this.now() + 50 * 60 * 1e3;
      } catch (err) {
        if (err instanceof GitHubError && (err.status >= 500 || err.status === 429)) throw new EnvironmentError(err.message, err.hint);
        if (err instanceof GitHubError && !permissions && [401, 403, 404, 422].includes(err.status)) {
          const message = `the GitHub App cannot get a token for ${repository} (GitHub answered ${err.status}: ${err.message}); is the App installed on it, with the permissions asked? Not asked again for ${NO_INSTALLATION_MS / 6e4} minutes`;
          this.refused.set(repoKey2, { message, until: this.now() + NO_INSTALLATION_MS });
          this.log(`github: ${message}`);
          throw new NoInstallationError(message);
        }
        throw err;
      }
    }
    const client = createGitHubClient(createOctokit({ token, baseUrl: this.settings.apiUrl }), { selfLogin: botLogin });
    const entry = { token, client, expiresAt };
    this.cache.set(key2, entry);
    return entry;
  }
};
var NoInstallationError = class extends Error {
};
function isTemporary(err) {
  if (err instanceof EnvironmentError) return true;
  if (err instanceof GitHubError) return err.status >= 500 || err.status === 429 || err.status === 403 && /rate limit/i.test(err.message);
  const code = err?.code;
  return typeof code === "string" && /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EAI_AGAIN|ENOTFOUND|EPIPE|UND_ERR)/.test(code);
}

// src/server/installations.ts
var obj2 = (v2) => v2 && typeof v2 === "object" && !Array.isArray(v2) ? v2 : {};
var str3 = (v2) => typeof v2 === "string" ? v2 : "";
var names = (v2) => Array.isArray(v2) ? v2.map((r2) => str3(obj2(r2).full_name)).filter(Boolean) : [];
async function followLifecycle(repos, event, payload) {
  const action = str3(payload.action);
  if (event === "installation") {
    const inst = obj2(payload.installation);
    const label = `installation ${String(inst.id ?? "?")} (${str3(obj2(inst.account).login) || "?"})`;
    const listed = names(payload.repositories);
    if (action === "deleted" || action === "suspend") {
      const account = str3(obj2(inst.account).login).toLowerCase();
      const ours = repos.all().map((r2) => r2.fullName).filter((n) => account && n.toLowerCase().startsWith(`${account}/`));
      for (const name of /* @__PURE__ */ new Set([...listed, ...ours])) await repos.stop(name, `${label} ${action === "deleted" ? "uninstalled" : "suspended"}`);
      return `${label} ${action}: its repositories are no longer served`;
    }
    if (action === "created" || action === "unsuspend" || action === "new_permissions_accepted") {
      for (const name of listed) repos.start(name, `${label} ${action}`);
      return `${label} ${action}`;
    }
    return `${label} ${action}: nothing to do`;
  }
  if (event === "installation_repositories") {
    const inst = obj2(payload.installation);
    const label = `installation ${String(inst.id ?? "?")}`;
    for (const name of names(payload.repositories_added)) repos.start(name, `added to ${label}`);
    for (const name of names(payload.repositories_removed)) await repos.stop(name, `removed from ${label}`);
    return `${label}: repositories ${action}`;
  }
  if (event === "repository") {
    const repo = obj2(payload.repository);
    const fullName = str3(repo.full_name);
    const changes = obj2(payload.changes);
    if (action === "renamed") {
      const from = str3(obj2(obj2(changes.repository).name).from);
      const owner = fullName.split("/")[0] ?? "";
      if (from) await repos.renamed(`${owner}/${from}`, fullName, "renamed");
    } else if (action === "transferred") {
      const was = obj2(obj2(changes.owner).from);
      const fromOwner = str3(obj2(was.user).login) || str3(obj2(was.organization).login);
      const name = fullName.split("/")[1] ?? "";
      if (fromOwner) await repos.renamed(`${fromOwner}/${name}`, fullName, "transferred");
    } else if (action === "archived" || action === "deleted") {
      await repos.stop(fullName, action);
    } else if (action === "unarchived") {
      repos.start(fullName, action);
    }
    return `repository ${action}`;
  }
  return void 0;
}

// src/server/run-outcome.ts
var ANSWER_KEPT = 65536;
var FILES_KEPT = 1e3;
function runOutcomeOf(report) {
  const r2 = report.result;
  const answer = r2 ? neutralizeAgentText(r2.answer ?? "").trim() : "";
  const files = r2?.changedFiles ?? [];
  const out = {
    ...answer ? { answer: answer.length > ANSWER_KEPT ? `${answer.slice(0, ANSWER_KEPT)}

[\u2026 answer cut]` : answer } : {},
    ...files.length ? { changedFiles: files.slice(0, FILES_KEPT) } : {},
    ...files.length > FILES_KEPT ? { changedFilesMore: files.length - FILES_KEPT } : {},
    ...r2?.branch && r2.commit ? { branch: r2.branch } : {},
    ...report.pullRequest ? { pullRequest: { number: report.pullRequest.number, url: report.pullRequest.url } } : {},
    ...report.approvals.length ? {
      approvals: report.approvals.map((a) => ({ kind: a.kind ?? "", reason: a.reason ?? "", pr: { number: a.number, url: a.url } })),
      // This server records what becomes of them (approvalDecisions): the dashboard need not ask GitHub.
      decisionsRecorded: true
    } : {}
  };
  return Object.keys(out).length ? out : void 0;
}

// src/server/served-repos.ts
import { createHash as createHash4 } from "node:crypto";
import { existsSync as existsSync4 } from "node:fs";
import { readdir as readdir2 } from "node:fs/promises";
import { join as join5 } from "node:path";

// src/server/crew-keeper.ts
var MAX_PROBLEMS_SHOWN = 5;
function describeProblems(problems) {
  const shown = problems.slice(0, MAX_PROBLEMS_SHOWN).map((p2) => `${p2.file}:${p2.line}:${p2.column}: ${p2.message}`);
  const more = problems.length > MAX_PROBLEMS_SHOWN ? `; and ${problems.length - MAX_PROBLEMS_SHOWN} more` : "";
  return shown.join("; ") + more;
}
var CrewKeeper = class {
  constructor(repoDir, branch, env, log) {
    this.repoDir = repoDir;
    this.branch = branch;
    this.env = env;
    this.log = log;
  }
  state = {};
  chain = Promise.resolve();
  get current() {
    return this.state;
  }
  /** Fetch the default branch and load its crew when the commit changed. One reload at a time. */
  reload(why) {
    const next = this.chain.then(() => this.load(why));
    this.chain = next.catch(() => void 0);
    return next;
  }
  async load(why) {
    const ref = await fetchDefaultBranch(this.repoDir, this.branch, this.log);
    const commit = (await wo(this.repoDir).raw(["rev-parse", "--verify", `${ref}^{commit}`]).catch(() => "")).trim();
    if (!commit) {
      this.state = { ...this.state, problem: `the default branch "${this.branch}" has no commit in ${this.repoDir}`, problemCommit: void 0 };
      this.log(`crew: ${this.state.problem}`);
      return this.state;
    }
    if (commit === this.state.commit || commit === this.state.problemCommit) return this.state;
    let problem;
    try {
      const result = await loadCrew(await snapshotFromGit(this.repoDir, commit), this.env);
      if (result.crew && result.errors.length === 0) {
        const agents = result.crew.agents.map((a) => a.name).join(", ") || "no agents";
        const was = this.state.commit;
        this.state = { crew: result.crew, commit, loadedAt: Date.now() };
        this.log(`crew: loaded from ${this.branch} at ${commit.slice(0, 12)} (${why}): ${agents}${was ? ` (was ${was.slice(0, 12)})` : ""}`);
        return this.state;
      }
      problem = describeProblems(result.errors) || "the crew could not be loaded";
    } catch (err) {
      problem = errorMessage(err);
    }
    this.state = { ...this.state, problem, problemCommit: commit };
    this.log(
      `crew: ${this.branch} at ${commit.slice(0, 12)} is broken (${why}): ${problem}; ` + (this.state.crew ? `still running the last good crew from ${this.state.commit?.slice(0, 12)}` : "no crew to run until it is fixed")
    );
    return this.state;
  }
  readiness() {
    const s = this.state;
    if (!s.crew) return { ready: false, reason: s.problem ? `no usable crew on ${this.branch}: ${s.problem}` : `the crew on ${this.branch} is not loaded yet` };
    if (s.problem) {
      return {
        ready: false,
        reason: `the crew on ${this.branch} at ${s.problemCommit?.slice(0, 12) ?? "?"} is broken (${s.problem}); running the last good crew from ${s.commit?.slice(0, 12)}`
      };
    }
    return { ready: true };
  }
};

// src/server/follow-ups.ts
var FollowUpNotQueued = class extends EnvironmentError {
  constructor(jobs, cause) {
    super(`approval follow-up ${jobs[0]?.followUp?.runId ?? "?"} is claimed but could not be queued: ${errorMessage(cause)}`, "the delivery is tried again and queues it under the same run id");
    this.jobs = jobs;
    this.cause = cause;
  }
};
async function queueFollowUps(store, s, jobs, deliveryId, runOf, now = Date.now) {
  const out = { queued: [], known: [] };
  for (const job2 of jobs) {
    if (!job2.followUp) continue;
    const runId = job2.followUp.runId;
    let before;
    let record;
    try {
      before = await store.getRun(runId);
      record = await store.enqueue(runId, deliveryId, runOf(job2), now());
    } catch (err) {
      throw new FollowUpNotQueued(jobs.slice(jobs.indexOf(job2)).filter((j3) => j3.followUp), err);
    }
    (before ? out.known : out.queued).push(record);
    await followUpRecorded(s, job2);
  }
  return out;
}

// src/server/schedules.ts
var MINUTE = 6e4;
var CATCH_UP_MINUTES = 2;
function scheduleDeliveryId(agent, minute, suffix) {
  return `schedule-${agent}-${minute.toISOString().slice(0, 16).replace(/[-:T]/g, "")}${suffix ? `-${suffix}` : ""}`;
}
function dueAt(crew2, at2, parsed = /* @__PURE__ */ new Map()) {
  const due = [];
  for (const agent of crew2.agents) {
    for (const cron of agent.triggers.schedule) {
      let c3 = parsed.get(cron);
      if (c3 === void 0) {
        try {
          c3 = parseCron(cron);
        } catch {
          c3 = null;
        }
        parsed.set(cron, c3);
      }
      if (c3 && cronMatches(c3, at2)) {
        due.push({ agent: agent.name, cron });
        break;
      }
    }
  }
  return due;
}
var Scheduler = class {
  constructor(o2) {
    this.o = o2;
  }
  timer;
  last;
  parsed = /* @__PURE__ */ new Map();
  start() {
    const loop = () => {
      void this.tick().finally(() => {
        this.timer = setTimeout(loop, this.o.everyMs ?? 1e4);
        this.timer.unref();
      });
    };
    loop();
  }
  stop() {
    clearTimeout(this.timer);
  }
  /** Store the schedule deliveries of every minute since the last tick (at most a few back). */
  async tick() {
    const crew2 = this.o.crew();
    const repository = this.o.repository();
    if (!crew2 || !repository) return [];
    const now = (this.o.now ?? Date.now)();
    const minute = Math.floor(now / MINUTE) * MINUTE;
    const from = this.last === void 0 ? minute : Math.max(this.last + MINUTE, minute - CATCH_UP_MINUTES * MINUTE);
    const stored = [];
    for (let m2 = from; m2 <= minute; m2 += MINUTE) {
      const at2 = new Date(m2);
      for (const { agent, cron } of dueAt(crew2, at2, this.parsed)) {
        const id = scheduleDeliveryId(agent, at2, this.o.idSuffix);
        const payload = { schedule: cron, repository, gitcrew: { agent, minute: at2.toISOString() } };
        try {
          const fresh = await this.o.store.recordDelivery({ id, event: "schedule", payload: JSON.stringify(payload), receivedAt: now });
          if (fresh) {
            stored.push(id);
            this.o.log(`schedule: ${agent} ("${cron}") at ${at2.toISOString().slice(0, 16)}Z queued as delivery ${id}`);
          }
        } catch (err) {
          this.o.log(`schedule: could not store ${id}: ${errorMessage(err)}`);
          return stored;
        }
      }
      this.last = m2;
    }
    if (stored.length) this.o.stored?.();
    return stored;
  }
};

// src/server/served-repos.ts
var ServedRepos = class {
  constructor(o2) {
    this.o = o2;
  }
  repos = /* @__PURE__ */ new Map();
  /** Repositories that left (installation removed, archived, deleted), with why: their deliveries are ignored. */
  removed = /* @__PURE__ */ new Map();
  get fixed() {
    return this.o.fixed;
  }
  /** Every repository with state now. */
  all() {
    if (this.o.fixed) return [this.get("")];
    return [...this.repos.values()];
  }
  /** Why a delivery for `fullName` is not served, or undefined when it is. */
  whyNot(fullName) {
    const fixed = this.o.fixed;
    if (fixed) {
      if (typeof fullName === "string" && repoNameProblem(fullName)) return `the payload's repository ${repoNameProblem(fullName) ?? ""}`;
      if (fixed.fullName && typeof fullName === "string" && fullName.toLowerCase() !== fixed.fullName.toLowerCase()) return `delivery for ${fullName}; this server runs ${fixed.fullName}`;
      return void 0;
    }
    const problem = repoNameProblem(fullName);
    if (problem) return `the payload's repository ${problem}`;
    const name = fullName;
    if (this.o.filter && !this.o.filter.allows(name)) return `${name} is not on --repos (${shortList(this.o.filter.patterns)})`;
    const gone = this.removed.get(name.toLowerCase());
    if (gone) return `${name} is no longer served: ${gone}`;
    return void 0;
  }
  /** The state of a served repository (created now, without any I/O). With --repo, always the one. */
  get(fullName) {
    const f3 = this.o.fixed;
    if (f3) {
      this.single ??= { key: (f3.fullName ?? "").toLowerCase(), fullName: f3.fullName ?? "", branch: f3.branch };
      if (!this.single.fullName && fullName) {
        this.single.fullName = f3.fullName = fullName;
        this.single.key = fullName.toLowerCase();
      }
      return this.single;
    }
    const key2 = fullName.toLowerCase();
    let repo = this.repos.get(key2);
    if (!repo) {
      repo = { key: key2, fullName, branch: "main" };
      this.repos.set(key2, repo);
    }
    return repo;
  }
  single;
  /** The fixed repository's state, named or not yet. */
  fixedRepo() {
    return this.o.fixed ? this.get("") : void 0;
  }
  /** What a webhook says about the repository: its object, its default branch. */
  noteRepository(repo, repository) {
    repo.repository = repository;
    if (typeof repository.full_name === "string" && repository.full_name) repo.fullName = repository.full_name;
    const branch = repository.default_branch;
    if (typeof branch === "string" && branch && branch !== repo.branch) {
      repo.branch = branch;
      if (repo.keeper) repo.keeper.branch = branch;
      repo.noCrewOn = void 0;
    }
  }
  /** Log lines of one repository say which (not with --repo: one repository, as before). */
  logFor(repo) {
    return this.o.fixed ? this.o.log : (line) => this.o.log(`${repo.fullName}: ${line}`);
  }
  /** The clone to work in, held until `release`. */
  async checkout(repo) {
    const f3 = this.o.fixed;
    if (f3) {
      if (f3.managed) {
        const token = await this.o.access.token(f3.fullName).catch(() => void 0);
        if (token && token !== this.fixedToken) {
          await refreshCredentials({ dir: f3.dir, managed: true }, this.o.access.apiUrl, token);
          this.fixedToken = token;
        }
      }
      return { dir: f3.dir, release: () => void 0 };
    }
    return this.o.pool.acquire(repo.fullName);
  }
  /** The token last written into the fixed clone's config. */
  fixedToken;
  /**
   * The crew to plan with, loaded on the first event that needs it. A default
   * branch without `.gitcrew/` is checked once (no clone) and remembered
   * until a push to it. No usable crew (broken on its first load) is a
   * temporary failure: the delivery waits, as with one repository.
   */
  async crewFor(repo) {
    if (repo.noCrewOn === repo.branch) return { ignored: `${repo.fullName} has no .gitcrew/ on ${repo.branch} (checked once; a push to ${repo.branch} checks again)` };
    if (!repo.keeper) {
      repo.loading ??= this.firstLoad(repo).finally(() => repo.loading = void 0);
      await repo.loading;
      if (!repo.keeper) return { ignored: `${repo.fullName} has no .gitcrew/ on ${repo.branch} (checked once; a push to ${repo.branch} checks again)` };
    }
    const keeper = repo.keeper;
    const crew2 = keeper.current.crew;
    if (!crew2) throw new CrewBroken(repo.branch, keeper.current.problem ?? "it is not loaded yet");
    return { repo, crew: crew2 };
  }
  /**
   * After start, in the background: the clones a previous process left are
   * repositories with a crew; their crews are loaded (one at a time) so that
   * their schedules fire without waiting for an event. Start-up itself does
   * nothing per repository; a repository without a clone waits for its first event.
   */
  async warmUp(root) {
    if (this.o.fixed) return;
    const names2 = [];
    for (const owner of await readdir2(root).catch(() => [])) {
      for (const name of await readdir2(join5(root, owner)).catch(() => [])) {
        const fullName = `${owner}/${name}`;
        if (!this.whyNot(fullName) && existsSync4(join5(root, owner, name, ".git"))) names2.push(fullName);
      }
    }
    if (names2.length === 0) return;
    this.o.log(`repos: loading the crews of ${names2.length} repositories cloned before (their schedules)`);
    for (const name of names2) {
      const repo = this.get(name);
      if (repo.keeper) continue;
      if (!repo.repository) repo.branch = await defaultBranchOf(join5(root, ...name.split("/")));
      await this.crewFor(repo).catch((err) => this.logFor(repo)(`crew: ${errorMessage(err)}`));
    }
  }
  /** Fetch the default branch and reload the crew (a push to it, the periodic fetch). */
  async refresh(repo, why) {
    if (!repo.keeper) return;
    const co = await this.checkout(repo);
    try {
      await fetchOrigin(co.dir, this.logFor(repo));
      await repo.keeper.reload(why);
    } finally {
      co.release();
    }
    await this.reportCrew(repo);
    if (!this.o.fixed) await this.o.pool.measured(repo.fullName).catch(() => void 0);
  }
  /** A push to the default branch: a repository without a crew is checked again at its next event. */
  pushedDefaultBranch(repo) {
    repo.noCrewOn = void 0;
  }
  async firstLoad(repo) {
    const log = this.logFor(repo);
    if (!this.o.fixed && !await this.hasCrewDir(repo)) {
      repo.noCrewOn = repo.branch;
      log(`crew: no .gitcrew/ on ${repo.branch}; its events are ignored until a push to ${repo.branch}`);
      return;
    }
    const co = await this.checkout(repo);
    try {
      const keeper = new CrewKeeper(co.dir, repo.branch, this.o.env, log);
      if (!co.cloned) await fetchOrigin(co.dir, log);
      await keeper.reload(this.o.fixed ? "start" : "first event");
      repo.keeper = keeper;
    } finally {
      co.release();
    }
    await this.reportCrew(repo);
    this.startSchedules(repo);
    void this.reconcile(repo, this.o.fixed ? "start" : "first event");
  }
  /** The one check of a repository never seen: does its default branch have `.gitcrew/`? (GitHub's contents API, no clone.) */
  async hasCrewDir(repo) {
    const [owner = "", name = ""] = repo.fullName.split("/");
    const octokit = createOctokit({ token: await this.o.access.token(repo.fullName), baseUrl: this.o.access.apiUrl });
    try {
      await octokit.request("GET /repos/{owner}/{repo}/contents/{path}", { owner, repo: name, path: ".gitcrew", ref: repo.branch });
      return true;
    } catch (err) {
      const status = err.status;
      if (status === 404) return false;
      if (err instanceof GitHubError && err.status === 404) return false;
      if (typeof status === "number" && (status >= 500 || status === 429)) throw new EnvironmentError(`cannot check ${repo.fullName} for .gitcrew/: GitHub answered ${status}`);
      return true;
    }
  }
  /**
   * A broken crew is reported in its repository, where its authors look: a
   * failed check run "gitcrew crew" on the commit whose `.gitcrew/` does not
   * load (once per commit); the next good commit gets a successful one.
   */
  async reportCrew(repo) {
    const state = repo.keeper?.current;
    const [owner, name] = repo.fullName.split("/");
    if (!state || !owner || !name) return;
    const broken = state.problem && state.problemCommit ? state.problemCommit : void 0;
    if (broken === repo.reportedBroken || !broken && !repo.reportedBroken) return;
    const headSha = broken ?? state.commit;
    if (!headSha) return;
    const log = this.logFor(repo);
    try {
      const github = await this.o.access.client(repo.fullName);
      const output = broken ? {
        title: `The crew on ${repo.branch} does not load`,
        summary: `gitcrew reads its agents from \`.gitcrew/\` on ${repo.branch}; at this commit they do not load, so ` + (state.crew ? `gitcrew keeps running the last good crew (${state.commit?.slice(0, 12) ?? "?"}).` : "no agent runs until a commit fixes it.") + `

${(state.problem ?? "").split("; ").map((p2) => `- ${p2.replace(/[\x60~<>]/g, "'")}`).join("\n")}`
      } : { title: `The crew on ${repo.branch} loads again`, summary: "gitcrew runs the agents of this commit." };
      await github.createCheckRun({ owner, repo: name }, { name: "gitcrew crew", headSha, status: "completed", conclusion: broken ? "failure" : "success", output });
      repo.reportedBroken = broken;
      log(`crew: ${broken ? "reported as broken" : "reported as fixed"} in ${repo.fullName} (check run "gitcrew crew" on ${headSha.slice(0, 12)})`);
    } catch (err) {
      log(`crew: could not report the crew's state in ${repo.fullName} as a check run: ${errorMessage(err)}`);
    }
  }
  closed = false;
  startSchedules(repo) {
    if (repo.scheduler || this.closed || !this.o.fixed && this.repos.get(repo.key) !== repo) return;
    const web = webUrlOf(this.o.access.apiUrl);
    repo.scheduler = new Scheduler({
      store: this.o.store,
      crew: () => repo.keeper?.current.crew,
      repository: () => repo.repository ?? (repo.fullName ? repositoryObject(repo.fullName, repo.branch, web) : void 0),
      log: this.logFor(repo),
      now: this.o.now,
      everyMs: this.o.scheduleEveryMs,
      // Several repositories may have an agent of the same name: their schedule ids differ by repository.
      ...this.o.fixed ? {} : { idSuffix: createHash4("sha256").update(repo.key).digest("hex").slice(0, 10) }
    });
    repo.scheduler.start();
  }
  /**
   * Approval PRs merged or closed while no instance listened, or whose follow-up
   * was claimed but never queued: resolved at the first load and on every
   * periodic fetch. Claims and the follow-up's run id make this safe to repeat.
   */
  reconcile(repo, why) {
    repo.reconciling ??= this.reconcileOnce(repo, why).catch((err) => this.logFor(repo)(`approvals: reconcile (${why}) failed: ${errorMessage(err)}`)).finally(() => repo.reconciling = void 0);
    return repo.reconciling;
  }
  async reconcileOnce(repo, why) {
    const log = this.logFor(repo);
    const crew2 = repo.keeper?.current.crew;
    const [o2, n] = repo.fullName.split("/");
    const whyNot = !crew2 ? `no crew is loaded (${repo.keeper?.readiness().reason ?? "not loaded"})` : !o2 || !n ? "the repository's name is not known yet (the clone's origin is a local path: the first webhook names it)" : "";
    if (!crew2 || !o2 || !n) {
      if (whyNot !== repo.cannotReconcile) log(`approvals: reconcile (${why}) cannot run: ${whyNot}; approval PRs merged or closed meanwhile are resolved once it can`);
      repo.cannotReconcile = whyNot;
      return;
    }
    repo.cannotReconcile = "";
    const co = await this.checkout(repo);
    try {
      const svc = await this.services(repo, co.dir, NO_RUNNER);
      const jobs = await reconcileApprovals(svc, crew2, { owner: o2, repo: n });
      const { queued } = await queueFollowUps(this.o.store, svc, jobs, `reconcile-${Date.now()}`, this.o.runOf);
      for (const r2 of queued) log(`approvals: follow-up ${r2.id} queued (reconcile, ${why}): ${r2.plan.note ?? r2.agent}`);
    } finally {
      co.release();
    }
  }
  /** GitHub, the clone and the runner for work in one repository. */
  async services(repo, dir, runner) {
    const name = repo.fullName || void 0;
    return {
      github: await this.o.access.client(name),
      // With a GitHub App, a run acts with a token narrowed to its agent's `permissions`.
      clientFor: (agent) => this.o.access.client(name, agent.permissions),
      // The same narrowed token for GitHub inside the run (through the run gateway), asked again per request so it stays fresh.
      ...this.o.access.isApp ? { githubFor: async (agent) => ({ token: () => this.o.access.token(name, agent.permissions), apiUrl: this.o.access.apiUrl ?? "https://api.github.com", gitUrl: webUrlOf(this.o.access.apiUrl) }) } : {},
      runner,
      repoDir: dir,
      env: this.o.env,
      log: this.logFor(repo),
      serverUrl: webUrlOf(this.o.access.apiUrl),
      once: (key2) => this.o.store.once(key2, this.o.instance, Date.now()),
      recordDecision: (d2) => this.o.store.approvalDecisions.record({ ...d2, at: Date.now() })
    };
  }
  /** Serve it again (installed, added, unarchived), if the list allows it. */
  start(fullName, why) {
    if (this.o.fixed || repoNameProblem(fullName)) return;
    const was = this.removed.delete(fullName.toLowerCase());
    const allowed = !this.o.filter || this.o.filter.allows(fullName);
    this.o.log(`repos: ${fullName} ${why}: ${allowed ? was ? "served again" : "served" : `not served (not on --repos)`}`);
  }
  /** Serve it no more (removed from the installation, renamed, transferred, archived, deleted): its state and checkout go. */
  async stop(fullName, why) {
    if (this.o.fixed || repoNameProblem(fullName) || this.o.filter && !this.o.filter.allows(fullName)) return;
    const key2 = fullName.toLowerCase();
    this.removed.set(key2, why);
    const repo = this.repos.get(key2);
    repo?.scheduler?.stop();
    this.repos.delete(key2);
    this.o.access.forget(fullName);
    const had = this.o.pool.has(fullName);
    await this.o.pool.remove(fullName, why);
    this.o.log(`repos: ${fullName} ${why}: no longer served${had ? "; its checkout is removed" : ""}`);
  }
  /** A new name (renamed, transferred) is served like any other: it was not removed. */
  renamed(from, to2, why) {
    this.removed.delete(to2.toLowerCase());
    return this.stop(from, `${why} to ${to2}`);
  }
  /** /readyz: one repository's crew, or (with many) which are broken, never failing the whole server for one. */
  readiness(only) {
    if (this.o.fixed) {
      const keeper = this.fixedRepo()?.keeper;
      return keeper ? keeper.readiness() : { ready: false, reason: `the crew on ${this.o.fixed.branch} is not loaded yet` };
    }
    if (only !== void 0) {
      const why = this.whyNot(only);
      if (why) return { ready: false, reason: why };
      const repo = this.repos.get(only.toLowerCase());
      if (!repo?.keeper) return { ready: true, reason: repo?.noCrewOn ? `no .gitcrew/ on ${repo.noCrewOn}` : "not loaded yet (loaded at its first event)" };
      return repo.keeper.readiness();
    }
    const broken = {};
    for (const repo of this.repos.values()) {
      const r2 = repo.keeper?.readiness();
      if (r2 && !r2.ready) broken[repo.fullName] = r2.reason ?? "not ready";
    }
    return Object.keys(broken).length ? { ready: true, repos: broken } : { ready: true };
  }
  close() {
    this.closed = true;
    for (const repo of this.all()) repo.scheduler?.stop();
  }
};
var NO_RUNNER = { run: () => Promise.reject(new Error("planning does not run containers")) };
function repositoryObject(fullName, defaultBranch, web) {
  const [owner = "", name = ""] = fullName.split("/");
  return { name, full_name: fullName, owner: { login: owner }, default_branch: defaultBranch, private: true, html_url: `${web}/${fullName}` };
}
function shortList(patterns) {
  const all = patterns.join(",");
  return all.length <= 200 ? all : `${all.slice(0, 200)}\u2026 (${patterns.length} patterns)`;
}

// src/server/early-signs.ts
var EarlySigns = class {
  constructor(s, deliveryId) {
    this.s = s;
    this.deliveryId = deliveryId;
    this.github = s.github;
  }
  eyes;
  early = [];
  /** The client as given, unguarded. */
  github;
  /**
   * Before planning: 👀 and the tracking comments of the agents the text
   * addresses (pure checks of the payload, no GitHub lookup). Not awaited.
   */
  beforePlan(event, payload, crew2) {
    let trigger;
    try {
      const n = normalize(event, payload, { deliveryId: this.deliveryId, edits: crewRoutesEdits(crew2.agents) });
      if (!n.ok) return;
      trigger = n.trigger;
    } catch {
      return;
    }
    const agents = addressedAgents(trigger, crew2);
    if (agents.length || crew2.agents.some((a) => a.triggers.mention && trigger.mentions.includes(a.name.toLowerCase()))) this.react(trigger);
    for (const agent of agents) this.postEarly(trigger, agent);
    if (this.early.length) this.s.github = this.guarded(this.github);
  }
  /**
   * The delivery's runs are planned: 👀 if not given yet, and each run's
   * tracking comment ("queued"): the one posted before planning, or posted
   * now. Early comments no run took are deleted.
   */
  async queued(runs2) {
    const first = runs2[0];
    if (first) this.react(first.trigger);
    const seen = first ? seenTarget(first.trigger) !== void 0 : false;
    const ids = runIdsOf(this.deliveryId, runs2);
    const out = await Promise.all(
      runs2.map(async (job2, i) => {
        if (!job2.trigger.thread) return { ...job2, early: { seen } };
        const id = ids[i] ?? "";
        const mine = this.early.find((e) => !e.taken && e.runId === id && e.agent === job2.agent.name);
        if (mine) {
          mine.taken = "run";
          const ref = await mine.posted;
          return { ...job2, early: { seen, ...ref ? { tracking: { id: ref.id, url: ref.url } } : {} } };
        }
        const github = this.s.clientFor ? await this.s.clientFor(job2.agent) : this.github;
        const opts = trackingOptionsFor(this.s, job2, runnerRunId(id, 1), github, this.warn);
        const tracking = await TrackingComment.queued(opts).catch((e) => {
          this.warn(`tracking comment not posted when queued (the run posts it): ${errorMessage(e)}`);
          return void 0;
        });
        return { ...job2, early: { seen, ...tracking ? { tracking: { id: tracking.id, url: tracking.url } } : {} } };
      })
    );
    watchQueuedComments(this.s, ids, out);
    await this.withdraw("no run took it");
    await this.eyes;
    this.s.github = this.github;
    return out;
  }
  /** Planning ended without queueing (it failed and is tried again): early comments are withdrawn, 👀 in flight awaited. */
  async settle() {
    await this.withdraw("planning did not finish");
    await this.eyes;
    this.s.github = this.github;
  }
  /**
   * Planning failed for good (it is not tried again): the early comments say
   * what failed instead of being withdrawn. True when one of them says it.
   */
  async failed(failure) {
    const mine = this.early.filter((e) => e.taken !== "reply" && e.taken !== "withdrawn");
    for (const e of mine) e.taken = "withdrawn";
    const told = await Promise.all(
      mine.map(async (e) => {
        const ref = await e.posted;
        if (!ref) return false;
        return this.github.updateComment(e.repo, ref.id, e.failedBody(failure)).then(
          () => true,
          (err) => (this.warn(`could not say in the early tracking comment of ${e.agent} that planning failed: ${errorMessage(err)}`), false)
        );
      })
    );
    await this.eyes;
    this.s.github = this.github;
    return told.includes(true);
  }
  react(t2) {
    const target = seenTarget(t2);
    if (this.eyes || !target) return;
    this.eyes = this.github.react(repoId(t2), target, "eyes").then(
      () => void 0,
      (e) => this.warn(`no \u{1F440} reaction: ${errorMessage(e)}`)
    );
  }
  postEarly(trigger, agent) {
    const thread = trigger.thread;
    if (!thread) return;
    const runId = `${this.deliveryId}:${agent.name}`;
    const origin = trackingOptionsFor(this.s, { trigger, agent }, runnerRunId(runId, 1), this.github, this.warn).origin;
    const posted = (async () => {
      const github = this.s.clientFor ? await this.s.clientFor(agent) : this.github;
      return TrackingComment.queued(trackingOptionsFor(this.s, { trigger, agent }, runnerRunId(runId, 1), github, this.warn));
    })().catch((e) => {
      this.warn(`tracking comment not posted when queued (the run posts it): ${errorMessage(e)}`);
      return void 0;
    });
    const failedBody = (failure) => failedRunBody(origin, failure, "failed", this.s.runUrl);
    this.early.push({ agent: agent.name, runId, repo: repoId(trigger), issue: thread.number, posted, failedBody });
  }
  /** Deletes the early comments nobody took. */
  async withdraw(why) {
    const left = this.early.filter((e) => !e.taken);
    for (const e of left) e.taken = "withdrawn";
    await Promise.all(
      left.map(async (e) => {
        const ref = await e.posted;
        if (!ref) return;
        await this.github.deleteComment(e.repo, ref.id).then(
          () => this.s.log(`delivery ${this.deliveryId}: early tracking comment of ${e.agent} withdrawn (${why})`),
          (err) => this.warn(`could not withdraw the early tracking comment of ${e.agent}: ${errorMessage(err)}`)
        );
      })
    );
  }
  /** Early comments on this thread not taken yet. */
  open(repo, issue) {
    return this.early.filter((e) => !e.taken && e.issue === issue && sameRepo2(e.repo, repo));
  }
  guarded(inner) {
    const listComments = async (repo, issue, opts) => {
      const hidden = this.open(repo, issue);
      if (!hidden.length) return inner.listComments(repo, issue, opts);
      const max = Math.max(opts?.max ?? 50, 0);
      const all = await inner.listComments(repo, issue, { ...opts, max: max + hidden.length });
      const ids = new Set((await Promise.all(hidden.map((e) => e.posted))).flatMap((r2) => r2 ? [r2.id] : []));
      const shown = all.comments.filter((c3) => !ids.has(c3.id));
      const kept = shown.slice(Math.max(shown.length - max, 0));
      return { ...all, comments: kept, omitted: all.omitted + shown.length - kept.length };
    };
    const createComment = async (repo, issue, body) => {
      const named2 = (e) => Number(!body.includes(`@${e.agent}`));
      for (const e of this.open(repo, issue).sort((a, b3) => named2(a) - named2(b3))) {
        if (e.taken) continue;
        e.taken = "reply";
        const ref = await e.posted;
        if (!ref) continue;
        try {
          return await inner.updateComment(repo, ref.id, body);
        } catch (err) {
          if (err instanceof GitHubError && err.status === 404) break;
          e.taken = void 0;
          throw err;
        }
      }
      return inner.createComment(repo, issue, body);
    };
    return new Proxy(inner, {
      get(target, prop) {
        if (prop === "listComments") return listComments;
        if (prop === "createComment") return createComment;
        const v2 = Reflect.get(target, prop, target);
        return typeof v2 === "function" ? v2.bind(target) : v2;
      }
    });
  }
  warn = (message) => this.s.log(`warning: ${message}`);
};
function addressedAgents(t2, crew2) {
  if (!t2.thread || t2.actor.type === "Bot" || !seenTarget(t2)) return [];
  return crew2.agents.filter((a) => {
    const byText = a.triggers.mention && t2.mentions.includes(a.name.toLowerCase()) || t2.commands.some((c3) => a.triggers.commands.includes(c3.name));
    return byText && route(a, t2).addressed && authorize(a, t2, { permission: "admin", author: { permission: "admin" } }, crew2.config).ok;
  });
}
function sameRepo2(a, b3) {
  return a.owner.toLowerCase() === b3.owner.toLowerCase() && a.repo.toLowerCase() === b3.repo.toLowerCase();
}
function runIdsOf(deliveryId, runs2) {
  const seen = /* @__PURE__ */ new Set();
  return runs2.map((job2) => {
    let id = `${deliveryId}:${job2.agent.name}`;
    for (let i = 2; seen.has(id); i++) id = `${deliveryId}:${job2.agent.name}:${i}`;
    seen.add(id);
    return id;
  });
}

// src/server/dashboard/crew-view.ts
function crewViews(repos) {
  return repos.filter((r2) => r2.keeper).map((r2) => {
    const state = r2.keeper.current;
    return {
      // A --repo clone whose origin is a path learns its name from its first webhook.
      repo: r2.fullName || UNKNOWN_REPO,
      ...state.loadedAt !== void 0 ? { loadedAt: state.loadedAt } : {},
      ...state.commit ? { sha: state.commit } : {},
      problems: state.problem ? [state.problem] : [],
      agents: (state.crew?.agents ?? []).map((a) => ({
        name: a.name,
        runtime: a.runtime,
        ...a.model ? { model: a.model } : {},
        triggers: a.triggers,
        limits: a.limits,
        concurrency: a.concurrency,
        allow: a.allow
      })),
      ...state.crew ? { approvers: approverNames(state.crew.config.approvers) } : {}
    };
  });
}

// src/server/answer-outbox.ts
var NotServedHere = class extends Error {
};
var LEASE_MS = 5 * 6e4;
var BATCH = 20;
var AnswerOutbox = class {
  closed = false;
  busy = false;
  timer;
  o;
  constructor(options) {
    this.o = { firstDelayMs: 3e4, maxDelayMs: 10 * 6e4, giveUpAfterMs: 24 * 36e5, now: Date.now, ...options };
    this.timer = setInterval(() => void this.due(), this.o.firstDelayMs);
    this.timer.unref?.();
  }
  /**
   * Write now; when GitHub cannot be reached, again later until it can.
   * Resolves after the first try (true: written). Other failures (the
   * comment refused, a bad request) are logged and not tried again.
   */
  async send(what, answer) {
    try {
      await this.o.write(answer);
      return true;
    } catch (err) {
      await this.defer(what, err, answer);
      return false;
    }
  }
  /** Writing `answer` failed with `err`: kept to write again later if GitHub could not be reached, else logged and dropped. */
  async defer(what, err, answer) {
    if (!isTemporary(err)) return this.o.log(`warning: ${what} not written: ${errorMessage(err)}`);
    try {
      await this.o.store.add({ what, answer: JSON.stringify(answer), since: this.o.now(), delayMs: this.o.firstDelayMs }, this.o.now() + this.o.firstDelayMs);
    } catch (stored) {
      return this.o.log(`warning: ${what} not written (${errorMessage(err)}) and not kept to write later: the store failed (${errorMessage(stored)})`);
    }
    this.o.log(`warning: ${what} not written, GitHub does not answer (${errorMessage(err)}); gitcrew writes it again when GitHub answers`);
  }
  /** Stops looking; this instance's leases are given up so that another instance (or the restart) writes them. */
  async close() {
    this.closed = true;
    clearInterval(this.timer);
    await this.o.store.release(this.o.owner).catch(() => void 0);
    const left = await this.o.store.count().catch(() => 0);
    if (left) this.o.log(`${left} answer(s) GitHub did not take yet are kept in the store: gitcrew writes them once it runs again`);
  }
  /** Answers whose time has come, one at a time. */
  async due() {
    if (this.busy || this.closed) return;
    this.busy = true;
    try {
      const taken = await this.o.store.claimDue(this.o.owner, this.o.now(), LEASE_MS, BATCH);
      for (const a of taken) {
        if (this.closed) break;
        await this.again(a).catch((err) => {
          if (!this.closed) this.o.log(`warning: ${a.what}: the store failed (${errorMessage(err)}); it is written again once its lease ends`);
        });
      }
    } catch (err) {
      if (!this.closed) this.o.log(`warning: answers waiting for GitHub could not be read from the store: ${errorMessage(err)}`);
    } finally {
      this.busy = false;
    }
  }
  async again(a) {
    let answer;
    try {
      answer = JSON.parse(a.answer);
      await this.o.write(answer);
    } catch (err) {
      const delay = err instanceof NotServedHere ? a.delayMs : Math.min(a.delayMs * 2, this.o.maxDelayMs);
      if ((isTemporary(err) || err instanceof NotServedHere) && this.o.now() - a.since < this.o.giveUpAfterMs) {
        await this.o.store.later(a.id, this.o.owner, this.o.now() + delay, delay);
        return;
      }
      this.o.log(`warning: ${a.what} given up: ${errorMessage(err)}`);
      await this.o.store.remove(a.id, this.o.owner);
      return;
    }
    this.o.log(`${a.what} written after GitHub answered again`);
    await this.o.store.remove(a.id, this.o.owner);
  }
};

// src/server/failure-replies.ts
var LOOKED_AT = 100;
function attemptIds(runId, attempt) {
  return Array.from({ length: Math.max(attempt, 1) }, (_3, i) => runnerRunId(runId, i + 1));
}
async function ownRunComment(github, env, repo, issue, runIds) {
  const wanted = new Set(runIds);
  const ours = await writtenByGitcrew({ env, github });
  const { comments } = await github.listComments(repo, issue, { max: LOOKED_AT });
  const found = comments.filter((c3) => ours(c3) && wanted.has(parseOrigin(c3.body)?.runId ?? "")).pop();
  return found ? { id: found.id, url: "" } : void 0;
}
function runAnswer(s, job2, runId, attempt, failure, status = "failed") {
  const thread = job2.trigger.thread;
  if (!thread) return void 0;
  const opts = trackingOptionsFor(s, job2, runnerRunId(runId, attempt), s.github, () => void 0);
  const early = job2.early?.tracking;
  return {
    repo: job2.trigger.repo.fullName,
    issue: thread.number,
    bodies: [failedRunBody(opts.origin, failure, status, s.runUrl)],
    runIds: attemptIds(runId, attempt),
    ...early ? { edit: early.id } : {},
    // As the run's own comments are written: with its agent's token.
    permissions: job2.agent.permissions
  };
}
async function writeAnswer(github, env, a) {
  const [owner = "", repo = ""] = a.repo.split("/");
  const rid = { owner, repo };
  let ref = a.edit !== void 0 ? { id: a.edit } : void 0;
  if (a.runIds?.length) ref = await ownRunComment(github, env, rid, a.issue, a.runIds) ?? ref;
  const [first = "", ...rest] = a.bodies;
  await rewriteComment(github, rid, a.issue, ref, first);
  for (const body of rest) await github.createComment(rid, a.issue, body);
}
function triggerOf(event, payload, deliveryId, crew2) {
  try {
    const n = normalize(event, payload, { deliveryId, edits: crew2 ? crewRoutesEdits(crew2.agents) : false });
    return n.ok ? n.trigger : void 0;
  } catch {
    return void 0;
  }
}
function followUpHint(key2) {
  const log = "if it keeps failing, the server's administrator finds the store's error in its log";
  if (key2.startsWith("approval:")) return `nothing to do: gitcrew queues it again by itself at its next look at approval pull requests; ${log}`;
  if (key2.startsWith("review:")) return `approve the pull request again in a new review once the server's store works; ${log}`;
  return `comment \`/approve\` again once the server's store works (the approved run is queued once, not twice); ${log}`;
}
function followUpsNotQueued(err) {
  const byThread = /* @__PURE__ */ new Map();
  for (const job2 of err.jobs) {
    const thread = job2.trigger.thread;
    if (!thread || !job2.followUp) continue;
    const at2 = `${job2.trigger.repo.fullName}#${thread.number}`;
    const seen = byThread.get(at2) ?? { repo: job2.trigger.repo.fullName, issue: thread.number, key: job2.followUp.key, agents: [] };
    if (!seen.agents.includes(job2.agent.name)) seen.agents.push(job2.agent.name);
    byThread.set(at2, seen);
  }
  const failure = (key2) => ({
    message: `the approval is recorded, but gitcrew could not queue the approved run: its database failed (${detailOf(err.cause)})`,
    hint: followUpHint(key2)
  });
  return [...byThread.values()].map((t2) => ({ repo: t2.repo, issue: t2.issue, bodies: [couldNotStartBody(t2.agents, failure(t2.key))] }));
}

// src/pipeline/unplanned-answer.ts
var DEFAULT_PREFIX = "gitcrew";
var LOOKED_AT2 = 100;
function addressedBy(t2, crew2, folders) {
  if (t2.actor.type === "Bot") return [];
  if (crew2) return crew2.agents.filter((a) => route(a, t2).addressed).map((a) => a.name);
  const named2 = [...t2.mentions, ...t2.kind.endsWith(".assigned") && t2.assignee ? [t2.assignee.toLowerCase()] : []];
  return [...new Set(named2)].filter((m2) => folders.includes(m2.toLowerCase()));
}
function ownCommand(t2) {
  return t2.commands.find((c3) => BUILTIN_COMMANDS.includes(c3.name))?.name;
}
function approvingReview(t2) {
  return t2.kind === "pull_request_review.submitted" && t2.reviewState === "approved" && !!t2.thread?.pr;
}
function agentPullRequest(t2, crew2, folders) {
  const head = t2.thread?.pr?.headRef ?? "";
  const prefix = `${crew2?.config.branch_prefix ?? DEFAULT_PREFIX}/`;
  if (!head.startsWith(prefix)) return false;
  const name = head.slice(prefix.length).split("/")[0] ?? "";
  return crew2 ? crew2.agents.some((a) => a.name === name && a.gated.length > 0) : folders.includes(name.toLowerCase());
}
async function refusedHere(s, t2) {
  const thread = t2.thread;
  if (!thread) return false;
  try {
    const github = await s.github();
    const ours = await writtenByGitcrew({ github, env: s.env });
    const { comments } = await github.listComments({ owner: t2.repo.owner, repo: t2.repo.name }, thread.number, { max: LOOKED_AT2 });
    return comments.some((c3) => ours(c3) && parseRefusalMarkers(c3.body).length > 0);
  } catch {
    return true;
  }
}
function askAgainBy(failure, again) {
  if (!failure.hint) return { ...failure, hint: again };
  const hint = failure.hint.includes("comment again") ? failure.hint.replaceAll("comment again", again) : `${failure.hint}; then ${again}`;
  return { ...failure, hint };
}
function notCarriedOut(what, failure) {
  const said = (text2) => neutralizeAgentText(text2);
  return [`\u274C ${what} was not carried out: ${said(failure.message)}.`, failure.hint ? `**What to do:** ${said(failure.hint)}.` : ""].filter(Boolean).join("\n\n");
}
async function unplannedAnswerBody(s, t2, crew2, folders, failure) {
  if (!t2.thread || t2.actor.type === "Bot") return void 0;
  const names2 = crew2 ? [] : await folders();
  const agents = addressedBy(t2, crew2, names2);
  if (agents.length) return couldNotStartBody(agents, failure);
  const command = ownCommand(t2);
  if (command) return notCarriedOut(`\`/${command}\``, failure);
  if (approvingReview(t2) && (agentPullRequest(t2, crew2, names2) || t2.thread.pr?.fork && await refusedHere(s, t2))) {
    return notCarriedOut(`The approving review by @${t2.actor.login}`, askAgainBy(failure, "approve the pull request again in a new review"));
  }
  return void 0;
}

// src/action/crew-broken.ts
async function agentFolders(repoDir, ref) {
  const out = await wo(repoDir).raw(["ls-tree", "-d", "--name-only", `${ref}:.gitcrew/agents`]).catch(() => "");
  return out.split("\n").map((l3) => l3.trim().toLowerCase()).filter(Boolean);
}

// src/server/default-pipeline.ts
var MAX_ATTEMPTS = 3;
var ENGINE_CHECK_MS = 1e3;
function touchesCrew(p2) {
  const commits = [...p2.commits ?? [], ...p2.head_commit ? [p2.head_commit] : []];
  if (commits.length === 0) return true;
  return commits.some((c3) => [...c3.added ?? [], ...c3.modified ?? [], ...c3.removed ?? []].some((f3) => f3.startsWith(".gitcrew/") || /(^|\/)CODEOWNERS$/.test(f3)));
}
function createPipelineWith(options = {}) {
  return async (ctx) => {
    const { settings, log } = ctx;
    const github = settings.github;
    const access = new GitHubAccess(github, log);
    const pool = new CheckoutPool({
      root: join6(gitcrewHome(ctx.env), "repos"),
      budgetBytes: settings.checkoutBudgetBytes,
      apiUrl: github.apiUrl,
      token: (name) => access.token(name).catch(() => void 0),
      log
    });
    const spec = ctx.repo ?? settings.repo;
    let fixed;
    if (spec) {
      const named2 = isOwnerName(spec) ? spec : void 0;
      const checkout = await openCheckout(spec, { cwd: ctx.cwd, env: ctx.env, apiUrl: github.apiUrl, token: () => access.token(named2).catch(() => void 0), log });
      fixed = { dir: checkout.dir, managed: checkout.managed, fullName: checkout.fullName, branch: await defaultBranchOf(checkout.dir) };
    }
    const runOf = (job2) => ({ agent: job2.agent.name, threadKey: job2.planned.threadKey, agentLimit: job2.agent.concurrency, maxAttempts: MAX_ATTEMPTS, plan: job2, repo: job2.trigger.repo.fullName });
    const repos = new ServedRepos({ fixed, filter: settings.repos, pool, access, store: ctx.store, env: ctx.env, instance: settings.instance, log, runOf, scheduleEveryMs: options.scheduleEveryMs, now: options.now });
    if (fixed) await repos.crewFor(repos.get(fixed.fullName ?? "")).catch((err) => log(`crew: ${errorMessage(err)}`));
    else {
      log(`repos: serving ${settings.repos ? `repositories matching ${settings.repos.patterns.join(",")}` : "every repository of the GitHub App's installations"}; each is set up at its first event`);
      setImmediate(() => void repos.warmUp(join6(gitcrewHome(ctx.env), "repos")).catch((err) => log(`repos: ${errorMessage(err)}`)));
    }
    let refreshing = false;
    const refreshAll = async () => {
      for (const repo of repos.all()) {
        if (!repo.keeper || !fixed && !pool.has(repo.fullName)) continue;
        await repos.refresh(repo, "periodic fetch").catch((err) => repos.logFor(repo)(`crew: ${errorMessage(err)}`));
        await repos.reconcile(repo, "periodic");
      }
    };
    const refreshTimer = setInterval(() => {
      if (refreshing) return;
      refreshing = true;
      void refreshAll().finally(() => refreshing = false);
    }, settings.crewRefreshSeconds * 1e3);
    refreshTimer.unref();
    const engineUp = options.engineUp ?? (() => connectDocker(ctx.env).then(() => true, () => false));
    let engine = { up: true, at: 0 };
    const noteEngine = (up) => {
      if (up !== engine.up) log(up ? "docker: the engine answers again; queued runs start" : "docker: the engine does not answer; runs wait in the queue until it does");
      engine = { up, at: Date.now() };
    };
    const engineAvailable = async () => {
      if (Date.now() - engine.at < ENGINE_CHECK_MS) return engine.up;
      noteEngine(await engineUp());
      return engine.up;
    };
    let runner;
    let started;
    const startRunner = async () => {
      let r2;
      if (options.runner) r2 = await options.runner();
      else {
        const real = await Runner.start({ env: ctx.env, ledger: new StoreLedger(ctx.store), prepare: ctx.env.GITCREW_PREPARE_NETWORKS !== "0", log });
        started = real;
        for (const o2 of real.orphans) log(`docker: ${o2.run}: ${o2.reason}`);
        r2 = real;
      }
      return {
        async run(req) {
          const result = await runOnce(r2, req, log);
          if (result.status === "failed" && await engineWentDown(result, engineUp)) {
            noteEngine(false);
            throw new EnvironmentError(
              `the Docker engine stopped during the run (${result.reason ?? "no result"})`,
              "nothing to do: gitcrew queues the run again and starts it once the engine answers"
            );
          }
          return result;
        }
      };
    };
    const getRunner = () => {
      runner ??= startRunner().catch((err) => {
        runner = void 0;
        throw err;
      });
      return runner;
    };
    void getRunner().catch((err) => log(`docker: ${errorMessage(err)}; runs wait until the engine answers`));
    const outbox = new AnswerOutbox({
      store: ctx.store.answers,
      owner: settings.instance,
      write: async (a) => {
        const why = repos.whyNot(a.repo);
        if (why) throw new NotServedHere(why);
        return writeAnswer(await access.client(a.repo || void 0, a.permissions), ctx.env, a);
      },
      log,
      ...options.answerRetryMs ? { firstDelayMs: options.answerRetryMs } : {}
    });
    const answered = /* @__PURE__ */ new WeakSet();
    async function plan2(delivery) {
      try {
        return await planDelivery(delivery);
      } catch (caught) {
        const err = temporaryAsEnvironment(caught);
        if (!plannedAgain(err, delivery.attempts) && !answered.has(err)) await answerUnplanned(delivery, err).catch((e) => log(`delivery ${delivery.id}: could not answer in the thread: ${errorMessage(e)}`));
        throw err;
      }
    }
    async function answerUnplanned(delivery, err) {
      const payload = JSON.parse(delivery.payload);
      const name = payload.repository?.full_name;
      if (typeof name === "string" ? repos.whyNot(name) : !fixed) return;
      const repo = repos.get(typeof name === "string" ? name : "");
      if (err instanceof FollowUpNotQueued) {
        for (const a of followUpsNotQueued(err)) await outbox.send(`the answer to delivery ${delivery.id} (approved run not queued)`, a);
        return;
      }
      const crew2 = repo.keeper?.current.crew;
      const t2 = triggerOf(delivery.event, payload, delivery.id, crew2);
      if (!t2?.thread) return;
      const body = await unplannedAnswerBody({ github: () => access.client(t2.repo.fullName), env: ctx.env }, t2, crew2, () => foldersOf(repo), planningFailure(err));
      if (body) await outbox.send(`the answer to delivery ${delivery.id} (planning failed)`, { repo: t2.repo.fullName, issue: t2.thread.number, bodies: [body] });
    }
    async function foldersOf(repo) {
      const co = await repos.checkout(repo).catch(() => void 0);
      if (!co) return [];
      try {
        const remote = await agentFolders(co.dir, `refs/remotes/origin/${repo.branch}`);
        return remote.length ? remote : await agentFolders(co.dir, repo.branch);
      } finally {
        co.release();
      }
    }
    async function planDelivery(delivery) {
      const payload = JSON.parse(delivery.payload);
      const lifecycle = await followLifecycle(repos, delivery.event, payload);
      if (lifecycle) return { runs: [], ignored: lifecycle };
      const fullName = payload.repository?.full_name;
      if (!fixed && !payload.repository) return { runs: [], ignored: `a ${delivery.event} event names no repository` };
      const whyNot = repos.whyNot(fullName);
      if (whyNot) return { runs: [], ignored: whyNot };
      const unnamed = fixed && !fixed.fullName;
      const repo = repos.get(typeof fullName === "string" ? fullName : "");
      if (payload.repository && delivery.event !== "schedule") {
        repos.noteRepository(repo, payload.repository);
        if (unnamed && fixed?.fullName) {
          await rememberRepository(fixed.dir, fixed.fullName, log);
          void repos.reconcile(repo, "first webhook");
        }
      }
      if (delivery.event === "push" && payload.ref === `refs/heads/${repo.branch}`) {
        repos.pushedDefaultBranch(repo);
        if (repo.keeper && touchesCrew(payload)) await repos.refresh(repo, `push ${delivery.id}`);
      }
      const found = await repos.crewFor(repo);
      if ("ignored" in found) return { runs: [], ignored: found.ignored };
      const crew2 = found.crew;
      const co = await repos.checkout(repo);
      try {
        return await planWith(repo, co.dir, crew2, delivery, payload);
      } finally {
        co.release();
      }
    }
    async function planWith(repo, dir, crew2, delivery, payload) {
      let prepared2;
      const svc = await repos.services(repo, dir, NO_RUNNER);
      const signs = new EarlySigns(svc, delivery.id);
      signs.beforePlan(delivery.event, payload, crew2);
      let followUps;
      let jobs;
      try {
        prepared2 = await prepareEvent(svc, { event: delivery.event, payload, deliveryId: delivery.id }, crew2);
        const only = delivery.event === "schedule" ? payload.gitcrew?.agent : void 0;
        jobs = only ? prepared2.jobs.filter((j3) => j3.agent.name === only) : prepared2.jobs;
        followUps = await queueFollowUps(ctx.store, svc, jobs, delivery.id, runOf);
      } catch (caught) {
        const err = temporaryAsEnvironment(caught);
        if (!plannedAgain(err, delivery.attempts) && await signs.failed(planningFailure(err))) {
          if (typeof err === "object" && err) answered.add(err);
        } else await signs.settle();
        throw err;
      }
      const queuedNote = [
        ...followUps.queued.map((r2) => `approval follow-up queued as ${r2.id}`),
        ...followUps.known.map((r2) => `approval follow-up already queued as ${r2.id} (${r2.status})`)
      ].join("; ");
      const runs2 = await signs.queued(jobs.filter((j3) => !j3.followUp));
      return {
        runs: runs2.map(runOf),
        cancelThreads: prepared2.cancelThreads,
        ignored: queuedNote || prepared2.ignored || (runs2.length ? void 0 : "no runs")
      };
    }
    async function tellAttempt(run, failure, status = "failed") {
      const job2 = run.plan;
      if (!job2?.trigger?.thread) return;
      const svc = await repos.services(repos.get(job2.trigger.repo.fullName), "", NO_RUNNER);
      const answer = runAnswer(svc, job2, run.id, run.attempt, failure, status);
      if (answer) await outbox.send(`the tracking comment of run ${run.id} (attempt ${run.attempt})`, answer);
    }
    return {
      handler: {
        plan: plan2,
        async notQueued(delivery, planned, err, again) {
          const failure = planningFailure(err);
          const ids = runIdsOf(delivery.id, planned.runs.map((r2) => r2.plan));
          await Promise.all(
            planned.runs.map(async (r2, i) => {
              const job2 = r2.plan;
              const ref = job2.early?.tracking;
              if (!ref || !job2.trigger.thread) return;
              const svc = await repos.services(repos.get(job2.trigger.repo.fullName), "", NO_RUNNER);
              if (again) await svc.github.deleteComment(repoId(job2.trigger), ref.id).catch((e) => log(`warning: could not withdraw the tracking comment of ${job2.agent.name}: ${errorMessage(e)}`));
              else {
                const answer = runAnswer(svc, job2, ids[i] ?? "", 1, failure);
                if (answer) await outbox.send(`the tracking comment of ${ids[i] ?? job2.agent.name} (not queued)`, answer);
              }
            })
          );
        }
      },
      executor: {
        async execute(run, rc) {
          const stored = run.plan;
          const name = stored.trigger.repo.fullName;
          const whyNot = repos.whyNot(name);
          const repo = repos.get(name);
          const tell = async (err) => {
            const retry2 = err instanceof EnvironmentError && run.attempt < run.maxAttempts ? { attempt: run.attempt + 1, of: run.maxAttempts } : void 0;
            await tellAttempt(run, runFailure(err, retry2));
          };
          if (whyNot) {
            const err = new GitcrewError(`not run: ${whyNot}`, 1);
            await tell(err);
            return { status: "failed", error: err.message };
          }
          const job2 = run.attempt > 1 && stored.early ? { ...stored, early: { seen: stored.early.seen } } : stored;
          const r2 = await getRunner().catch(async (err) => {
            const e = err instanceof EnvironmentError ? err : new EnvironmentError(errorMessage(err));
            await tell(e);
            throw e;
          });
          const observer = {
            onEvent(ev) {
              if (ev.type === "started") void rc.started({ containerId: ev.containerId }).catch(() => void 0);
              else if (ev.type === "log") rc.log(`${agentLogLine(ev.line)}
`);
              else if (ev.type === "status") rc.log(`${ownLogNote(ev.text)}
`);
            }
          };
          let report;
          const co = await repos.checkout(repo).catch(async (err) => {
            const e = temporaryAsEnvironment(err);
            await tell(e);
            throw e;
          });
          try {
            report = await executeJob({ ...await repos.services(repo, co.dir, r2), answerLater: (what, err, answer) => void outbox.defer(what, err, answer) }, job2, { signal: rc.signal, runId: runnerRunId(run.id, run.attempt), attempt: { n: run.attempt, of: run.maxAttempts }, resumeSessionId: rc.resumeSessionId, observer, ...rc.commentSettled ? { commentSettled: rc.commentSettled } : {} });
          } catch (err) {
            const e = temporaryAsEnvironment(err);
            await tell(e);
            throw e;
          } finally {
            co.release();
          }
          const error = report.error ? `${report.error.message}${report.error.hint ? ` (${report.error.hint})` : ""}` : void 0;
          const cost = runCostOf(report.result?.gateway);
          const outcome = runOutcomeOf(report);
          return { status: report.status, error, sessionId: report.result?.sessionId, infrastructure: report.infrastructure ?? false, ...cost ? { cost } : {}, ...outcome ? { outcome } : {} };
        },
        available: engineAvailable,
        async notRun(run, why) {
          const job2 = run.plan;
          if (!job2?.trigger?.thread) return;
          if (why === "cancelled" || run.status === "cancelled") return tellAttempt(run, CANCELLED_BEFORE_START, "cancelled");
          const lost = run.status === "queued" ? run.attempt - 1 : run.attempt;
          await tellAttempt({ ...run, attempt: lost }, lostRunFailure(lost, run.status === "queued" ? run.maxAttempts : void 0));
        }
      },
      crews: () => crewViews(repos.all()),
      async pullState(repo, n) {
        const [owner = "", name = ""] = repo.split("/");
        const pull = await (await access.client(repo)).getPullRequest({ owner, repo: name }, n);
        return pull.merged || pull.merged_at ? "merged" : pull.state === "closed" ? "closed" : "open";
      },
      readiness: (only) => {
        const crew2 = repos.readiness(only);
        if (!crew2.ready || engine.up) return crew2;
        return { ready: false, reason: "the Docker engine does not answer; deliveries are stored and runs wait in the queue until it does" };
      },
      async close() {
        clearInterval(refreshTimer);
        await started?.close().catch((err) => log(`docker: ${errorMessage(err)}`));
        await outbox.close();
        repos.close();
      }
    };
  };
}
var createDefaultPipeline = createPipelineWith();
var WORKTREE_RACE = /failed to read \.git\/worktrees\/[^/\s]+\/(commondir|gitdir)/;
var WORKTREE_TRIES = 3;
async function runOnce(r2, req, log) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await r2.run(req);
    } catch (err) {
      if (attempt >= WORKTREE_TRIES || !WORKTREE_RACE.test(errorMessage(err))) throw err;
      log(`run ${req.runId ?? "?"}: worktree checkout raced with another run's cleanup; starting it again`);
      await new Promise((resolve4) => setTimeout(resolve4, 50 * attempt));
    }
  }
}
async function engineWentDown(result, engineUp) {
  const killed = result.exitCode === 137 || result.exitCode === 143 || result.exitCode < 0 || /docker|engine|socket|ECONN/i.test(result.reason ?? "");
  for (let i = 0; i < (killed ? 24 : 1); i++) {
    if (i > 0) await new Promise((r2) => setTimeout(r2, 250));
    if (!await engineUp()) return true;
  }
  return false;
}
function temporaryAsEnvironment(err) {
  if (err instanceof EnvironmentError || !isTemporary(err)) return err;
  return Object.assign(new EnvironmentError(errorMessage(err)), { cause: err });
}

// src/server/dashboard/serve-options.ts
var GITHUB_API = "https://api.github.com";
function dashboardSignIn(settings, log) {
  const apiUrl = settings.github.apiUrl ?? GITHUB_API;
  if (!settings.oauth) return settings.publicUrl ? { publicUrl: settings.publicUrl } : {};
  const access = new GitHubAccess(settings.github, log);
  return {
    oauth: { ...settings.oauth, webUrl: settings.githubWebUrl, apiUrl },
    ...settings.publicUrl ? { publicUrl: settings.publicUrl } : {},
    roles: githubRoleLookup(apiUrl, (repo) => access.token(repo))
  };
}

// src/cli/serve.ts
var usage = `Usage: gitcrew serve --repo OWNER/NAME|PATH --webhook-secret-file FILE [flags]
       gitcrew serve --repos 'acme/*,!acme/secrets' --app-id ID --private-key-file PEM --webhook-secret-file FILE [flags]

Receive GitHub webhooks, queue them durably and run agents on this machine,
for one repository (--repo) or many (--repos; with a GitHub App and neither,
every repository of its installations). Each repository runs its own crew
from its default branch; its clone is made at its first event.

Secrets: give them as files (mode 0600) or environment variables. A secret
given as a flag (--webhook-secret, --api-token, --github-token,
--oauth-client-secret) is visible to every local user in \`ps\` and is warned about.

Flags (each also from an environment variable):
  --repo OWNER/NAME|PATH     the one repository whose crew runs  GITCREW_REPO
  --repos PATTERNS           repositories served: comma-separated GITCREW_REPOS
                             globs over OWNER/NAME (acme/*, acme/web-*), "!" excludes,
                             the last match decides; a list starting with "!" starts from all
  --repo-concurrency N       runs of one repository at once      GITCREW_REPO_CONCURRENCY
                             (all instances; default: only --concurrency bounds them)
  --checkout-budget SIZE     disk for clones before the least    GITCREW_CHECKOUT_BUDGET
                             recently used go (10g)
  --webhook-secret-file FILE the GitHub webhook secret           GITCREW_WEBHOOK_SECRET_FILE
                             (or its value in                    GITCREW_WEBHOOK_SECRET)
  --store PATH|URL           SQLite file or postgres:// URL      GITCREW_STORE
                             (default: ~/.gitcrew/gitcrew.db, or $GITCREW_HOME/gitcrew.db;
                             a URL with a password: the variable, not the flag)
  --host HOST                listen address (default 127.0.0.1)  GITCREW_HOST
  --port PORT                listen port (default 3000)          GITCREW_PORT
  --concurrency N            runs at once on this instance (4)   GITCREW_CONCURRENCY
  --api-token-file FILE      token of the local API (random)     GITCREW_API_TOKEN_FILE
                             (or its value in                    GITCREW_API_TOKEN)
  --grace SECONDS            SIGTERM: time for runs to finish, then they are requeued
                             (30; a second signal requeues at once)  GITCREW_SHUTDOWN_GRACE
  --lease SECONDS            lease of a claimed run (30)         GITCREW_LEASE_SECONDS
  --instance NAME            name in leases (host:pid)           GITCREW_INSTANCE
  --github-token-file FILE   token for the GitHub API and git    GITHUB_TOKEN_FILE
                             (or its value in                    GITHUB_TOKEN)
  --app-id ID                GitHub App id (instead of a token)  GITHUB_APP_ID
  --private-key-file PEM     the GitHub App's private key        GITHUB_APP_PRIVATE_KEY_FILE
  --github-api-url URL       GitHub Enterprise API (https://HOST/api/v3)  GITHUB_API_URL
  --crew-refresh SECONDS     fetch the default branch every (60) GITCREW_CREW_REFRESH
  --retain-days DAYS         forget finished runs, their logs and GITCREW_RETAIN_DAYS
                             deliveries after (30; 0: keep all)
  --max-body SIZE            largest webhook body (1m; up to 25m) GITCREW_MAX_BODY

Dashboard (GET /): sign-in with GitHub through a GitHub App's or an OAuth app's client;
a person sees a repository's runs with read access to it, cancels and retries with write.
  --oauth-client-id ID       the App's or OAuth app's client id  GITCREW_OAUTH_CLIENT_ID
  --oauth-client-secret-file FILE  its client secret             GITCREW_OAUTH_CLIENT_SECRET_FILE
                             (or its value in                    GITCREW_OAUTH_CLIENT_SECRET)
  --public-url URL           how browsers reach this server      GITCREW_PUBLIC_URL
                             (the callback is URL/auth/callback; https: Secure cookies;
                             default: the listen address)
  --github-web-url URL       GitHub's web address for sign-in    GITCREW_GITHUB_WEB_URL
                             (https://github.com; GitHub Enterprise: https://HOST)

Endpoints: POST /webhooks, GET /healthz, /readyz (?repo=OWNER/NAME: one repository),
/metrics, /api/* (the API token, or a dashboard session), / and /auth/* (the dashboard).`;
var FLAGS = {
  repo: { type: "string" },
  repos: { type: "string" },
  "repo-concurrency": { type: "string" },
  "checkout-budget": { type: "string" },
  "webhook-secret": { type: "string" },
  "webhook-secret-file": { type: "string" },
  store: { type: "string" },
  host: { type: "string" },
  port: { type: "string" },
  concurrency: { type: "string" },
  "api-token": { type: "string" },
  "api-token-file": { type: "string" },
  grace: { type: "string" },
  lease: { type: "string" },
  instance: { type: "string" },
  "github-token": { type: "string" },
  "github-token-file": { type: "string" },
  "app-id": { type: "string" },
  "private-key-file": { type: "string" },
  "github-api-url": { type: "string" },
  "crew-refresh": { type: "string" },
  "retain-days": { type: "string" },
  "max-body": { type: "string" },
  "oauth-client-id": { type: "string" },
  "oauth-client-secret": { type: "string" },
  "oauth-client-secret-file": { type: "string" },
  "public-url": { type: "string" },
  "github-web-url": { type: "string" }
};
async function serve(io2, createPipeline) {
  const { values } = parseFlags(io2.argv, FLAGS, usage);
  const settings = readSettings(values, io2.env, usage);
  const log = (line) => io2.stderr(`${(/* @__PURE__ */ new Date()).toISOString()} ${terminalSafe(line).replace(/\n/g, "\n    ")}
`);
  for (const warning of settings.warnings) log(`warning: ${warning}`);
  const storeSpec = settings.store ?? defaultStorePath(io2.env);
  const store = await openStore(storeSpec, { cwd: io2.cwd, env: io2.env });
  const pipeline = await createPipeline({ repo: settings.repo, store, env: io2.env, cwd: io2.cwd, log, settings });
  const server = await startServer({
    store,
    pipeline,
    webhookSecret: settings.webhookSecret,
    apiToken: settings.apiToken,
    host: settings.host,
    port: settings.port,
    concurrency: settings.concurrency,
    ...settings.repoConcurrency ? { repoLimit: settings.repoConcurrency } : {},
    instance: settings.instance,
    leaseMs: settings.leaseSeconds * 1e3,
    retainMs: settings.retainDays * 24 * 36e5,
    maxBodyBytes: settings.maxBodyBytes,
    dashboard: dashboardSignIn(settings, log),
    log
  });
  const file = writeServerFile({ url: server.url, token: settings.apiToken, pid: process.pid }, io2.env);
  io2.stdout(`gitcrew serve: listening on ${server.url} (store ${describeStore(storeSpec)}, instance ${settings.instance}); API token in ${file}
`);
  const signal = io2.signal ?? new AbortController().signal;
  await new Promise((resolve4) => signal.aborted ? resolve4() : signal.addEventListener("abort", () => resolve4(), { once: true }));
  log(`shutting down: no new deliveries; running runs get ${settings.graceSeconds}s (a second SIGTERM or SIGINT requeues them and exits now)`);
  const hurry = () => (log("second signal: requeueing running runs now"), server.worker.hurry());
  process.on("SIGTERM", hurry);
  process.on("SIGINT", hurry);
  try {
    await server.stop(settings.graceSeconds * 1e3);
  } finally {
    process.off("SIGTERM", hurry);
    process.off("SIGINT", hurry);
  }
  removeServerFile(io2.env);
  await store.close();
  log("stopped");
  return EXIT.ok;
}
var verb = {
  summary: "Receive GitHub webhooks and run agents as a service",
  usage,
  run: (io2) => serve(io2, createDefaultPipeline)
};
export {
  serve,
  verb
};
