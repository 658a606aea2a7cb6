/** The pages' query string: `?nodes=300&dots=1000&seed=…` (dots: the bare page only). */
export function pageParams(): { nodes: number; dots: number; seed: number | undefined } {
  const query = new URLSearchParams(location.search);
  const number = (name: string, fallback: number) => {
    const value = Number(query.get(name) ?? fallback);
    return Number.isFinite(value) && value >= 0 ? value : fallback;
  };
  const seed = query.get('seed');
  return { nodes: number('nodes', 300), dots: number('dots', 0), seed: seed === null ? undefined : Number(seed) };
}

export function appTarget(): HTMLElement {
  const target = document.getElementById('app');
  if (!target) throw new Error('the page has no #app element');
  return target;
}
