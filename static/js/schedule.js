// The schedule board's drag and drop (templates/expos/programme/_board.html). A card dropped on
// another cell submits the card's own move form with that cell's hall and time, so a drag makes
// exactly the move the form makes; htmx posts it and swaps the board it answers with. The form
// stays the way to move a showcase without dragging.
(function () {
  "use strict";

  var BOARD = "schedule-board";
  var HIGHLIGHT = "table-primary";
  var dragged = null;

  function dropCell(event) {
    if (!dragged || !event.target.closest) {
      return null;
    }
    return event.target.closest("#" + BOARD + " td[data-drop-hall]");
  }

  function clearHighlight() {
    document.querySelectorAll("#" + BOARD + " ." + HIGHLIGHT).forEach(function (cell) {
      cell.classList.remove(HIGHLIGHT);
    });
  }

  document.addEventListener("dragstart", function (event) {
    var card = event.target.closest && event.target.closest("[data-slot-card]");
    if (!card) {
      return;
    }
    dragged = card;
    event.dataTransfer.effectAllowed = "move";
    // Some browsers start a drag only when it carries data.
    event.dataTransfer.setData("text/plain", card.dataset.slotCard);
  });

  document.addEventListener("dragover", function (event) {
    var cell = dropCell(event);
    if (!cell) {
      if (dragged) {
        clearHighlight();
      }
      return;
    }
    event.preventDefault(); // this cell accepts the drop
    event.dataTransfer.dropEffect = "move";
    if (!cell.classList.contains(HIGHLIGHT)) {
      clearHighlight();
      cell.classList.add(HIGHLIGHT);
    }
  });

  document.addEventListener("drop", function (event) {
    var cell = dropCell(event);
    var card = dragged;
    clearHighlight();
    dragged = null;
    if (!cell) {
      return;
    }
    event.preventDefault();
    if (cell.contains(card)) {
      return; // dropped where it was
    }
    var form = document.getElementById(card.dataset.moveForm);
    form.elements.hall.value = cell.dataset.dropHall;
    form.elements.starts_at.value = cell.dataset.dropStartsAt;
    form.requestSubmit();
  });

  document.addEventListener("dragend", function () {
    clearHighlight();
    dragged = null;
  });

  // A refused move answers with the board and its reason (409: the cell is taken; 400: no such
  // hall or time): swap it in like a success, instead of the generic error message.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    if (event.detail.target.id === BOARD && (status === 400 || status === 409)) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  // The board is new after a move: give the focus back to the moved (or refused) card's "Move",
  // where a keyboard user left it.
  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.target.id !== BOARD) {
      return;
    }
    var board = document.getElementById(BOARD);
    var focus = board && board.querySelector("[data-focus]");
    if (focus) {
      focus.removeAttribute("data-focus");
      focus.focus();
    }
  });
})();
