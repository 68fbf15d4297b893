/* Dropping files on a document's card (progressive enhancement: without it, the file input and its button do the
   same). The dropped files go into the card's file input, as if chosen there, and the form is sent: every file is
   still checked by the server, and a refused one is named with the reason while the others are kept. A document
   that takes one file takes the first file dropped. */
(function () {
  "use strict";

  function canDrop() {
    try {
      return typeof DataTransfer === "function" && !!new DataTransfer().items;
    } catch (e) {
      return false;
    }
  }

  function setUp(form) {
    var input = form.querySelector("input[type=file]");
    var card = form.closest(".card") || form;
    if (!input) return;
    var hint = form.querySelector("[data-drop-hint]");
    if (hint) hint.classList.remove("d-none");
    var depth = 0;
    card.addEventListener("dragenter", function (event) {
      event.preventDefault();
      depth += 1;
      card.classList.add("drop-target");
    });
    card.addEventListener("dragover", function (event) {
      event.preventDefault();
      if (event.dataTransfer) event.dataTransfer.dropEffect = "copy";
    });
    card.addEventListener("dragleave", function () {
      depth = Math.max(depth - 1, 0);
      if (!depth) card.classList.remove("drop-target");
    });
    card.addEventListener("drop", function (event) {
      event.preventDefault();
      depth = 0;
      card.classList.remove("drop-target");
      var files = event.dataTransfer && event.dataTransfer.files;
      if (!files || !files.length) return;
      var chosen = new DataTransfer();
      var count = input.multiple ? files.length : 1;
      for (var i = 0; i < count; i += 1) chosen.items.add(files[i]);
      input.files = chosen.files;
      if (form.requestSubmit) form.requestSubmit();
      else form.submit();
    });
  }

  function start() {
    if (!canDrop()) return;
    var forms = document.querySelectorAll("form[data-dropzone]");
    if (!forms.length) return;
    forms.forEach(setUp);
    // a file dropped beside a card is not opened by the browser in place of the page (the work would be lost)
    ["dragover", "drop"].forEach(function (type) {
      document.addEventListener(type, function (event) { event.preventDefault(); });
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
