// Stand-ins for identifiers: realistic enough that the model reads the note as a note (a name
// where a name was, a date where a date was), invented, and never one of the originals. Names
// are replaced word by word so that "Vandersloot" alone gets the same stand-in as in
// "Eleanor Vandersloot"; numbers keep their shape (separators, length, letters vs digits).

import type { PhiType } from './types';

// Invented for this project from common English given names and surnames.
const GIVEN = 'Alden Briar Calla Dorian Elspeth Fenton Greer Hollis Ione Jasper Kestrel Linden Marlo Nerys Orrin Perrin Quincy Rowan Sable Tamsin Ulric Vesper Wynn Yara Zeke Anselm Bryony Cosima Davin Emrys Flint Gideon Hester Ivo Juno Keir Leonie Mireille Nils Odile Piers Rosalind Silas Thea Ursa Viggo Wilhelmina Xanthe Yorick Zinnia'.split(' ');
const FAMILY = 'Ashcombe Bellamy Carrow Dunmere Eastwick Farrier Glenholm Hartigan Ingleby Jessop Kettering Lockridge Marchbank Northam Osgood Pellow Quarrington Radley Stanway Thorncroft Underhill Vantreight Wexcombe Yelland Allerton Birchall Coldwell Dransfield Elderkin Fallowes Greenhalgh Hobart Ivesley Kinnear Larkham Mottram Netherby Oakhurst Pendry Rushworth Selwood Tillotson Upwood Verity Whitlow'.split(' ');
const TOWNS = 'Ashford Vale|Bramblecote|Cinder Falls|Dovecrest|Elmstead|Fernhollow|Glenmarsh|Harrowgate Springs|Ivywick|Juniper Ridge|Kestrel Bay|Larchmont Hollow|Millbourne|Northfold|Oakcrest|Pinebrook|Quillon|Rookhaven|Stillwater Cross|Thornbury Heath'.split('|');
const STREETS = 'Alder|Beacon|Copperleaf|Dunstan|Everly|Foxglove|Garnet|Heron|Indigo|Juniper|Kingfisher|Lantern|Meadowlark|Nettle|Orchard|Primrose|Quarry|Rosehip|Sparrow|Thistle'.split('|');
const PLACE_WORDS = 'Ashgrove|Bellweather|Calder|Dunholm|Edgewood|Fairhaven|Greystone|Highmoor|Ironbridge|Kingsmere|Lowfield|Moorcroft|Newbold|Oakridge|Pinehurst|Redcliffe|Stonehill|Westbury'.split('|');

export type Rng = () => number;

/** A small seeded generator (mulberry32): one per pseudonymizer, so a seed reproduces a mapping in tests. */
export function seededRng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(rng: Rng, list: readonly T[]): T => list[Math.floor(rng() * list.length)];
const digit = (rng: Rng): string => String(Math.floor(rng() * 10));
const letter = (rng: Rng): string => String.fromCharCode(65 + Math.floor(rng() * 26));

/** Same shape: each digit a random digit, each letter a random letter of the same case. */
export function scramble(text: string, rng: Rng): string {
  return text.replace(/[0-9]|\p{L}/gu, (c) => {
    if (c >= '0' && c <= '9') return digit(rng);
    const l = letter(rng);
    return c === c.toLowerCase() ? l.toLowerCase() : l;
  });
}

/** In the case style of `like`: CAPITALS, Capitalized or lower. */
export function caseLike(like: string, word: string): string {
  if (like.length > 1 && like === like.toUpperCase()) return word.toUpperCase();
  if (like[0] === like[0].toLowerCase()) return word.toLowerCase();
  return word[0].toUpperCase() + word.slice(1);
}

/** A stand-in name word: a given name or a surname, hyphenated when the original is. */
export function nameWord(original: string, given: boolean, rng: Rng): string {
  if (/^\p{Lu}\.$/u.test(original)) return `${letter(rng)}.`;
  const base = original.includes('-') && !given ? `${pick(rng, FAMILY)}-${pick(rng, FAMILY)}` : pick(rng, given ? GIVEN : FAMILY);
  return caseLike(original, base);
}

function address(original: string, rng: Rng): string {
  const street = /^(\d{1,5})[A-Z]?[ \t](?:[NSEW]\.?[ \t])?(?:\S+[ \t]){0,3}?(\S+?\.?)((?:,?[ \t](?:Unit|Apt\.?|Apartment|Suite|Ste\.?|Flat|Room|#)[ \t]?[A-Z0-9-]{1,6})?)$/.exec(original);
  if (street) {
    const n = String(1 + Math.floor(rng() * 9999)).slice(0, street[1].length);
    return `${n} ${pick(rng, STREETS)} ${street[2]}${street[3].replace(/\d/g, () => digit(rng))}`;
  }
  // A named place: new distinctive words, the same kind ("... Medical Center").
  const words = original.split(' ');
  const keep = words.findIndex((w, i) => i > 0 && /^(?:Behavioral|Health|Center|Centre|Medical|Regional|General|Hospital|Clinic|Family|Practice|Pharmacy|Imaging|Surgery|Infirmary|University|Royal|Memorial|Community|Children's|Women's|Home|Care|Services|Group|Dental|Pediatrics|Church|Gardens|Learning|Supply|Books|Credit|Anticoagulation|Ambulatory)$/.test(w));
  const tail = keep > 0 ? words.slice(keep).join(' ') : '';
  return [pick(rng, PLACE_WORDS), tail].filter(Boolean).join(' ');
}

function age(original: string, rng: Rng): string {
  const n = 90 + Math.floor(rng() * 10);
  if (/^\d+$/.test(original)) return String(n);
  const ones = ['', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'][n - 90];
  return caseLike(original, ones ? `ninety-${ones}` : 'ninety');
}

/** A stand-in for one identifier other than a name or a date (those need the document's state). */
export function surrogate(type: PhiType, original: string, rng: Rng): string {
  switch (type) {
    case 'CITY':
      return pick(rng, TOWNS);
    case 'ADDRESS':
      return address(original, rng);
    case 'AGE':
      return age(original, rng);
    case 'EMAIL':
      return `${pick(rng, GIVEN).toLowerCase()}.${pick(rng, FAMILY).toLowerCase()}${digit(rng)}${digit(rng)}@example.org`;
    case 'URL':
      return `${/^https?:\/\//i.test(original) ? original.slice(0, original.indexOf('//') + 2) : ''}example.org/r/${scramble('aaaa0000', rng).toLowerCase()}`;
    case 'IP':
      return original.includes(':') ? `2001:db8::${Math.floor(rng() * 0xffff).toString(16)}` : `192.0.2.${1 + Math.floor(rng() * 254)}`;
    case 'SSN':
      // Area 9xx is never issued: the stand-in cannot be someone's number.
      return `9${scramble(original.slice(1), rng)}`;
    case 'PHONE':
    case 'FAX':
      // A trunk prefix (0, +44, +1) is not identifying and keeps the number readable as a number.
      return original.replace(/^(\+?\d{0,2}[ .-]?\(?0?)?(.*)$/s, (_, head: string | undefined, rest: string) => (head ?? '') + scramble(rest, rng));
    default:
      return scramble(original, rng);
  }
}
