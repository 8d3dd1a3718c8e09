// The phone's storage for offline entry (IndexedDB through the vendored idb 8.0.4), shared by the page
// and the service worker.
//   outbox: the records typed on the phone, by the id the phone gave them, until the server has them.
//           Kept through a logout or an expired session: nothing typed is lost.
//   days:   the day's roster and what each person needs. Personal data: cleared on logout and after
//           the configured number of days.
//   meta:   the last synchronisation time.
(function (root) {
  "use strict";
  const DB_NAME = "posyandu-offline";

  function open() {
    return root.idb.openDB(DB_NAME, 1, {
      upgrade(db) {
        const outbox = db.createObjectStore("outbox", { keyPath: "id" });
        outbox.createIndex("status", "status");
        db.createObjectStore("days", { keyPath: "id" });
        db.createObjectStore("meta");
      },
    });
  }

  function newId() {
    if (root.crypto && root.crypto.randomUUID) return root.crypto.randomUUID();
    const bytes = root.crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const hex = [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }

  const store = {
    newId,
    async outbox() {
      return (await open()).getAll("outbox");
    },
    async put(record) {
      return (await open()).put("outbox", record);
    },
    async remove(id) {
      return (await open()).delete("outbox", id);
    },
    async day(id) {
      return (await open()).get("days", id);
    },
    async days() {
      return (await open()).getAll("days");
    },
    async saveDay(day) {
      return (await open()).put("days", day);
    },
    async meta(key) {
      return (await open()).get("meta", key);
    },
    async setMeta(key, value) {
      return (await open()).put("meta", value, key);
    },
    // The rosters go; the outbox stays (it holds what was typed and not yet sent).
    async clearRosters() {
      return (await open()).clear("days");
    },
    async dropOldRosters(maxDays, now = Date.now()) {
      const db = await open();
      for (const day of await db.getAll("days")) {
        if (now - day.savedAt > maxDays * 86400000) await db.delete("days", day.id);
      }
    },
  };
  root.PosyanduStore = store;
})(self);
