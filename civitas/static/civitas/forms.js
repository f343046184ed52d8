// The back office's long grouped choices (manage/_grouped_select.html): a filter box that narrows
// the <select multiple> as one types a code or a word, a click that adds or removes one option
// (no Ctrl needed), and the list of what is chosen, each with a Remove button. Without this script
// the grouped select works as it is. The page's words come from the page (the server translates).

function normalise(text) {
  return text.toLocaleLowerCase().normalize("NFD").replace(/\p{M}/gu, "").replace(/\s+/g, " ").trim();
}

function enhance(box) {
  const select = box.querySelector("select[multiple]");
  const filter = box.querySelector(".civitas-choices__filter");
  const chosen = box.querySelector(".civitas-choices__chosen");
  if (!select || !filter || !chosen) return;
  const input = filter.querySelector("input");
  const list = chosen.querySelector("ul");
  const none = chosen.querySelector(".civitas-choices__none");
  const removeWord = list.dataset.remove;
  const how = box.querySelector(".civitas-choices__how");
  if (how) how.hidden = true;
  filter.hidden = false;
  chosen.hidden = false;

  function showChosen() {
    list.replaceChildren();
    for (const option of select.selectedOptions) {
      const item = document.createElement("li");
      const label = option.textContent.trim();
      item.append(document.createTextNode(label + " "));
      const button = document.createElement("button");
      button.type = "button";
      button.className = "civitas-text-button";
      button.textContent = removeWord;
      const hidden = document.createElement("span");
      hidden.className = "govuk-visually-hidden";
      hidden.textContent = " " + label;
      button.append(hidden);
      button.addEventListener("click", () => {
        option.selected = false;
        select.dispatchEvent(new Event("change", { bubbles: true }));
        const next = list.querySelector("button") || select;
        next.focus();
      });
      item.append(button);
      list.append(item);
    }
    none.hidden = select.selectedOptions.length > 0;
  }

  function applyFilter() {
    const words = normalise(input.value).split(" ").filter(Boolean);
    for (const group of select.querySelectorAll("optgroup")) {
      const groupText = normalise(group.label);
      let shown = 0;
      for (const option of group.querySelectorAll("option")) {
        const text = normalise(option.textContent) + " " + groupText;
        option.hidden = !words.every((word) => text.includes(word));
        if (!option.hidden) shown += 1;
      }
      group.hidden = shown === 0;
    }
    for (const option of select.querySelectorAll(":scope > option")) {
      const text = normalise(option.textContent);
      option.hidden = !words.every((word) => text.includes(word));
    }
  }

  // A click toggles one option and keeps the others, as a list of checkboxes would.
  select.addEventListener("mousedown", (event) => {
    const option = event.target.closest("option");
    if (!option || event.ctrlKey || event.metaKey || event.shiftKey) return;
    event.preventDefault();
    const top = select.scrollTop;
    option.selected = !option.selected;
    select.focus();
    select.scrollTop = top;
    select.dispatchEvent(new Event("change", { bubbles: true }));
  });
  select.addEventListener("change", showChosen);
  input.addEventListener("input", applyFilter);
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter") event.preventDefault(); // filtering, not sending the form
  });
  showChosen();
}

for (const box of document.querySelectorAll('[data-module="civitas-choices"]')) enhance(box);

// The rows edited in place (projects/manage/_funding.html, _activities.html): the list comes back
// whole, a refused row with its errors; the cursor goes to what appeared.
document.body.addEventListener("htmx:beforeSwap", () => {
  // htmx "settles" the style attribute of elements kept across a swap, which the site's CSP refuses.
  window.htmx.config.attributesToSettle = ["class", "width", "height"];
});
document.body.addEventListener("htmx:afterSwap", (event) => {
  const section = document.getElementById(event.detail.target.id) || event.detail.target;
  const summary = section.querySelector(".govuk-error-summary");
  const form = section.querySelector(".civitas-row-form");
  if (summary) {
    summary.setAttribute("tabindex", "-1");
    summary.focus();
  } else if (form) {
    const first = form.querySelector("input:not([type=hidden]), select, textarea");
    if (first) first.focus();
  } else {
    const heading = section.querySelector("h2");
    if (heading) {
      heading.setAttribute("tabindex", "-1");
      heading.focus();
    }
  }
});

// "Add another" for a formset's rows (an indicator's targets): a copy of the blank row the page
// carries in a <template>, numbered after the others; the formset's count goes up by one. Without
// this script the page's spare blank rows are there to fill.
for (const button of document.querySelectorAll('[data-module="civitas-add-row"]')) {
  const template = document.getElementById(button.dataset.template);
  const total = document.getElementById(button.dataset.total);
  const body = document.getElementById(button.dataset.rows);
  if (!template || !total || !body) continue;
  button.hidden = false;
  button.addEventListener("click", () => {
    const index = Number(total.value);
    const html = template.innerHTML.replaceAll("__prefix__", String(index)).replaceAll("__number__", String(index + 1));
    const rows = document.createElement("tbody");
    rows.innerHTML = html;
    const row = rows.querySelector("tr");
    body.append(row);
    total.value = String(index + 1);
    row.querySelector("input").focus();
  });
}
