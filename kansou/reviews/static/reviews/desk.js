/* The writing desk's enhancements (the page is a working form without them):
   live preview, autosave of drafts with a version check, catalog pickers, added rows,
   suggested audiences and the phone-width preview. No inline script (the site's CSP). */
(function () {
  "use strict";
  var form = document.querySelector("[data-desk]");
  if (!form) return;
  var PREVIEW_WAIT = 500, SAVE_WAIT = 1500, LOOKUP_WAIT = 200;
  var status = document.querySelector("[data-desk-status]");
  var frame = document.querySelector("[data-desk-frame]");
  var frameBox = document.querySelector("[data-desk-frame-box]");
  var autosave = form.dataset.autosave === "true";
  var version = form.querySelector("input[name=version]");
  /* Not form.action: the buttons named "action" shadow it. */
  var saving = false, dirty = false, conflicted = false, queuedSubmit = null;
  var saveTimer = null, previewTimer = null, previewCount = 0;

  function debounce(fn, wait) {
    var timer = null;
    return function () {
      var args = arguments;
      clearTimeout(timer);
      timer = setTimeout(function () { fn.apply(null, args); }, wait);
    };
  }
  function setStatus(text, state) {
    status.textContent = text;
    status.dataset.state = state || "";
  }
  function body(action) {
    var data = new FormData(form);
    data.set("action", action);
    return data;
  }
  function post(url, data) {
    return fetch(url, {method: "POST", body: data, credentials: "same-origin",
                       headers: {"Accept": "application/json", "X-Requested-With": "fetch"}});
  }
  /* A JSON answer, or null for anything else (offline, signed out: a log-in page). */
  function getJSON(url) {
    return fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (response) {
        var json = (response.headers.get("Content-Type") || "").indexOf("application/json") === 0;
        return response.ok && json ? response.json() : null;
      })
      .catch(function () { return null; });
  }
  function firstError(payload) {
    var errors = payload.errors || {};
    for (var name in errors) {
      if (errors[name].length) return (name === "__all__" ? "" : name.replace(/_md$/, "") + ": ") + errors[name][0];
    }
    return "";
  }

  /* Preview: the server renders the posted text with the review page's own pipeline. */
  function refreshPreview() {
    var mine = ++previewCount;
    post(form.dataset.previewUrl, body("preview")).then(function (response) {
      if (mine !== previewCount) return null;
      if (response.ok) return response.text().then(function (html) {
        var win = frame.contentWindow, y = win ? win.scrollY : 0;
        frame.addEventListener("load", function restore() {
          frame.removeEventListener("load", restore);
          if (frame.contentWindow) frame.contentWindow.scrollTo(0, y);
        });
        frame.srcdoc = html;
      });
      return response.json().then(function (payload) {
        setStatus("Preview waits: " + (firstError(payload) || payload.message), "error");
      });
    }).catch(function () { /* offline: the next change tries again */ });
  }
  var schedulePreview = debounce(refreshPreview, PREVIEW_WAIT);

  /* Autosave: drafts only; each save names the version it was edited from. */
  function save() {
    if (conflicted || !dirty) return;
    if (saving) { saveTimer = setTimeout(save, SAVE_WAIT); return; }
    saving = true; dirty = false;
    setStatus("Saving…", "saving");
    post(form.getAttribute("action"), body("autosave")).then(function (response) {
      if ((response.headers.get("Content-Type") || "").indexOf("application/json") !== 0) {
        return [0, {message: "you may have been signed out; reload the page (copy your text first)"}];
      }
      return response.json().then(function (payload) { return [response.status, payload]; });
    }).then(function (result) {
      var code = result[0], payload = result[1];
      if (code === 200) {
        version.value = payload.version;
        payload.saved_at = new Date(payload.saved_at).toLocaleTimeString(
          [], {hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23"});
        setStatus(dirty ? "Not saved yet (changes since " + payload.saved_at + ")" : "Saved at " + payload.saved_at, dirty ? "" : "saved");
      } else if (code === 409) {
        conflicted = true;
        var box = document.querySelector("[data-desk-conflict]");
        box.querySelector("[data-desk-conflict-text]").textContent = payload.message;
        box.hidden = false;
        setStatus("Not saved: changed in another tab", "error");
        box.scrollIntoView({block: "nearest"});
      } else {
        dirty = true;
        setStatus("Not saved: " + (firstError(payload) || payload.message), "error");
      }
    }).catch(function () {
      dirty = true;
      setStatus("Not saved: the site cannot be reached. Trying again…", "error");
      saveTimer = setTimeout(save, SAVE_WAIT * 4);
    }).then(function () {
      saving = false;
      if (queuedSubmit) { var button = queuedSubmit; queuedSubmit = null; form.requestSubmit(button); }
      else if (dirty && !conflicted) { clearTimeout(saveTimer); saveTimer = setTimeout(save, SAVE_WAIT); }
    });
  }

  function changed() {
    schedulePreview();
    if (conflicted) return;
    dirty = true;
    if (autosave) {
      setStatus("Not saved yet", "");
      clearTimeout(saveTimer);
      saveTimer = setTimeout(save, SAVE_WAIT);
    } else {
      setStatus("Unsaved changes: press Update to change the public review", "");
    }
  }
  form.addEventListener("input", function (event) {
    if (event.target.closest("[data-desk-search]")) return;  /* a picker's own search box */
    if (event.target.getAttribute("role") === "combobox") return;  /* saved when picked */
    changed();
  });
  form.addEventListener("change", function (event) {
    if (event.target.closest("[data-desk-search]")) return;
    if (event.target.type === "checkbox" || event.target.tagName === "SELECT" ||
        event.target.getAttribute("role") === "combobox") changed();
  });
  form.addEventListener("submit", function (event) {
    var submitter = event.submitter;
    if (submitter && submitter.value === "preview") {
      event.preventDefault(); refreshPreview(); return;
    }
    if (submitter && submitter.hasAttribute("data-desk-suggest")) {
      event.preventDefault(); suggest(submitter); return;
    }
    if (saving) { event.preventDefault(); queuedSubmit = submitter; return; }
    clearTimeout(saveTimer); dirty = false;
  });
  /* Leaving with changes not saved yet (a draft's autosave is pending, or an update not
     pressed) asks first. */
  window.addEventListener("beforeunload", function (event) {
    if ((dirty || saving) && !conflicted) { event.preventDefault(); event.returnValue = ""; }
  });

  /* Rows: "Add …" clones the formset's empty row. */
  function addRow(part, values) {
    var section = form.querySelector('[data-desk-part="' + part + '"]');
    var total = section.querySelector('input[name="' + part + '-TOTAL_FORMS"]');
    var index = parseInt(total.value, 10);
    var html = section.querySelector("template[data-desk-empty]").innerHTML.replace(/__prefix__/g, index);
    var holder = document.createElement("div");
    holder.innerHTML = html;
    var row = holder.firstElementChild;
    row.querySelector("[data-desk-number]").textContent = String(index + 1);
    section.querySelector("[data-desk-rows]").appendChild(row);
    total.value = String(index + 1);
    Object.keys(values || {}).forEach(function (name) {
      var field = row.querySelector('[name="' + part + "-" + index + "-" + name + '"]');
      if (field) field.value = values[name];
    });
    enhanceRow(part, row);
    return row;
  }
  /* With the "Add" buttons, the spare empty row each formset sends for scriptless use goes. */
  form.querySelectorAll("[data-desk-part]").forEach(function (section) {
    var part = section.dataset.deskPart;
    var total = section.querySelector('input[name="' + part + '-TOTAL_FORMS"]');
    var initial = parseInt(section.querySelector('input[name="' + part + '-INITIAL_FORMS"]').value, 10);
    var rows = section.querySelectorAll("[data-desk-rows] > [data-desk-row]");
    for (var i = rows.length - 1; i >= initial; i--) {
      var empty = Array.prototype.every.call(rows[i].querySelectorAll("input[type=text], textarea"),
                                             function (f) { return !f.value.trim(); });
      if (!empty || i !== parseInt(total.value, 10) - 1) break;
      rows[i].remove();
      total.value = String(i);
    }
  });
  form.querySelectorAll("[data-desk-add]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var row = addRow(button.closest("[data-desk-part]").dataset.deskPart);
      var first = row.querySelector("input, textarea");
      if (first) first.focus();
    });
  });

  /* Catalog pickers: a combobox listing the catalog's best matches with posters. */
  var pickerCount = 0;
  function combobox(input, onPick) {
    var id = "desk-options-" + (++pickerCount);
    var list = document.createElement("ul");
    list.id = id; list.className = "desk-options"; list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Catalog matches"); list.hidden = true;
    input.insertAdjacentElement("afterend", list);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", id);
    input.setAttribute("autocomplete", "off");
    var results = [], active = -1, asked = 0, before = input.value;
    input.addEventListener("focus", function () { before = input.value; });
    function close() {
      list.hidden = true; input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant"); active = -1;
    }
    function mark(index) {
      active = index;
      Array.prototype.forEach.call(list.children, function (li, i) {
        li.setAttribute("aria-selected", i === index ? "true" : "false");
        if (i === index) { input.setAttribute("aria-activedescendant", li.id); li.scrollIntoView({block: "nearest"}); }
      });
    }
    function pick(index) {
      var chosen = results[index];
      close();
      if (chosen) { onPick(chosen); before = input.value; }
    }
    function show(items) {
      results = items; list.textContent = "";
      items.forEach(function (item, i) {
        var li = document.createElement("li");
        li.id = id + "-" + i; li.className = "desk-option"; li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        var poster;
        if (item.poster) {
          poster = document.createElement("img");
          poster.src = item.poster; poster.alt = ""; poster.width = 38; poster.height = 54; poster.loading = "lazy";
        } else {
          poster = document.createElement("span"); poster.className = "desk-option__none";
        }
        var text = document.createElement("span");
        var title = document.createElement("span");
        title.className = "desk-option__title"; title.textContent = item.title;
        var facts = document.createElement("span");
        facts.className = "desk-option__facts";
        facts.textContent = [item.kind, item.year, item.matched ? "“" + item.matched + "”" : "", "#" + item.id]
          .filter(Boolean).join(" · ");
        text.appendChild(title); text.appendChild(facts);
        li.appendChild(poster); li.appendChild(text);
        li.addEventListener("mousedown", function (event) { event.preventDefault(); });
        li.addEventListener("click", function () { pick(i); });
        list.appendChild(li);
      });
      list.hidden = items.length === 0;
      input.setAttribute("aria-expanded", items.length ? "true" : "false");
      if (items.length) mark(0);
    }
    var lookup = debounce(function () {
      var query = input.value.trim(), mine = ++asked;
      if (!query || /^#\d+(\s|$)/.test(query)) { close(); return; }
      getJSON(form.dataset.lookupUrl + "?q=" + encodeURIComponent(query))
        .then(function (payload) { if (mine === asked) show(payload ? payload.results : []); });
    }, LOOKUP_WAIT);
    input.addEventListener("input", lookup);
    input.addEventListener("blur", close);
    input.addEventListener("keydown", function (event) {
      if (list.hidden) return;
      if (event.key === "ArrowDown") { event.preventDefault(); mark(Math.min(active + 1, results.length - 1)); }
      else if (event.key === "ArrowUp") { event.preventDefault(); mark(Math.max(active - 1, 0)); }
      else if (event.key === "Enter") { event.preventDefault(); pick(active); }
      else if (event.key === "Escape") { close(); input.value = before; }
    });
  }

  var animeInput = form.querySelector('[name="anime"]');
  var chosen = form.querySelector("[data-desk-anime-chosen]");
  function showChosen(item) {
    chosen.textContent = "";
    if (item.poster) {
      var img = document.createElement("img");
      img.src = item.poster; img.alt = ""; img.width = 46; img.height = 65;
      chosen.appendChild(img);
    }
    var span = document.createElement("span");
    span.textContent = item.title + (item.year ? " (" + item.year + ")" : "");
    chosen.appendChild(span);
    chosen.hidden = false;
  }
  function animeId() {
    var match = /^#(\d+)/.exec(animeInput.value.trim());
    return match ? match[1] : "";
  }
  var characters = null;
  function loadCharacters() {
    var id = animeId();
    if (!id) { characters = []; return Promise.resolve([]); }
    return getJSON(form.dataset.charactersUrl + "?anime=" + id)
      .then(function (payload) { characters = payload ? payload.characters : []; return characters; });
  }
  function fillCharacterSelect(select) {
    var current = select.value;
    select.textContent = "";
    select.appendChild(new Option("— none —", ""));
    (characters || []).forEach(function (c) {
      select.appendChild(new Option(c.name + (c.role ? " (" + c.role + ")" : ""), String(c.id), false, String(c.id) === current));
    });
  }
  combobox(animeInput, function (item) {
    animeInput.value = item.reference;
    showChosen(item);
    loadCharacters().then(function () {
      form.querySelectorAll("[data-desk-character]").forEach(fillCharacterSelect);
    });
    changed();
  });

  function enhanceRow(part, row) {
    if (part === "audience") {
      var area = row.querySelector("[data-desk-comparable]");
      var box = document.createElement("div");
      box.className = "desk-comparable-search"; box.setAttribute("data-desk-search", "");
      var label = document.createElement("label");
      var search = document.createElement("input");
      search.type = "search"; search.id = area.id + "-search";
      label.htmlFor = search.id; label.textContent = "Add a comparable title from the catalog";
      box.appendChild(label); box.appendChild(search);
      area.closest(".field").insertAdjacentElement("beforebegin", box);
      combobox(search, function (item) {
        var lines = area.value.split("\n").filter(function (line) { return line.trim(); });
        if (lines.indexOf(item.reference) < 0) lines.push(item.reference);
        area.value = lines.join("\n");
        search.value = "";
        changed();
      });
    }
    if (part === "characters") {
      var select = row.querySelector("[data-desk-character]");
      if (characters) fillCharacterSelect(select);
      select.addEventListener("change", function () {
        var name = row.querySelector('input[name$="-name"]');
        if (name && !name.value.trim() && select.value) name.value = select.options[select.selectedIndex].text.replace(/ \(.*\)$/, "");
      });
    }
  }
  ["audience", "characters"].forEach(function (part) {
    form.querySelectorAll('[data-desk-part="' + part + '"] [data-desk-rows] > [data-desk-row]')
      .forEach(function (row) { enhanceRow(part, row); });
  });

  /* "Suggest who should watch": rows to edit, from the recommender (through the server). */
  function suggest(button) {
    var note = form.querySelector("[data-desk-suggest-status]");
    note.textContent = "Asking the recommender…";
    post(form.dataset.suggestUrl, body("suggest")).then(function (response) {
      return response.json();
    }).then(function (payload) {  /* a non-JSON answer lands in the catch below */
      if (!payload.profiles) { note.textContent = payload.message; return; }
      var have = {};
      form.querySelectorAll('[data-desk-part="audience"] input[name$="-name"]').forEach(function (input) {
        if (input.value.trim()) have[input.value.trim().toLowerCase()] = true;
      });
      var blank = Array.prototype.filter.call(
        form.querySelectorAll('[data-desk-part="audience"] [data-desk-rows] > [data-desk-row]'),
        function (row) { return Array.prototype.every.call(row.querySelectorAll("input[type=text], textarea"), function (f) { return !f.value.trim(); }); });
      var added = 0;
      payload.profiles.forEach(function (profile) {
        if (have[profile.name.trim().toLowerCase()]) return;
        var row = blank.shift();
        if (row) {
          ["name", "why_md", "comparable"].forEach(function (name) {
            row.querySelector('[name$="-' + name + '"]').value = profile[name];
          });
        } else {
          addRow("audience", profile);
        }
        added += 1;
      });
      note.textContent = added ? "Added " + added + " suggested profile" + (added > 1 ? "s" : "") + ": edit them below."
                               : (payload.profiles.length ? "The suggestions are already here." : "Nothing to suggest for this anime yet (no trained model, or too little known about it).");
      if (added) changed();
    }).catch(function () { note.textContent = "The site cannot be reached: try again."; });
  }

  /* Preview width: the page as it is, or a 390 px phone. */
  var widths = document.querySelector("[data-desk-widths]");
  widths.hidden = false;
  widths.querySelectorAll("[data-desk-width]").forEach(function (button) {
    button.addEventListener("click", function () {
      widths.querySelectorAll("[data-desk-width]").forEach(function (other) {
        other.setAttribute("aria-pressed", other === button ? "true" : "false");
      });
      frameBox.dataset.width = button.dataset.deskWidth;
    });
  });
  if (animeId()) loadCharacters();
})();
