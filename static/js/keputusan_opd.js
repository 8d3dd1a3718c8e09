// The OPD choice of a rakor decision (laporan.forms.KeputusanRowForm): once the decision's field is chosen,
// offer only the OPD serving it (data-opd-by-field: field -> OPD ids); for kelembagaan, or no field yet,
// every OPD grouped by field as the server rendered them. Progressive enhancement: without this script the
// grouped list stays and the server still refuses an OPD of another field.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("select[data-opd-by-field]").forEach((opd) => {
    const field = document.getElementById(opd.dataset.fieldInput);
    if (!field) return;
    const byField = JSON.parse(opd.dataset.opdByField);
    const all = [...opd.children].map((node) => node.cloneNode(true)); // "—", then an optgroup per field
    const options = new Map(); // one option per OPD (an OPD of several fields is under each)
    opd.querySelectorAll("option").forEach((option) => {
      if (option.value && !options.has(option.value)) options.set(option.value, option);
    });
    const narrow = () => {
      const chosen = opd.value;
      const serving = byField[field.value];
      opd.replaceChildren();
      if (!serving) {
        all.forEach((node) => opd.append(node.cloneNode(true)));
      } else {
        const empty = document.createElement("option");
        empty.value = "";
        empty.textContent = serving.length ? "—" : opd.dataset.none;
        opd.append(empty);
        serving.forEach((pk) => {
          const option = options.get(String(pk));
          if (option) opd.append(new Option(option.textContent, option.value));
        });
      }
      // Keep the OPD already chosen when it serves the field; otherwise nothing is chosen.
      opd.value = [...opd.options].some((option) => option.value === chosen) ? chosen : "";
    };
    field.addEventListener("change", narrow);
    // A form shown again (an error, an edit) with its field chosen: narrowed too, unless that would drop the
    // OPD it holds (one carried over from before the check); the server says what is wrong with the pair.
    const held = (byField[field.value] || []).map(String);
    if (field.value && (!opd.value || held.includes(opd.value) || !byField[field.value])) narrow();
  });
});
