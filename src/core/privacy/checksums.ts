// Check digits of the identifiers that have one: a number that passes is far more likely an
// identifier than a lab value, so it is found without a label beside it.

/** Luhn over the digits of `s` (right to left, every second doubled). */
function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 === 0;
}

/** US National Provider Identifier: 10 digits, Luhn with the 80840 prefix, first digit 1 or 2. */
export function isNpi(s: string): boolean {
  const d = s.replace(/\D/g, '');
  return d.length === 10 && (d[0] === '1' || d[0] === '2') && luhn(`80840${d}`);
}

/** NHS number: 10 digits, weights 10..2, check = 11 - sum mod 11 (10 is never valid). */
export function isNhsNumber(s: string): boolean {
  const d = s.replace(/[\s-]/g, '');
  if (!/^\d{10}$/.test(d)) return false;
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += (d.charCodeAt(i) - 48) * (10 - i);
  const check = (11 - (sum % 11)) % 11;
  return check !== 10 && check === d.charCodeAt(9) - 48;
}

/** DEA registration: 2 letters, 7 digits; (d1+d3+d5) + 2*(d2+d4+d6) ends in d7. */
export function isDea(s: string): boolean {
  const m = /^[A-Z]{2}(\d{7})$/i.exec(s);
  if (!m) return false;
  const d = [...m[1]].map(Number);
  return (d[0] + d[2] + d[4] + 2 * (d[1] + d[3] + d[5])) % 10 === d[6];
}

/** SSN ranges the SSA never issues: area 000, 666 or 9xx, group 00, serial 0000. */
export function isPlausibleSsn(s: string): boolean {
  const m = /^(\d{3})[- ]?(\d{2})[- ]?(\d{4})$/.exec(s);
  return !!m && m[1] !== '000' && m[1] !== '666' && m[1][0] !== '9' && m[2] !== '00' && m[3] !== '0000';
}
