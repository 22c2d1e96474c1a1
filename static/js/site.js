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

/*
 * The site menu (<details data-site-menu>) is a "Menu" button on phones only. On wide screens the
 * stylesheet shows its content where the browser supports ::details-content; for the others it
 * is opened here, and closed again when the screen narrows. On phones, Escape closes it.
 */
(function () {
  "use strict";

  var menu = document.querySelector("details[data-site-menu]");
  if (!menu || !window.matchMedia) {
    return;
  }
  var wide = window.matchMedia("(min-width: 78em)");

  function follow() {
    menu.open = wide.matches;
  }

  follow();
  if (wide.addEventListener) {
    wide.addEventListener("change", follow);
  }

  menu.addEventListener("keydown", function (event) {
    if (event.target.closest("details[data-menu][open]")) {
      return;  // the account menu inside closes first
    }
    if (event.key === "Escape" && menu.open && !wide.matches) {
      menu.open = false;
      menu.querySelector("summary").focus();
    }
  });
})();

/*
 * The practice map: a city's label shows on hover and focus without script, inside the city's
 * link, where a neighbour's circle drawn later can cover it. With script the label shown is a
 * copy in a layer above every circle. Nothing moves, so the tab order stays the map's.
 */
(function () {
  "use strict";

  var SVG_NS = "http://www.w3.org/2000/svg";
  Array.prototype.forEach.call(document.querySelectorAll(".library-map__svg"), function (svg) {
    var top = document.createElementNS(SVG_NS, "g");
    top.setAttribute("class", "library-map__top");
    top.setAttribute("aria-hidden", "true");
    svg.appendChild(top);
    svg.classList.add("is-enhanced");

    function hide() {
      while (top.firstChild) {
        top.removeChild(top.firstChild);
      }
    }

    function show(event) {
      var city = event.target.closest && event.target.closest(".library-map__city");
      var label = city && city.querySelector(".library-map__label");
      hide();
      if (label) {
        top.appendChild(label.cloneNode(true));
      }
    }

    svg.addEventListener("focusin", show);
    svg.addEventListener("mouseover", show);
    svg.addEventListener("focusout", hide);
    svg.addEventListener("mouseleave", hide);
  });
})();

/*
 * The library's filters: "Apply filters" sticks to the bottom of the screen, and a value that
 * takes focus under it is scrolled up clear of it (WCAG 2.4.11, focus not obscured). Browsers
 * scroll a focused element just into the viewport, under any sticky bar, so this is done here;
 * without script the bar does not stick at all.
 */
(function () {
  "use strict";

  var form = document.querySelector(".library-facets");
  var bar = form && form.querySelector(".library-facets__actions");
  if (!bar || !window.requestAnimationFrame) {
    return;
  }
  form.classList.add("has-sticky-actions");

  function clear(target) {
    if (bar.contains(target)) {
      return;
    }
    var box = (target.closest("label") || target).getBoundingClientRect();
    var barTop = bar.getBoundingClientRect().top;
    var margin = 8;
    if (box.bottom + margin > barTop) {
      // At once, not smoothly: the focused value must be clear of the bar now.
      window.scrollBy({ top: box.bottom + margin - barTop, behavior: "instant" });
    }
  }

  form.addEventListener("focusin", function (event) {
    clear(event.target);
    // The browser may still scroll the element into view after the focus event.
    window.requestAnimationFrame(function () {
      clear(event.target);
    });
  });
})();
