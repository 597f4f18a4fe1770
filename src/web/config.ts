/**
 * Where the page finds endpoints.json, so one static build runs anywhere:
 *
 * 1. `?directory=URL` in the page's address (for trying a build against any deployment);
 * 2. else `directory` in `config.json` next to index.html (what a host or CDN edits:
 *    `{"directory": "https://cdn.example.com/endpoints.json"}`); relative URLs are
 *    read against config.json's own address;
 * 3. else `endpoints.json` next to the page — which is where `filmgrain start` serves it.
 */
export interface WebConfig {
  directory: string;
}

export async function loadConfig(page: URL, fetchFn: typeof fetch): Promise<WebConfig> {
  const given = page.searchParams.get('directory');
  if (given !== null && given !== '') return { directory: new URL(given, page).href };
  const at = new URL('config.json', page);
  try {
    const res = await fetchFn(at, { cache: 'no-cache' });
    if (res.ok) {
      const body: unknown = await res.json();
      const directory = (body as { directory?: unknown } | null)?.directory;
      if (typeof directory === 'string' && directory !== '')
        return { directory: new URL(directory, at).href };
    }
  } catch {
    // No config.json (or not JSON): the default below.
  }
  return { directory: new URL('endpoints.json', page).href };
}
