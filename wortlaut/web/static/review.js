// Reviewers' forms: "Use selection" copies the words last selected in the article text (with the mouse, or
// with the keyboard using caret browsing) into the form, with their character offsets ("Selected words as
// speaker" does that and sends the form: selecting, then one click, sets a speaker); the speaker search
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

  function useChosen(form) {
    const words = form.querySelector("[data-words]");
    words.value = chosen.words.trim();
    const lead = chosen.words.length - chosen.words.trimStart().length;
    form.querySelector("[data-start]").value = chosen.start + lead;
    form.querySelector("[data-end]").value = chosen.start + lead + words.value.length;
  }

  document.querySelectorAll(".selection-field").forEach((field) => {
    const words = field.querySelector("[data-words]");
    const button = field.querySelector(".use-selection");
    if (!text) return;
    button.hidden = false;
    button.addEventListener("click", () => { if (chosen) useChosen(field); });
    words.addEventListener("input", () => {
      field.querySelector("[data-start]").value = "";
      field.querySelector("[data-end]").value = "";
    });
  });

  // One click after selecting: the button takes the selected words and sends the form. Without a selection it
  // sends nothing and puts the cursor into the words field instead (typed words work, with Enter, too).
  document.querySelectorAll("button[data-use-selection]").forEach((button) => {
    const form = button.form;
    const words = form.querySelector("[data-words]");
    if (!text) return;
    button.hidden = false;
    button.addEventListener("click", (event) => {
      if (chosen) {
        useChosen(form);
      } else if (!words.value.trim()) {
        event.preventDefault();
        words.focus();
      }
    });
    words.addEventListener("input", () => {
      form.querySelector("[data-start]").value = "";
      form.querySelector("[data-end]").value = "";
    });
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
