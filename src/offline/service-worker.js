/**
 * The service worker that keeps the playground working offline once it has loaded.
 *
 * The build (vite.config.ts, `offlineCache`) writes it out as `sw.js` beside index.html, with
 * two constants in front: VERSION, a hash of the build, and FILES, every file the build emitted
 * (relative to this script). Installing caches them all, so a lazy panel never opened online
 * still opens offline; a new build is a new VERSION, whose install replaces the old cache.
 *
 * Fetching: the page itself goes to the network first (a new build shows at once) and falls back
 * to the cache; the other files have content-hashed names and come from the cache first.
 * Only this site's own GET requests are touched.
 */
/* global VERSION, FILES */

const CACHE = `routing-playground-${VERSION}`;
const scope = new URL(self.registration.scope);
const PAGE = new URL('./', scope).href;

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll([PAGE, ...FILES.map((file) => new URL(file, scope).href)]))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((name) => name.startsWith('routing-playground-') && name !== CACHE).map((name) => caches.delete(name))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET' || !request.url.startsWith(scope.href)) return;
  if (request.mode === 'navigate') event.respondWith(pageFirstFromNetwork(request));
  else event.respondWith(fromCacheFirst(request));
});

async function pageFirstFromNetwork(request) {
  try {
    const response = await fetch(request);
    if (response.ok) (await caches.open(CACHE)).put(PAGE, response.clone());
    return response;
  } catch (error) {
    const cached = await caches.match(PAGE);
    if (cached) return cached;
    throw error;
  }
}

async function fromCacheFirst(request) {
  const cached = await caches.match(request, { ignoreSearch: true });
  return cached ?? fetch(request);
}
