// Filter the opening-day roster as the kader types: by name, mother's name or KIA number (each row's
// data-search, Warga.roster_search). The rows are already on the page, so it costs no request.
// The offline entry page (static/js/offline/app.js) matches its roster with the same ``fold``.
const PosyanduRoster = {
  fold: (text) => text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/\s+/g, " ").trim(),
};

document.addEventListener("DOMContentLoaded", () => {
  const input = document.querySelector("[data-roster-filter]");
  if (!input) return;
  const count = document.querySelector("[data-roster-count]");
  const rows = [...document.querySelectorAll(".roster-row")];
  const sections = [...document.querySelectorAll("[data-roster-section]")];
  const wasOpen = sections.map((section) => section.open);
  const fold = PosyanduRoster.fold;
  const haystacks = rows.map((row) => fold(row.dataset.search || ""));
  const filter = () => {
    const term = fold(input.value);
    let shown = 0;
    rows.forEach((row, index) => {
      const match = term === "" || haystacks[index].includes(term);
      row.hidden = !match;
      if (match) shown += 1;
    });
    sections.forEach((section, index) => {
      const any = section.querySelector(".roster-row:not([hidden])") !== null;
      section.hidden = term !== "" && !any;
      section.open = term === "" ? wasOpen[index] : any;
    });
    if (count) count.textContent = term === "" ? "" : (shown ? `${shown} ${count.dataset.found}` : count.dataset.none);
  };
  input.addEventListener("input", filter);
  if (input.value) filter();  // the browser restored the text after Back
});
