// Image upload into a review's Markdown (reviews/images/_upload.html explains the contract).
// A file chosen with the button or dropped on a <textarea data-image-target> waits for its alt
// text; "Upload and insert" posts it to the upload URL and inserts ![alt](url) at the cursor.
(function () {
  "use strict";
  var box = document.querySelector("[data-image-upload]");
  if (!box || !window.fetch || !window.FormData) return;
  var controls = box.querySelector("[data-image-controls]");
  var fileInput = box.querySelector("[data-image-file]");
  var pending = box.querySelector("[data-image-pending]");
  var nameOut = box.querySelector("[data-image-name]");
  var altInput = box.querySelector("[data-image-alt]");
  var status = box.querySelector("[data-image-status]");
  var ACCEPTED = ["image/jpeg", "image/png", "image/webp", "image/gif"];
  var state = { file: null, target: null, start: 0, end: 0 };

  box.querySelector("[data-image-fallback]").hidden = true;
  controls.hidden = false;

  function targets() {
    return Array.prototype.slice.call(document.querySelectorAll("textarea[data-image-target]"));
  }
  var lastFocused = null;
  document.addEventListener("focusin", function (event) {
    if (event.target.matches && event.target.matches("textarea[data-image-target]")) {
      lastFocused = event.target;
    }
  });

  function say(text, isError) {
    status.textContent = text;
    status.classList.toggle("image-upload__status--error", !!isError);
  }

  function hold(file, target) {
    if (ACCEPTED.indexOf(file.type) === -1) {
      say(file.name + " is not a JPEG, PNG, WebP or GIF image.", true);
      return;
    }
    target = target || lastFocused || targets()[0] || null;
    state.file = file;
    state.target = target;
    state.start = target ? target.selectionStart : 0;
    state.end = target ? target.selectionEnd : 0;
    nameOut.textContent = file.name;
    pending.hidden = false;
    say("Describe the image, then upload it.");
    altInput.focus();
  }

  function clear() {
    state.file = null;
    pending.hidden = true;
    altInput.value = "";
    fileInput.value = "";
  }

  function insert(target, text) {
    if (!target) return;
    var before = target.value.slice(0, state.start);
    var after = target.value.slice(state.end);
    var pad = before && !/\n\n$/.test(before) ? (/\n$/.test(before) ? "\n" : "\n\n") : "";
    var tail = after && !/^\n/.test(after) ? "\n\n" : "";
    target.value = before + pad + text + tail + after;
    var caret = (before + pad + text).length;
    target.focus();
    target.setSelectionRange(caret, caret);
    target.dispatchEvent(new Event("input", { bubbles: true }));
  }

  function send() {
    var alt = altInput.value.trim();
    if (!state.file) return;
    if (!alt) {
      say("Alt text is required: say what the image shows.", true);
      altInput.focus();
      return;
    }
    var data = new FormData();
    data.append("image", state.file);
    data.append("alt", alt);
    say("Uploading " + state.file.name + "…");
    fetch(box.dataset.uploadUrl, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-CSRFToken": box.dataset.csrf, Accept: "application/json" },
    })
      .then(function (response) {
        return response.json().then(function (body) {
          return { ok: response.ok, body: body };
        });
      })
      .then(function (result) {
        if (!result.ok) {
          var errors = result.body.errors || {};
          var messages = [];
          Object.keys(errors).forEach(function (field) {
            errors[field].forEach(function (e) { messages.push(e.message); });
          });
          say(messages.join(" ") || "The upload failed.", true);
          return;
        }
        insert(state.target, result.body.markdown);
        say("Inserted " + state.file.name + ".");
        clear();
      })
      .catch(function () {
        say("The upload failed: check the connection and try again.", true);
      });
  }

  fileInput.addEventListener("change", function () {
    if (fileInput.files.length) hold(fileInput.files[0], null);
  });
  box.querySelector("[data-image-send]").addEventListener("click", send);
  box.querySelector("[data-image-cancel]").addEventListener("click", function () {
    clear();
    say("");
  });
  altInput.addEventListener("keydown", function (event) {
    if (event.key === "Enter") {
      event.preventDefault(); // never submits a surrounding form
      send();
    }
  });

  function hasImage(event) {
    return event.dataTransfer && Array.prototype.indexOf.call(event.dataTransfer.types, "Files") !== -1;
  }
  document.addEventListener("dragover", function (event) {
    var target = event.target.closest && event.target.closest("textarea[data-image-target]");
    if (!target || !hasImage(event)) return;
    event.preventDefault();
    target.classList.add("image-drop-over");
  });
  document.addEventListener("dragleave", function (event) {
    if (event.target.classList) event.target.classList.remove("image-drop-over");
  });
  document.addEventListener("drop", function (event) {
    var target = event.target.closest && event.target.closest("textarea[data-image-target]");
    if (!target || !hasImage(event)) return;
    event.preventDefault();
    target.classList.remove("image-drop-over");
    target.focus();
    hold(event.dataTransfer.files[0], target);
  });
})();
