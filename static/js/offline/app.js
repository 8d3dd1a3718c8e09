// Offline entry of the opening day (templates/layanan/offline/app.html).
// The roster comes from the server when there is signal and is kept on the phone; every visit goes to
// the outbox on the phone first (with an id made here) and is sent when there is signal, on the
// "online" event or on the button. The server answers per record: stored, already stored, or refused
// with a reason the kader can act on (fix or discard). Nothing typed is dropped silently.
(function () {
  "use strict";
  const body = document.body;
  const T = JSON.parse(document.getElementById("offline-strings").textContent);
  const S = self.PosyanduStore;
  const G = self.PosyanduGrowth;
  const N = self.PosyanduNumbers;
  const BATCH = 50;
  const $ = (id) => document.getElementById(id);
  const fmt = (template, values) => template.replace(/%\((\w+)\)s/g, (_m, key) => values[key]);
  const comma = (value) => String(value).replace(".", ",");

  let day = null; // {id, savedAt, data}
  let who = null;
  let syncing = false;

  function el(tag, attrs = {}, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs)) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "text") node.textContent = value;
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? "" : value);
    }
    for (const child of children) if (child) node.append(child);
    return node;
  }

  function dayIdFromAddress() {
    const fromQuery = new URLSearchParams(location.search).get("hari_buka");
    const fromPath = location.pathname.match(/\/hari-buka\/(\d+)\//);
    const id = Number(fromQuery || (fromPath && fromPath[1]));
    return Number.isInteger(id) && id > 0 ? id : null;
  }

  async function getJSON(url) {
    const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
    const type = response.headers.get("Content-Type") || "";
    const data = type.includes("application/json") ? await response.json() : null;
    return { status: response.status, ok: response.ok && data !== null, data };
  }

  // ---------------------------------------------------------------------------------------------
  // Status bar: always visible, what waits and when the phone last synchronised
  async function renderStatus() {
    const records = await S.outbox();
    const count = records.length;
    const badge = $("outbox-count");
    badge.dataset.count = String(count);
    badge.textContent = count ? fmt(T.waiting, { n: count }) : T.all_sent;
    const last = await S.meta("lastSync");
    $("last-sync").textContent = last
      ? fmt(T.last_sync, { time: new Date(last).toLocaleString("id-ID", { dateStyle: "short", timeStyle: "short" }) })
      : T.never_synced;
    const net = $("net-status");
    net.textContent = navigator.onLine ? T.online : T.offline;
    net.className = "badge " + (navigator.onLine ? "text-bg-success" : "text-bg-warning");
    renderRefusals(records.filter((r) => r.status === "refused"));
  }

  function notice(message, link) {
    const box = $("notice");
    box.replaceChildren();
    if (!message) return;
    box.append(
      el("div", { class: "alert alert-warning d-flex flex-wrap gap-2 align-items-center" },
        el("span", { text: message, class: "me-auto" }),
        link ? el("a", { class: "btn btn-primary btn-sm", href: link.href, text: link.text }) : null)
    );
  }

  function loginNotice() {
    const next = location.pathname + location.search;
    notice(T.login_again, { href: body.dataset.loginUrl + "?next=" + encodeURIComponent(next), text: T.login });
  }

  // ---------------------------------------------------------------------------------------------
  // Refused records, one by one, with the reason and a fix or a discard
  function renderRefusals(refused) {
    const section = $("refusals");
    section.hidden = refused.length === 0;
    section.replaceChildren();
    if (!refused.length) return;
    section.append(el("h2", { class: "h5 text-danger", text: T.refusals_title }));
    for (const record of refused) {
      const errors = Object.entries(record.refusal.errors || {}).map(([name, messages]) => {
        const label = day && day.data.fields[name] ? day.data.fields[name].label : name;
        return el("li", { text: `${label}: ${messages.join(" ")}` });
      });
      section.append(
        el("div", { class: "card mb-2 border-danger", "data-refusal": record.id, "data-code": record.refusal.code },
          el("div", { class: "card-body p-2" },
            el("div", { class: "fw-semibold", text: record.name }),
            el("p", { class: "mb-1 small", text: record.refusal.message }),
            errors.length ? el("ul", { class: "small mb-1" }, ...errors) : null,
            el("div", { class: "d-flex gap-2" },
              record.refusal.code === "possible_duplicate"
                ? el("button", { type: "button", class: "btn btn-outline-primary btn-sm", text: T.confirm_new, onclick: () => confirmNew(record) })
                : null,
              record.type === "warga" || ["month_locked", "moved", "not_found", "possible_duplicate"].includes(record.refusal.code)
                ? null
                : el("button", { type: "button", class: "btn btn-outline-primary btn-sm", text: T.fix, onclick: () => openEntry(record.warga || "c:" + record.warga_client, record) }),
              el("button", { type: "button", class: "btn btn-outline-danger btn-sm", text: T.discard, onclick: () => discard(record) })))));
    }
  }

  async function confirmNew(record) {
    record.data.confirm_new = "on";
    record.status = "pending";
    delete record.refusal;
    await S.put(record);
    await sync();
  }

  async function discard(record) {
    if (!window.confirm(fmt(T.discard_confirm, { name: record.name }))) return;
    await S.remove(record.id);
    await renderAll();
  }

  // ---------------------------------------------------------------------------------------------
  // The day's roster
  async function loadDay() {
    await S.dropOldRosters(Number(body.dataset.rosterDays || 2));
    const id = dayIdFromAddress();
    if (id && navigator.onLine) {
      try {
        const session = await getJSON(body.dataset.sessionUrl);
        if (session.ok) await S.setMeta("user", session.data.user);
        const answer = await getJSON(body.dataset.dayUrl.replace("/0/", `/${id}/`));
        if (answer.status === 401) loginNotice();
        if (answer.ok) {
          day = { id, savedAt: Date.now(), data: answer.data };
          await S.saveDay(day);
        }
      } catch (error) {
        /* no signal: the copy on the phone */
      }
    }
    if (!day) {
      const days = await S.days();
      day = (id ? days.find((d) => d.id === id) : days.sort((a, b) => b.savedAt - a.savedAt)[0]) || null;
    }
    if (day) await loadWho(day.data.who);
  }

  async function loadWho(url) {
    const stored = await S.meta("who");
    if (stored && stored.url === url) {
      who = stored.tables;
      return;
    }
    try {
      const answer = await getJSON(url);
      if (answer.ok) {
        who = answer.data;
        await S.setMeta("who", { url, tables: who });
      }
    } catch (error) {
      who = stored ? stored.tables : null;
    }
  }

  const isFor = (record, person) =>
    record.hari_buka === day.id && (record.warga === person.id || (person.client && record.warga_client === person.client));

  function personState(person, outbox) {
    const registration = person.client ? outbox.find((r) => r.type === "warga" && r.id === person.client) : null;
    if (registration && registration.status === "refused") return ["refused", T.refused, "text-bg-danger"];
    const record = outbox.find((r) => r.type !== "warga" && isFor(r, person));
    if (record) return record.status === "refused" ? ["refused", T.refused, "text-bg-danger"] : ["pending", T.saved_on_phone, "text-bg-warning"];
    if (person.done) return ["done", T.done + (person.done.growth_code ? " · " + person.done.growth_code : ""), "text-bg-success"];
    return ["todo", T.not_yet, "text-bg-light border"];
  }

  // Each keystroke in the search and each sync draw the roster; only the latest drawing is shown
  // (two drawings waiting on the outbox at once once showed every person twice).
  let rosterDrawing = 0;

  async function renderRoster() {
    const ticket = ++rosterDrawing;
    const outbox = day ? await S.outbox() : [];
    if (ticket !== rosterDrawing) return;
    const roster = $("roster");
    if (!day) {
      $("day-title").textContent = "";
      roster.replaceChildren(el("p", { class: "alert alert-info", text: T.no_day }));
      return;
    }
    const info = day.data.hari_buka;
    $("day-title").textContent = info.posyandu;
    $("day-subtitle").textContent = `${new Date(info.date + "T00:00").toLocaleDateString("id-ID", { dateStyle: "full" })} · ${fmt(T.prepared, { n: day.data.people.length })}`;
    const nodes = [el("button", { type: "button", class: "btn btn-outline-primary w-100 mb-2", id: "new-person", text: T.new_person, onclick: () => openNewPerson() })];
    const fold = PosyanduRoster.fold; // the online roster's matching (static/js/roster.js)
    const term = fold($("roster-search").value);
    let stage = null;
    let list = null;
    for (const person of day.data.people) {
      if (term && !fold(person.search || [person.name, person.mother].join(" ")).includes(term)) continue;
      if (person.stage !== stage) {
        stage = person.stage;
        list = el("div", { class: "list-unstyled" });
        nodes.push(el("h2", { class: "h6 mt-3 mb-1", text: day.data.stage_labels[stage] }), list);
      }
      const [state, label, badgeClass] = personState(person, outbox);
      const detail = [person.client ? T.new : "", person.age, person.kia ? `KIA ${person.kia}` : "", person.mother ? `ibu ${person.mother}` : "", person.gestational_weeks ? `hamil ${person.gestational_weeks} minggu` : ""].filter(Boolean).join(" · ");
      list.append(
        el("div", { class: "person-row d-flex align-items-center gap-2 border rounded p-1", "data-person": person.id, "data-state": state },
          el("button", { type: "button", class: "btn btn-person", disabled: state === "done" || state === "pending", onclick: () => openEntry(person.id) },
            el("span", { class: "fw-semibold d-block", text: person.name }),
            el("span", { class: "small text-body-secondary", text: detail })),
          el("span", { class: "badge " + badgeClass, text: label })));
    }
    if (term && !list) nodes.push(el("p", { class: "text-body-secondary", "data-no-match": true, text: T.no_match }));
    roster.replaceChildren(...nodes);
  }

  // ---------------------------------------------------------------------------------------------
  // One person's entry, as the online form
  function fieldInput(name, spec, value, person) {
    const id = "f-" + name;
    const label = el("label", { class: "form-label", for: id, text: spec.label });
    switch (spec.kind) {
      case "BooleanField":
        return el("div", { class: "form-check mb-2" },
          el("input", { class: "form-check-input", type: "checkbox", id, name, checked: value === "on" }),
          el("label", { class: "form-check-label", for: id, text: name === "vitamin_a" && person.capsule ? `${spec.label} — ${day.data.capsules[person.capsule]}` : spec.label }));
      case "MultipleChoiceField": {
        const allowed = name === "antigens" ? person.antigen_choices || [] : spec.choices.map((c) => c[0]);
        const labels = Object.fromEntries(spec.choices);
        const chosen = new Set(value || []);
        return el("fieldset", { class: "mb-2" }, el("legend", { class: "form-label fs-6", text: spec.label }),
          ...allowed.map((code) => el("div", { class: "form-check" },
            el("input", { class: "form-check-input", type: "checkbox", id: `${id}-${code}`, name, value: code, checked: chosen.has(code) }),
            el("label", { class: "form-check-label", for: `${id}-${code}`, text: labels[code] + ((person.due_antigens || []).includes(code) ? " ★" : "") }))));
      }
      case "ChoiceField":
      case "NullBooleanField": {
        const choices = spec.kind === "NullBooleanField" ? [["", T.not_asked], ["true", T.yes], ["false", T.no]] : spec.choices;
        const initial = value !== undefined ? value : name === "position" ? person.position : "";
        const select = el("select", { class: "form-select", id, name },
          ...choices.map(([code, text]) => el("option", { value: code, text, selected: String(code) === String(initial) })));
        return el("div", { class: "mb-2" }, label, select);
      }
      default: {
        const decimal = spec.kind === "LocalDecimalField";
        const numeric = spec.kind === "AsciiIntegerField";
        const input = el("input", {
          class: "form-control", id, name, type: "text", value: value || (name === "gestational_weeks" && person.gestational_weeks ? person.gestational_weeks : ""),
          inputmode: decimal ? "decimal" : numeric ? "numeric" : null, autocomplete: "off",
        });
        const help = name === "weight_kg" && person.last ? el("div", { class: "form-text", text: fmt(T.last_weight, { kg: comma(person.last.weight_kg) }) }) : null;
        return el("div", { class: "mb-2" }, label, input, help);
      }
    }
  }

  // Marks each number the online form would refuse; true when there is none.
  function checkNumbers(form, person, data) {
    let fine = true;
    for (const name of person.fields) {
      const spec = day.data.fields[name];
      const input = form.elements[name];
      if (!spec || !spec.number || !input || !input.classList) continue;
      const problem = data[name] === undefined ? null : N.problem(data[name], spec.number, { decimal: spec.kind === "LocalDecimalField", stage: person.stage });
      markProblem(input, problem);
      if (problem && fine) input.focus();
      fine = fine && !problem;
    }
    return fine;
  }

  function markProblem(input, problem) {
    input.classList.toggle("is-invalid", Boolean(problem));
    const feedback = input.parentElement.querySelector(".invalid-feedback");
    if (feedback) feedback.remove();
    if (problem) input.after(el("div", { class: "invalid-feedback", text: problem }));
  }

  // A second tap while the first is being kept (a double tap, a slow phone) keeps nothing twice.
  async function once(form, keepIt) {
    if (form.dataset.saving) return;
    form.dataset.saving = "1";
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    try {
      await keepIt();
    } finally {
      delete form.dataset.saving;
      button.disabled = false;
    }
  }

  function readForm(form, person) {
    const data = {};
    for (const name of person.fields) {
      const spec = day.data.fields[name];
      if (spec.kind === "BooleanField") {
        if (form.elements[name] && form.elements[name].checked) data[name] = "on";
      } else if (spec.kind === "MultipleChoiceField") {
        const values = [...form.querySelectorAll(`input[name="${name}"]:checked`)].map((i) => i.value);
        if (values.length) data[name] = values;
      } else if (form.elements[name]) {
        const value = form.elements[name].value.trim();
        if (value !== "") data[name] = value;
      }
    }
    if (form.elements.confirm_implausible && form.elements.confirm_implausible.checked) data.confirm_implausible = "on";
    return data;
  }

  function phoneResult(person, data) {
    if (person.stage !== "balita" || !who) return null;
    const growth = G.balitaGrowth(who, { sex: person.sex, ageDays: person.age_days, weight: data.weight_kg, height: data.height_cm, position: data.position || "" });
    growth.gain = G.weightGain(who, { ageMonths: person.age_months, weight: data.weight_kg, last: person.last, lastIsPreviousMonth: person.last_month });
    return growth;
  }

  function resultBlock(person, result, title) {
    const rows = [];
    const labels = who ? who.categories : {};
    for (const index of ["wfa", "lhfa", "wflh"]) {
      const z = result.z[index];
      if (z === null || z === undefined) continue;
      rows.push(el("li", { class: "result-z", "data-index": index },
        `${T.indices[index]}: z ${comma(z.toFixed(2))} — ${(labels[index] || {})[result.cat[index]] || result.cat[index]}`));
    }
    if (result.gain && result.gain.code) {
      const code = result.gain.twoT ? "2T" : result.gain.code;
      rows.push(el("li", { "data-growth": code }, `${code}: ${T.growth_codes[result.gain.code]}${result.gain.gain !== null ? ` (${result.gain.gain > 0 ? "+" : ""}${result.gain.gain} g)` : ""}`));
    }
    return el("div", { class: "card mb-2" }, el("div", { class: "card-body p-2" },
      el("h3", { class: "h6", text: title }), el("ul", { class: "mb-0" }, ...rows)));
  }

  // What is typed in the entry form is kept on the phone as it is typed (meta "draft"), so a reload, a
  // closed tab or a flat battery before Simpan loses nothing: the page opens that entry again with it.
  // Simpan (the record is then in the outbox) or "Kembali ke daftar" ends the draft.
  // The writes one after another, in the order typed (a "change" as the field loses focus to the
  // Kembali button comes just before that button ends the draft).
  let draftWrites = Promise.resolve();
  function writeDraft(value) {
    draftWrites = draftWrites.then(() => S.setMeta("draft", value)).catch(() => null);
    return draftWrites;
  }

  function keepDraft(person, form, record) {
    if (form.dataset.ended) return draftWrites;
    return writeDraft({ day: day.id, person: person.id, record: record ? record.id : null, data: readForm(form, person) });
  }

  const NEW_PERSON = "new"; // the draft of a newborn or newcomer being registered
  const NEW_PERSON_FIELDS = ["name", "sex", "birth_date", "mother", "mother_name", "birth_weight_kg"];

  function keepNewPersonDraft(form) {
    if (form.dataset.ended) return draftWrites;
    const data = Object.fromEntries(NEW_PERSON_FIELDS.map((name) => [name, form.elements[name].value]));
    return writeDraft({ day: day.id, person: NEW_PERSON, record: null, data });
  }

  function endDraft(form) {
    form.dataset.ended = "1";
    return writeDraft(null);
  }

  async function reopenDraft() {
    const draft = await S.meta("draft");
    if (!draft || !day || draft.day !== day.id) return;
    if (draft.person === NEW_PERSON) return openNewPerson(draft.data);
    if (!day.data.people.some((p) => p.id === draft.person)) return;
    const record = draft.record ? (await S.outbox()).find((r) => r.id === draft.record) || null : null;
    openEntry(draft.person, record, draft.data);
  }

  function openEntry(personId, record = null, draft = null) {
    const person = day.data.people.find((p) => p.id === personId);
    if (!person) return;
    const view = $("entry-view");
    const values = draft || (record ? record.data : {});
    const form = el("form", { novalidate: true, id: "entry-form" });
    for (const name of person.fields) {
      const spec = day.data.fields[name];
      if (spec) form.append(fieldInput(name, spec, values[name], person));
    }
    const problems = el("div", { id: "entry-problems" });
    form.append(problems);
    form.append(el("div", { class: "d-flex gap-2 mt-2" },
      el("button", { type: "submit", class: "btn btn-primary flex-grow-1", text: T.save }),
      el("button", { type: "button", class: "btn btn-outline-secondary", text: T.back, onclick: () => endDraft(form).then(showRoster) })));
    form.addEventListener("input", () => keepDraft(person, form, record));
    form.addEventListener("change", () => keepDraft(person, form, record));
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      save(person, form, record);
    });
    view.replaceChildren(
      el("h2", { class: "h5 mb-0", text: person.name }),
      el("p", { class: "small text-body-secondary", text: `${day.data.stage_labels[person.stage]} · ${person.age}` }),
      ...(draft ? [el("div", { class: "alert alert-info py-2", "data-draft": true, text: T.draft_restored })] : []),
      form);
    if (record && record.refusal) problems.append(el("div", { class: "alert alert-danger", text: record.refusal.message }));
    $("roster-view").hidden = true;
    view.hidden = false;
    window.scrollTo(0, 0);
  }

  // An implausible value in the online entry screen's words (includes/entry_form.html): what is wrong
  // and what to do, then how to confirm, then the z-scores for staff.
  function implausibleBlock(person, data, result) {
    const typed = { sex: person.sex, ageDays: person.age_days, ageMonths: person.age_months, weight: data.weight_kg, height: data.height_cm };
    const sentences = G.implausibleAdvice(who, T.implausible, T.ages, result, typed);
    return el("div", { class: "alert alert-warning", role: "alert", "data-implausible": true },
      ...(sentences.length ? sentences : [T.implausible.fallback]).map((text) => el("p", { class: "fw-semibold mb-1", text })),
      el("p", { class: "mb-1", text: T.implausible.confirm }),
      el("p", { class: "small mb-0", text: G.implausibleZText(T.implausible, T.indices, result) }));
  }

  function save(person, form, previous) {
    return once(form, () => keep(person, form, previous));
  }

  async function keep(person, form, previous) {
    const data = readForm(form, person);
    const problems = $("entry-problems");
    problems.replaceChildren();
    if (!checkNumbers(form, person, data)) return;
    if (person.stage === "balita" && !data.weight_kg && !data.height_cm) {
      problems.append(el("div", { class: "alert alert-danger", text: T.required_balita }));
      return;
    }
    const result = phoneResult(person, data);
    if (result && result.implausible.length && !data.confirm_implausible) {
      problems.append(implausibleBlock(person, data, result),
        el("div", { class: "form-check mb-3 p-2 border border-warning rounded" },
          el("input", { class: "form-check-input ms-0 me-2", type: "checkbox", id: "f-confirm", name: "confirm_implausible" }),
          el("label", { class: "form-check-label fw-semibold", for: "f-confirm", text: day.data.fields.confirm_implausible.label })));
      problems.scrollIntoView({ block: "nearest" });
      return;
    }
    // One record per person and opening day: an entry opened again for someone already kept on the
    // phone (the "next" button, a second tab) replaces that record instead of adding a second visit.
    const kept = previous || (await S.outbox()).find((r) => r.type !== "warga" && isFor(r, person)) || null;
    previous = kept;
    const record = {
      id: previous ? previous.id : S.newId(),
      type: "kunjungan",
      hari_buka: day.id,
      warga: typeof person.id === "number" ? person.id : null,
      warga_client: person.client || null,
      name: person.name,
      data,
      status: "pending",
      user: (await S.meta("user")) || null,
      created: previous ? previous.created : Date.now(),
    };
    await S.put(record);
    await endDraft(form);
    await showResult(person, result);
    await renderStatus();
    if (navigator.onLine) sync();
  }

  // ---------------------------------------------------------------------------------------------
  // A newborn or a newcomer under five, registered on the phone (sent before their visits)
  function utcDays(iso) {
    const [y, m, d] = iso.split("-").map(Number);
    return Date.UTC(y, m - 1, d) / 86400000;
  }

  function completedMonths(birth, on) {
    const [by, bm, bd] = birth.split("-").map(Number);
    const [oy, om, od] = on.split("-").map(Number);
    return (oy - by) * 12 + (om - bm) - (od < bd ? 1 : 0);
  }

  function openNewPerson(draft = null) {
    const view = $("entry-view");
    const mothers = day.data.people.filter((p) => p.sex === "P" && ["ibu_hamil", "usia_produktif", "remaja"].includes(p.stage));
    const input = (name, label, attrs = {}) => el("div", { class: "mb-2" },
      el("label", { class: "form-label", for: "n-" + name, text: label }),
      el("input", { class: "form-control", id: "n-" + name, name, autocomplete: "off", ...attrs }));
    const form = el("form", { novalidate: true, id: "new-person-form" },
      input("name", T.name, { type: "text", required: true }),
      el("div", { class: "mb-2" }, el("label", { class: "form-label", for: "n-sex", text: T.sex }),
        el("select", { class: "form-select", id: "n-sex", name: "sex" },
          ...Object.entries(day.data.sexes).map(([code, text]) => el("option", { value: code, text })))),
      input("birth_date", T.birth_date, { type: "date", max: day.data.hari_buka.date, required: true }),
      el("div", { class: "mb-2" }, el("label", { class: "form-label", for: "n-mother", text: T.mother }),
        el("select", { class: "form-select", id: "n-mother", name: "mother" },
          el("option", { value: "", text: T.mother_other }),
          ...mothers.map((m) => el("option", { value: String(m.id), text: m.name })))),
      input("mother_name", T.mother_name, { type: "text" }),
      input("birth_weight_kg", T.birth_weight, { type: "text", inputmode: "decimal" }),
      el("div", { id: "new-person-problems" }),
      el("div", { class: "d-flex gap-2 mt-2" },
        el("button", { type: "submit", class: "btn btn-primary flex-grow-1", text: T.save }),
        el("button", { type: "button", class: "btn btn-outline-secondary", text: T.back, onclick: () => endDraft(form).then(showRoster) })));
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      once(form, () => saveNewPerson(form));
    });
    for (const name of NEW_PERSON_FIELDS) if (draft && draft[name]) form.elements[name].value = draft[name];
    form.addEventListener("input", () => keepNewPersonDraft(form));
    form.addEventListener("change", () => keepNewPersonDraft(form));
    view.replaceChildren(el("h2", { class: "h5", text: T.new_person_title }),
      ...(draft ? [el("div", { class: "alert alert-info py-2", "data-draft": true, text: T.draft_restored })] : []),
      form);
    $("roster-view").hidden = true;
    view.hidden = false;
  }

  async function saveNewPerson(form) {
    const value = (name) => form.elements[name].value.trim();
    const birth = value("birth_date");
    const on = day.data.hari_buka.date;
    const ageDays = birth ? utcDays(on) - utcDays(birth) : -1;
    if (!value("name") || !birth || ageDays < 0 || ageDays > 1826) {
      $("new-person-problems").replaceChildren(el("div", { class: "alert alert-danger", text: T.new_person_required }));
      return;
    }
    $("new-person-problems").replaceChildren();
    // The birth weight checked as the server's form checks it (sync.NewPersonForm): a refused
    // registration could only be discarded, and the baby typed again.
    const checks = (day.data.new_person_numbers || {}).birth_weight_kg;
    const weightProblem = checks && value("birth_weight_kg") ? N.problem(value("birth_weight_kg"), checks, { decimal: true, stage: "balita" }) : null;
    markProblem(form.elements.birth_weight_kg, weightProblem);
    if (weightProblem) return;
    const id = S.newId();
    const data = { name: value("name"), sex: value("sex"), birth_date: birth };
    for (const name of ["mother", "mother_name", "birth_weight_kg"]) if (value(name)) data[name] = value(name);
    const mother = day.data.people.find((p) => String(p.id) === data.mother);
    await S.put({ id, type: "warga", hari_buka: day.id, name: data.name, data, status: "pending", user: (await S.meta("user")) || null, created: Date.now() });
    await endDraft(form);
    const months = completedMonths(birth, on);
    const drop = new Set(["vitamin_a", months < 6 ? "deworming" : "exclusive_breastfeeding"]);
    const person = {
      id: "c:" + id, client: id, name: data.name, sex: data.sex, birth, stage: "balita",
      age_days: ageDays, age_months: months, age: months < 1 ? `${ageDays} hari` : G.formatAge(T.ages, months),
      mother: mother ? mother.name : data.mother_name || "",
      fields: day.data.stage_fields.balita.filter((name) => !drop.has(name)),
      antigen_choices: day.data.antigens.map(([code]) => code), due_antigens: [],
      position: who ? G.expectedPosition(who, ageDays) : "",
    };
    day.data.people.unshift(person);
    await S.saveDay(day);
    await renderStatus();
    openEntry(person.id);
  }

  // The next balita or ibu hamil not yet done and not already kept on the phone.
  function nextPerson(after, outbox) {
    const people = day.data.people.filter((p) => p.stage === "balita" || p.stage === "ibu_hamil");
    const start = people.findIndex((p) => p.id === after.id);
    const waiting = (p) => !p.done && !outbox.some((r) => r.type !== "warga" && isFor(r, p));
    return people.slice(start + 1).concat(people.slice(0, Math.max(start, 0))).find(waiting) || null;
  }

  async function showResult(person, result) {
    const view = $("entry-view");
    const next = nextPerson(person, await S.outbox());
    view.replaceChildren(
      el("h2", { class: "h5", text: person.name }),
      el("div", { class: "alert alert-success", "data-saved": person.id, text: T.saved_on_phone }),
      result ? resultBlock(person, { z: result.z, cat: result.cat, gain: result.gain }, T.phone_result) : null,
      el("div", { class: "d-flex gap-2" },
        next ? el("button", { type: "button", class: "btn btn-primary flex-grow-1", text: `${T.next}: ${next.name}`, onclick: () => openEntry(next.id) }) : null,
        el("button", { type: "button", class: "btn btn-outline-secondary", text: T.back, onclick: showRoster })));
  }

  async function showRoster() {
    $("entry-view").hidden = true;
    $("roster-view").hidden = false;
    await renderRoster();
  }

  // ---------------------------------------------------------------------------------------------
  // Sending the outbox
  async function post(records, token) {
    const response = await fetch(body.dataset.syncUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": token },
      body: JSON.stringify({
        records: records.map(({ id, type, hari_buka, warga, warga_client, data }) => ({ id, type, hari_buka, warga, warga_client, data })),
      }),
    });
    const type = response.headers.get("Content-Type") || "";
    return { status: response.status, data: type.includes("application/json") ? await response.json() : null };
  }

  async function applyResults(results, records) {
    const byId = Object.fromEntries(records.map((r) => [r.id, r]));
    for (const answer of results) {
      const record = byId[answer.id];
      if (!record) continue;
      if (answer.status === "stored" || answer.status === "already") {
        await S.remove(record.id);
        const saved = await S.day(record.hari_buka);
        if (saved) {
          const person = saved.data.people.find((p) =>
            record.type === "warga" ? p.client === record.id : p.id === record.warga || (p.client && p.client === record.warga_client));
          if (person && record.type === "warga") person.server_id = answer.result.warga;
          else if (person) person.done = { growth_code: answer.result.growth_code, pk: answer.result.pk };
          await S.saveDay(saved);
          if (day && day.id === saved.id) day = saved;
        }
      } else {
        record.status = "refused";
        record.refusal = { code: answer.code, message: answer.message, errors: answer.errors || {} };
        await S.put(record);
      }
    }
  }

  async function sync() {
    if (syncing) return;
    syncing = true;
    try {
      // People registered on the phone first: their visits name them.
      const pending = (await S.outbox()).filter((r) => r.status === "pending")
        .sort((a, b) => (a.type === "warga" ? 0 : 1) - (b.type === "warga" ? 0 : 1) || a.created - b.created);
      if (!pending.length) return;
      $("net-status").textContent = T.sending;
      let session = await getJSON(body.dataset.sessionUrl);
      if (session.status === 401 || !session.ok) {
        if (session.status === 401) loginNotice();
        return;
      }
      await S.setMeta("user", session.data.user);
      // Records typed under another login on this phone wait for that login.
      const mine = pending.filter((r) => !r.user || r.user === session.data.user);
      for (let start = 0; start < mine.length; start += BATCH) {
        const chunk = mine.slice(start, start + BATCH);
        let answer = await post(chunk, session.data.csrf);
        if (answer.status === 403 && answer.data && answer.data.error === "csrf") {
          session = await getJSON(body.dataset.sessionUrl); // a fresh token, once
          answer = await post(chunk, session.data.csrf);
        }
        if (answer.status === 401) {
          loginNotice();
          return;
        }
        if (!answer.data || !answer.data.results) {
          notice(fmt(T.send_failed, { reason: answer.status >= 500 ? T.server_error : T.server_refused }));
          return;
        }
        await applyResults(answer.data.results, chunk);
        await S.setMeta("lastSync", Date.now());
      }
      notice(null);
    } catch (error) {
      // A dropped connection, a timeout or a cut-off answer: the records stay in the outbox.
      notice(fmt(T.send_failed, { reason: navigator.onLine ? T.connection_lost : T.offline }));
    } finally {
      syncing = false;
      await renderAll();
    }
  }

  async function renderAll() {
    await renderStatus();
    if (!$("roster-view").hidden) await renderRoster();
  }

  // ---------------------------------------------------------------------------------------------
  async function start() {
    $("roster-search").placeholder = T.search;
    $("roster-search").addEventListener("input", renderRoster);
    $("sync-now").addEventListener("click", sync);
    window.addEventListener("online", () => { renderStatus(); sync(); });
    window.addEventListener("offline", renderStatus);
    if ("serviceWorker" in navigator) navigator.serviceWorker.register(body.dataset.swUrl).catch(() => null);
    await loadDay();
    await renderAll();
    await reopenDraft();
    body.dataset.ready = "1";
    if (navigator.onLine) sync();
  }

  start();
})();
