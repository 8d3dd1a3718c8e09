{% autoescape off %}// Service worker of offline entry (layanan/offline.py::service_worker), served from the site root.
// It caches the offline page (which holds no person's data) and its files, and the WHO tables. It
// never caches other pages: they are per user. The roster and the outbox live in IndexedDB.
"use strict";
const VERSION = "{{ version }}";
const CACHE = "posyandu-offline-" + VERSION;
const SHELL = "{{ shell }}";
const ASSETS = [{% for url in assets %}"{{ url }}", {% endfor %}SHELL];
const LOGOUT = "{{ logout }}";
const DAY_PAGE = /\/kesehatan\/hari-buka\/\d+\/$/;

importScripts("{{ assets.3 }}", "{{ assets.2 }}");

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(ASSETS)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith("posyandu-offline-") && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim())
  );
});

async function networkThenShell(request) {
  try {
    return await fetch(request);
  } catch (error) {
    const cached = await caches.match(SHELL, { ignoreSearch: true });
    if (cached) return cached;
    throw error;
  }
}

async function cacheFirst(request) {
  const cached = await caches.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) (await caches.open(CACHE)).put(request, response.clone());
  return response;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method === "POST" && url.pathname === LOGOUT) {
    // Signing out: the rosters (personal data) leave the phone; the outbox stays until it is sent.
    event.respondWith(self.PosyanduStore.clearRosters().catch(() => null).then(() => fetch(request)));
    return;
  }
  if (request.method !== "GET") return;
  if (request.mode === "navigate" && (url.pathname === SHELL || DAY_PAGE.test(url.pathname))) {
    // Online: the server's page (a fresh one). Without signal: the offline page, which reads the day's
    // id from the address and the roster from the phone.
    event.respondWith(networkThenShell(request));
    return;
  }
  if (ASSETS.includes(url.pathname) || url.pathname.startsWith("/kesehatan/offline/who/")) {
    event.respondWith(cacheFirst(request));
  }
});
{% endautoescape %}
