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

  /* "Select all" boxes of bulk-action tables: <input type="checkbox" data-check-all="name">.
     The boxes may sit outside their form (form="id" attributes, a table after the form), so they
     are found through form.elements, which lists them wherever they are. The "select all" box
     shows a mixed state when only some are ticked. */
  function setUpCheckAll(box) {
    var name = box.getAttribute("data-check-all");
    var form = box.form;
    function items() {
      var all = form ? Array.prototype.slice.call(form.elements)
        : Array.prototype.slice.call(document.querySelectorAll("input"));
      return all.filter(function (item) {
        return item !== box && item.type === "checkbox" && item.name === name && !item.disabled;
      });
    }
    function reflect() {
      var list = items();
      var ticked = list.filter(function (item) { return item.checked; }).length;
      box.checked = list.length > 0 && ticked === list.length;
      box.indeterminate = ticked > 0 && ticked < list.length;
    }
    box.addEventListener("change", function () {
      items().forEach(function (item) { item.checked = box.checked; });
      box.indeterminate = false;
    });
    items().forEach(function (item) { item.addEventListener("change", reflect); });
    reflect();
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("form"), setUpCounter);
    Array.prototype.forEach.call(document.querySelectorAll("input[data-check-all]"), setUpCheckAll);
  });
}());
