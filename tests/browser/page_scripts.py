"""JavaScript the page checks evaluate in the browser (evaluate() is not subject to CSP)."""

# Runs before any page script and is not subject to the page's CSP.
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", function (event) {
  console.error("CSP violation: " + event.violatedDirective + " blocked " +
    (event.blockedURI || "inline") + " at " + event.sourceFile + ":" + event.lineNumber);
});
"""

UNLABELLED_CONTROLS = """
() => Array.from(document.querySelectorAll("input, select, textarea"))
  .filter((el) => !["hidden", "submit", "button", "reset", "image"].includes(el.type))
  .filter((el) => el.getClientRects().length > 0 || el.closest(".modal"))
  .filter((el) => {
    const labelled = (el.labels && Array.from(el.labels).some((l) => l.textContent.trim()))
      || (el.getAttribute("aria-label") || "").trim()
      || (el.getAttribute("aria-labelledby") || "").split(/\\s+/).some((id) => {
        const target = id && document.getElementById(id);
        return target && target.textContent.trim();
      })
      || (el.getAttribute("title") || "").trim();
    return !labelled;
  })
  .map((el) => el.outerHTML.slice(0, 160))
"""

NAVBAR_STATE = """
() => {
  const toggler = document.querySelector(".navbar-toggler");
  const menu = document.getElementById("mainNav");
  const shown = (el) => !!el && el.getClientRects().length > 0
    && getComputedStyle(el).visibility !== "hidden";
  return {hasNavbar: !!menu, togglerShown: shown(toggler), menuShown: shown(menu)};
}
"""

HORIZONTAL_OVERFLOW = """
() => {
  const root = document.documentElement;
  if (root.scrollWidth <= root.clientWidth) { return null; }
  const escaping = (el) => ["absolute", "fixed"].includes(getComputedStyle(el).position) ? 0 : 1;
  const wide = Array.from(document.body.querySelectorAll("*"))
    .filter((el) => el.getBoundingClientRect().right > root.clientWidth + 1)
    .sort((a, b) => escaping(a) - escaping(b))
    .slice(0, 6)
    .map((el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
      + (el.className && typeof el.className === "string"
         ? "." + el.className.trim().split(/\\s+/).join(".") : ""));
  return {scrollWidth: root.scrollWidth, clientWidth: root.clientWidth, wide};
}
"""

FINITE_ANIMATIONS_DONE = """
() => Promise.all(document.getAnimations()
  .filter((a) => a.effect && a.effect.getComputedTiming().endTime !== Infinity)
  .map((a) => a.finished.catch(() => null)))
"""

AXE_RUN = """
async () => {
  const results = await axe.run(document, {resultTypes: ["violations"]});
  return results.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 3).map((n) => ({
      target: n.target.join(" "), summary: n.failureSummary,
    })),
    count: v.nodes.length,
  }));
}
"""
