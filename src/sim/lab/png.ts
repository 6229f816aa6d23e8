import { Resvg } from '@resvg/resvg-js';

/**
 * Renders an SVG chart to PNG with resvg (a Rust renderer shipped as a prebuilt npm package).
 * System fonts are loaded so that labels render; the default family covers a machine that only
 * has DejaVu installed.
 */
export function svgToPng(svg: string, widthPx = 1440): Buffer {
  const resvg = new Resvg(svg, {
    background: '#ffffff',
    fitTo: { mode: 'width', value: widthPx },
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
  });
  return resvg.render().asPng();
}
