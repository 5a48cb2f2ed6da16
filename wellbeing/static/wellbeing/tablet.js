/* The children's questionnaire: speak the question when the screen opens, again on the
   "hear again" button, and send a tapped answer only once. No inline script (CSP). */
(function () {
  "use strict";

  function play(audio) {
    if (!audio) { return; }
    try { audio.currentTime = 0; } catch (error) { /* not loaded yet */ }
    var started = audio.play();
    // A browser may refuse to play before the first touch; the button plays it then.
    if (started && started.catch) { started.catch(function () {}); }
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("audio[data-autoplay]").forEach(play);
    document.querySelectorAll("[data-play]").forEach(function (button) {
      button.addEventListener("click", function () {
        play(document.getElementById(button.dataset.play));
      });
    });
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var submitter = event.submitter;
    var message = (submitter && submitter.dataset.confirm) || form.dataset.confirm;
    if (message && !window.confirm(message)) {
      event.preventDefault();
      return;
    }
    if (form.dataset.sent) {
      event.preventDefault();
      return;
    }
    form.dataset.sent = "1";
  });
})();
