const UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  k: 1024,
  kib: 1024,
  m: 1024 ** 2,
  mib: 1024 ** 2,
  g: 1024 ** 3,
  gib: 1024 ** 3,
};

/**
 * Parses a byte count such as `1048576`, `512KiB`, `2MiB`, `1GiB` or `1.5g` (binary units, case-insensitive).
 * Returns null when the text is not one.
 *
 * @example
 * parseByteSize('2MiB'); // 2097152
 */
export function parseByteSize(text: string): number | null {
  const match = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(text.trim());
  const factor = match === null ? undefined : UNITS[match[2]!.toLowerCase()];
  if (match === null || factor === undefined) return null;
  const bytes = Math.round(Number(match[1]) * factor);
  return Number.isSafeInteger(bytes) ? bytes : null;
}

/**
 * Formats a byte count for people: `2.0 MiB`, `1.00 GiB`, `512 B`.
 *
 * @example
 * formatBytes(3 * 1024 ** 2); // '3.0 MiB'
 */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
  if (bytes >= 1024 ** 2) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} B`;
}
