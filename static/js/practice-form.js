/*
 * The practice form's rows of funds and links, in place. Without this file the "Add" and
 * "Remove" buttons are submit buttons that save the step and come back (see
 * practices/submission/formset.html); with it they add a row from the <template> and hide a
 * removed one, marking its hidden DELETE field, without leaving the page.
 */
(function () {
  "use strict";

  Array.prototype.forEach.call(document.querySelectorAll("[data-formset]"), function (set) {
    var prefix = set.getAttribute("data-formset");
    var total = set.querySelector('input[name="' + prefix + '-TOTAL_FORMS"]');
    var max = set.querySelector('input[name="' + prefix + '-MAX_NUM_FORMS"]');
    var rows = set.querySelector("[data-formset-rows]");
    var template = set.querySelector("template[data-formset-template]");
    var add = set.querySelector("[data-formset-add]");
    var empty = set.querySelector("[data-formset-empty]");
    if (!total || !rows || !template) {
      return;
    }

    function shownRows() {
      return rows.querySelectorAll("[data-formset-row]:not([hidden])").length;
    }

    function update() {
      if (add && max) {
        add.hidden = shownRows() >= parseInt(max.value, 10);
      }
      if (empty) {
        empty.hidden = shownRows() > 0;
      }
    }

    if (add) {
      add.addEventListener("click", function (event) {
        event.preventDefault();
        var index = parseInt(total.value, 10);
        var holder = document.createElement("div");
        holder.innerHTML = template.innerHTML.replace(/__prefix__/g, String(index));
        var row = holder.firstElementChild;
        rows.appendChild(row);
        total.value = String(index + 1);
        update();
        var first = row.querySelector("input:not([type=hidden]), select, textarea");
        if (first) {
          first.focus();
        }
      });
    }

    set.addEventListener("click", function (event) {
      var button = event.target.closest("[data-formset-remove]");
      if (!button || !set.contains(button)) {
        return;
      }
      event.preventDefault();
      var row = button.closest("[data-formset-row]");
      var deleted = row.querySelector('input[name$="-DELETE"]');
      if (deleted) {
        deleted.value = "on";
      }
      row.hidden = true;
      update();
      // The focused button has gone: give focus to what the member most likely does next.
      if (add && !add.hidden) {
        add.focus();
      } else {
        set.querySelector("legend").setAttribute("tabindex", "-1");
        set.querySelector("legend").focus();
      }
    });

    update();
  });
})();
