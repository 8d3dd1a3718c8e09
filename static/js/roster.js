// Filter the opening-day roster by name as the kader types (no server round trip).
document.addEventListener("DOMContentLoaded", () => {
  const input = document.querySelector("[data-roster-filter]");
  if (!input) return;
  input.addEventListener("input", () => {
    const term = input.value.trim().toLowerCase();
    document.querySelectorAll(".roster-row").forEach((row) => {
      row.hidden = term !== "" && !row.dataset.name.includes(term);
    });
    if (term !== "") {
      document.querySelectorAll("[data-roster-section]").forEach((section) => { section.open = true; });
    }
  });
});
