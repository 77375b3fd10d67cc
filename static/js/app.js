// Portal behaviour that templates cannot carry inline (the CSP forbids inline scripts and styles).
(function () {
  "use strict";

  // Widths from data attributes, e.g. progress bars: <div class="progress-bar" data-width="42">.
  function applyWidths(root) {
    root.querySelectorAll("[data-width]").forEach(function (element) {
      element.style.width = element.dataset.width + "%";
    });
  }

  document.addEventListener("DOMContentLoaded", function () { applyWidths(document); });
  document.addEventListener("htmx:afterSwap", function (event) { applyWidths(event.target); });
})();
