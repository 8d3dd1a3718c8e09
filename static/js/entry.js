// The entry form when the network or the session fails (online; the offline outbox is js/offline/).
// Before each save the values are kept in this tab (sessionStorage, never the CSRF token). A save
// that fails — server error, timeout, no connection — says so in words, keeps the form as typed and
// offers one-tap retry. A session that expired while the form was open: the login opens as a page;
// after signing in the kader is sent back here and the values are put back.
(() => {
  const KEY = "entry-draft:";
  const MAX_AGE_MS = 12 * 60 * 60 * 1000;
  const formOf = (el) => (el && el.closest ? el.closest("[data-entry-form]") : null);
  const keyOf = (form) => KEY + new URL(form.action, location.href).pathname;

  const keep = (form) => {
    const values = [];
    new FormData(form).forEach((value, name) => {
      if (name !== "csrfmiddlewaretoken" && typeof value === "string") values.push([name, value]);
    });
    try {
      sessionStorage.setItem(keyOf(form), JSON.stringify({ at: Date.now(), values }));
    } catch (error) { /* storage full or blocked: the form itself still holds the values */ }
  };

  const show = (form, kind) => {
    const box = form.querySelector("[data-entry-problem]");
    if (!box) return;
    box.querySelector("[data-entry-problem-text]").textContent = box.dataset[kind];
    box.querySelector("[data-entry-retry]").hidden = kind === "login";
    box.hidden = false;
    box.scrollIntoView({ block: "center" });
  };
  const hide = (form) => {
    const box = form.querySelector("[data-entry-problem]");
    if (box) box.hidden = true;
  };

  const restore = (form) => {
    let draft = null;
    try {
      draft = JSON.parse(sessionStorage.getItem(keyOf(form)) || "null");
      sessionStorage.removeItem(keyOf(form));
    } catch (error) { return; }
    if (!draft || Date.now() - draft.at > MAX_AGE_MS) return;
    const names = new Set(draft.values.map(([name]) => name));
    form.querySelectorAll("input[type=checkbox], input[type=radio]").forEach((input) => {
      if (names.has(input.name)) input.checked = false;
    });
    draft.values.forEach(([name, value]) => {
      form.querySelectorAll(`[name="${CSS.escape(name)}"]`).forEach((field) => {
        if (field.type === "checkbox" || field.type === "radio") {
          if (field.value === value) field.checked = true;
        } else if (field.type !== "hidden" || name === "version") {
          field.value = value;
        }
      });
    });
    const note = form.querySelector("[data-entry-restored]");
    if (note) note.hidden = false;
  };

  document.addEventListener("submit", (event) => {
    const form = formOf(event.target);
    if (form) { keep(form); hide(form); }
  }, true);
  document.addEventListener("htmx:beforeRequest", (event) => {
    const form = formOf(event.target);
    if (form) { keep(form); hide(form); }
  });
  document.addEventListener("htmx:beforeSwap", (event) => {
    const form = formOf(event.target.querySelector ? event.target.querySelector("[data-entry-form]") : null)
      || formOf(event.detail.requestConfig && event.detail.requestConfig.elt);
    const xhr = event.detail.xhr;
    if (!form || !xhr) return;
    const loginPath = new URL(form.dataset.loginUrl, location.href).pathname;
    const landed = new URL(xhr.responseURL || location.href, location.href);
    if (landed.pathname === loginPath) {
      // The session expired: the request was sent to the login page. Open it as a page, with
      // the way back to this form; the values wait in this tab.
      event.detail.shouldSwap = false;
      show(form, "login");
      const next = new URL(form.action, location.href).pathname;
      location.assign(`${loginPath}?next=${encodeURIComponent(next)}`);
    } else if (xhr.status >= 200 && xhr.status < 300) {
      try { sessionStorage.removeItem(keyOf(form)); } catch (error) { /* nothing kept */ }
    }
  });
  document.addEventListener("htmx:responseError", (event) => {
    const form = formOf(event.detail.elt);
    if (form) show(form, "server");
  });
  document.addEventListener("htmx:sendError", (event) => {
    const form = formOf(event.detail.elt);
    if (form) show(form, "offline");
  });
  document.addEventListener("htmx:timeout", (event) => {
    const form = formOf(event.detail.elt);
    if (form) show(form, "timeout");
  });
  document.addEventListener("click", (event) => {
    const button = event.target.closest && event.target.closest("[data-entry-retry]");
    const form = formOf(button);
    if (form) { hide(form); form.requestSubmit(); }
  });
  document.addEventListener("DOMContentLoaded", () => {
    const form = document.querySelector("[data-entry-form]");
    if (form && !form.querySelector(".is-invalid, [data-implausible]")) restore(form);
  });
})();
