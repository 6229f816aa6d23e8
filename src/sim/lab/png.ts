/**
 * Renders an SVG chart to PNG with resvg (a Rust renderer shipped as a prebuilt npm package).
 * System fonts are loaded so that labels render; the default family covers a machine that only
 * has DejaVu installed. resvg is an optional dependency, loaded on the first PNG drawn: nothing
 * else in the package needs its native module.
 */
import { createRequire } from 'node:module';
import type { Resvg as ResvgClass } from '@resvg/resvg-js';
import { OptionalDependencyError } from '../../core/errors.js';

const RESVG = '@resvg/resvg-js';
let resvgClass: typeof ResvgClass | undefined;

/** The Resvg class, loaded the first time a PNG is drawn. */
function loadResvg(): typeof ResvgClass {
  if (resvgClass === undefined) {
    try {
      const resvg = createRequire(import.meta.url)(RESVG) as { Resvg: typeof ResvgClass };
      resvgClass = resvg.Resvg;
    } catch (error) {
      throw new OptionalDependencyError(RESVG, 'to draw PNG charts', { cause: error });
    }
  }
  return resvgClass;
}

export function svgToPng(svg: string, widthPx = 1440): Buffer {
  const Resvg = loadResvg();
  const resvg = new Resvg(svg, {
    background: '#ffffff',
    fitTo: { mode: 'width', value: widthPx },
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
  });
  return resvg.render().asPng();
}
