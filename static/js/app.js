// The platform's own scripts: a file, never inline (the site runs under a strict CSP).
(function () {
  "use strict";

  // When an htmx request fails (a 4xx/5xx answer, or no answer), say so in the messages area,
  // in the page's language: base.html puts the text in <body data-htmx-error="...">.
  function showError() {
    var area = document.getElementById("messages");
    if (!area) {
      return;
    }
    var alert = document.createElement("div");
    alert.className = "alert alert-danger alert-dismissible fade show";
    alert.setAttribute("role", "alert");
    alert.textContent = document.body.dataset.htmxError || "Error";
    var close = document.createElement("button");
    close.type = "button";
    close.className = "btn-close";
    close.setAttribute("data-bs-dismiss", "alert");
    close.setAttribute("aria-label", document.body.dataset.closeLabel || "Close");
    alert.appendChild(close);
    area.appendChild(alert);
  }

  document.addEventListener("htmx:responseError", showError);
  document.addEventListener("htmx:sendError", showError);

  // A table too wide for the screen scrolls sideways inside its .table-responsive box; a keyboard
  // user scrolls it with the arrow keys, so the box takes the focus, but only while it scrolls.
  function focusScrollingTables(root) {
    var boxes = Array.prototype.slice.call(root.querySelectorAll(".table-responsive"));
    if (root.matches && root.matches(".table-responsive")) {
      boxes.push(root);
    }
    boxes.forEach(function (box) {
      if (box.scrollWidth > box.clientWidth) {
        box.tabIndex = 0;
      } else {
        box.removeAttribute("tabindex");
      }
    });
  }

  // htmx runs this on the page once loaded and on every piece of it swapped in later.
  htmx.onLoad(focusScrollingTables);
  window.addEventListener("resize", function () {
    focusScrollingTables(document);
  });
})();
