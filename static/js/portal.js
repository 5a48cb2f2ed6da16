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

  // A form that takes a moment (photos to upload, a post to publish) says that it is
  // working, and is sent once: <form data-busy="Publishing …">. Its submit button shows
  // the text with a spinner; a status region inside the form reads it out.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (event.defaultPrevented || !form.dataset || !form.dataset.busy) {
      return;
    }
    if (form.dataset.sending) {
      event.preventDefault();
      return;
    }
    form.dataset.sending = "1";
    form.setAttribute("aria-busy", "true");
    var button = event.submitter || form.querySelector("[type=submit]");
    if (button) {
      button.setAttribute("aria-disabled", "true");
      button.dataset.label = button.textContent;
      button.textContent = form.dataset.busy;
      var spinner = document.createElement("span");
      spinner.className = "spinner spinner-small spinner-light";
      spinner.setAttribute("aria-hidden", "true");
      button.insertBefore(spinner, button.firstChild);
    }
    var status = form.querySelector("[data-busy-status]");
    if (status) {
      status.textContent = form.dataset.busy;
    }
  });

  // Back to a page whose form was sent (the browser kept it): it can be sent again.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) {
      return;
    }
    document.querySelectorAll("form[data-sending]").forEach(function (form) {
      delete form.dataset.sending;
      form.removeAttribute("aria-busy");
      var status = form.querySelector("[data-busy-status]");
      if (status) {
        status.textContent = "";
      }
      form.querySelectorAll("[data-label]").forEach(function (button) {
        button.textContent = button.dataset.label;
        button.removeAttribute("aria-disabled");
        delete button.dataset.label;
      });
    });
  });
})();
