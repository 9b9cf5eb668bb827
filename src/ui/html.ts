/**
 * HTML built so that escaping is the default (DESIGN.md §9): every value interpolated into an {@link html}
 * template is escaped, unless it is itself {@link Html} built by such a template. Job names, error messages, file
 * names and stacks come from users and logs: they are data, always text, never markup. There is deliberately no
 * way to mark a plain string as safe.
 *
 * @example
 * html`<td>${job.description}</td>`.text // '<td>&lt;script&gt;…</td>' for a hostile description
 */
export class Html {
  readonly text: string;
  /** Only the template below makes one: a string never becomes markup by being wrapped. */
  private constructor(text: string) {
    this.text = text;
  }

  static fromTemplate(strings: TemplateStringsArray, values: readonly unknown[]): Html {
    let text = strings[0]!;
    for (let i = 0; i < values.length; i++) text += render(values[i]) + strings[i + 1]!;
    return new Html(text);
  }
}

/** A fragment of HTML whose interpolated values are escaped (arrays are joined, null and undefined are empty). */
export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  return Html.fromTemplate(strings, values);
}

function render(value: unknown): string {
  if (value instanceof Html) return value.text;
  if (Array.isArray(value)) return value.map(render).join('');
  if (value === null || value === undefined || value === false) return '';
  return escapeHtml(String(value));
}

/** Escapes the five characters that can end text or an attribute value in HTML. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Bytes with a binary unit: `1.5 MiB`. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${units[unit]}`;
}

/** A duration: `850 ms`, `12.3 s`, `4.2 min`; `–` when unknown. */
export function formatMs(ms: number | null): string {
  if (ms === null) return '–';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${(ms / 60_000).toFixed(1)} min`;
}
