// The main tags shown in the panel's header view. Patient identifiers (name, ID, birth date,
// addresses, ...) are deliberately not in this list: nothing here identifies the patient.

import type { HeaderTag } from '../types';
import type { DataSet } from './parse';
import { TS_NAMES } from './parse';

const MAIN_TAGS: Array<[string, string]> = [
  ['00080060', 'Modality'],
  ['00080008', 'Image Type'],
  ['0008103E', 'Series Description'],
  ['00081030', 'Study Description'],
  ['00180015', 'Body Part Examined'],
  ['00080070', 'Manufacturer'],
  ['00081090', 'Manufacturer Model Name'],
  ['00280010', 'Rows'],
  ['00280011', 'Columns'],
  ['00280008', 'Number of Frames'],
  ['00280002', 'Samples per Pixel'],
  ['00280004', 'Photometric Interpretation'],
  ['00280100', 'Bits Allocated'],
  ['00280101', 'Bits Stored'],
  ['00280103', 'Pixel Representation'],
  ['00280030', 'Pixel Spacing'],
  ['00180050', 'Slice Thickness'],
  ['00281050', 'Window Center'],
  ['00281051', 'Window Width'],
  ['00281052', 'Rescale Intercept'],
  ['00281053', 'Rescale Slope'],
  ['00280301', 'Burned In Annotation'],
  ['00020010', 'Transfer Syntax UID'],
];

const US_TAGS = new Set(['00280010', '00280011', '00280002', '00280100', '00280101', '00280103']);

export function mainTags(ds: DataSet): HeaderTag[] {
  const out: HeaderTag[] = [];
  for (const [hex, name] of MAIN_TAGS) {
    const key = `x${hex.toLowerCase()}`;
    const el = ds.elements[key];
    if (!el) continue;
    let value: string | undefined;
    if (US_TAGS.has(hex)) value = el.length >= 2 ? String(ds.uint16(key)) : '';
    else value = ds.string(key);
    if (value === undefined) continue;
    value = value.replace(/\0/g, '').trim().slice(0, 200);
    if (hex === '00020010' && TS_NAMES[value]) value = `${value} (${TS_NAMES[value]})`;
    out.push({ tag: `(${hex.slice(0, 4)},${hex.slice(4)})`, name, value });
  }
  return out;
}
