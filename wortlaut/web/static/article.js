// Article page: clicking a highlighted passage (or a table row) shows that quotation's details
// and outlines all of its parts in the text. The details are server-rendered; this only toggles them.
(function () {
  "use strict";
  const text = document.getElementById("article-text");
  if (!text) return;
  const segments = Array.from(text.querySelectorAll(".hl"));
  let current = null;

  function idsOf(el) {
    return (el.dataset.q || "").split(" ").filter(Boolean);
  }

  function select(id, scroll) {
    const detail = document.getElementById("qd-" + id);
    if (!detail) return;
    current = id;
    document.querySelectorAll(".qdetail").forEach((d) => { d.hidden = d !== detail; });
    document.getElementById("details-placeholder").hidden = true;
    segments.forEach((s) => s.classList.toggle("sel", idsOf(s).includes(id)));
    document.querySelectorAll(".qrow").forEach((r) => r.classList.toggle("active", r.dataset.select === id));
    history.replaceState(null, "", "#q-" + encodeURIComponent(id));
    if (scroll) {
      const first = segments.find((s) => idsOf(s).includes(id));
      if (first) first.scrollIntoView({ block: "center" });
    }
  }

  text.addEventListener("click", (event) => {
    const seg = event.target.closest(".hl");
    if (!seg) return;
    const ids = idsOf(seg);
    // A second click on a passage inside several quotations steps outwards through them.
    const at = ids.indexOf(current);
    select(at >= 0 ? ids[(at + 1) % ids.length] : seg.dataset.primary, false);
  });

  document.addEventListener("click", (event) => {
    const link = event.target.closest("[data-select]");
    if (!link || event.target.closest("a:not([data-select])")) return;
    event.preventDefault();
    select(link.dataset.select, true);
  });

  document.addEventListener("keydown", (event) => {
    const row = event.target.closest && event.target.closest(".qrow");
    if (row && (event.key === "Enter" || event.key === " ")) {
      event.preventDefault();
      select(row.dataset.select, true);
    }
  });

  const hash = decodeURIComponent(location.hash.replace(/^#q-/, ""));
  if (hash && location.hash.startsWith("#q-")) select(hash, true);
})();
