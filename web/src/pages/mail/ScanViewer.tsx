import { useEffect, useRef, useState, type KeyboardEvent } from 'react';

const ZOOMS = [0.5, 0.75, 1, 1.25, 1.5, 2, 3];
/** A4 portrait until the page image says otherwise. */
const DEFAULT_RATIO = 297 / 210;

/**
 * The clerk's view of a letter's scan, next to the qualification form: pages, zoom and rotation, with
 * buttons and, when the view has the focus, keys (Page suiv./préc., + and −, 0, R). At 100 % the page
 * fits the column whichever way it is turned; beyond, the view scrolls.
 */
export function ScanViewer({ chrono, pageCount, pageUrl }: { chrono: string; pageCount: number; pageUrl(page: number): string }) {
  const [page, setPage] = useState(1);
  const [zoomIndex, setZoomIndex] = useState(ZOOMS.indexOf(1));
  const [turn, setTurn] = useState(0);
  const [ratio, setRatio] = useState(DEFAULT_RATIO);
  const [width, setWidth] = useState(0);
  const view = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const el = view.current;
    if (!el) return;
    const measure = () => setWidth(el.clientWidth);
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  const zoom = ZOOMS[zoomIndex];
  const goTo = (p: number) => {
    if (p < 1 || p > pageCount) return;
    setPage(p);
    setTurn(0); // each sheet is turned on its own
  };
  const zoomBy = (step: number) => setZoomIndex((i) => Math.max(0, Math.min(ZOOMS.length - 1, i + step)));
  const rotate = () => setTurn((t) => (t + 90) % 360);

  const sideways = turn % 180 !== 0;
  const available = Math.max(width - 2, 100);
  const imageWidth = (sideways ? available / ratio : available) * zoom;
  const imageHeight = imageWidth * ratio;
  const frame = sideways ? { width: imageHeight, height: imageWidth } : { width: imageWidth, height: imageHeight };

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    const actions: Record<string, () => void> = {
      PageDown: () => goTo(page + 1), PageUp: () => goTo(page - 1), '+': () => zoomBy(1), '=': () => zoomBy(1),
      '-': () => zoomBy(-1), '0': () => setZoomIndex(ZOOMS.indexOf(1)), r: rotate, R: rotate,
    };
    const action = actions[e.key];
    if (!action) return;
    e.preventDefault();
    action();
  };

  return (
    <div className="scan-viewer">
      <div className="scan-toolbar" role="toolbar" aria-label={`Numérisation du courrier ${chrono}`}>
        <button type="button" className="button button-secondary" disabled={page <= 1} onClick={() => goTo(page - 1)}>Page précédente</button>
        <button type="button" className="button button-secondary" disabled={page >= pageCount} onClick={() => goTo(page + 1)}>Page suivante</button>
        <button type="button" className="button button-secondary" disabled={zoomIndex === 0} onClick={() => zoomBy(-1)} aria-label="Réduire (touche −)">−</button>
        <button type="button" className="button button-secondary" disabled={zoomIndex === ZOOMS.length - 1} onClick={() => zoomBy(1)} aria-label="Agrandir (touche +)">+</button>
        <button type="button" className="button button-secondary" onClick={() => setZoomIndex(ZOOMS.indexOf(1))}>Pleine largeur</button>
        <button type="button" className="button button-secondary" onClick={rotate} aria-label="Pivoter d’un quart de tour (touche R)">Pivoter</button>
      </div>
      <p className="scan-state" aria-live="polite">
        Page {page} / {pageCount} — {Math.round(zoom * 100)} %{turn ? ` — pivotée de ${turn}°` : ''}
      </p>
      <div
        ref={view}
        className="scan-view"
        tabIndex={0}
        role="region"
        aria-label={`Page ${page} du courrier ${chrono} (touches : Page suiv., Page préc., +, −, 0, R)`}
        onKeyDown={onKeyDown}
      >
        <div className="scan-frame" style={{ width: frame.width, height: frame.height }}>
          <img
            src={pageUrl(page)}
            alt={`Page ${page} du courrier ${chrono}`}
            onLoad={(e) => e.currentTarget.naturalWidth && setRatio(e.currentTarget.naturalHeight / e.currentTarget.naturalWidth)}
            style={{ width: imageWidth, height: imageHeight, transform: `translate(-50%, -50%) rotate(${turn}deg)` }}
          />
        </div>
      </div>
    </div>
  );
}
