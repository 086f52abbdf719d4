// A horizontal bar chart as a standalone SVG (no dependency): one panel per measure, one bar
// per target, the value printed at each bar's end, "n/a" where there is no figure.

export interface Bar {
  label: string;
  value: number | null;
  /** Display text for the value (e.g. "12,345 req/s"). */
  text: string;
  kind: 'floor' | 'ours' | 'other';
}

export interface Panel {
  title: string;
  bars: Bar[];
}

const COLORS: Record<Bar['kind'], string> = { floor: '#9aa0a6', ours: '#1a73e8', other: '#e37400' };
const WIDTH = 820;
const LABEL_W = 330;
const VALUE_W = 120;
const BAR_H = 18;
const GAP = 8;
const TITLE_H = 34;
const PAD = 16;

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function barChartSvg(title: string, subtitle: string, panels: Panel[]): string {
  const parts: string[] = [];
  let y = PAD;
  parts.push(`<text x="${PAD}" y="${y + 16}" font-size="17" font-weight="600">${esc(title)}</text>`);
  parts.push(`<text x="${PAD}" y="${y + 36}" font-size="12" fill="#5f6368">${esc(subtitle)}</text>`);
  y += 48;
  const plotW = WIDTH - LABEL_W - VALUE_W - 2 * PAD;
  for (const panel of panels) {
    parts.push(`<text x="${PAD}" y="${y + 22}" font-size="14" font-weight="600">${esc(panel.title)}</text>`);
    y += TITLE_H;
    const max = Math.max(1e-9, ...panel.bars.map((b) => b.value ?? 0));
    for (const bar of panel.bars) {
      const cy = y + BAR_H / 2 + 4;
      parts.push(`<text x="${PAD + LABEL_W - 8}" y="${cy}" font-size="12" text-anchor="end">${esc(bar.label)}</text>`);
      if (bar.value == null) {
        parts.push(`<text x="${PAD + LABEL_W + 4}" y="${cy}" font-size="12" fill="#5f6368" font-style="italic">n/a</text>`);
      } else {
        const w = Math.max(1, (bar.value / max) * plotW);
        parts.push(`<rect x="${PAD + LABEL_W}" y="${y}" width="${w.toFixed(1)}" height="${BAR_H}" rx="2" fill="${COLORS[bar.kind]}"/>`);
        parts.push(`<text x="${(PAD + LABEL_W + w + 6).toFixed(1)}" y="${cy}" font-size="12">${esc(bar.text)}</text>`);
      }
      y += BAR_H + GAP;
    }
    y += 6;
  }
  const legendY = y + 10;
  const legend: [Bar['kind'], string][] = [['floor', 'bare Node (floor)'], ['ours', 'Stagecraft'], ['other', 'serverless-offline']];
  legend.forEach(([kind, text], i) => {
    const x = PAD + i * 200;
    parts.push(`<rect x="${x}" y="${legendY}" width="12" height="12" fill="${COLORS[kind]}"/>`);
    parts.push(`<text x="${x + 18}" y="${legendY + 11}" font-size="12">${esc(text)}</text>`);
  });
  const height = legendY + 12 + PAD;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="Helvetica, Arial, sans-serif" fill="#202124">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    ...parts,
    '</svg>',
    '',
  ].join('\n');
}
