/** A short, safe rendering of any value for error messages ("found <this>"). Never throws, never huge. */
export function describeValue(value: unknown, charsMax = 60): string {
  let text: string;
  if (value === undefined) text = 'undefined';
  else if (typeof value === 'string') text = JSON.stringify(value);
  else if (typeof value === 'number')
    text = Object.is(value, -0) ? '-0' : String(value); // JSON says null for NaN
  else if (typeof value === 'bigint') text = `${value}n`;
  else if (typeof value === 'function') text = `function ${value.name || '(anonymous)'}`;
  else if (typeof value === 'symbol') text = value.toString();
  else {
    try {
      text = JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v)) ?? String(value);
    } catch {
      text = Object.prototype.toString.call(value);
    }
  }
  return text.length > charsMax ? `${text.slice(0, charsMax - 1)}…` : text;
}
