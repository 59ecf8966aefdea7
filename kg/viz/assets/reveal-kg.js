/* kg views in a reveal.js deck (reveal.js 4 or 5).

   Usage:  <script src="reveal-kg.js"></script>
           Reveal.initialize({ plugins: [ KgViews ] });
   and put each view on a slide as  <iframe data-kg-view src="views/graph.html?embed=1"></iframe>
   (`kg viz --snippet --deck slides/index.html` prints such a tag with a src relative to the deck).

   What it does:
   - A kg view in embed mode sends {type: "kg-view:key", key, shiftKey} to its parent with
     postMessage for the slide keys (arrows, PageUp/PageDown, Space, Home/End, Escape) pressed
     while the view has the keyboard focus (after a click into it). This plugin moves the deck
     for them and gives the focus back to the deck, so the clicker keeps working.
   - Each view's frame is sized to the height left on its slide below what comes before it.
   The view itself re-fits whenever it is shown or resized, hidden slides included. */
(function (root) {
  "use strict";
  function KgViews() {
    var deck = null;
    function frames() {
      return Array.prototype.slice.call(
        deck.getSlidesElement().querySelectorAll("iframe[data-kg-view]"));
    }
    function onMessage(event) {
      var m = event.data;
      if (!m || m.type !== "kg-view:key" || typeof m.key !== "string") { return; }
      var frame = frames().filter(function (f) { return f.contentWindow === event.source; })[0];
      if (!frame) { return; }
      frame.blur();
      window.focus();
      switch (m.key) {
        case "ArrowRight": deck.right(); break;
        case "ArrowLeft": deck.left(); break;
        case "ArrowUp": deck.up(); break;
        case "ArrowDown": deck.down(); break;
        case "PageDown": deck.next(); break;
        case "PageUp": deck.prev(); break;
        case " ": if (m.shiftKey) { deck.prev(); } else { deck.next(); } break;
        case "Home": deck.slide(0); break;
        case "End": deck.slide(Number.MAX_VALUE); break;
        case "Escape": deck.toggleOverview(); break;
        default: break;
      }
    }
    function fitFrames() {
      var config = deck.getConfig();
      var scale = deck.getScale() || 1;
      var changed = false;
      frames().forEach(function (frame) {
        var slide = frame.closest("section");
        if (!slide || slide.offsetParent === null || frame.hasAttribute("data-kg-fixed")) {
          return;
        }
        var top = (frame.getBoundingClientRect().top - slide.getBoundingClientRect().top) /
          scale;
        var room = Math.floor(config.height - top - 12);
        if (room > 60 && frame.style.height !== room + "px") {
          frame.style.height = room + "px";
          frame.style.width = "100%";
          changed = true;
        }
      });
      if (changed) { deck.layout(); }  // re-centre the slides around their new height
    }
    return {
      id: "kg-views",
      init: function (reveal) {
        deck = reveal;
        window.addEventListener("message", onMessage);
        ["ready", "slidechanged", "resize", "overviewhidden"].forEach(function (name) {
          deck.on(name, fitFrames);
        });
      }
    };
  }
  root.KgViews = KgViews;
})(typeof window !== "undefined" ? window : this);
