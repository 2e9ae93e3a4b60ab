// Article page: clicking a highlighted passage (or a table row) shows that quotation's details
// and outlines all of its parts in the text. The details are server-rendered; this only toggles them.
// On a narrow screen the details panel is a sheet fixed to the bottom of the viewport, so it is in view
// wherever the tapped quote is; the quote itself is scrolled clear of the sheet.
(function () {
  "use strict";
  const text = document.getElementById("article-text");
  if (!text) return;
  const panel = document.getElementById("details");
  const narrow = window.matchMedia("(max-width: 900px)");
  const segments = Array.from(text.querySelectorAll(".hl"));
  let current = null;

  function idsOf(el) {
    return (el.dataset.q || "").split(" ").filter(Boolean);
  }

  function reveal(el) {
    const box = el.getBoundingClientRect();
    const visibleBottom = narrow.matches ? panel.getBoundingClientRect().top : window.innerHeight;
    if (box.top < 0 || box.bottom > visibleBottom) el.scrollIntoView({ block: narrow.matches ? "start" : "center" });
  }

  function select(id, anchor) {
    const detail = document.getElementById("qd-" + id);
    if (!detail) return;
    current = id;
    document.querySelectorAll(".qdetail").forEach((d) => { d.hidden = d !== detail; });
    document.getElementById("details-placeholder").hidden = true;
    panel.classList.add("open");
    document.body.classList.add("details-open");
    segments.forEach((s) => s.classList.toggle("sel", idsOf(s).includes(id)));
    document.querySelectorAll(".qrow").forEach((r) => r.classList.toggle("active", r.dataset.select === id));
    history.replaceState(null, "", "#q-" + encodeURIComponent(id));
    const target = anchor || segments.find((s) => idsOf(s).includes(id));
    if (target) reveal(target);
  }

  function close() {
    current = null;
    panel.classList.remove("open");
    document.body.classList.remove("details-open");
    segments.forEach((s) => s.classList.remove("sel"));
    document.querySelectorAll(".qrow.active").forEach((r) => r.classList.remove("active"));
  }

  text.addEventListener("click", (event) => {
    const seg = event.target.closest(".hl");
    if (!seg || !window.getSelection().isCollapsed) return; // selecting words (for a correction) is no click
    const ids = idsOf(seg);
    // A second click on a passage inside several quotations steps outwards through them.
    const at = ids.indexOf(current);
    select(at >= 0 ? ids[(at + 1) % ids.length] : seg.dataset.primary, seg);
  });

  document.addEventListener("click", (event) => {
    const link = event.target.closest("[data-select]");
    if (!link || event.target.closest("a:not([data-select])")) return;
    event.preventDefault();
    select(link.dataset.select, null);
  });

  document.addEventListener("keydown", (event) => {
    const row = event.target.closest && event.target.closest(".qrow");
    if (row && (event.key === "Enter" || event.key === " ")) {
      event.preventDefault();
      select(row.dataset.select, null);
    }
    if (event.key === "Escape") close();
  });

  document.getElementById("details-close").addEventListener("click", close);

  if (location.hash.startsWith("#q-")) select(decodeURIComponent(location.hash.slice(3)), null);
})();
