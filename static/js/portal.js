/* Dagtilbudsportalen: the only page script. No inline scripts anywhere (strict CSP). */
(function () {
  "use strict";

  function init() {
    if (window.DKFDS && !document.body.dataset.dkfdsReady) {
      window.DKFDS.init();
      document.body.dataset.dkfdsReady = "1";
    }
  }

  document.addEventListener("DOMContentLoaded", init);

  // Content swapped in by htmx gets the design system's behaviour too.
  document.addEventListener("htmx:afterSwap", function (event) {
    if (window.DKFDS && event.target) {
      window.DKFDS.init({ scope: event.target });
    }
  });

  // Buttons that ask before a destructive action: data-confirm="Are you sure?".
  document.addEventListener("submit", function (event) {
    var submitter = event.submitter;
    var message = (submitter && submitter.dataset.confirm) || event.target.dataset.confirm;
    if (message && !window.confirm(message)) {
      event.preventDefault();
    }
  });
})();
