// The help catalog as customers see it, for the operator console: fetched once per language and shared
// by every chat panel in that language. It is public data, so nothing here belongs to a login.

const catalogs = new Map(); // language -> Promise of the catalog

function loadCatalog(language) {
  let loading = catalogs.get(language);
  if (!loading) {
    loading = fetchCatalog(language);
    catalogs.set(language, loading);
    // A failed load is not kept: the next panel or refresh asks again.
    loading.catch(() => {
      if (catalogs.get(language) === loading) catalogs.delete(language);
    });
  }
  return loading;
}

async function fetchCatalog(language) {
  let response;
  try {
    response = await fetch(`/api/help/catalog?language=${encodeURIComponent(language)}`, {
      headers: { Accept: 'application/json' },
    });
  } catch {
    throw new Error('Cannot reach the server.');
  }
  if (!response.ok) throw new Error(`The help catalog could not be loaded (status ${response.status}).`);
  try {
    return await response.json();
  } catch {
    throw new Error('The help catalog could not be read.');
  }
}

/** { category, question } for the question with this id, or null when the catalog has no such question. */
export async function findQuestion(language, questionId) {
  const catalog = await loadCatalog(language);
  for (const category of catalog?.categories ?? []) {
    const question = (category.questions ?? []).find((q) => q.id === questionId);
    if (question) return { category, question };
  }
  return null;
}
