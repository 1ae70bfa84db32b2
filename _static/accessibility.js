// Small accessibility repairs to the theme's markup, each found by axe-core in the
// browser tests (tests/browser/test_book_in_browser.py).
document.addEventListener("DOMContentLoaded", () => {
  // The search buttons show "Search Ctrl+K" but are named just "Search": a speech
  // user saying what they see would not match. Let the visible text be the name.
  document.querySelectorAll(".search-button__button[aria-label]")
    .forEach((button) => button.removeAttribute("aria-label"));

  // Folded code cells are named "Toggle hidden content" but show "Show code cell
  // source": let the visible text name them.
  document.querySelectorAll("details.hide > summary[aria-label]")
    .forEach((summary) => summary.removeAttribute("aria-label"));

  // Icons inside named buttons are decoration, not part of the name. Font Awesome
  // turns each <i> into an <svg> with a <title> some time after load, so repeat the
  // repair whenever the page changes.
  const hideIconsInNamedControls = () => {
    document.querySelectorAll("button[aria-label] :is(i, svg), a[aria-label] :is(i, svg)")
      .forEach((icon) => {
        if (icon.getAttribute("aria-hidden") === "true") return;
        icon.setAttribute("aria-hidden", "true");
        icon.removeAttribute("aria-labelledby");
        icon.removeAttribute("title");
        icon.querySelector("title")?.remove();
      });
  };
  hideIconsInNamedControls();
  new MutationObserver(hideIconsInNamedControls)
    .observe(document.body, { childList: true, subtree: true });

  // The sidebar's expand/collapse toggles are <summary> elements holding only an
  // icon: give each a name that says which part of the book it opens.
  document.querySelectorAll("nav summary").forEach((summary) => {
    if (summary.textContent.trim()) return;
    const link = summary.closest("li")?.querySelector(":scope > a");
    const part = link ? link.textContent.trim() : "this part of the book";
    summary.setAttribute("aria-label", `Show or hide the pages of ${part}`);
  });
});
