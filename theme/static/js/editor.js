/* Khaosan's browser editor at /admin/ (Decap CMS): reads and writes an item as Khaosan does.
 *
 * - The item format ("khaosan"): front matter between --- lines, then the Markdown body. Fields
 *   that record someone's act (approvals, urgent, withdrawn, webmaster, live_check, ...) are never
 *   in the form: their lines are kept exactly as they were in the file and written back byte for
 *   byte, whatever the form holds. Editable fields are written in the schema's order, text quoted,
 *   and every time with +07:00 (the same moment, in Bangkok time).
 * - A new item goes where `khaosan new` puts it: the folder and slug templates come from
 *   workflow/core/structure.py (NEW_ITEM_FOLDER, NEW_ITEM_STEM, NEW_ITEM_STAMP).
 * - The preview is the site's own item page (admin/preview-<kind>.html, rendered by the build
 *   from the theme's article template around markers) with the site's CSS, filled with the entry.
 *
 * Everything it knows comes from the build (the #khaosan-rules JSON in admin/index.html).
 */
(function () {
  "use strict";

  var RULES = JSON.parse(document.getElementById("khaosan-rules").textContent);
  var KEY_LINE = /^([A-Za-z_][A-Za-z0-9_-]*)[ \t]*:(?:[ \t\n]|$)/;
  var TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})?$/;
  var PLAIN = /^[A-Za-z][A-Za-z0-9._\/-]*$/;
  var YAML_WORDS = /^(true|false|null|yes|no|on|off|y|n|~)$/i;
  var BANGKOK_MS = 7 * 3600 * 1000;

  // -- reading ----------------------------------------------------------------------------------

  function split(text) {
    var lines = text.split("\n");
    if (lines[0] !== "---") {
      throw new Error("ไฟล์ไม่มีส่วนหัว (front matter): บรรทัดแรกต้องเป็น ---");
    }
    for (var i = 1; i < lines.length; i++) {
      if (lines[i] === "---") {
        return {
          front: lines.slice(1, i).map(function (l) { return l + "\n"; }),
          body: lines.slice(i + 1).join("\n")
        };
      }
    }
    throw new Error("ส่วนหัวไม่ได้ปิดด้วย ---");
  }

  // Top-level keys with their lines: the key's line, what is indented (or a "- " item) under it,
  // and the comment lines at column 0 just before it.
  function blocks(front) {
    var found = [];
    var current = null;
    var pending = [];
    front.forEach(function (line) {
      var key = KEY_LINE.exec(line);
      if (key) {
        current = { key: key[1], lines: pending.concat([line]) };
        pending = [];
        found.push(current);
      } else if (line.charAt(0) === "#") {
        pending.push(line);
      } else if (current) {
        current.lines = current.lines.concat(pending, [line]);
        pending = [];
      }
    });
    return found;
  }

  function fromFile(text) {
    var parts = split(text);
    var data = jsyaml.load(parts.front.join(""), { schema: jsyaml.CORE_SCHEMA }) || {};
    if (typeof data !== "object" || Array.isArray(data)) {
      throw new Error("ส่วนหัวไม่ใช่ชุดข้อมูลแบบ ชื่อ: ค่า");
    }
    var rule = RULES.collections[data.type];
    var kept = {};
    blocks(parts.front).forEach(function (block) {
      if (rule && rule.kept.indexOf(block.key) >= 0) {
        kept[block.key] = block.lines.join("");
        delete data[block.key];
      }
    });
    Object.keys(data).forEach(function (key) {
      if (rule && rule.kept.indexOf(key) >= 0) { // a record of an act whose lines were not found
        throw new Error("อ่านส่วน " + key + " ของไฟล์ไม่ได้ จึงไม่เปิดในโปรแกรมแก้ไข (เพื่อไม่ให้บันทึกการลงนามเปลี่ยน)");
      }
    });
    data.khaosan_kept = kept;
    data.body = parts.body;
    return data;
  }

  // -- writing ----------------------------------------------------------------------------------

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  // The same moment in Bangkok time, written with +07:00 (a time without offset is Bangkok time);
  // a time already written with +07:00 is left as written (its text is what a sign-off saw).
  function bangkok(value) {
    var ms;
    if (value instanceof Date) {
      ms = value.getTime();
    } else {
      var m = TIME.exec(String(value));
      if (!m) { return value; } // not a time: written as typed, `khaosan check` names it
      if (m[7] === "+07:00") { return String(value); }
      if (!m[7]) { return m[1] + "-" + m[2] + "-" + m[3] + "T" + m[4] + ":" + m[5] + ":" + (m[6] || "00") + "+07:00"; }
      ms = Date.parse(value);
    }
    if (isNaN(ms)) { return value; }
    return new Date(ms + BANGKOK_MS).toISOString().slice(0, 19) + "+07:00";
  }

  function quoted(text) {
    // A JSON string is a YAML double-quoted scalar; what YAML reads as a line break or forbids
    // raw (DEL, C1, NEL, LS, PS, BOM) is escaped too.
    return JSON.stringify(text).replace(/[\u007f-\u009f\u2028\u2029\ufeff]/g, function (c) {
      return "\\u" + ("000" + c.charCodeAt(0).toString(16)).slice(-4);
    });
  }

  function scalar(value, isTime) {
    if (value === null || value === undefined) { return "null"; }
    if (typeof value === "number" || typeof value === "boolean") { return String(value); }
    if (value instanceof Date) { return bangkok(value); }
    var text = String(value);
    if (isTime && TIME.test(text)) { return text; }
    if (PLAIN.test(text) && !YAML_WORDS.test(text)) { return text; }
    return quoted(text);
  }

  function empty(value) {
    return value === undefined || value === null || value === "" ||
      (Array.isArray(value) && value.length === 0) ||
      (typeof value === "object" && !(value instanceof Date) && Object.keys(value).length === 0);
  }

  function Writer(rule) {
    this.rule = rule;
    this.times = {};
    var self = this;
    (rule ? rule.times : []).forEach(function (path) { self.times[path.join(".")] = true; });
  }

  Writer.prototype.keys = function (value, path) {
    var order = (this.rule && this.rule.order[path]) || [];
    var rest = Object.keys(value).filter(function (k) { return order.indexOf(k) < 0; });
    return order.filter(function (k) { return k in value; }).concat(rest);
  };

  Writer.prototype.clean = function (value, path) {
    var self = this;
    if (this.times[path] && !empty(value)) { return bangkok(value); }
    if (Array.isArray(value)) {
      return value.map(function (v) { return self.clean(v, path + ".*"); })
        .filter(function (v) { return !empty(v); });
    }
    if (value && typeof value === "object" && !(value instanceof Date)) {
      var out = {};
      var required = (this.rule && this.rule.required[path]) || [];
      Object.keys(value).forEach(function (k) {
        var v = self.clean(value[k], path ? path + "." + k : k);
        if (!empty(v) || required.indexOf(k) >= 0) { out[k] = v; }
      });
      return out;
    }
    return value;
  };

  // `key:` and the rest of its lines, at `indent`.
  Writer.prototype.entry = function (key, value, path, indent) {
    var self = this;
    var sp = new Array(indent + 1).join(" ");
    if (Array.isArray(value)) {
      if (value.length === 0) { return sp + key + ": []\n"; }
      var objects = value.some(function (v) { return v && typeof v === "object"; });
      if (!objects) {
        return sp + key + ": [" + value.map(function (v) { return scalar(v, self.times[path + ".*"]); }).join(", ") + "]\n";
      }
      return sp + key + ":\n" + value.map(function (item) {
        var text = self.mapping(item, path + ".*", indent + 4);
        return sp + "  - " + text.slice(indent + 4);
      }).join("");
    }
    if (value && typeof value === "object" && !(value instanceof Date)) {
      if (Object.keys(value).length === 0) { return sp + key + ": {}\n"; }
      return sp + key + ":\n" + this.mapping(value, path, indent + 2);
    }
    return sp + key + ": " + scalar(value, this.times[path]) + "\n";
  };

  Writer.prototype.mapping = function (value, path, indent) {
    var self = this;
    return this.keys(value, path).map(function (k) {
      return self.entry(k, value[k], path ? path + "." + k : k, indent);
    }).join("");
  };

  function toFile(data) {
    var rule = RULES.collections[data.type];
    var kept = Object.assign({}, data.khaosan_kept || {});
    var writer = new Writer(rule);
    var fields = {};
    Object.keys(data).forEach(function (k) {
      var own = RULES.helpers.indexOf(k) >= 0 || k === "body";
      var act = rule && rule.kept.indexOf(k) >= 0; // never written from the form, whatever it holds
      if (!own && !act) { fields[k] = data[k]; }
    });
    fields = writer.clean(fields, "");
    if (rule) {
      Object.keys(rule.kept_new).forEach(function (k) {
        if (!Object.prototype.hasOwnProperty.call(kept, k)) { kept[k] = rule.kept_new[k]; }
      });
    }
    var order = writer.keys(Object.assign({}, fields, kept), "");
    var text = "---\n";
    order.forEach(function (k) {
      if (Object.prototype.hasOwnProperty.call(kept, k)) {
        text += kept[k];
      } else if (Object.prototype.hasOwnProperty.call(fields, k)) {
        text += writer.entry(k, fields[k], k, 0);
      }
    });
    var body = data.body || "";
    if (body && body.charAt(body.length - 1) !== "\n") { body += "\n"; }
    return text + "---\n" + body;
  }

  // -- where a new item goes -------------------------------------------------------------------

  function fill(template, values) {
    return template.replace(/\{([A-Za-z_]+)\}/g, function (_m, key) {
      return values[key] === undefined ? "" : String(values[key]);
    });
  }

  function stamp(format, local) {
    var parts = {
      Y: String(local.getUTCFullYear()), m: pad(local.getUTCMonth() + 1), d: pad(local.getUTCDate()),
      H: pad(local.getUTCHours()), M: pad(local.getUTCMinutes()), S: pad(local.getUTCSeconds())
    };
    return format.replace(/%([YmdHMS])/g, function (_m, c) { return parts[c]; });
  }

  // (folder under the collection's folder, slug) for a new item saved at `now`.
  function place(rule, data, now) {
    var local = new Date(now.getTime() + BANGKOK_MS); // its UTC fields are Bangkok's
    var values = {};
    Object.keys(data).forEach(function (k) { if (typeof data[k] === "string") { values[k] = data[k]; } });
    values.be_year = String(local.getUTCFullYear() + RULES.be_offset);
    return [fill(rule.folder, values), fill(rule.stem, values) + "-" + stamp(rule.stamp, local)];
  }

  function preSave(args) {
    var entry = args.entry;
    var data = entry.get("data");
    var rule = RULES.collections[entry.get("collection")];
    if (!rule || !entry.get("newRecord")) { return data; }
    var where = place(rule, data.toJS(), new Date());
    return data.set("khaosan_folder", where[0]).set("khaosan_slug", where[1]);
  }

  // -- preview: the site's own item page --------------------------------------------------------

  var skeletons = {};

  function thaiDigits(text) {
    return RULES.date_digits === "thai" ? text.replace(/[0-9]/g, function (d) { return "๐๑๒๓๔๕๖๗๘๙".charAt(+d); }) : text;
  }

  function thaiDate(value) {
    var text = value ? bangkok(value) : bangkok(new Date());
    var m = /^(\d{4})-(\d{2})-(\d{2})/.exec(String(text));
    if (!m) { return String(value); }
    return thaiDigits(+m[3] + " " + RULES.months[+m[2] - 1] + " " + (+m[1] + RULES.be_offset));
  }

  var ATTRIBUTES = { "class": "className", "for": "htmlFor", "datetime": "dateTime", "tabindex": "tabIndex",
    "autocomplete": "autoComplete", "readonly": "readOnly", "maxlength": "maxLength", "srcset": "srcSet",
    "crossorigin": "crossOrigin", "decoding": "decoding", "loading": "loading" };

  function Filler(props) {
    var data = props.entry.get("data").toJS();
    var kind = props.entry.get("collection");
    this.props = props;
    this.kind = kind;
    this.values = {
      title: data.title || "", type_id: data[RULES.type_fields[kind]] || "",
      type_label: (RULES.type_labels[kind] || {})[data[RULES.type_fields[kind]]] || "",
      thai_date: thaiDate(data[RULES.date_fields[kind]]), date_iso: String(data[RULES.date_fields[kind]] || ""),
      category_other: data.category_other || "", outlet: data.outlet || "",
      published_on: data.published_on ? thaiDate(data.published_on) : "", clip_url: data.url || "",
      summary: data.summary || "", item_id: "", be_year: ""
    };
    this.lists = { image: data.images || [], attachment: data.attachments || [], source: data.sources || [] };
  }

  Filler.prototype.text = function (text, item) {
    var self = this;
    if (text === RULES.preview_date) { return this.values.date_iso; }
    if (item && item.kind === "image" && !item.value.caption) { text = text.replace("⟦image.caption⟧ — ", ""); }
    return text.replace(/⟦([a-z_]+)(?:\.([a-z_]+))?⟧/g, function (_m, name, key) {
      if (key === undefined) { return self.values[name] === undefined ? "" : String(self.values[name]); }
      if (!item || item.kind !== name) { return ""; }
      if (name === "image" && key === "file") { return self.asset(item.value.file || ""); }
      if (name === "attachment" && key === "type") {
        var ext = String(item.value.file || "").split(".").pop().toLowerCase();
        return RULES.file_types[ext] || ext.toUpperCase();
      }
      if (name === "attachment" && key === "size_label") { return "ขนาดแสดงเมื่อเผยแพร่"; }
      return item.value[key] === undefined ? "" : String(item.value[key]);
    });
  };

  // An image's URL as the editor has it (an upload not saved yet is a blob: URL): asked with the
  // image field itself, whose media folder is content/images.
  Filler.prototype.asset = function (path) {
    var images = this.props.collection.get("fields").find(function (f) { return f.get("name") === "images"; });
    var file = images && images.get("fields").find(function (f) { return f.get("name") === "file"; });
    return String(this.props.getAsset(path, file));
  };

  Filler.prototype.repeated = function (node) {
    var m = /⟦(image|attachment|source)\./.exec(node.textContent + " " + (node.outerHTML || ""));
    var tag = node.nodeName.toLowerCase();
    if (m && (tag === "figure" || tag === "li")) { return m[1]; }
    return null;
  };

  Filler.prototype.element = function (node, item, key) {
    var self = this;
    if (node.nodeType === 3) { return this.text(node.nodeValue, item); }
    if (node.nodeType !== 1) { return null; }
    var tag = node.nodeName.toLowerCase();
    if (tag === "script" || tag === "style" || tag === "form") { return null; }
    if (node.classList.contains("khaosan-preview-body")) {
      return h("div", { key: key, className: "khaosan-preview-body" }, this.props.widgetFor("body"));
    }
    var section = /(^| )(attachments|sources)( |$)/.exec(node.getAttribute("class") || "");
    if (tag === "section" && section) {
      var list = section[2] === "attachments" ? this.lists.attachment : this.lists.source;
      if (!list.length) { return null; }
    }
    var props = { key: key };
    Array.prototype.forEach.call(node.attributes, function (a) {
      if (a.name === "style" || a.name.indexOf("on") === 0) { return; }
      var value = a.value.indexOf("⟦image.file⟧") >= 0 && item ? self.asset(item.value.file || "") : self.text(a.value, item);
      props[ATTRIBUTES[a.name] || a.name] = value;
    });
    var children = [];
    Array.prototype.forEach.call(node.childNodes, function (child, i) {
      var kind = child.nodeType === 1 ? self.repeated(child) : null;
      if (kind && !item) {
        self.lists[kind].forEach(function (value, j) {
          children.push(self.element(child, { kind: kind, value: value || {} }, i + "-" + j));
        });
      } else {
        children.push(self.element(child, item, i));
      }
    });
    return h(tag, props, children.length ? children : undefined);
  };

  function Preview(props) {
    var kind = props.entry.get("collection");
    var skeleton = skeletons[kind];
    if (!skeleton) { return h("p", {}, "กำลังโหลดหน้าตัวอย่าง…"); }
    var filler = new Filler(props);
    var root = skeleton.body;
    var children = Array.prototype.map.call(root.childNodes, function (n, i) { return filler.element(n, null, i); });
    return h("div", { className: "khaosan-preview", lang: "th" }, children);
  }

  // -- start ------------------------------------------------------------------------------------

  function load(kind) {
    return fetch("preview-" + kind + ".html").then(function (r) {
      if (!r.ok) { throw new Error("preview-" + kind + ".html: " + r.status); }
      return r.text();
    }).then(function (text) {
      skeletons[kind] = new DOMParser().parseFromString(text, "text/html");
    });
  }

  var kinds = Object.keys(RULES.collections);
  window.KhaosanEditor = { fromFile: fromFile, toFile: toFile, place: place, bangkok: bangkok, rules: RULES };
  CMS.registerCustomFormat("khaosan", "md", { fromFile: fromFile, toFile: toFile });
  CMS.registerEventListener({ name: "preSave", handler: preSave });
  CMS.registerPreviewStyle(new URL("../theme/css/site.css", location.href).href);
  kinds.forEach(function (kind) { CMS.registerPreviewTemplate(kind, Preview); });
  Promise.all(kinds.map(load)).catch(function (e) { console.error(e); }).then(function () { CMS.init(); });
})();
