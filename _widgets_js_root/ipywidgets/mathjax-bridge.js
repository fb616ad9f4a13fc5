// nnbook: @jupyter-widgets/controls typesets widget labels with MathJax 2's
// API (MathJax.Hub.Queue) whenever window.MathJax exists. This site serves
// MathJax 3, which has no Hub, so every widget page logged a TypeError. This
// bridge gives whatever object window.MathJax holds (now or later: MathJax 3
// replaces it while it starts) a Hub.Queue that calls MathJax 3's typesetter.
(function () {
  function bridge(m) {
    if (m && typeof m === "object" && !m.Hub) {
      Object.defineProperty(m, "Hub", {
        enumerable: false,
        configurable: true,
        value: {
          Queue: function () {
            var mj = window.MathJax;
            if (mj && typeof mj.typesetPromise === "function") {
              mj.typesetPromise();
            }
          },
        },
      });
    }
    return m;
  }
  var current = bridge(window.MathJax);
  Object.defineProperty(window, "MathJax", {
    configurable: true,
    get: function () { return current; },
    set: function (value) { current = bridge(value); },
  });
})();
