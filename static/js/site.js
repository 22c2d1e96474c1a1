/*
 * Progressive enhancement only: every page works without this file.
 *
 * Disclosure menus (<details data-menu>) open and close natively. With script, they also
 * close on Escape (returning focus to their button) and when the visitor clicks or tabs
 * elsewhere, as people expect from a menu.
 */
(function () {
  "use strict";

  var menus = Array.prototype.slice.call(document.querySelectorAll("details[data-menu]"));
  if (!menus.length) {
    return;
  }

  function close(menu, restoreFocus) {
    if (!menu.open) {
      return;
    }
    menu.open = false;
    if (restoreFocus) {
      menu.querySelector("summary").focus();
    }
  }

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") {
      return;
    }
    menus.forEach(function (menu) {
      if (menu.open && menu.contains(document.activeElement)) {
        close(menu, true);
      } else {
        close(menu, false);
      }
    });
  });

  document.addEventListener("click", function (event) {
    menus.forEach(function (menu) {
      if (!menu.contains(event.target)) {
        close(menu, false);
      }
    });
  });

  document.addEventListener("focusin", function (event) {
    menus.forEach(function (menu) {
      if (!menu.contains(event.target)) {
        close(menu, false);
      }
    });
  });
})();
