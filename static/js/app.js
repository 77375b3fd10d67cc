// Portal behaviour that templates cannot carry inline (the CSP forbids inline scripts and styles).
(function () {
  "use strict";

  // Widths from data attributes, e.g. progress bars: <div class="progress-bar" data-width="42">.
  function applyWidths(root) {
    root.querySelectorAll("[data-width]").forEach(function (element) {
      element.style.width = element.dataset.width + "%";
    });
  }

  // Buttons that ask first: <button data-confirm="Hapus?">.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-confirm]");
    if (button && !window.confirm(button.dataset.confirm)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  // Forms marked data-warn-unsaved warn before the page is left with changes not yet saved.
  var dirtyForms = new Set();
  document.addEventListener("input", function (event) {
    var form = event.target.closest("form[data-warn-unsaved]");
    if (form) { dirtyForms.add(form); }
  });
  function unsavedForms() {
    return Array.from(dirtyForms).filter(function (form) { return form.isConnected; });
  }
  // Finishing a verification with a verdict row changed but not saved asks first: its note would be lost.
  document.addEventListener("submit", function (event) {
    var finish = event.target.closest("form[data-finish-verification]");
    if (!finish) { return; }
    var rows = unsavedForms().filter(function (form) { return form.dataset.rowCode; });
    if (!rows.length) { return; }
    var codes = rows.map(function (form) { return form.dataset.rowCode; }).join(", ");
    if (!window.confirm(finish.dataset.unsavedRows.replace("{rows}", codes))) {
      event.preventDefault();
      event.stopImmediatePropagation();
      rows[0].scrollIntoView({ block: "center" });
      return;
    }
    rows.forEach(function (form) { dirtyForms.delete(form); });
  }, true);
  document.addEventListener("submit", function (event) { dirtyForms.delete(event.target); });
  window.addEventListener("beforeunload", function (event) {
    if (unsavedForms().length) { event.preventDefault(); event.returnValue = ""; }
  });

  // A common rejection reason of the indicator, one click away: it fills the reason (kept editable) and
  // picks "tidak sesuai" unless a rejection is already picked.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-rejection-reason]");
    if (!button) { return; }
    var textarea = document.getElementById(button.dataset.reasonFor);
    var reason = button.dataset.rejectionReason;
    textarea.value = textarea.value.trim() ? textarea.value.trim() + "; " + reason : reason;
    var form = textarea.form;
    var chosen = form.querySelector("[data-verdict-choice]:checked");
    if (!chosen || chosen.value === "sesuai") {
      form.querySelector('[data-verdict-choice="tidak_sesuai"]').checked = true;
    }
    dirtyForms.add(form);
    syncLevel(form.closest("[data-verdict-row]"));
    textarea.focus();
  });

  // The phone's bar on the edit page follows the score panel and the submit box as htmx refreshes them.
  function syncPhoneBar() {
    var bar = document.querySelector("[data-testid=phone-bar]");
    if (!bar) { return; }
    var kematangan = document.querySelector("#score-panel [data-testid=kematangan]");
    var left = document.querySelector("#submit-check [data-rows-left-text]");
    if (kematangan) { bar.querySelector("[data-phone-kematangan]").textContent = kematangan.textContent; }
    if (left) { bar.querySelector("[data-phone-rows-left]").textContent = left.textContent; }
  }
  document.addEventListener("htmx:afterSettle", syncPhoneBar);

  // A file chosen but not uploaded yet: said beside it, and leaving the page asks first.
  document.addEventListener("change", function (event) {
    var input = event.target.closest(".evidence-file");
    if (!input) { return; }
    var hint = input.form.querySelector("[data-unsent-file]");
    hint.classList.toggle("d-none", !input.files.length);
  });

  // A "Cetak" button prints the page (the Panduan).
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) { window.print(); }
  });

  // Words of a text without its markup, as the server counts them.
  function countWords(html) {
    var div = document.createElement("div");
    div.innerHTML = html.replace(/<[^>]+>/g, " ");
    return div.textContent.split(/\s+/).filter(function (token) { return /[\p{L}\p{N}]/u.test(token); }).length;
  }

  function updateWordCount(textarea) {
    document.querySelectorAll('[data-word-count-for="' + textarea.id + '"]').forEach(function (counter) {
      var words = countWords(textarea.value);
      var minimum = parseInt(counter.dataset.minimum || "0", 10);
      counter.textContent = words + " / " + minimum + " " + (document.documentElement.lang === "en" ? "words" : "kata");
      counter.classList.toggle("text-danger", words < minimum);
      counter.classList.toggle("text-success", words >= minimum);
    });
  }

  // A small rich-text editor over each textarea[data-richtext]: bold, italic, lists. The textarea stays
  // the form field (the server sanitises what it receives); without JavaScript it is a plain textarea.
  var TOOLS = [
    ["bold", "bi-type-bold"], ["italic", "bi-type-italic"],
    ["insertUnorderedList", "bi-list-ul"], ["insertOrderedList", "bi-list-ol"]
  ];

  function enhance(textarea) {
    if (textarea.dataset.enhanced) { return; }
    textarea.dataset.enhanced = "true";
    var wrapper = document.createElement("div");
    wrapper.className = "richtext-editor border rounded";
    var toolbar = document.createElement("div");
    toolbar.className = "richtext-toolbar btn-toolbar border-bottom p-1 gap-1";
    toolbar.setAttribute("role", "toolbar");
    var editor = document.createElement("div");
    editor.className = "richtext-area form-control border-0";
    editor.contentEditable = "true";
    editor.setAttribute("role", "textbox");
    editor.setAttribute("aria-multiline", "true");
    var label = document.querySelector('label[for="' + textarea.id + '"]');
    if (label) { editor.setAttribute("aria-label", label.textContent.replace("*", "").trim()); }
    editor.innerHTML = textarea.value;
    TOOLS.forEach(function (tool) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "btn btn-sm btn-light";
      button.setAttribute("aria-label", tool[0]);
      button.innerHTML = '<i class="bi ' + tool[1] + '" aria-hidden="true"></i>';
      button.addEventListener("click", function () {
        editor.focus();
        document.execCommand(tool[0], false, null);
        sync();
      });
      toolbar.appendChild(button);
    });
    function sync() {
      textarea.value = editor.innerHTML;
      textarea.dispatchEvent(new Event("input", { bubbles: true }));
      updateWordCount(textarea);
    }
    // Pasted text arrives as plain text: what Word carries along (styles, fonts) would be dropped anyway.
    editor.addEventListener("paste", function (event) {
      event.preventDefault();
      var text = (event.clipboardData || window.clipboardData).getData("text/plain");
      document.execCommand("insertText", false, text);
    });
    editor.addEventListener("input", sync);
    textarea.classList.add("d-none");
    textarea.parentNode.insertBefore(wrapper, textarea);
    wrapper.appendChild(toolbar);
    wrapper.appendChild(editor);
    updateWordCount(textarea);
  }

  // Upload progress in indicator rows: htmx reports the bytes sent.
  document.addEventListener("htmx:xhr:progress", function (event) {
    var form = event.target.closest("form.evidence-upload");
    if (!form || !event.detail.lengthComputable) { return; }
    var bar = form.querySelector(".upload-progress");
    bar.classList.remove("d-none");
    var percent = Math.round(100 * event.detail.loaded / event.detail.total);
    bar.firstElementChild.style.width = percent + "%";
  });

  // Evidence preview in the verifier's pane: a frame for PDFs, an image for pictures.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-preview-src]");
    if (!button) { return; }
    var pane = document.getElementById("preview-pane");
    if (!pane) { return; }
    var viewer = document.createElement(button.dataset.previewKind === "pdf" ? "iframe" : "img");
    viewer.src = button.dataset.previewSrc;
    if (viewer.tagName === "IMG") { viewer.alt = button.dataset.previewName; }
    else { viewer.title = button.dataset.previewName; }
    pane.replaceChildren(viewer);
    document.getElementById("preview-name").textContent = button.dataset.previewName;
  });

  // Keyboard verification: J/K move between rows, S sesuai (saves), T/U pick a rejection and go to
  // its reason, Ctrl+Enter saves the row, P previews the row's first evidence. The letters act only while
  // a row itself has the focus (J/K also while nothing has it): in a field, on a radio, a select, a button
  // or a link they are text, or the element's own keys, never a verdict. A row whose verdict is saved
  // asks before S/T/U change it.
  function verdictRows() { return Array.from(document.querySelectorAll("[data-verdict-row]")); }
  // The row the verifier was last on: J/K move on from it even while a saved row is being swapped and
  // has not taken the focus back yet (a quick J after S).
  var currentRowId = null;
  document.addEventListener("focusin", function (event) {
    var row = event.target.closest && event.target.closest("[data-verdict-row]");
    if (row) { currentRowId = row.id; }
  });
  document.addEventListener("keydown", function (event) {
    var row = event.target.closest && event.target.closest("[data-verdict-row]");
    var typing = /^(TEXTAREA|INPUT|SELECT)$/.test(event.target.tagName) && event.target.type !== "radio";
    if (row && typing && event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      row.querySelector("form.verdict-form").requestSubmit();
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey) { return; }
    var onRow = Boolean(row) && event.target === row;
    var onNothing = event.target === document.body || event.target === document.documentElement;
    if (!onRow && !onNothing) { return; }
    var rows = verdictRows();
    if (!rows.length) { return; }
    var key = event.key.toLowerCase();
    if (key === "j" || key === "k") {
      var from = (onRow && row) || (currentRowId && document.getElementById(currentRowId));
      var index = from ? rows.indexOf(from) : -1;
      var next = rows[Math.max(0, Math.min(rows.length - 1, index + (key === "j" ? 1 : -1)))];
      next.focus();
      next.scrollIntoView({ block: "start", behavior: "smooth" });
      event.preventDefault();
      return;
    }
    if (!onRow) { return; }
    var choices = { s: "sesuai", t: "tidak_sesuai", u: "tidak_dapat_diukur" };
    if (choices[key]) {
      var radio = row.querySelector('[data-verdict-choice="' + choices[key] + '"]');
      if (!radio) { return; }
      event.preventDefault();
      if (row.hasAttribute("data-verdict-saved") && !window.confirm(row.dataset.confirmChange)) { return; }
      radio.checked = true;
      syncLevel(row);
      if (key === "s") { row.querySelector("form.verdict-form").requestSubmit(); }
      else { row.querySelector("textarea").focus(); }
    } else if (key === "p") {
      var preview = row.querySelector("[data-preview-src]");
      if (preview) { preview.click(); event.preventDefault(); }
    }
  });
  // The accepted level belongs to "sesuai" only: for a rejection the level select is disabled (and sent
  // no more), so that a level chosen before cannot look as if it counted.
  function syncLevel(row) {
    var select = row.querySelector("[data-level-for-sesuai]");
    var chosen = row.querySelector("[data-verdict-choice]:checked");
    if (select) { select.disabled = Boolean(chosen) && chosen.value !== "sesuai"; }
  }
  function syncLevels() { verdictRows().forEach(syncLevel); }
  document.addEventListener("change", function (event) {
    var row = event.target.closest && event.target.closest("[data-verdict-row]");
    if (row && event.target.matches("[data-verdict-choice]")) { syncLevel(row); }
  });
  document.addEventListener("DOMContentLoaded", syncLevels);
  document.addEventListener("htmx:afterSettle", syncLevels);
  // A saved row is swapped for a new element: give the keyboard focus back to it, unless the verifier
  // has moved on meanwhile (a quick J): focus then sits elsewhere and stays there.
  var savingRowId = null;
  document.addEventListener("htmx:beforeRequest", function (event) {
    var row = event.target.closest && event.target.closest("[data-verdict-row]");
    if (row) { savingRowId = row.id; }
  });
  document.addEventListener("htmx:afterSettle", function () {
    var row = savingRowId && document.getElementById(savingRowId);
    var lost = !document.activeElement || document.activeElement === document.body;
    if (row && lost) { row.focus({ preventScroll: true }); }
    savingRowId = null;
  });

  // An htmx request that failed (refused, the database away, the server unreachable): say so at the top of
  // the page, with the server's own words when it sent plain text (innovasi.views.server_error).
  function requestFailed(event) {
    var xhr = event.detail.xhr;
    var plain = xhr && (xhr.getResponseHeader("Content-Type") || "").indexOf("text/plain") === 0;
    var alert = document.createElement("div");
    alert.className = "alert alert-danger";
    alert.setAttribute("role", "alert");
    var refused = xhr && xhr.status >= 400 && xhr.status < 500;
    alert.textContent = plain && xhr.responseText
      ? xhr.responseText
      : document.body.dataset[refused ? "requestRefused" : "requestFailed"];
    document.getElementById("main").prepend(alert);
  }
  document.addEventListener("htmx:responseError", requestFailed);
  document.addEventListener("htmx:sendError", requestFailed);

  // Filter forms that apply a choice at once: <form data-submit-on-change>.
  document.addEventListener("change", function (event) {
    var form = event.target.closest("form[data-submit-on-change]");
    if (form && event.target.tagName === "SELECT") { form.requestSubmit(); }
  });

  // A header checkbox that checks all boxes of a name: <input type="checkbox" data-check-all="name">.
  document.addEventListener("change", function (event) {
    var all = event.target.closest("[data-check-all]");
    if (!all) { return; }
    document.querySelectorAll('input[type="checkbox"][name="' + all.dataset.checkAll + '"]').forEach(function (box) {
      box.checked = all.checked;
    });
  });

  function init(root) {
    applyWidths(root);
    root.querySelectorAll("textarea[data-richtext]").forEach(enhance);
    root.querySelectorAll("textarea[data-word-count]").forEach(updateWordCount);
  }

  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:afterSwap", function (event) { init(event.target); });
})();
