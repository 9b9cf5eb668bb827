import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { CHARTS_JS } from './client/charts-script.js';
import { LIVE_JS } from './client/live-script.js';
import { STYLE_CSS } from './pages/layout.js';

/** A file the pages load: its type and text. */
export interface StaticAsset {
  readonly type: string;
  readonly body: string;
}

const JS_TYPE = 'text/javascript; charset=utf-8';
const CSS_TYPE = 'text/css; charset=utf-8';

/** uPlot's files, from the installed package (read once, when first asked for): no page loads anything remote. */
const UPLOT_FILES: Readonly<Record<string, { readonly file: string; readonly type: string }>> = {
  '/static/uplot.js': { file: 'uplot/dist/uPlot.iife.min.js', type: JS_TYPE },
  '/static/uplot.css': { file: 'uplot/dist/uPlot.min.css', type: CSS_TYPE },
};

const loaded = new Map<string, StaticAsset>();

/**
 * The asset served at `path`, or null: the stylesheet, the live-update and chart scripts, and uPlot's script and
 * stylesheet read from its package. These are the only scripts a page runs (the CSP allows scripts from this
 * server only), and none of them turns text from a log into markup.
 *
 * @example
 * staticAsset('/static/uplot.js')?.type // 'text/javascript; charset=utf-8'
 */
export function staticAsset(path: string): StaticAsset | null {
  if (path === '/static/style.css') return { type: CSS_TYPE, body: STYLE_CSS };
  if (path === '/static/live.js') return { type: JS_TYPE, body: LIVE_JS };
  if (path === '/static/charts.js') return { type: JS_TYPE, body: CHARTS_JS };
  const uplot = UPLOT_FILES[path];
  if (uplot === undefined) return null;
  let asset = loaded.get(path);
  if (asset === undefined) {
    const file = createRequire(import.meta.url).resolve(uplot.file);
    asset = { type: uplot.type, body: readFileSync(file, 'utf8') };
    loaded.set(path, asset);
  }
  return asset;
}
