/* Kansou share row: copy the link, share through the system sheet. No third-party scripts.
   Markup: [data-share] with data-url and data-title, holding .share__url (read-only input),
   [data-share-copy], [data-share-native] (hidden until the Web Share API is known to work)
   and [data-share-status] (a live region). */
(function () {
  "use strict";

  function setup(box) {
    var url = box.getAttribute("data-url");
    var title = box.getAttribute("data-title");
    var input = box.querySelector(".share__url");
    var status = box.querySelector("[data-share-status]");
    var copy = box.querySelector("[data-share-copy]");
    var native = box.querySelector("[data-share-native]");

    function say(message) {
      if (status) { status.textContent = message; }
    }

    // Without the Clipboard API: select the link so the reader can copy it themselves.
    function selectLink() {
      input.focus();
      input.select();
      input.setSelectionRange(0, input.value.length);
      say("Link selected: press Ctrl+C (⌘C on a Mac) to copy it.");
    }

    if (copy) {
      copy.addEventListener("click", function () {
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(url).then(function () { say("Link copied."); }, selectLink);
        } else {
          selectLink();
        }
      });
    }

    var data = { title: title, text: title, url: url };
    if (native && navigator.share && (!navigator.canShare || navigator.canShare(data))) {
      native.hidden = false;
      native.addEventListener("click", function () {
        navigator.share(data).catch(function () { /* cancelled: nothing to do */ });
      });
    }
  }

  Array.prototype.forEach.call(document.querySelectorAll("[data-share]"), setup);
})();
