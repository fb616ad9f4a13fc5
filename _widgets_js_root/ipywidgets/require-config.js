// nnbook: map the widget manager's AMD module ids to this folder, so that the
// fonts embed-amd.js asks for load from here (next to it), not from a path
// relative to the page. Loaded after require.js and before embed-amd.js.
(function () {
  var here = document.currentScript.src.replace(/[?#].*$/, "").replace(/\/[^/]*$/, "");
  window.require.config({
    paths: { "@jupyter-widgets/html-manager/dist": here, "@jupyter-widgets": here },
  });
})();
