// The vehicle edit page: the course's "Update Vehicle" button stays
// disabled until a field changes, so nobody submits an edit that changes
// nothing. The script disables it itself: without JavaScript the button
// simply works (the course disables it in the HTML, which would leave a
// visitor without JavaScript stuck).
"use strict";

(function () {
  const form = document.getElementById("updateForm"); // the course's id
  if (!form) return;
  const button = form.querySelector("button[type=submit]");
  const hint = document.getElementById("update-hint");
  // A form sent back with errors, or after a failed save, already differs
  // from what is saved: it may be sent as it is.
  if (!button || document.querySelector("main [role=alert] ul.notice, #messages ul.error")) return;

  button.disabled = true;
  if (hint) {
    hint.hidden = false;
    button.setAttribute("aria-describedby", hint.id);
  }
  function enable() {
    button.disabled = false;
    if (hint) hint.hidden = true;
    button.removeAttribute("aria-describedby");
  }
  form.addEventListener("input", enable, { once: true });
  form.addEventListener("change", enable, { once: true });
})();
