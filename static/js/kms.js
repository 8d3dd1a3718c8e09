// KMS chart: tapping or focusing a point of the child names its age and value under the chart
// (the SVG's <title> only shows on a mouse hover, and a phone has none).
document.addEventListener("DOMContentLoaded", () => {
  const show = (point) => {
    const readout = point.closest(".growth-chart")?.querySelector("[data-kms-readout]");
    if (!readout) return;
    readout.textContent = point.dataset.value;
    point.closest("svg").querySelectorAll(".kms-point.is-chosen").forEach((p) => p.classList.remove("is-chosen"));
    point.classList.add("is-chosen");
  };
  document.querySelectorAll("[data-kms-readout]").forEach((readout) => {
    if (readout.closest(".growth-chart").querySelector(".kms-point")) readout.textContent = readout.dataset.hint;
  });
  document.querySelectorAll(".kms-chart .kms-point").forEach((point) => {
    point.addEventListener("focus", () => show(point));
    point.addEventListener("click", () => show(point));
  });
});
