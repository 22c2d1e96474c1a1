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

/*
 * The city field of the first step as a combobox (the ARIA 1.2 pattern with a list box): as the
 * member types, matching cities are offered; choosing one fills in the hidden `city` field.
 * Without this script the member types a name and chooses among the matches on the next step.
 */
(function () {
  "use strict";

  var input = document.querySelector("input[data-places-url]");
  if (!input || !input.form || !window.fetch) {
    return;
  }
  var value = input.form.querySelector(
    'input[type="hidden"][name="' + input.getAttribute("data-places-value") + '"]'
  );
  if (!value) {
    // The server offers radio buttons (several cities matched): the member chooses there.
    return;
  }

  var listId = input.id + "-suggestions";
  var list = document.createElement("ul");
  list.id = listId;
  list.className = "combobox__list";
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-label", input.getAttribute("data-suggestions-label") || "Suggestions");
  list.hidden = true;
  var status = document.createElement("p");
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  input.parentNode.classList.add("combobox");
  input.insertAdjacentElement("afterend", list);
  list.insertAdjacentElement("afterend", status);

  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("aria-controls", listId);

  var options = [];
  var active = -1;
  var timer = null;
  var asked = "";

  function close() {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function highlight(index) {
    options.forEach(function (option, i) {
      option.setAttribute("aria-selected", i === index ? "true" : "false");
    });
    active = index;
    if (index >= 0) {
      input.setAttribute("aria-activedescendant", options[index].id);
      options[index].scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function choose(option) {
    input.value = option.getAttribute("data-label");
    value.value = option.getAttribute("data-value");
    close();
    status.textContent = option.getAttribute("data-label");
  }

  function show(results) {
    list.innerHTML = "";
    options = results.map(function (result, i) {
      var option = document.createElement("li");
      option.id = listId + "-" + i;
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      option.setAttribute("data-value", result.value);
      option.setAttribute("data-label", result.label);
      option.textContent = result.label;
      option.addEventListener("mousedown", function (event) {
        event.preventDefault(); // keep focus in the field
        choose(option);
      });
      list.appendChild(option);
      return option;
    });
    active = -1;
    if (options.length) {
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      status.textContent =
        options.length === 1
          ? input.getAttribute("data-one-found") || "1 city found"
          : (input.getAttribute("data-many-found") || "%s cities found").replace(
              "%s",
              String(options.length)
            );
    } else {
      close();
      status.textContent = input.getAttribute("data-none-found") || "No city found";
    }
  }

  function suggest() {
    var text = input.value.trim();
    if (text.length < 2) {
      close();
      return;
    }
    asked = text;
    fetch(input.getAttribute("data-places-url") + "?q=" + encodeURIComponent(text), {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        return response.ok ? response.json() : { results: [] };
      })
      .then(function (data) {
        if (asked === text && input.value.trim() === text) {
          show(data.results || []);
        }
      })
      .catch(function () {
        close();
      });
  }

  input.addEventListener("input", function () {
    // What the member types now is not the city chosen before.
    value.value = "";
    window.clearTimeout(timer);
    timer = window.setTimeout(suggest, 150);
  });

  input.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (list.hidden) {
        suggest();
        return;
      }
      event.preventDefault();
      var step = event.key === "ArrowDown" ? 1 : -1;
      highlight((active + step + options.length) % options.length);
    } else if (event.key === "Enter" && !list.hidden && active >= 0) {
      event.preventDefault();
      choose(options[active]);
    } else if (event.key === "Escape" && !list.hidden) {
      event.preventDefault();
      close();
    }
  });

  input.addEventListener("blur", function () {
    close();
  });
})();

/*
 * The search for the practice's original (story step): Enter in its field runs the search, as
 * in any search box, instead of saving the step and moving on (the form's default button,
 * "Save and continue"). Without this script, the member presses "Find".
 */
(function () {
  "use strict";

  var find = document.querySelector("button[data-find-original]");
  var field = find && find.form && find.form.querySelector('input[name="original_search"]');
  if (!field) {
    return;
  }
  field.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.isComposing) {
      event.preventDefault();
      find.click();
    }
  });
})();
