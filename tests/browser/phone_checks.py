"""Checks of a page for a phone in a hand: touch targets and text contrast (WCAG 2.x formula)."""

# Controls in the page's content smaller than a thumb. A checkbox or radio counts by its row (the
# label is the target), an inline link inside a sentence is exempt (WCAG 2.5.8's inline exception).
SMALL_TARGETS = """() => [...document.querySelectorAll(
    "#main a, #main button, #main input:not([type=hidden]), #main select, #main summary")]
    .filter((el) => el.offsetParent !== null || el.matches("summary"))
    .filter((el) => el.getClientRects().length > 0)
    .map((el) => el.matches("input[type=checkbox], input[type=radio]") ? el.closest(".form-check") || el : el)
    .filter((el) => !(el.matches("a:not(.btn):not(.tap)") && el.closest("p, .small, td, dd") !== null
                      && !el.closest(".roster-row, .roster-home")))
    .map((el) => { const r = el.getBoundingClientRect();
                   return [el.outerHTML.slice(0, 90), Math.round(r.width), Math.round(r.height)]; })
    .filter(([, w, h]) => h < 44 || w < 44)"""

# Text whose colour against its (blended) background is below 4.5:1.
LOW_CONTRAST = """() => {
  const parse = (c) => { const m = c.match(/rgba?\\(([^)]+)\\)/); if (!m) return null;
    const p = m[1].split(/[ ,\\/]+/).filter(Boolean).map(Number); return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1]; };
  const lum = ([r, g, b]) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
  const blend = (top, bottom) => { const a = top[3];
    return [top[0] * a + bottom[0] * (1 - a), top[1] * a + bottom[1] * (1 - a), top[2] * a + bottom[2] * (1 - a), 1]; };
  const background = (el) => { const layers = [];
    for (let e = el; e; e = e.parentElement) { const c = parse(getComputedStyle(e).backgroundColor);
      if (c && c[3] > 0) { layers.push(c); if (c[3] >= 1) break; } }
    let bg = [255, 255, 255, 1]; for (const layer of layers.reverse()) bg = blend(layer, bg); return bg; };
  const bad = [];
  for (const el of document.querySelectorAll("body *")) {
    if (el.closest("svg, script, style") || el.getClientRects().length === 0) continue;
    if (![...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim())) continue;
    const style = getComputedStyle(el);
    if (style.visibility === "hidden") continue;
    const bg = background(el); const fg = blend(parse(style.color), bg);
    const [l1, l2] = [lum(fg), lum(bg)];
    const ratio = (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
    if (ratio < 4.5) bad.push([el.outerHTML.slice(0, 90), Math.round(ratio * 100) / 100]);
  }
  return bad;
}"""


def assert_phone_friendly(page) -> None:
    """Touch targets of at least 44 × 44 px and text contrast of at least 4.5:1 on the page as shown."""
    page.wait_for_load_state()
    assert page.evaluate(SMALL_TARGETS) == [], "touch targets under 44 px"
    assert page.evaluate(LOW_CONTRAST) == [], "text under 4.5:1 contrast"
