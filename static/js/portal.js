/* Actions that cannot be undone ask first: a form with data-confirm="..." states the consequence in a
   confirmation dialog and is sent only when the person agrees (without JavaScript the server's own checks
   still apply). */
document.addEventListener("submit", function (event) {
  var form = event.target.closest("form[data-confirm]");
  if (form && !window.confirm(form.dataset.confirm)) {
    event.preventDefault();
  }
}, true);
