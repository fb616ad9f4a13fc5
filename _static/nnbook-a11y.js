// Accessibility fixes for the chrome around the book (theme, Sphinx, the
// ipywidgets toolkit), found by axe-core in the browser test (tests/browser).
// Book content (figures, alt text) is fixed at its source, never here.
(function () {
  "use strict";
  function label() {
    // pydata-sphinx-theme: the chevron <summary> that opens a chapter's
    // sections in the sidebar has no text (axe: summary-name).
    document.querySelectorAll(".bd-sidenav summary").forEach(function (s) {
      if (s.textContent.trim() || s.hasAttribute("aria-label")) return;
      var link = s.closest("li") && s.closest("li").querySelector(":scope > a");
      var name = link ? link.textContent.trim() : "this chapter";
      s.setAttribute("aria-label", "Sections of " + name);
    });
    // Sphinx's module index: its +/- toggles are images with alt "-".
    document.querySelectorAll("img.toggler").forEach(function (img) {
      img.alt = "Show or hide the modules of this package";
    });
    // ipywidgets sliders: the handle (role=slider) has no name; the widget's
    // description is a separate label (axe: aria-input-field-name).
    document.querySelectorAll(".widget-slider [role=slider]").forEach(function (h) {
      if (h.hasAttribute("aria-label")) return;
      var box = h.closest(".widget-slider");
      var text = box && box.querySelector(".widget-label");
      var name = text && text.textContent.trim();
      h.setAttribute("aria-label", name || "slider");
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    label();
    // Widgets render after the page loads: label them when they appear.
    new MutationObserver(label).observe(document.body, {childList: true, subtree: true});
  });
})();
