// Password fields (registration, login, password change): the course's
// client-side step. Each field marked data-password gets a "Show password"
// toggle button, and a field with a pattern explains the requirements when
// the browser refuses what was typed. Without JavaScript the form works the
// same, and the server applies the same rule either way.
"use strict";

(function () {
  for (const input of document.querySelectorAll("input[data-password]")) {
    addToggle(input);
    if (input.pattern) explainPattern(input);
  }

  // A real button: reachable by keyboard, named "Show password", with its
  // state in aria-pressed, so a screen reader says "Show password,
  // toggle button, pressed" when the password is visible.
  function addToggle(input) {
    const button = document.createElement("button");
    button.type = "button"; // never submits the form
    button.className = "password-toggle";
    button.textContent = "Show password";
    button.setAttribute("aria-pressed", "false");
    button.setAttribute("aria-controls", input.id);
    button.addEventListener("click", function () {
      const show = input.type === "password";
      input.type = show ? "text" : "password";
      button.setAttribute("aria-pressed", String(show));
      input.focus();
    });
    input.insertAdjacentElement("afterend", button);
  }

  // The browser's own message for a pattern mismatch ("Please match the
  // requested format") says nothing useful: show the requirements written
  // next to the field instead.
  function explainPattern(input) {
    const hint = document.getElementById(input.getAttribute("aria-describedby"));
    const message = hint ? hint.textContent.trim() : "";
    function check() {
      input.setCustomValidity("");
      if (message && input.validity.patternMismatch) input.setCustomValidity(message);
    }
    input.addEventListener("input", check);
    check();
  }
})();
