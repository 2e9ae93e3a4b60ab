// Reviewers' forms: "Use selection" copies the words last selected in the article text (with the mouse, or
// with the keyboard using caret browsing) into the form, with their character offsets; the speaker search
// boxes suggest known speakers from /api/speakers. Without this script the forms still work: the server
// finds typed words in the article and looks up typed speaker names.
(function () {
  "use strict";
  const text = document.getElementById("article-text");
  let chosen = null;

  function offsetIn(node, offset) {
    const range = document.createRange();
    range.setStart(text, 0);
    range.setEnd(node, offset);
    return range.toString().length;
  }

  if (text) {
    document.addEventListener("selectionchange", () => {
      const selection = window.getSelection();
      if (!selection.rangeCount || selection.isCollapsed) return;
      const range = selection.getRangeAt(0);
      if (!text.contains(range.startContainer) || !text.contains(range.endContainer)) return;
      const words = range.toString();
      if (!words.trim()) return;
      chosen = { words: words, start: offsetIn(range.startContainer, range.startOffset) };
      chosen.end = chosen.start + words.length;
    });
  }

  document.querySelectorAll(".selection-field").forEach((field) => {
    const words = field.querySelector("[data-words]");
    const start = field.querySelector("[data-start]");
    const end = field.querySelector("[data-end]");
    const button = field.querySelector(".use-selection");
    if (!text) return;
    button.hidden = false;
    button.addEventListener("click", () => {
      if (!chosen) return;
      words.value = chosen.words.trim();
      const lead = chosen.words.length - chosen.words.trimStart().length;
      start.value = chosen.start + lead;
      end.value = chosen.start + lead + words.value.length;
    });
    words.addEventListener("input", () => { start.value = ""; end.value = ""; });
  });

  const options = document.getElementById("speaker-options");
  if (!options) return;
  let pending = null;
  document.querySelectorAll("[data-speaker-search]").forEach((box) => {
    box.addEventListener("input", () => {
      clearTimeout(pending);
      const query = box.value.trim();
      if (query.length < 2) return;
      pending = setTimeout(() => {
        fetch(options.dataset.api + "?" + new URLSearchParams({ q: query, per_page: "10" }), { credentials: "same-origin" })
          .then((response) => (response.ok ? response.json() : { items: [] }))
          .then((found) => {
            options.replaceChildren(...found.items.map((speaker) => {
              const option = document.createElement("option");
              option.value = speaker.id;
              option.textContent = speaker.name + " (" + speaker.quotation_count + ")";
              return option;
            }));
          });
      }, 200);
    });
  });
})();
