/* PFCC Portal: small progressive enhancements (a static file: the CSP forbids inline scripts).
   Wide tables on narrow screens: each table scrolls inside a frame that a keyboard can reach,
   with a visible cue while columns are off-screen. Without JavaScript the tables still scroll. */
(function () {
  "use strict";
  var hint = document.body.getAttribute("data-scroll-hint") || "";

  function frame(table) {
    var parent = table.parentElement;
    if (parent && parent.classList.contains("table-wrap")) return parent;
    var wrap = document.createElement("div");
    wrap.className = "table-wrap";
    parent.insertBefore(wrap, table);
    wrap.appendChild(table);
    return wrap;
  }

  function update(wrap) {
    var scrollable = wrap.scrollWidth > wrap.clientWidth + 1;
    wrap.classList.toggle("is-scrollable", scrollable);
    wrap.classList.toggle("at-end", wrap.scrollLeft + wrap.clientWidth >= wrap.scrollWidth - 1);
    var cue = wrap.previousElementSibling;
    var hasCue = cue && cue.classList.contains("scroll-hint");
    if (scrollable) {
      // A scrollable region must be reachable by keyboard and named for screen readers.
      wrap.setAttribute("tabindex", "0");
      wrap.setAttribute("role", "region");
      var caption = wrap.querySelector("caption");
      wrap.setAttribute("aria-label", caption ? caption.textContent.trim() : hint);
      if (!hasCue && hint) {
        cue = document.createElement("p");
        cue.className = "scroll-hint";
        cue.setAttribute("aria-hidden", "true");
        cue.textContent = hint;
        wrap.parentElement.insertBefore(cue, wrap);
      }
    } else {
      wrap.removeAttribute("tabindex");
      wrap.removeAttribute("role");
      wrap.removeAttribute("aria-label");
      if (hasCue) cue.remove();
    }
  }

  var frames = Array.prototype.map.call(document.querySelectorAll("main table"), frame);
  frames.forEach(function (wrap) {
    update(wrap);
    wrap.addEventListener("scroll", function () { update(wrap); }, { passive: true });
  });
  window.addEventListener("resize", function () { frames.forEach(update); });
})();
