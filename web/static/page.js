// armsdash: what every page does besides drawing charts, kept out of the
// HTML so that the pages carry no inline script and their Content Security
// Policy needs no per-request nonce (their bytes are then the same for
// every reader and can be cached and compressed once).
(function () {
  "use strict";

  // The Embed panels' snippets name this dashboard's own origin, which the
  // server does not know behind a proxy: the page puts it in.
  function fillOrigins() {
    document.querySelectorAll("textarea[data-origin]").forEach(function (t) {
      t.value = t.value.replace('src="/embed/', 'src="' + location.origin + '/embed/').replace('"ORIGIN"', JSON.stringify(location.origin));
    });
  }

  // An embed posts its height to the page framing it, so that the frame
  // can fit its content (see the Embed panel's listener).
  function postHeight() {
    if (window.parent === window) return;
    // The body's height, not documentElement.scrollHeight: that never
    // falls below the frame's own height, so a frame could not shrink.
    window.parent.postMessage({type: "armsdash:height", height: Math.ceil(document.body.getBoundingClientRect().height)}, "*");
  }

  function start() {
    fillOrigins();
    if (document.documentElement.hasAttribute("data-embed")) {
      window.addEventListener("load", postHeight);
      window.addEventListener("resize", postHeight);
      postHeight();
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
