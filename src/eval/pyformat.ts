/**
 * The two bits of Python string formatting the official table uses, reproduced exactly.
 *
 * `formatFixed` is Python's `'{:.Nf}'`: the exact binary value of the double rounded to N decimals, ties to even.
 * JavaScript's `toFixed` rounds exact ties up instead, and ties do happen with real scores: 1/32 = 0.03125 prints
 * as `0.0312` in Python and `0.0313` with `toFixed(4)`.
 */

/** The double `x` (finite, >= 0) as mantissa * 2^exponent, both exact. */
function decompose(x: number): { mantissa: bigint; exponent: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const high = view.getUint32(0);
  const low = view.getUint32(4);
  const biased = (high >>> 20) & 0x7ff;
  const fraction = (BigInt(high & 0xfffff) << 32n) | BigInt(low);
  if (biased === 0) return { mantissa: fraction, exponent: -1074 }; // zero and subnormals
  return { mantissa: fraction | (1n << 52n), exponent: biased - 1075 };
}

/** Python's `format(x, '.{digits}f')`. */
export function formatFixed(x: number, digits: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  const negative = x < 0 || Object.is(x, -0);
  const { mantissa, exponent } = decompose(Math.abs(x));
  const scaled = mantissa * 10n ** BigInt(digits);
  let units: bigint;
  if (exponent >= 0) {
    units = scaled << BigInt(exponent);
  } else {
    const shift = BigInt(-exponent);
    units = scaled >> shift;
    const remainder = scaled - (units << shift);
    const half = 1n << (shift - 1n);
    if (remainder > half || (remainder === half && (units & 1n) === 1n)) units += 1n;
  }
  const text = units.toString().padStart(digits + 1, '0');
  const whole = text.slice(0, text.length - digits);
  const decimals = digits > 0 ? `.${text.slice(text.length - digits)}` : '';
  return `${negative ? '-' : ''}${whole}${decimals}`;
}

/** Python's `format(s, '{fill}^{width}')`: centred, the odd padding character going to the right. */
export function center(s: string, width: number, fill = ' '): string {
  const pad = width - s.length;
  if (pad <= 0) return s;
  const left = Math.floor(pad / 2);
  return fill.repeat(left) + s + fill.repeat(pad - left);
}
