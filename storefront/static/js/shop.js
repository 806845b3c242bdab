// Progressive enhancements only: every flow works without JavaScript.
(function () {
  "use strict";

  // Gallery: clicking a thumbnail shows it as the main image.
  document.querySelectorAll("[data-gallery-thumb]").forEach(function (thumb) {
    thumb.addEventListener("click", function (event) {
      var main = document.querySelector("[data-gallery-main]");
      if (!main) { return; }
      event.preventDefault();
      main.src = thumb.getAttribute("data-full");
      main.alt = thumb.getAttribute("data-alt") || main.alt;
      document.querySelectorAll("[data-gallery-thumb]").forEach(function (other) {
        other.setAttribute("aria-current", other === thumb ? "true" : "false");
      });
    });
  });

  // Forms marked data-submit-once disable their buttons after the first submit.
  document.querySelectorAll("form[data-submit-once]").forEach(function (form) {
    form.addEventListener("submit", function () {
      form.querySelectorAll("button[type=submit]").forEach(function (button) {
        window.setTimeout(function () { button.disabled = true; }, 0);
      });
    });
  });

  // Selects marked data-autosubmit submit their form when changed (a button remains for no-JS).
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.requestSubmit(); });
  });
})();

// Product page: the quantity's maximum follows the chosen size's stock.
(function () {
  "use strict";
  var quantity = document.querySelector(".add-to-cart input[name=quantity]");
  if (!quantity) { return; }
  function follow(radio) {
    var max = radio.getAttribute("data-max-quantity");
    if (!max) { return; }
    quantity.max = max;
    if (Number(quantity.value) > Number(max)) { quantity.value = max; }
  }
  document.querySelectorAll(".add-to-cart input[name=variant_id][type=radio]").forEach(function (radio) {
    radio.addEventListener("change", function () { follow(radio); });
    if (radio.checked) { follow(radio); }
  });
})();

// Navbar: the cart badge shows the count the server keeps in the cart_count cookie (stored
// pages are the same for every guest, so the count cannot be in the page itself).
(function () {
  "use strict";
  var match = document.cookie.match(/(?:^|;\s*)cart_count=(\d+)/);
  var count = match ? Number(match[1]) : 0;
  if (!count) { return; }
  document.querySelectorAll("[data-cart-count]").forEach(function (badge) {
    badge.textContent = String(count);
    badge.hidden = false;
    badge.parentElement.setAttribute("aria-label", "Cart, " + count + (count === 1 ? " item" : " items"));
  });
})();
