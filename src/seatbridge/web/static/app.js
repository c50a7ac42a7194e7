/* seatbridge: small progressive enhancements. Every page works without this file. */
(function () {
  "use strict";

  /* The live "N / M licences" counter of a selection: counts the checked boxes, and once every
     licence is taken, disables the unchecked ones (also within a company's seat cap). The server
     checks the selection again whatever the browser sent. */
  function setUpCounter(form) {
    var counter = form.querySelector("[data-seat-counter]");
    if (!counter) { return; }
    var used = parseInt(counter.getAttribute("data-used"), 10) || 0;
    var total = parseInt(counter.getAttribute("data-total"), 10) || 0;
    var output = counter.querySelector("[data-seat-count]");
    var fullNote = counter.querySelector("[data-seat-full]");
    var submit = form.querySelector("[data-seat-submit]");
    var boxes = Array.prototype.slice.call(form.querySelectorAll("input[data-seat]"));

    function refresh() {
      var chosen = boxes.filter(function (box) { return box.checked; }).length;
      var count = used + chosen;
      output.textContent = String(count);
      var full = count >= total;
      if (fullNote) { fullNote.hidden = !full; }
      counter.classList.toggle("over", count > total);
      if (submit) { submit.disabled = count > total; }
      Array.prototype.forEach.call(form.querySelectorAll("fieldset[data-company-used]"), function (set) {
        var cap = set.getAttribute("data-cap");
        var inSet = Array.prototype.slice.call(set.querySelectorAll("input[data-seat]"));
        var capFull = false;
        if (cap !== "") {
          var taken = parseInt(set.getAttribute("data-company-used"), 10) || 0;
          taken += inSet.filter(function (box) { return box.checked; }).length;
          capFull = taken >= parseInt(cap, 10);
        }
        inSet.forEach(function (box) {
          box.disabled = !box.checked && (full || capFull);
        });
      });
    }

    boxes.forEach(function (box) { box.addEventListener("change", refresh); });
    refresh();
  }

  /* "Select all" boxes of bulk-action tables: <input type="checkbox" data-check-all="name">. */
  function setUpCheckAll(box) {
    var name = box.getAttribute("data-check-all");
    var form = box.form || document;
    box.addEventListener("change", function () {
      Array.prototype.forEach.call(form.querySelectorAll('input[type="checkbox"][name="' + name + '"]'), function (item) {
        if (!item.disabled) { item.checked = box.checked; }
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("form"), setUpCounter);
    Array.prototype.forEach.call(document.querySelectorAll("input[data-check-all]"), setUpCheckAll);
  });
}());
